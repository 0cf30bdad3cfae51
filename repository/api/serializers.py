"""Taxonomies, guidelines with their practice count, and published practices, as the API
shows them (docs/api.md). Fields are listed one by one: submitter contact, status and
moderation notes are never in a response.
"""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field, extend_schema_serializer
from rest_framework import serializers

from guidelines.api import serializers as guideline_api
from guidelines.api.serializers import AbsoluteURLField

from ..models import Country, CrisisType, Practice, Region, Stakeholder
from ..search import published_counts

# Taxonomies ------------------------------------------------------------------------------


class StakeholderSerializer(serializers.ModelSerializer):
    parent = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)

    class Meta:
        model = Stakeholder
        fields = ["slug", "name", "parent"]


class CrisisTypeSerializer(serializers.ModelSerializer):
    class Meta:
        model = CrisisType
        fields = ["slug", "name"]


class RegionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Region
        fields = ["slug", "name"]


class StakeholderTagSerializer(serializers.ModelSerializer):
    class Meta:
        model = Stakeholder
        fields = ["slug", "name"]


class CountrySerializer(serializers.ModelSerializer):
    class Meta:
        model = Country
        fields = ["code", "name"]


# Guidelines ------------------------------------------------------------------------------


class PracticeCountField(serializers.IntegerField):
    """A guideline's published practices, counted by the facet index."""

    def get_attribute(self, guideline):
        return published_counts("guideline").get(guideline.number, 0)


class GuidelineSerializer(guideline_api.GuidelineSerializer):
    practice_count = PracticeCountField(
        read_only=True, help_text=_("The number of published practices tagged with it.")
    )

    class Meta(guideline_api.GuidelineSerializer.Meta):
        fields = [*guideline_api.GuidelineSerializer.Meta.fields, "practice_count"]


# Practices -------------------------------------------------------------------------------


class SourceSerializer(serializers.Serializer):
    title = serializers.CharField(source="source_title", read_only=True)
    url = serializers.SerializerMethodField()

    @extend_schema_field({"type": "string", "format": "uri", "nullable": True})
    def get_url(self, practice) -> str | None:
        return practice.source_url or None


@extend_schema_field(OpenApiTypes.STR)
class MarkdownHTMLField(serializers.ReadOnlyField):
    """The sanitised HTML of the Markdown body."""


@extend_schema_serializer(component_name="PracticeListItem")
class PracticeListSerializer(serializers.ModelSerializer):
    """A practice in a list: everything but `body` and `body_html`."""

    url = serializers.HyperlinkedIdentityField(view_name="api:practice-detail")
    html_url = AbsoluteURLField(source="get_absolute_url")
    phases = guideline_api.PhaseTagSerializer(many=True, read_only=True)
    stakeholders = StakeholderTagSerializer(many=True, read_only=True)
    crisis_types = CrisisTypeSerializer(many=True, read_only=True)
    guidelines = guideline_api.GuidelineTagSerializer(many=True, read_only=True)
    principles = guideline_api.PrincipleTagSerializer(many=True, read_only=True)
    countries = CountrySerializer(many=True, read_only=True)
    regions = RegionSerializer(many=True, read_only=True)
    source = SourceSerializer(source="*", read_only=True)

    class Meta:
        model = Practice
        fields = [
            "id",
            "url",
            "html_url",
            "title",
            "slug",
            "summary",
            "phases",
            "stakeholders",
            "crisis_types",
            "guidelines",
            "principles",
            "countries",
            "regions",
            "year",
            "year_end",
            "organizations",
            "source",
            "published_at",
            "updated_at",
            "kind",
            "language",
        ]


@extend_schema_serializer(component_name="Practice")
class PracticeSerializer(PracticeListSerializer):
    """One practice, with its Markdown `body` and the sanitised `body_html`."""

    body_html = MarkdownHTMLField()

    class Meta(PracticeListSerializer.Meta):
        fields = [
            *PracticeListSerializer.Meta.fields[:6],
            "body",
            "body_html",
            *PracticeListSerializer.Meta.fields[6:],
        ]
