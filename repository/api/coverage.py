"""/api/v1/coverage/: the coverage matrix as JSON; /api/v1/countries/: the countries.

The matrix is ``search.coverage.Coverage``, as on the page /coverage/: counts of published
practices per guideline × stakeholder (``?by=region``: × region) after the practice
filters given, each with the URL of the /api/v1/practices/ query that lists it.
"""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_filters.utils import translate_validation
from drf_spectacular.utils import extend_schema, extend_schema_serializer, extend_schema_view
from rest_framework import serializers, viewsets
from rest_framework.response import Response

from ..filters import CoverageFilterSet
from ..models import Country, Practice
from ..search import PracticeSearch
from ..search.coverage import Coverage
from .serializers import RegionSerializer


class CountryDetailSerializer(serializers.ModelSerializer):
    region = RegionSerializer(read_only=True)

    class Meta:
        model = Country
        fields = ["code", "name", "region"]


class CountryViewSet(viewsets.ReadOnlyModelViewSet):
    """Countries and territories (ISO 3166-1 alpha-2 `code`), each with its region."""

    queryset = Country.objects.select_related("region")
    serializer_class = CountryDetailSerializer
    lookup_field = "code"
    lookup_value_regex = "[A-Za-z]{2}"

    def get_object(self):
        self.kwargs[self.lookup_field] = self.kwargs[self.lookup_field].upper()
        return super().get_object()


class CellSerializer(serializers.Serializer):
    count = serializers.IntegerField(min_value=0)
    url = serializers.URLField(help_text=_("The /api/v1/practices/ query that lists them."))


class CoverageRowSerializer(CellSerializer):
    number = serializers.IntegerField(help_text=_("The guideline's number."))
    title = serializers.CharField()
    phase = serializers.DictField(child=serializers.CharField(), help_text=_("slug and name"))


class CoverageColumnSerializer(CellSerializer):
    slug = serializers.CharField()
    name = serializers.CharField()
    parent = serializers.CharField(
        allow_null=True, help_text=_("Stakeholders: the parent's slug; its count includes them.")
    )


@extend_schema_serializer(many=False)  # one matrix, though the view is a list
class CoverageSerializer(serializers.Serializer):
    by = serializers.ChoiceField(choices=["stakeholder", "region"])
    count = serializers.IntegerField(help_text=_("All the practices the filters match."))
    url = serializers.URLField()
    rows = CoverageRowSerializer(
        many=True, help_text=_("Guidelines, by phase; `count`: the guideline's practices.")
    )
    columns = CoverageColumnSerializer(many=True)
    cells = serializers.ListField(
        child=CellSerializer(many=True),
        help_text=_("cells[i][j]: the practices of rows[i] and columns[j]."),
    )


@extend_schema_view(
    list=extend_schema(
        summary=_("Published practices per guideline × stakeholder (or × region)"),
        responses=CoverageSerializer,
    )
)
class CoverageViewSet(viewsets.GenericViewSet):
    """Counts of published practices for every guideline × stakeholder pair (`?by=region`:
    guideline × region), after the practice filters given. Each count equals the `count`
    of the /api/v1/practices/ query in its `url`."""

    filterset_class = CoverageFilterSet
    pagination_class = None
    serializer_class = CoverageSerializer

    def get_queryset(self):
        return Practice.objects.published()

    def list(self, request, *args, **kwargs):
        backend = self.filter_backends[0]()
        filterset = backend.get_filterset(request, self.get_queryset(), self)
        if not filterset.is_valid():
            raise translate_validation(filterset.errors)
        by = filterset.form.cleaned_data.get("by") or "stakeholder"
        coverage = Coverage(PracticeSearch(filterset), by)
        base = request.build_absolute_uri(reverse("api:practice-list"))

        def cell(found) -> dict:
            return {"count": found.count, "url": f"{base}?{found.query}" if found.query else base}

        columns = [
            {"slug": c.value, "name": c.label, "parent": c.parent, **cell(c.total)}
            for c in coverage.columns
        ]
        rows, cells = [], []
        for group in coverage.groups:
            for row in group.rows:
                phase = {"slug": group.slug, "name": group.name}
                rows.append({"number": row.number, "title": row.title, "phase": phase})
                rows[-1].update(cell(row.total))
                cells.append([cell(found) for found in row.cells])
        data = {
            "by": by,
            "count": coverage.total,
            "url": cell(coverage.corner)["url"],
            "rows": rows,
            "columns": columns,
            "cells": cells,
        }
        return Response(data)
