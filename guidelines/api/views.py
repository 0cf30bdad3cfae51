"""Read-only viewsets of phases, principles and guidelines.

A guideline's `practice_count` joins it to practices, so the guideline viewset that is routed
is repository.api.views.GuidelineViewSet, built on the one here (guidelines never imports
repository).
"""

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _
from rest_framework import viewsets

from micic.api.schema import AutoSchema, tag_parameter

from ..filters import GuidelineFilterSet
from ..models import Guideline, Phase, Principle
from .serializers import GuidelineSerializer, PhaseSerializer, PrincipleSerializer

NUMBER = r"[0-9]+"
SLUG = r"[-a-zA-Z0-9_]+"


class PhaseViewSet(viewsets.ReadOnlyModelViewSet):
    """The three crisis phases, each with its guidelines."""

    queryset = Phase.objects.prefetch_related(
        Prefetch("guidelines", queryset=Guideline.objects.only("id", "phase_id", "number", "title"))
    )
    serializer_class = PhaseSerializer
    lookup_field = "slug"
    lookup_value_regex = SLUG


class PrincipleViewSet(viewsets.ReadOnlyModelViewSet):
    """The 10 MICIC Principles."""

    queryset = Principle.objects.all()
    serializer_class = PrincipleSerializer
    lookup_field = "number"
    lookup_value_regex = NUMBER


class GuidelineSchema(AutoSchema):
    def get_override_parameters(self):
        parameters = super().get_override_parameters()
        if getattr(self.view, "action", None) == "list":
            description = _("Phase slug; repeat for any of several.")
            parameters.insert(0, tag_parameter("phase", description, Phase, "slug"))
        return parameters


class GuidelineViewSet(viewsets.ReadOnlyModelViewSet):
    """The 15 MICIC Guidelines; `?phase=` filters."""

    queryset = Guideline.objects.select_related("phase").order_by("number")
    serializer_class = GuidelineSerializer
    filterset_class = GuidelineFilterSet
    schema = GuidelineSchema()
    lookup_field = "number"
    lookup_value_regex = NUMBER
