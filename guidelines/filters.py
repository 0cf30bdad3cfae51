"""Filters of the guideline collection (API: /api/v1/guidelines/?phase=)."""

import django_filters
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from .models import Guideline, Phase


class GuidelineFilterSet(django_filters.FilterSet):
    """`phase`: a phase slug; repeat it for any of several phases."""

    phase = extend_schema_field(OpenApiTypes.STR)(
        django_filters.ModelMultipleChoiceFilter(
            field_name="phase__slug",
            to_field_name="slug",
            queryset=Phase.objects.all(),
            label=_("Phase slug; repeat for any of several."),
            error_messages={"invalid_choice": _("“%(value)s” is not a known phase.")},
        )
    )

    class Meta:
        model = Guideline
        fields = ["phase"]
