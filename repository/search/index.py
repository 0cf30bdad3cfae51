"""The tag index: for each tag value, the practices carrying it, as a bitset.

For each value of each tag dimension (``models.tags``: phase, stakeholder with its
children, crisis type, guideline, principle, country, kind) and of the derived ones
(region, year), the set of practices carrying it is kept as a bitset of practice ids — a
Python ``int`` with bit ``i`` set for practice ``i``. It is built once per content version
(``version``: every change to published content makes a new one), shared through the
cache and kept in each process. Counting a facet is then an AND of bitsets and a
``bit_count()``. At 100,000 practices the index takes a few MB and about a second to
build (docs/performance.md).
"""

import logging
import threading
from array import array
from collections import defaultdict
from dataclasses import dataclass, field

from ..models import Country, Practice, Region
from ..models.tags import TAGS, Tag
from . import version

logger = logging.getLogger(__name__)


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
    label: str
    members: int
    parent: str | None = None


def _tag_values(tag: Tag) -> list[Value]:
    """The values of a tag dimension with the practices of each, in display order."""
    members = defaultdict(list)
    if not tag.many:  # a choice field of Practice
        for pk, value in Practice.objects.values_list("pk", tag.field).order_by():
            members[value].append(pk)
        return [Value(value, label, bitset(members[value])) for value, label in tag.choices.choices]
    fk = f"{tag.model._meta.model_name}_id"
    rows = tag.through.objects.values_list(fk, "practice_id").order_by()
    for tag_id, practice_id in rows.iterator(chunk_size=20000):
        members[tag_id].append(practice_id)
    tags = tag.model.objects.all()
    if tag.hierarchical:
        tags = tags.select_related("parent")
    values = {
        obj.pk: Value(
            getattr(obj, tag.key),
            tag.label_of(obj),
            bitset(members.get(obj.pk, ())),
            parent=obj.parent.slug if tag.hierarchical and obj.parent else None,
        )
        for obj in tags
    }
    if tag.hierarchical:  # a parent stands for itself and its children
        for obj in tags:
            if obj.parent_id:
                values[obj.parent_id].members |= values[obj.pk].members
    return list(values.values())


@dataclass
class TagIndex:
    """Every facet's values with their practices as bitsets, for one content version."""

    published: int
    newest: array = field(default_factory=lambda: array("q"))  # published ids, newest first
    facets: dict[str, list[Value]] = field(default_factory=dict)
    _published_counts: dict[str, dict] = field(default_factory=dict, repr=False)

    @classmethod
    def build(cls) -> "TagIndex":
        newest = array("q", Practice.objects.published().recent().values_list("pk", flat=True))
        index = cls(published=bitset(newest), newest=newest)
        for tag in TAGS:
            index.facets[tag.param] = _tag_values(tag)
        countries = {value.value: value.members for value in index.facets["country"]}
        regions = defaultdict(int)
        for code, region_id in Country.objects.values_list("code", "region_id"):
            regions[region_id] |= countries.get(code, 0)
        index.facets["region"] = [
            Value(region.slug, region.name, regions[region.pk]) for region in Region.objects.all()
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

    def newest_of(self, name: str, values, count: int) -> dict[object, list[int]]:
        """The ids of the newest ``count`` published practices of each value of a facet
        (e.g. the newest practices of each guideline), in one walk of the newest-first ids."""
        pending = {}
        for item in self.facets[name]:
            if item.value in values:
                members = item.members & self.published
                raw = members.to_bytes((members.bit_length() + 7) // 8, "little")
                pending[item.value] = (raw, min(count, members.bit_count()))
        found = {value: [] for value in values}
        for pk in self.newest:
            if not pending:
                break
            for value, (raw, wanted) in list(pending.items()):
                byte = pk >> 3
                if byte < len(raw) and raw[byte] >> (pk & 7) & 1:
                    found[value].append(pk)
                if len(found[value]) >= wanted:
                    del pending[value]
        return found

    def years(self, low, high) -> int:
        found = 0
        for item in self.facets["year"]:
            if within(item.value, low, high):
                found |= item.members
        return found


def within(year, low, high) -> bool:
    return (low is None or year >= low) and (high is None or year <= high)


_local: tuple[str, TagIndex | None] = ("", None)  # this process's (cache key, index)
_building = threading.Lock()


def tag_index(key: str | None = None) -> TagIndex:
    """The index of the current content version: this process's, the cache's, or built."""
    global _local
    key = key or version.key("tag-index")
    local_key, index = _local
    if local_key == key:
        return index
    with _building:  # the threads of a worker wait for one build
        local_key, index = _local
        if local_key != key:
            index = version.get_or_build(key, TagIndex.build)
            _local = (key, index)
        return index


def published_counts(name: str) -> dict:
    """Published practices per value of a facet ({guideline number: count}), from the index."""
    return tag_index().published_counts(name)


def published_total() -> int:
    """How many practices are published."""
    return tag_index().published.bit_count()


def warm_up() -> None:
    """Load the current index into this process (from the shared cache in one read, or
    built) before it takes requests: a server calls it when a worker starts, so that a
    recycled worker never pays the build on a request's time (gunicorn.conf.py)."""
    from django.db import connections

    try:
        tag_index()
    except Exception:  # noqa: BLE001 - a worker that cannot warm up still serves
        logger.warning("The tag index could not be loaded before requests", exc_info=True)
    finally:
        connections.close_all()
