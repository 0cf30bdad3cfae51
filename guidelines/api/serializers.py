"""Phases, principles and guidelines as the API shows them (docs/api.md)."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ..models import Guideline, Phase, Principle


@extend_schema_field(OpenApiTypes.URI)
class AbsoluteURLField(serializers.ReadOnlyField):
    """A site path (e.g. from get_absolute_url) as an absolute URL on the requested host."""

    def to_representation(self, value):
        request = self.context.get("request")
        return request.build_absolute_uri(value) if request is not None else value


class PhaseTagSerializer(serializers.ModelSerializer):
    class Meta:
        model = Phase
        fields = ["slug", "name"]


class GuidelineTagSerializer(serializers.ModelSerializer):
    class Meta:
        model = Guideline
        fields = ["number", "title"]


class PrincipleTagSerializer(serializers.ModelSerializer):
    class Meta:
        model = Principle
        fields = ["number", "title"]


class PhaseSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:phase-detail", lookup_field="slug")
    html_url = AbsoluteURLField(source="get_absolute_url")
    guidelines = GuidelineTagSerializer(many=True, read_only=True)

    class Meta:
        model = Phase
        fields = ["url", "html_url", "slug", "name", "order", "description", "guidelines"]


class PrincipleSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(
        view_name="api:principle-detail", lookup_field="number"
    )
    html_url = AbsoluteURLField(source="get_absolute_url")

    class Meta:
        model = Principle
        fields = ["url", "html_url", "number", "slug", "title", "statement", "summary", "body"]


class GuidelineSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(
        view_name="api:guideline-detail", lookup_field="number"
    )
    html_url = AbsoluteURLField(source="get_absolute_url")
    phase = PhaseTagSerializer(read_only=True)

    class Meta:
        model = Guideline
        fields = [
            "url",
            "html_url",
            "number",
            "slug",
            "title",
            "short_title",
            "thematic_area",
            "phase",
            "summary",
            "body",
        ]
