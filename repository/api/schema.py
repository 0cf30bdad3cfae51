"""The OpenAPI description of /api/v1/practices/: every filter of API.md, with the valid
slugs and numbers read from the database when the schema is generated, the facets in the
envelope, and CSV beside JSON.
"""

import functools

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter

from guidelines.models import Guideline, Phase, Principle
from micic.api import Pagination
from micic.api_schema import AutoSchema, tag_parameter

from ..filters import FACET_NAMES, ORDERINGS
from ..models import CrisisType, Region, Stakeholder
from ..pagination import PracticePaginator


def practice_filter_parameters() -> list[OpenApiParameter]:
    """The query parameters of the practice list, shared with the HTML page /practices/."""
    facet = "|".join(["all", *FACET_NAMES])
    return [
        OpenApiParameter(
            "q",
            {"type": "string", "maxLength": 500},
            OpenApiParameter.QUERY,
            description=_(
                'Ranked full-text search, web-search syntax: "exact phrase", `or`, -exclude '
                "(operators are case-insensitive)."
            ),
        ),
        tag_parameter("phase", _("Crisis phase slug."), Phase, "slug"),
        tag_parameter(
            "stakeholder",
            _("Stakeholder slug; a parent includes its children."),
            Stakeholder,
            "slug",
        ),
        tag_parameter("crisis_type", _("Crisis type slug."), CrisisType, "slug"),
        tag_parameter("guideline", _("Guideline number, 1–15."), Guideline, "number", "integer"),
        tag_parameter("principle", _("Principle number, 1–10."), Principle, "number", "integer"),
        OpenApiParameter(
            "country",
            {"type": "array", "items": {"type": "string", "pattern": "^[A-Za-z]{2}$"}},
            OpenApiParameter.QUERY,
            description=_(
                "ISO 3166-1 alpha-2 country code, case-insensitive. A code that is not "
                "ISO 3166-1 is a 400; a valid code with no practices, an empty result."
            ),
            style="form",
            explode=True,
        ),
        tag_parameter("region", _("Region slug (see /api/v1/regions/)."), Region, "slug"),
        OpenApiParameter(
            "year_min",
            OpenApiTypes.INT,
            OpenApiParameter.QUERY,
            description=_("Practices whose `year` is at least this (inclusive)."),
        ),
        OpenApiParameter(
            "year_max",
            OpenApiTypes.INT,
            OpenApiParameter.QUERY,
            description=_("Practices whose `year` is at most this (inclusive)."),
        ),
        OpenApiParameter(
            "updated_since",
            OpenApiTypes.DATETIME,
            OpenApiParameter.QUERY,
            description=_(
                "ISO 8601 date-time: only practices changed strictly after it (incremental "
                "sync: keep the time of your last sync and send it here)."
            ),
        ),
        OpenApiParameter(
            "ordering",
            {"type": "string", "enum": list(ORDERINGS)},
            OpenApiParameter.QUERY,
            description=_(
                "`relevance` is the default with `q` (without `q` it orders like the "
                "default); `-published_at` is the default without."
            ),
        ),
        OpenApiParameter(
            "facets",
            {"type": "string", "pattern": f"^({facet})(,({facet}))*$"},
            OpenApiParameter.QUERY,
            description=_(
                "Comma list of facets to count, or `all`: %(names)s. Each facet's counts apply "
                "every other active filter (disjunctive faceting)."
            )
            % {"names": ", ".join(FACET_NAMES)},
        ),
        OpenApiParameter(
            "format",
            {"type": "string", "enum": ["json", "csv"]},
            OpenApiParameter.QUERY,
            description=_(
                "`csv` (or `Accept: text/csv`): every matching practice as CSV, not one page. "
                "A cell that begins with `=`, `+`, `-`, `@`, a tab or a carriage return is "
                "written with a leading `'`, so that spreadsheets show it as text."
            ),
        ),
    ]


FACET_VALUE = {
    "type": "object",
    "required": ["value", "label", "count", "selected"],
    "properties": {
        "value": {
            "oneOf": [{"type": "string"}, {"type": "integer"}],
            "description": _("A slug or code; a number for guideline, principle and year."),
        },
        "label": {"type": "string"},
        "count": {"type": "integer", "minimum": 0},
        "selected": {"type": "boolean"},
        "parent": {
            "type": "string",
            "nullable": True,
            "description": _("Stakeholders only: the parent's slug."),
        },
    },
}


class PracticePagination(Pagination):
    """The envelope, with `facets` when ?facets= asks for them; pages of a FilterSet."""

    def paginate_filterset(self, filterset, request, view=None, *, prepare):
        """A page of ``filterset.qs``, counted and cached as the HTML list does."""
        self.django_paginator_class = functools.partial(
            PracticePaginator, filterset=filterset, prepare=prepare
        )
        return self.paginate_queryset(filterset.qs, request, view)

    def get_paginated_response_schema(self, schema):
        envelope = super().get_paginated_response_schema(schema)
        envelope["properties"]["facets"] = {
            "type": "object",
            "description": _("Only with ?facets=: counts per value of each requested facet."),
            "properties": {name: {"type": "array", "items": FACET_VALUE} for name in FACET_NAMES},
            "additionalProperties": False,
        }
        return envelope


class PracticeSchema(AutoSchema):
    """The practice list documents every filter, and CSV beside JSON."""

    def get_override_parameters(self):
        parameters = super().get_override_parameters()
        if getattr(self.view, "action", None) == "list":
            parameters = [*practice_filter_parameters(), *parameters]
        return parameters

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        content = responses.get("200", {}).get("content", {})
        if "text/csv" in content:
            content["text/csv"] = {
                "schema": {
                    "type": "string",
                    "description": _("A header row, then one row per practice."),
                }
            }
        return responses
