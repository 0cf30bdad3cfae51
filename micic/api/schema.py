"""The OpenAPI schema class of the API: drf-spectacular's, plus what every operation can
answer besides its result: ETag and 304 on GET, and the 400, 401, 403, 404, 414 and 429
errors.

A module of its own: REST_FRAMEWORK names it, and drf-spectacular's views read that setting
when they are defined, so it must not import them.
"""

from django.conf import settings
from django.db import DatabaseError
from django.utils.translation import gettext_lazy as _
from drf_spectacular import openapi
from drf_spectacular.contrib.django_filters import DjangoFilterExtension
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse

from . import ErrorSerializer


def db_values(model, field: str) -> list:
    """The values clients may send, or none when the database is not there (schema CLI)."""
    try:
        return list(model.objects.values_list(field, flat=True))  # in the model's order
    except DatabaseError:
        return []


def tag_parameter(name, description, model, field, item_type="string") -> OpenApiParameter:
    """A repeatable query parameter whose values are the slugs (or numbers) in the database."""
    items = {"type": item_type}
    values = db_values(model, field)
    if values:
        items["enum"] = values
    return OpenApiParameter(
        name,
        {"type": "array", "items": items},
        OpenApiParameter.QUERY,
        description=description,
        style="form",
        explode=True,
    )


class FilterSetParameters(DjangoFilterExtension):
    """drf-spectacular's parameters from a view's FilterSet, with the values each accepts:
    the slugs or numbers in the database for a tag filter, the choices in their order."""

    priority = 1

    def resolve_filter_field(self, auto_schema, model, filterset_class, field_name, filter_field):
        parameters = super().resolve_filter_field(
            auto_schema, model, filterset_class, field_name, filter_field
        )
        queryset, key = filter_field.extra.get("queryset"), filter_field.extra.get("to_field_name")
        choices = filter_field.extra.get("choices")
        values = None
        if queryset is not None and key:
            values = db_values(queryset.model, key)
        elif choices and not callable(choices):
            values = [value for value, _label in choices]
        for parameter in parameters:
            schema = parameter["schema"]
            if values:
                schema.get("items", schema)["enum"] = values
        return parameters


ERROR_DESCRIPTIONS = {
    400: _("A parameter or field is invalid: `errors` names each one."),
    401: _(
        "The token in `Authorization: Token <key>` is not valid, or is missing where one "
        "is required."
    ),
    403: _("The token's user may not do this."),
    404: _("No such resource, or a page past the end."),
    414: _("The query string is too long: at most 4096 characters."),
    429: _("Too many requests: wait for the number of seconds in `Retry-After`."),
}


def language_parameters() -> list[OpenApiParameter]:
    """The language of labels and messages: ``?lang=`` or Accept-Language (micic/i18n.py)."""
    codes = [code for code, _name in settings.LANGUAGES]
    return [
        OpenApiParameter(
            "lang",
            {"type": "string", "enum": codes},
            OpenApiParameter.QUERY,
            description=_(
                "The language of tag names, guideline and principle titles and error messages; "
                "wins over Accept-Language. Another value means English. Slugs, codes and "
                "numbers never change with the language."
            ),
        ),
        OpenApiParameter(
            "Accept-Language",
            OpenApiTypes.STR,
            OpenApiParameter.HEADER,
            description=_(
                "Used when `lang` is not given: the first of en, fr, es, ar it lists; "
                "otherwise English."
            ),
        ),
        OpenApiParameter(
            "Content-Language",
            {"type": "string", "enum": codes},
            OpenApiParameter.HEADER,
            response=True,
            description=_("The language of the response's labels and messages."),
        ),
    ]


class AutoSchema(openapi.AutoSchema):
    """drf-spectacular's schema, plus the responses every operation of this API can give."""

    def get_override_parameters(self):
        parameters = list(super().get_override_parameters())
        if self.method == "GET":
            parameters += [
                OpenApiParameter(
                    "If-None-Match",
                    OpenApiTypes.STR,
                    OpenApiParameter.HEADER,
                    description=_("An ETag from an earlier response: 304 if unchanged."),
                ),
                OpenApiParameter(
                    "ETag",
                    OpenApiTypes.STR,
                    OpenApiParameter.HEADER,
                    response=[200],
                    description=_("Send it back in If-None-Match to get a 304 if unchanged."),
                ),
            ]
        parameters += language_parameters()
        parameters.append(
            OpenApiParameter(
                "Retry-After",
                OpenApiTypes.INT,
                OpenApiParameter.HEADER,
                response=[429],
                description=_("Seconds to wait before the next request."),
            )
        )
        return parameters

    def get_auth(self):
        """No security requirement where anyone may call the operation (the public reads), so
        the documentation shows no lock on them; the schemes are still registered."""
        auths = super().get_auth()
        return [] if {} in auths else auths

    def error_status_codes(self) -> list[int]:
        """The error statuses this operation can answer with (more may be declared by hand)."""
        # 400 everywhere: a NUL character in any parameter is refused before any view.
        codes = [400, 401, 414, 429]
        unsafe = self.method not in ("GET", "HEAD", "OPTIONS")
        permissions = getattr(self.view, "permission_classes", [])
        if unsafe or any(p.__name__ != "AllowAny" for p in permissions):
            codes.append(403)
        if "{" in self.path or self._is_list_view():
            codes.append(404)
        return sorted(codes)

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if self.method == "GET":
            responses.setdefault("304", {"description": str(_("Not modified (If-None-Match)."))})
        for code in self.error_status_codes():
            if str(code) not in responses:
                error = OpenApiResponse(ErrorSerializer, description=ERROR_DESCRIPTIONS[code])
                responses[str(code)] = self._get_response_for_code(
                    error, str(code), media_types=["application/json"], direction=direction
                )
        return dict(sorted(responses.items()))
