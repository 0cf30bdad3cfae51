"""The one FilterSet for practices, shared by the HTML list and the API.

A repeated parameter is OR (``?stakeholder=a&stakeholder=b``); different parameters are
AND. Bad values are errors naming the parameter; callers must check ``is_valid()``.
"""

import datetime as dt

import django_filters
from django import forms
from django.utils.functional import lazy
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from guidelines.models import Guideline, Phase, Principle

from . import search
from .models import Country, CrisisType, Practice, Region, Stakeholder

ORDERINGS = {
    "relevance": None,  # rank with q; the default order without
    "-published_at": ("-published_at", "-pk"),
    "published_at": ("published_at", "pk"),
    "title": ("title", "pk"),
    "-title": ("-title", "-pk"),
    "year": ("year", "title", "pk"),
    "-year": ("-year", "title", "pk"),
}
DEFAULT_ORDERING = "-published_at"
RELEVANCE = ("-search_rank", *ORDERINGS[DEFAULT_ORDERING])  # ties: the newest first
FACET_NAMES = (
    "phase",
    "stakeholder",
    "crisis_type",
    "guideline",
    "principle",
    "country",
    "region",
    "year",
)


class TagChoiceField(forms.ModelMultipleChoiceField):
    """Several slugs, numbers or codes; an unknown one is an error that names it."""

    def __init__(self, *args, normalize=None, **kwargs):
        self.normalize = normalize
        super().__init__(*args, **kwargs)

    def clean(self, value):
        if self.normalize and value:
            value = [self.normalize(v) if isinstance(v, str) else v for v in value]
        return super().clean(value)


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
                value.astimezone(dt.UTC)
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


class FacetsFilter(django_filters.CharFilter):
    """Not a filter: which facet counts to return. Declared here so it is validated."""

    field_class = FacetListField


class PracticeFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(
        method="filter_q",
        max_length=500,
        label=_("Search"),
        help_text=_(
            'Words to find. Use "quotes" for a phrase, or between words, -word to exclude.'
        ),
    )
    phase = TagFilter(
        field_name="phases",
        to_field_name="slug",
        queryset=Phase.objects.all(),
        label=_("Crisis phase"),
        label_unknown=_("phase"),
    )
    stakeholder = StakeholderFilter(
        field_name="stakeholders",
        to_field_name="slug",
        queryset=Stakeholder.objects.all(),
        label=_("Stakeholder"),
        label_unknown=_("stakeholder"),
    )
    crisis_type = TagFilter(
        field_name="crisis_types",
        to_field_name="slug",
        queryset=CrisisType.objects.all(),
        label=_("Crisis type"),
        label_unknown=_("crisis type"),
    )
    guideline = TagFilter(
        field_name="guidelines",
        to_field_name="number",
        queryset=Guideline.objects.all(),
        label=_("Guideline"),
        label_unknown=_("guideline number"),
    )
    principle = TagFilter(
        field_name="principles",
        to_field_name="number",
        queryset=Principle.objects.all(),
        label=_("Principle"),
        label_unknown=_("principle number"),
    )
    country = TagFilter(
        field_name="countries",
        to_field_name="code",
        queryset=Country.objects.all(),
        label=_("Country"),
        label_unknown=_("ISO 3166-1 alpha-2 country code"),
        normalize=str.upper,
    )
    region = RegionFilter(
        field_name="countries__region",
        to_field_name="slug",
        queryset=Region.objects.all(),
        label=_("Region"),
        label_unknown=_("region"),
    )
    year_min = IntegerFilter(field_name="year", lookup_expr="gte", label=_("From year"))
    year_max = IntegerFilter(field_name="year", lookup_expr="lte", label=_("To year"))
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
        error_messages={
            "invalid_choice": format_lazy(
                _("“%(value)s” is not a known ordering. Use one of: {}."), ", ".join(ORDERINGS)
            )
        },
    )
    facets = FacetsFilter(method="filter_noop", label=_("Facets"))

    class Meta:
        model = Practice
        fields = []

    def filter_noop(self, queryset, name, value):
        return queryset

    def filter_q(self, queryset, name, value):
        return search.search(queryset, value, rank=self._rank)

    _rank = True

    @property
    def search_text(self) -> str:
        return (self.form.cleaned_data.get("q") or "").strip() if self.is_bound else ""

    @property
    def ordering_key(self) -> str:
        key = self.form.cleaned_data.get("ordering") or "relevance"
        if key == "relevance" and not self.has_search:
            return DEFAULT_ORDERING
        return key

    def facet_names(self) -> list[str]:
        return self.form.cleaned_data.get("facets") or []

    def filter_queryset(self, queryset):
        return self._order(super().filter_queryset(queryset))

    def _order(self, queryset):
        key = self.ordering_key
        return queryset.order_by(*(RELEVANCE if key == "relevance" else ORDERINGS[key]))

    @property
    def has_search(self) -> bool:
        """Whether ``q`` holds words to match and rank by."""
        return bool(search.parse_query(self.search_text).clauses)

    def _filtered(self, without, *, rank: bool):
        queryset = self.queryset
        self._rank = rank
        try:
            for name, value in self.form.cleaned_data.items():
                if name not in without:
                    queryset = self.filters[name].filter(queryset, value)
        finally:
            self._rank = True
        return queryset

    def unordered(self, *, without=()):
        """The matching practices, unranked and unordered, ignoring some filters (facets)."""
        return self._filtered(without, rank=False).order_by()

    def ranked(self, *, without=()):
        """The matching practices by relevance, ignoring some filters; needs ``has_search``."""
        return self._filtered(without, rank=True).order_by(*RELEVANCE)

    def active_values(self, name: str) -> list[str]:
        """The raw values given for a parameter, as strings (for selected state)."""
        if not self.is_bound:
            return []
        values = self.data.getlist(name) if hasattr(self.data, "getlist") else []
        if name == "country":
            values = [v.upper() for v in values]
        return [v for v in values if v != ""]
