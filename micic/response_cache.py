"""Whole responses cached for anonymous GETs of pages and API reads.

A response is stored once, gzip-compressed, under a key made of the absolute URL (path
and query), the language, the Accept and Origin headers the API negotiates on, together
with the content version it was made under (``repository.search.version``). A request
reads the content version and its entry in one ``get_many`` (one round trip to Redis): an
entry of the current version is the answer, with its ``ETag`` and ``Last-Modified`` (a
matching ``If-None-Match`` or ``If-Modified-Since`` is a 304), sent compressed to clients
that accept gzip. Any change to published content bumps the version, so a publication,
edit or withdrawal shows at once; entries of older versions expire after
``RESPONSE_CACHE_SECONDS``.

Never cached: other methods than GET; requests with a session or messages cookie (a
logged-in user, a pending message) or an ``Authorization`` header (API tokens); paths
outside ``RESPONSE_CACHE_PATHS`` or under ``RESPONSE_CACHE_EXCLUDE``; responses other than
200, streamed ones (CSV exports), those setting a cookie (CSRF tokens), marked private or
no-store, or carrying a CSP nonce. A hit under /api/ still counts against the API's
anonymous throttle, as the contract (429 with Retry-After) requires.
"""

import gzip
import hashlib
import time
from dataclasses import dataclass

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.core.exceptions import DisallowedHost
from django.http import HttpResponse
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import http_date
from django.utils.text import compress_string
from django.utils.translation import get_language_from_request

from .api import API_PREFIX

KEY_PREFIX = "response"
# Headers of the stored response that are per request, or recomputed when it is served.
NOT_STORED = {"content-length", "content-encoding", "etag", "last-modified", "set-cookie"}


@dataclass(frozen=True)
class Entry:
    """One stored response: its content version, status, headers and gzipped body."""

    version: int
    status: int
    headers: tuple[tuple[str, str], ...]
    body: bytes  # gzip
    etag: str
    modified: int

    def response(self, request) -> HttpResponse:
        gzipped = "gzip" in request.headers.get("Accept-Encoding", "")
        response = HttpResponse(
            self.body if gzipped else gzip.decompress(self.body), status=self.status
        )
        for name, value in self.headers:
            response.headers[name] = value
        if gzipped:
            response.headers["Content-Encoding"] = "gzip"
        response.headers["Content-Length"] = str(len(response.content))
        # As GZipMiddleware does: the compressed body is not the one the strong tag names.
        response.headers["ETag"] = f"W/{self.etag}" if gzipped else self.etag
        response.headers["Last-Modified"] = http_date(self.modified)
        patch_vary_headers(response, ("Accept-Encoding",))
        return response


def enabled() -> bool:
    return getattr(settings, "RESPONSE_CACHE_SECONDS", 0) > 0


def request_key(request) -> str | None:
    """The cache key of a request whose response may be cached, else None."""
    if request.method != "GET" or "Authorization" in request.headers:
        return None
    cookies = request.COOKIES
    if settings.SESSION_COOKIE_NAME in cookies or CookieStorage.cookie_name in cookies:
        return None
    path = request.path_info
    if not path.startswith(tuple(settings.RESPONSE_CACHE_PATHS)) or path.startswith(
        tuple(settings.RESPONSE_CACHE_EXCLUDE)
    ):
        return None
    try:
        url = request.build_absolute_uri()
    except DisallowedHost:
        return None  # the view answers it
    parts = (
        url,
        get_language_from_request(request),
        request.headers.get("Accept", ""),
        request.headers.get("Origin", ""),
    )
    digest = hashlib.sha256(repr(parts).encode()).hexdigest()[:40]
    return f"{KEY_PREFIX}:{digest}"


def storable(response) -> bool:
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    if response.has_header("Content-Encoding"):
        return False  # compressed below this middleware: it must sit above GZipMiddleware
    control = response.headers.get("Cache-Control", "").lower()
    if any(word in control for word in ("private", "no-store", "no-cache")):
        return False
    policies = (response.headers.get(h, "") for h in ("Content-Security-Policy",))
    return not any("'nonce-" in policy for policy in policies)


def throttled(request) -> bool:
    """Whether an anonymous API client is over its limit (counting this request if not)."""
    from rest_framework.request import Request
    from rest_framework.settings import api_settings

    wrapped = Request(request)
    return not all(
        throttle().allow_request(wrapped, None)
        for throttle in api_settings.DEFAULT_THROTTLE_CLASSES
    )


class ResponseCacheMiddleware:
    """Serve anonymous GETs from the whole-response cache; store what may be stored."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        key = request_key(request) if enabled() else None
        if key is None:
            return self.get_response(request)
        from repository.search.version import VERSION_KEY, content_version

        found = cache.get_many([VERSION_KEY, key])
        version, entry = found.get(VERSION_KEY), found.get(key)
        if (
            isinstance(entry, Entry)
            and entry.version == version
            and not (request.path_info.startswith(API_PREFIX) and throttled(request))
        ):
            response = entry.response(request)
            return get_conditional_response(
                request,
                etag=response.headers["ETag"],
                last_modified=entry.modified,
                response=response,
            )
        if version is None:
            version = content_version()  # read before the response is made: see version.py
        response = self.get_response(request)
        if not storable(response):
            return response
        body = response.content
        etag = (
            response.headers.get("ETag")
            or f'"{hashlib.md5(body, usedforsecurity=False).hexdigest()}"'
        )
        entry = Entry(
            version=version,
            status=response.status_code,
            headers=tuple(
                (name, value)
                for name, value in response.headers.items()
                if name.lower() not in NOT_STORED
            ),
            body=compress_string(body),
            etag=etag.removeprefix("W/"),
            modified=int(time.time()),  # HTTP dates have whole seconds
        )
        cache.set(key, entry, settings.RESPONSE_CACHE_SECONDS)
        return entry.response(request)
