"""Read-only viewsets of taxonomies, guidelines with practice counts, and published practices.

Every practice starts from ``Practice.objects.published()``; the list is filtered by the same
``PracticeFilterSet`` as the HTML page /practices/, and its counts, pages and facets come
from ``PracticeSearch``.
"""

from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext_lazy as _
from django_filters.utils import translate_validation
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import renderers, viewsets

from guidelines.api import views as guidelines

from ..filters import PracticeFilterSet
from ..models import CrisisType, Practice, PracticeQuerySet, Region, Stakeholder
from ..search import PracticeSearch
from .exports import csv_response
from .schema import PracticePagination, PracticeSchema
from .serializers import (
    CrisisTypeSerializer,
    GuidelineSerializer,
    PracticeListSerializer,
    PracticeSerializer,
    RegionSerializer,
    StakeholderSerializer,
)


class StakeholderViewSet(viewsets.ReadOnlyModelViewSet):
    """Stakeholder types, in a two-level tree: `parent` is the parent's slug or null."""

    queryset = Stakeholder.objects.select_related("parent")
    serializer_class = StakeholderSerializer
    lookup_field = "slug"
    lookup_value_regex = guidelines.SLUG


class CrisisTypeViewSet(viewsets.ReadOnlyModelViewSet):
    """Kinds of crisis."""

    queryset = CrisisType.objects.all()
    serializer_class = CrisisTypeSerializer
    lookup_field = "slug"
    lookup_value_regex = guidelines.SLUG


class RegionViewSet(viewsets.ReadOnlyModelViewSet):
    """World regions; a practice's regions are those of its countries."""

    queryset = Region.objects.all()
    serializer_class = RegionSerializer
    lookup_field = "slug"
    lookup_value_regex = guidelines.SLUG


class GuidelineViewSet(guidelines.GuidelineViewSet):
    """The 15 MICIC Guidelines with their number of published practices; `?phase=` filters."""

    serializer_class = GuidelineSerializer


class CSVRenderer(renderers.BaseRenderer):
    """Chosen by ?format=csv or Accept: text/csv; the list then streams its own response."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        raise NotImplementedError("The practice list streams CSV itself.")


@extend_schema_view(
    list=extend_schema(summary=_("Published practices, filtered, paginated; or all as CSV")),
    retrieve=extend_schema(summary=_("One published practice")),
)
class PracticeViewSet(viewsets.ReadOnlyModelViewSet):
    """Published practices. Any other status is a 404."""

    serializer_class = PracticeSerializer
    # DjangoFilterBackend builds and validates the FilterSet (and drf-spectacular documents
    # its parameters); the list hands it to a PracticeSearch rather than filtering SQL.
    filterset_class = PracticeFilterSet
    pagination_class = PracticePagination
    schema = PracticeSchema()
    lookup_value_regex = guidelines.NUMBER
    csv_filename = "micic-practices.csv"

    def get_queryset(self):
        return Practice.objects.published().for_detail()

    def get_serializer_class(self):
        return PracticeListSerializer if self.action == "list" else PracticeSerializer

    def get_renderers(self):
        if self.action == "list":
            return [renderers.JSONRenderer(), CSVRenderer()]
        return super().get_renderers()

    def filter_queryset(self, queryset):
        # A practice is looked up by id alone: the filters are the list's.
        return queryset

    def get_search(self) -> PracticeSearch:
        """The search the query string asks for; a bad parameter is a 400 naming it."""
        backend = self.filter_backends[0]()
        filterset = backend.get_filterset(self.request, Practice.objects.published(), self)
        if not filterset.is_valid():
            raise translate_validation(filterset.errors)
        return PracticeSearch(filterset)

    def list(self, request, *args, **kwargs):
        search = self.get_search()
        if request.accepted_renderer.format == CSVRenderer.format:
            return csv_response(search, request, filename=self.csv_filename)
        page = self.paginator.paginate_search(
            search, request, self, prepare=PracticeQuerySet.for_detail
        )
        results = self.get_serializer(page, many=True).data
        facets = search.facets() if search.facet_names else None
        response = self.paginator.get_paginated_response(results, facets=facets)
        if search.relaxed:
            # No practice matches every word: the results match some (never fewer filters).
            response.data["relaxed"] = True
            response.data["matched_words"] = search.matched_words
        return response

    def finalize_response(self, request, response, *args, **kwargs):
        if getattr(response, "exception", False) and isinstance(
            getattr(request, "accepted_renderer", None), CSVRenderer
        ):
            # Errors are JSON, even to a client that asked for CSV.
            request.accepted_renderer = renderers.JSONRenderer()
            request.accepted_media_type = request.accepted_renderer.media_type
        response = super().finalize_response(request, response, *args, **kwargs)
        if self.action == "list":
            patch_vary_headers(response, ["Accept"])
        return response
