"""The one FilterSet for practices, shared by the HTML list and the API.

A repeated parameter is OR (``?stakeholder=a&stakeholder=b``); different parameters are
AND. Bad values are errors naming the parameter; callers must check ``is_valid()``.
"""

import datetime as dt

import django_filters
from django import forms
from django.db import models
from django.utils.functional import lazy
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field

from . import search
from .models import Country, Practice, Region, Stakeholder
from .models.tags import TAGS, Tag
from .search import FACET_NAMES, ORDERINGS

# The one description of q: the search page's help, the form and the OpenAPI schema.
Q_HELP = _(
    'All the words you type must appear. Put words in "quotes" to find them side by side. '
    "Write or between two words to find either one (flood or storm). Put a minus sign before "
    "a word to leave it out (-training)."
)


class TagChoiceField(forms.ModelMultipleChoiceField):
    """Several slugs, numbers or codes; an unknown one is an error that names it."""

    def __init__(self, *args, normalize=None, **kwargs):
        self.normalize = normalize
        super().__init__(*args, **kwargs)

    def clean(self, value):
        if self.normalize and value:
            value = [self.normalize(v) if isinstance(v, str) else v for v in value]
        if value and self.to_field_name and self._numbered():
            # Not a number, or more digits than any tag's: unknown, before the database
            # is asked (SQLite cannot even bind a 40-digit integer).
            for item in value:
                if not str(item).isdigit() or len(str(item)) > 9:
                    raise forms.ValidationError(
                        self.error_messages["invalid_choice"],
                        code="invalid_choice",
                        params={"value": item},
                    )
        return super().clean(value)

    def _numbered(self) -> bool:
        field = self.queryset.model._meta.get_field(self.to_field_name)
        return isinstance(field, models.IntegerField)


# The same message naming ``%(pk)s``, still translated when shown.
_pk_message = lazy(lambda message: str(message).replace("%(value)s", "%(pk)s"), str)


class TagFilter(django_filters.ModelMultipleChoiceFilter):
    """Practices tagged with any of the values, without duplicate rows."""

    field_class = TagChoiceField

    def __init__(self, *args, label_unknown, normalize=None, **kwargs):
        # format_lazy: translated when shown, in the request's language, not at import.
        message = format_lazy(_("“%(value)s” is not a known {}."), label_unknown)
        kwargs.setdefault(
            "error_messages",
            {"invalid_choice": message, "invalid_pk_value": _pk_message(message)},
        )
        if normalize:
            kwargs["normalize"] = normalize
        super().__init__(*args, **kwargs)

    # The many-to-many field on Practice the values are tags of, when not field_name.
    m2m = None

    def tag_ids(self, values) -> list[int]:
        """The ids of the tags to look for (overridden to add children or countries)."""
        return [value.pk for value in values]

    def filter(self, qs, value):
        if not value:
            return qs
        # Resolved ids against the link table: no nested subquery of tags for the planner.
        m2m = getattr(Practice, self.m2m or self.field_name).field
        through = m2m.remote_field.through
        fk = f"{m2m.related_model._meta.model_name}_id"
        tagged = through.objects.filter(**{f"{fk}__in": self.tag_ids(value)})
        return qs.filter(pk__in=tagged.values("practice_id"))


class StakeholderFilter(TagFilter):
    """A parent stakeholder includes its children."""

    def tag_ids(self, values):
        ids = super().tag_ids(values)
        return list(
            Stakeholder.objects.filter(pk__in=ids).with_children().values_list("pk", flat=True)
        )


class RegionFilter(TagFilter):
    """Practices in any country of the regions."""

    m2m = "countries"

    def tag_ids(self, values):
        regions = super().tag_ids(values)
        return list(Country.objects.filter(region__in=regions).values_list("pk", flat=True))


class IntegerFilter(django_filters.NumberFilter):
    field_class = forms.IntegerField


class InstantField(django_filters.fields.IsoDateTimeField):
    """An ISO 8601 date-time that the database can compare: inside datetime's range in UTC."""

    def clean(self, value):
        value = super().clean(value)
        if value is not None:
            try:
                # In UTC: PostgreSQL refuses offsets beyond ±15:59 (ISO 8601 allows ±23:59).
                value = value.astimezone(dt.UTC)
            except OverflowError:
                raise forms.ValidationError(
                    _("Enter a date-time between the years 1 and 9999."), code="out_of_range"
                ) from None
        return value


class InstantFilter(django_filters.IsoDateTimeFilter):
    field_class = InstantField


class FacetListField(forms.CharField):
    """``facets=phase,stakeholder`` or ``facets=all``."""

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return []
        names = [name.strip() for name in value.split(",") if name.strip()]
        if "all" in names:
            return list(FACET_NAMES)
        unknown = [name for name in names if name not in FACET_NAMES]
        if unknown:
            raise forms.ValidationError(
                _("Unknown facet “%(name)s”. Use any of: %(names)s, or all."),
                params={"name": unknown[0], "names": ", ".join(FACET_NAMES)},
                code="invalid_choice",
            )
        return list(dict.fromkeys(names))


_FACET = "|".join(["all", *FACET_NAMES])


@extend_schema_field({"type": "string", "pattern": f"^({_FACET})(,({_FACET}))*$"})
class FacetsFilter(django_filters.CharFilter):
    """Not a filter: which facet counts to return. Declared here so it is validated."""

    field_class = FacetListField


def tag_filter(tag: Tag) -> django_filters.Filter:
    """The filter of a tag dimension (models.tags): repeated values are OR."""
    if not tag.many:
        return django_filters.MultipleChoiceFilter(
            field_name=tag.field,
            choices=tag.choices.choices,
            label=tag.label,
            help_text=tag.help,
            error_messages={
                "invalid_choice": _("“%(value)s” is not a known {}.").format(tag.unknown)
            },
        )
    kind = StakeholderFilter if tag.hierarchical else TagFilter
    return kind(
        field_name=tag.field,
        to_field_name=tag.key,
        queryset=tag.model.objects.all(),
        label=tag.label,
        help_text=tag.help,
        label_unknown=tag.unknown,
        normalize=str.upper if tag.upper else None,
    )


TagFilterSet = type(
    "TagFilterSet",
    (django_filters.FilterSet,),
    {tag.param: tag_filter(tag) for tag in TAGS},
)


class PracticeFilterSet(TagFilterSet):
    q = django_filters.CharFilter(
        method="filter_q", max_length=500, label=_("Search"), help_text=Q_HELP
    )
    region = RegionFilter(
        field_name="countries__region",
        to_field_name="slug",
        queryset=Region.objects.all(),
        label=_("Region"),
        label_unknown=_("region"),
        help_text=_("Region slug (see /api/v1/regions/): practices in any of its countries."),
    )
    year_min = IntegerFilter(
        field_name="year",
        lookup_expr="gte",
        label=_("From year"),
        help_text=_("Practices whose `year` is at least this (inclusive)."),
    )
    year_max = IntegerFilter(
        field_name="year",
        lookup_expr="lte",
        label=_("To year"),
        help_text=_("Practices whose `year` is at most this (inclusive)."),
    )
    updated_since = InstantFilter(
        field_name="updated_at",
        lookup_expr="gt",
        label=_("Updated since"),
        help_text=_("ISO 8601 date-time; practices changed strictly after it."),
    )
    ordering = django_filters.ChoiceFilter(
        method="filter_noop",
        choices=[(key, key) for key in ORDERINGS],
        empty_label=None,
        label=_("Sort by"),
        help_text=_(
            "`relevance` is the default with `q` (without `q` it orders like the default); "
            "`-published_at` is the default without."
        ),
        error_messages={
            "invalid_choice": format_lazy(
                _("“%(value)s” is not a known ordering. Use one of: {}."), ", ".join(ORDERINGS)
            )
        },
    )
    facets = FacetsFilter(
        method="filter_noop",
        label=_("Facets"),
        help_text=_(
            "Comma list of facets to count, or `all`: %(names)s. Each facet's counts apply "
            "every other active filter (disjunctive faceting)."
        )
        % {"names": ", ".join(FACET_NAMES)},
    )

    class Meta:
        model = Practice
        fields = []

    def filter_noop(self, queryset, name, value):
        return queryset

    def filter_q(self, queryset, name, value):
        return search.matching(queryset, value)


class CoverageFilterSet(PracticeFilterSet):
    """The practice filters of the coverage matrix (page and API): all but ordering and
    facets, and ``by``, the dimension of the columns."""

    ordering = None
    facets = None
    by = django_filters.ChoiceFilter(
        method="filter_noop",
        choices=[("stakeholder", "stakeholder"), ("region", "region")],
        empty_label=None,
        label=_("Columns"),
        help_text=_(
            "`stakeholder` (the default): guideline × stakeholder type; `region`: guideline "
            "× region."
        ),
        error_messages={
            "invalid_choice": _("“%(value)s” is not a known view. Use stakeholder or region.")
        },
    )
