"""Disjunctive facet counts and result counts for the practice FilterSet (page and API).

Each facet counts the practices matching every active filter except its own, so a user
can widen a selection without losing options. A practice counts once per value, and a
parent stakeholder counts the practices of its children too.

The counts come from a ``TagIndex``: for each tag value (phase, stakeholder with its
children, crisis type, guideline, principle, country, region, year) the set of practices
carrying it, kept as a bitset of practice ids — a Python ``int`` with bit ``i`` set for
practice ``i``. It is built once per content version (``repository.cache``: every change
to published content makes a new one), shared through the cache and kept in each
process. A request then needs at most one query, the ids of the published practices
matching ``q`` and ``updated_since``; every count is an AND of bitsets and a
``bit_count()``. At 100,000 practices the index takes a few MB and seconds to build, and a
request's facets milliseconds instead of seconds of SQL (docs/performance.md).
"""

import threading
from array import array
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import cache as django_cache
from django.utils.translation import get_language

from guidelines.models import Guideline, Phase, Principle

from . import cache
from .filters import PracticeFilterSet
from .models import Country, CrisisType, Practice, Region, Stakeholder

# facet name: (m2m field on Practice, tag model, value attribute, label attribute)
TAG_FACETS = {
    "phase": ("phases", Phase, "slug", "name"),
    "stakeholder": ("stakeholders", Stakeholder, "slug", "name"),
    "crisis_type": ("crisis_types", CrisisType, "slug", "name"),
    "guideline": ("guidelines", Guideline, "number", "title"),
    "principle": ("principles", Principle, "number", "title"),
    "country": ("countries", Country, "code", "name"),
}
# The parameters of a facet, left out when counting it; any other facet is its own.
OWN_FILTERS = {"year": ("year_min", "year_max")}
# Filters the index answers; the rest (q, updated_since) need the one query.
INDEXED_FILTERS = (*TAG_FACETS, "region", "year_min", "year_max")
SEARCH = ("q", "updated_since")
NOT_FILTERS = ("ordering", "facets")


def bitset(ids) -> int:
    """The set of these non-negative ids, as an int with those bits set."""
    ids = list(ids)
    raw = bytearray((max(ids, default=0) >> 3) + 1)
    for i in ids:
        raw[i >> 3] |= 1 << (i & 7)
    return int.from_bytes(raw, "little")


@dataclass
class Value:
    """One value of a facet, in display order: its URL value, label and practices."""

    value: object
    label: str | dict[str, str]  # a tag's label by language (_labels), a year's number
    members: int
    parent: str | None = None


@dataclass
class TagIndex:
    """Every facet's values with their practices as bitsets, for one content version."""

    published: int
    facets: dict[str, list[Value]] = field(default_factory=dict)
    _published_counts: dict[str, dict] = field(default_factory=dict, repr=False)

    @classmethod
    def build(cls) -> "TagIndex":
        index = cls(published=bitset(Practice.objects.published().values_list("pk", flat=True)))
        for name, (m2m, model, value_attr, label_attr) in TAG_FACETS.items():
            through = getattr(Practice, m2m).through
            fk = f"{model._meta.model_name}_id"
            members = defaultdict(list)
            rows = through.objects.values_list(fk, "practice_id").order_by()
            for tag_id, practice_id in rows.iterator(chunk_size=20000):
                members[tag_id].append(practice_id)
            tags = model.objects.all()
            if model is Stakeholder:
                tags = tags.select_related("parent").order_by("order", "name")
            values = {
                tag.pk: Value(
                    getattr(tag, value_attr),
                    _labels(tag, label_attr),
                    bitset(members.get(tag.pk, ())),
                    parent=tag.parent.slug if model is Stakeholder and tag.parent else None,
                )
                for tag in tags
            }
            if model is Stakeholder:  # a parent stands for itself and its children
                for tag in tags:
                    if tag.parent_id:
                        values[tag.parent_id].members |= values[tag.pk].members
            index.facets[name] = list(values.values())
        countries = {value.value: value.members for value in index.facets["country"]}
        regions = defaultdict(int)
        for code, region_id in Country.objects.values_list("code", "region_id"):
            regions[region_id] |= countries.get(code, 0)
        index.facets["region"] = [
            Value(region.slug, _labels(region, "name"), regions[region.pk])
            for region in Region.objects.all()
        ]
        years = defaultdict(list)
        for pk, year in Practice.objects.filter(year__isnull=False).values_list("pk", "year"):
            years[year].append(pk)
        index.facets["year"] = [
            Value(year, str(year), bitset(years[year])) for year in sorted(years, reverse=True)
        ]
        return index

    def published_counts(self, name: str) -> dict:
        """Published practices per value of a facet, e.g. {guideline number: count}."""
        if name not in self._published_counts:
            self._published_counts[name] = {
                v.value: (v.members & self.published).bit_count() for v in self.facets[name]
            }
        return self._published_counts[name]

    def members(self, name: str, values) -> int:
        """The practices with any of these values of a facet."""
        wanted = {str(value) for value in values}
        found = 0
        for item in self.facets[name]:
            if str(item.value) in wanted:
                found |= item.members
        return found

    def years(self, low, high) -> int:
        found = 0
        for item in self.facets["year"]:
            if _within(item.value, low, high):
                found |= item.members
        return found


_local: tuple[str, TagIndex | None] = ("", None)  # this process's (cache key, index)
_building = threading.Lock()


def tag_index() -> TagIndex:
    """The index of the current content version: this process's, the cache's, or built."""
    global _local
    key = cache.key("tag-index")
    local_key, index = _local
    if local_key == key:
        return index
    with _building:  # the threads of a worker wait for one build
        local_key, index = _local
        if local_key != key:
            index = cache.get_or_build(key, TagIndex.build)
            _local = (key, index)
        return index


@dataclass
class Matches:
    """The published practices matching ``q`` and ``updated_since``, whatever the filters."""

    members: int  # as a bitset
    ranked: array | None  # their ids by relevance, when q has words to rank by


def matches(filterset: PracticeFilterSet) -> Matches | None:
    """The one query of a search, cached per content version; None without q/updated_since.

    Relevance depends on the words alone, so one ranked list serves every combination of
    filters and every page of a search: a filter or a page only selects from it.
    """
    searched = [(name, values) for name, values in normalised_query(filterset) if name in SEARCH]
    if not searched:
        return None

    def build():
        without = (*INDEXED_FILTERS, *NOT_FILTERS)
        if filterset.has_search:
            ranked = array("q", filterset.ranked(without=without).values_list("pk", flat=True))
            return Matches(bitset(ranked), ranked)
        ids = filterset.unordered(without=without).values_list("pk", flat=True)
        return Matches(bitset(ids), None)

    return cache.get_or_build(cache.key("matches", tuple(searched)), build)


class Counter:
    """The bitsets of one valid, bound FilterSet: what matches, and what each filter allows."""

    def __init__(self, filterset: PracticeFilterSet):
        self.filterset = filterset
        self.index = index = tag_index()
        data = filterset.form.cleaned_data
        self.matches = matches(filterset)
        self.base = index.published if self.matches is None else self.matches.members
        self.selected = {}
        self.active = {}
        for name in (*TAG_FACETS, "region"):
            if data.get(name):
                attr = "slug" if name == "region" else TAG_FACETS[name][2]
                self.selected[name] = {str(getattr(tag, attr)) for tag in data[name]}
                self.active[(name,)] = index.members(name, self.selected[name])
        low, high = data.get("year_min"), data.get("year_max")
        if low is not None or high is not None:
            self.active[OWN_FILTERS["year"]] = index.years(low, high)

    def ranked_ids(self, bottom: int, top: int | None) -> list[int]:
        """Results ``bottom`` to ``top`` (None: the end) by relevance: the ranked matches
        within the filters."""
        scope = self.scope()
        raw = scope.to_bytes((scope.bit_length() + 7) // 8, "little")
        found, seen = [], 0
        for pk in self.matches.ranked:
            byte = pk >> 3
            if byte < len(raw) and raw[byte] >> (pk & 7) & 1:
                if seen >= bottom:
                    found.append(pk)
                seen += 1
                if top is not None and seen >= top:
                    break
        return found

    def scope(self, without=()) -> int:
        """The matching practices, ignoring the filters named in ``without``."""
        found = self.base
        for names, members in self.active.items():
            if not set(names) & set(without):
                found &= members
        return found

    def count(self) -> int:
        return self.scope().bit_count()

    def facet(self, name: str) -> list[dict]:
        scope = self.scope(without=OWN_FILTERS.get(name, (name,)))
        if name == "year":
            return self._years(scope)
        selected = self.selected.get(name, set())
        items = []
        for v in self.index.facets[name]:
            count, chosen = (scope & v.members).bit_count(), str(v.value) in selected
            if count or chosen:
                items.append(_item(v.value, _label(v.label), count, chosen))
                if name == "stakeholder":
                    items[-1]["parent"] = v.parent
        if name == "country":
            items.sort(key=lambda item: (-item["count"], item["label"]))
        return items

    def _years(self, scope):
        data = self.filterset.form.cleaned_data
        low, high = data.get("year_min"), data.get("year_max")
        bounded = low is not None or high is not None
        items = []
        for v in self.index.facets["year"]:
            count = (scope & v.members).bit_count()
            if count:
                items.append(
                    _item(v.value, v.label, count, bounded and _within(v.value, low, high))
                )
        return items


def counter(filterset: PracticeFilterSet) -> Counter:
    """The Counter of a FilterSet, made once per request."""
    found = getattr(filterset, "_counter", None)
    if found is None:
        found = filterset._counter = Counter(filterset)
    return found


def published_counts(name: str) -> dict:
    """Published practices per value of a facet ({guideline number: count}), from the index."""
    return tag_index().published_counts(name)


def published_total() -> int:
    """How many practices are published."""
    return tag_index().published.bit_count()


def compute_facets(filterset: PracticeFilterSet, names) -> dict[str, list[dict]]:
    """Counts for each requested facet, in the API's shape; cached per content version."""
    query = normalised_query(filterset)
    version = cache.content_version()
    language = get_language()  # the labels are in it
    keys = {name: cache.key("facet", name, query, language, version=version) for name in names}
    found = django_cache.get_many(list(keys.values()))
    computed = {name: counter(filterset).facet(name) for name in names if keys[name] not in found}
    django_cache.set_many({keys[name]: value for name, value in computed.items()}, cache.TIMEOUT)
    return {name: found.get(keys[name], computed.get(name)) for name in names}


def count_matches(filterset: PracticeFilterSet) -> int:
    """How many published practices match: the result count, cached per content version."""
    key = cache.key("count", normalised_query(filterset))
    count = django_cache.get(key)
    if count is None:
        count = counter(filterset).count()
        django_cache.set(key, count, cache.TIMEOUT)
    return count


def normalised_query(filterset: PracticeFilterSet) -> tuple:
    """The filtering parameters, order-independent; not ordering, paging or facets."""
    data = filterset.data
    params = []
    for name in sorted(filterset.filters):
        if name in NOT_FILTERS:
            continue
        values = data.getlist(name) if hasattr(data, "getlist") else [data.get(name)]
        values = sorted(str(v).upper() if name == "country" else str(v) for v in values if v)
        if values:
            params.append((name, tuple(values)))
    return tuple(params)


def _within(year, low, high) -> bool:
    return (low is None or year >= low) and (high is None or year <= high)


def _labels(tag, attr: str) -> dict[str, str]:
    """A tag's label in every interface language; English where a language has none."""
    english = getattr(tag, f"{attr}_{settings.LANGUAGE_CODE}")
    return {code: getattr(tag, f"{attr}_{code}") or english for code, _name in settings.LANGUAGES}


def _label(label) -> str:
    """A label in the active language."""
    if isinstance(label, dict):
        return label.get(get_language(), label[settings.LANGUAGE_CODE])
    return label


def _item(value, label, count, selected):
    return {"value": value, "label": label, "count": count, "selected": selected}
