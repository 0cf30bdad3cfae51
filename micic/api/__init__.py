"""API-wide conventions of REST API v1, written once: envelope, page size, errors, throttles,
content negotiation and ETags.

The contract is ../shared/API.md; the viewsets are in guidelines/api/ and repository/api/,
the root, schema and documentation views in micic/api/views.py. REST_FRAMEWORK names the
classes here, and DRF imports them while it defines its own views: so this module must not
import rest_framework.views (nor anything that does, such as drf_spectacular's views).
"""

import json
import logging

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.middleware import http
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, negotiation, pagination, parsers, serializers, throttling
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.utils import json as drf_json

API_PREFIX = "/api/"

logger = logging.getLogger(__name__)


# Errors ------------------------------------------------------------------------------------


class ErrorSerializer(serializers.Serializer):
    """Every error body: the parameter or field at fault (or `detail`), with its messages."""

    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        help_text=_("Messages by parameter or field name; `detail` for the request as a whole."),
    )


def _flatten(errors, prefix: str = "") -> dict[str, list[str]]:
    """DRF error details (nested for nested serializers) as {"param": ["message", …]}."""
    if isinstance(errors, dict):
        flat = {}
        for key, value in errors.items():
            name = f"{prefix}.{key}" if prefix else str(key)
            if key == api_settings.NON_FIELD_ERRORS_KEY and prefix:
                name = prefix
            for sub_key, messages in _flatten(value, name).items():
                flat.setdefault(sub_key, []).extend(messages)
        return flat
    if isinstance(errors, list):
        if all(not isinstance(item, (dict, list)) for item in errors):
            return {prefix or "detail": [str(item) for item in errors]}
        flat = {}
        for index, item in enumerate(errors):
            name = f"{prefix}.{index}" if prefix else str(index)
            for sub_key, messages in _flatten(item, name).items():
                flat.setdefault(sub_key, []).extend(messages)
        return flat
    return {prefix or "detail": [str(errors)]}


def exception_handler(exc, context):
    """DRF's handler (status, WWW-Authenticate, Retry-After), with the body {"errors": …}."""
    from rest_framework.views import exception_handler as drf_exception_handler

    response = drf_exception_handler(exc, context)
    if response is not None:
        response.data = {"errors": _flatten(response.data)}
    return response


# Request bodies ----------------------------------------------------------------------------

# Arrays and objects nested deeper than this are refused: no API body needs more than a few.
MAX_JSON_DEPTH = 20


def json_depth(value) -> int:
    """How deeply arrays and objects nest in a parsed JSON value (a scalar is 0), without
    recursion."""
    deepest, stack = 0, [(value, 0)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            item = item.values()
        elif not isinstance(item, list):
            deepest = max(deepest, depth)
            continue
        deepest = max(deepest, depth + 1)
        stack.extend((child, depth + 1) for child in item)
    return deepest


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser with bounds: a body larger than Django's DATA_UPLOAD_MAX_MEMORY_SIZE
    or nested deeper than MAX_JSON_DEPTH is a 400, not a memory or recursion error."""

    def parse(self, stream, media_type=None, parser_context=None):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        raw = stream.read() if limit is None else stream.read(limit + 1)
        if limit is not None and len(raw) > limit:
            raise exceptions.ParseError(
                _("The request body is larger than %(limit)d bytes.") % {"limit": limit}
            )
        encoding = parsers.get_encoding(parser_context or {})
        try:
            data = json.loads(
                raw.decode(encoding),
                parse_constant=drf_json.strict_constant if self.strict else None,
            )
        except RecursionError as error:
            raise self._too_deep() from error
        except ValueError as error:
            raise exceptions.ParseError(
                _("The request body is not valid JSON: %(error)s") % {"error": error}
            ) from error
        if json_depth(data) > MAX_JSON_DEPTH:
            raise self._too_deep()
        return data

    @staticmethod
    def _too_deep():
        return exceptions.ParseError(
            _("The request body nests arrays and objects more than %(depth)d deep.")
            % {"depth": MAX_JSON_DEPTH}
        )


# Content negotiation and pagination --------------------------------------------------------


class ContentNegotiation(negotiation.DefaultContentNegotiation):
    """An unknown `?format=` is a 400 naming the parameter, not DRF's bare 404."""

    def filter_renderers(self, renderers, format):
        matching = [renderer for renderer in renderers if renderer.format == format]
        if not matching:
            known = ", ".join(renderer.format for renderer in renderers)
            raise exceptions.ValidationError(
                {
                    self.settings.URL_FORMAT_OVERRIDE: [
                        _("“%(value)s” is not a known format; use one of: %(known)s.")
                        % {"value": format, "known": known}
                    ]
                }
            )
        return matching


class Pagination(pagination.PageNumberPagination):
    """`page` from 1 and `page_size` up to 100 (larger is a 400); a page past the end is a 404."""

    page_size = 20
    max_page_size = 100
    page_size_query_param = "page_size"
    last_page_strings = ()

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param, "")
        if raw == "":
            return self.page_size
        try:
            size = int(raw)
        except ValueError:
            size = None
        if size is None or size < 1:
            message = _("“%(value)s” is not a whole number of at least 1.") % {"value": raw}
        elif size > self.max_page_size:
            message = _("At most %(max)d results per page.") % {"max": self.max_page_size}
        else:
            return size
        raise exceptions.ValidationError({self.page_size_query_param: [message]})

    def get_paginated_response(self, data, facets=None):
        body = {
            "count": self.page.paginator.count,
            "next": self.get_next_link(),
            "previous": self.get_previous_link(),
            "results": data,
        }
        if facets is not None:
            body["facets"] = facets
        return Response(body)

    def get_paginated_response_schema(self, schema):
        return {
            "type": "object",
            "required": ["count", "next", "previous", "results"],
            "properties": {
                "count": {"type": "integer", "example": 57},
                "next": {"type": "string", "nullable": True, "format": "uri"},
                "previous": {"type": "string", "nullable": True, "format": "uri"},
                "results": schema,
            },
        }

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": self.page_query_param,
                "required": False,
                "in": "query",
                "description": str(_("Page number, from 1. A page past the end is a 404.")),
                "schema": {"type": "integer", "minimum": 1},
            },
            {
                "name": self.page_size_query_param,
                "required": False,
                "in": "query",
                "description": str(
                    _("Results per page: %(default)d by default, at most %(max)d.")
                    % {"default": self.page_size, "max": self.max_page_size}
                ),
                "schema": {"type": "integer", "minimum": 1, "maximum": self.max_page_size},
            },
        ]


# Throttling --------------------------------------------------------------------------------


class _RateFromSettings:
    """Read the rate per request, not once when DRF defines the class, so that settings
    changed later (tests, override_settings) apply."""

    def get_rate(self):
        try:
            return api_settings.DEFAULT_THROTTLE_RATES[self.scope]
        except KeyError as error:
            raise ImproperlyConfigured(f"No throttle rate for {self.scope!r}") from error


class AnonThrottle(_RateFromSettings, throttling.AnonRateThrottle):
    """Anonymous clients, per IP: DJANGO_API_THROTTLE_ANON (default 600/min)."""


class UserThrottle(_RateFromSettings, throttling.UserRateThrottle):
    """Token holders, per user: DJANGO_API_THROTTLE_USER (default 3000/min)."""


def client_ip(request) -> str:
    """The client's address as every throttle sees it: REMOTE_ADDR, or the address the
    trusted proxies (NUM_PROXIES) put in X-Forwarded-For. Also django-axes' lock-outs."""
    return throttling.BaseThrottle().get_ident(request)


class InvalidTokenThrottle(_RateFromSettings, throttling.SimpleRateThrottle):
    """Invalid tokens, per client IP: DJANGO_API_THROTTLE_INVALID_TOKEN (default 20/min).

    Only failures count (the token authentication records them). Past the limit every
    request from that client carrying a token is a 429 with Retry-After until the oldest
    failure leaves the window, so that keys cannot be guessed at speed.
    """

    scope = "invalid_token"

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}

    def _load(self, request):
        self.key = self.get_cache_key(request, None)
        self.now = self.timer()
        self.history = [t for t in self.cache.get(self.key, []) if t > self.now - self.duration]

    def blocked_for(self, request) -> float | None:
        """Seconds until this client may try a token again, or None if it may now."""
        self._load(request)
        if len(self.history) >= self.num_requests:
            return self.wait()
        return None

    def record_failure(self, request) -> None:
        self._load(request)
        self.history.insert(0, self.now)
        self.cache.set(self.key, self.history, self.duration)
        if len(self.history) == self.num_requests:
            logger.warning(
                "API token guessing: %d invalid tokens from %s; throttled for %d s",
                self.num_requests,
                self.get_ident(request),
                self.duration,
            )


# ETags -------------------------------------------------------------------------------------


class ConditionalGetMiddleware(http.ConditionalGetMiddleware):
    """ETag on /api/ GET responses and 304 for a matching If-None-Match.

    Only under /api/: HTML pages carry a per-request CSP nonce, so their hash never repeats.
    """

    def needs_etag(self, response):
        return response.status_code == 200 and super().needs_etag(response)

    def process_response(self, request, response):
        if not request.path_info.startswith(API_PREFIX):
            return response
        return super().process_response(request, response)
