"""The OpenAPI description of /api/v1/practices/ beyond what drf-spectacular derives: the
filter parameters come from the PracticeFilterSet itself (django-filter support); here are
the facets in the envelope and CSV beside JSON.
"""

import functools

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter

from micic.api import Pagination
from micic.api.schema import AutoSchema

from ..search import FACET_NAMES, PracticePaginator

FORMAT = OpenApiParameter(
    "format",
    {"type": "string", "enum": ["json", "csv"]},
    OpenApiParameter.QUERY,
    description=_(
        "`csv` (or `Accept: text/csv`): every matching practice as CSV, not one page. "
        "A cell that begins with `=`, `+`, `-`, `@`, a tab or a carriage return is "
        "written with a leading `'`, so that spreadsheets show it as text."
    ),
)


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

    def paginate_search(self, search, request, view=None, *, prepare):
        """A page of a PracticeSearch, counted and cached as the HTML list does."""
        self.django_paginator_class = functools.partial(PracticePaginator, prepare=prepare)
        return self.paginate_queryset(search, request, view)

    def get_paginated_response_schema(self, schema):
        envelope = super().get_paginated_response_schema(schema)
        envelope["properties"]["facets"] = {
            "type": "object",
            "description": _("Only with ?facets=: counts per value of each requested facet."),
            "properties": {name: {"type": "array", "items": FACET_VALUE} for name in FACET_NAMES},
            "additionalProperties": False,
        }
        envelope["properties"]["relaxed"] = {
            "type": "boolean",
            "enum": [True],
            "description": _(
                "Only when no practice matches every word of `q`: the results then match some "
                "of the words (those matching more words first), never fewer filters. Without "
                "it, every result matches every word."
            ),
        }
        envelope["properties"]["matched_words"] = {
            "type": "array",
            "items": {"type": "string"},
            "description": _(
                "Only with `relaxed`: the words of `q` the first result matches (a phrase in "
                "quotes, alternatives joined by `or`); the other words are missing from it."
            ),
        }
        return envelope


class PracticeSchema(AutoSchema):
    """The practice list documents every filter, and CSV beside JSON."""

    def get_override_parameters(self):
        parameters = super().get_override_parameters()
        if getattr(self.view, "action", None) == "list":
            parameters = [*parameters, FORMAT]
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
