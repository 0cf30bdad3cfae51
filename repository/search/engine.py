"""One search of the published practices, as a page, the API, an export or a feed asks it.

``PracticeSearch`` is built once per request from a valid, bound ``PracticeFilterSet``. It
parses ``q`` once and reads the content version once, and answers everything its callers
need: ``count``, ``ids()``, ``rows()``, ``facets()``, ``snippets()``, ``suggestion``.

How: the filters on tags and years are answered by the tag index (``index``: bitsets per
content version). ``q`` and ``updated_since`` need the database: one query per search
words and content version gives the matching ids and the first PREFIX of them by
relevance, top-k (``matches``: the database sorts no further), cached and shared by every
combination of filters and every page of that search. Counts and facets are ANDs of
bitsets. A first page by relevance is the ranked prefix walked through the filters; when
the filters leave too few of it, the database ranks the filtered practices top-k
(``backend().ranked_ids`` with a limit). The whole ranking of the words is built only for
deep pages and exports. A page in another order comes from SQL, cached under the query.
"""

from array import array
from dataclasses import dataclass
from functools import cached_property

from django.core.cache import cache as django_cache
from django.db import connection
from django.db.models import F
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from ..models import Practice, PracticeQuerySet
from ..models.tags import TAGS
from . import version
from .index import TagIndex, bitset, tag_index, within
from .query import ParsedQuery, parse_query

ORDERINGS = {
    "relevance": None,  # rank with q; the default order without
    "-published_at": ("-published_at", "-pk"),
    "published_at": ("published_at", "pk"),
    "title": ("title", "pk"),
    "-title": ("-title", "-pk"),
    # The practice's own years; practices without a year last, either way.
    "year": (F("year").asc(nulls_last=True), "title", "pk"),
    "-year": (F("year").desc(nulls_last=True), "title", "pk"),
    # For partners that sync with updated_since.
    "updated_at": ("updated_at", "pk"),
    "-updated_at": ("-updated_at", "-pk"),
}
DEFAULT_ORDERING = "-published_at"
# Facets: every tag dimension, and the derived region and year.
FACET_NAMES = (
    *(t.param for t in TAGS if t.many),
    "region",
    "year",
    *(t.param for t in TAGS if not t.many),
)
# The parameters of a facet, left out when counting it; any other facet is its own.
OWN_FILTERS = {"year": ("year_min", "year_max")}
SEARCHED = ("q", "updated_since")  # the filters the database answers
# The best-ranked matches of search words kept with them (the first pages of most filters).
PREFIX = 1000
# Pages by relevance ending at most this far are ranked top-k, not from the whole ranking.
TOP_K = 200
NOT_FILTERS = ("ordering", "facets")

# Highlight markers: control characters no practice text contains; escaped text is
# then given <mark> tags, so user content never becomes markup.
MARK_START, MARK_END = "\x02", "\x03"


def backend():
    if connection.vendor == "postgresql":
        from . import postgres as found
    else:
        from . import sqlite as found
    return found


def highlight(fragment: str) -> SafeString:
    html = escape(fragment).replace(MARK_START, "<mark>").replace(MARK_END, "</mark>")
    return mark_safe(html)  # noqa: S308 - escaped above, only <mark> added


@dataclass
class Matches:
    """The published practices matching ``q`` and ``updated_since``, whatever the filters."""

    members: int  # as a bitset
    ranked: array | None  # the first PREFIX by relevance, when q has words to rank by
    complete: bool = False  # whether ``ranked`` holds them all


def normalised_query(filterset) -> tuple:
    """The filtering parameters of a FilterSet's query, order-independent; not ordering,
    paging or facets."""
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


class PracticeSearch:
    """One search: a valid, bound ``PracticeFilterSet`` in; counts, pages, facets out."""

    def __init__(self, filterset, *, ordering: str | None = None):
        if filterset.errors:
            raise ValueError("PracticeSearch needs a valid FilterSet")
        self.filterset = filterset
        self.data = data = filterset.form.cleaned_data
        self.text = (data.get("q") or "").strip()
        self.query: ParsedQuery = parse_query(self.text)
        self.params = normalised_query(filterset)
        self.version = version.content_version()
        key = ordering or data.get("ordering") or "relevance"
        if key == "relevance" and not self.query.clauses:
            key = DEFAULT_ORDERING
        self.ordering = key
        self.facet_names = data.get("facets") or []

    # -- keys and the index ---------------------------------------------------------------

    def cache_key(self, kind: str, *parts) -> str:
        """A key for a value derived from this search, under this request's content version."""
        return version.key(kind, self.params, *parts, version=self.version)

    @cached_property
    def index(self) -> TagIndex:
        return tag_index(version.key("tag-index", version=self.version))

    @cached_property
    def matches(self) -> Matches | None:
        """The one query of a search, cached per content version; None without q and
        updated_since. Relevance depends on the words alone, so one ranked list serves
        every combination of filters and every page of a search."""
        searched = tuple((name, values) for name, values in self.params if name in SEARCHED)
        if not searched:
            return None

        def build():
            queryset = self._since(Practice.objects.published())
            if self.query.clauses:
                found, ranked = backend().matches(queryset, self.query, PREFIX)
                return Matches(bitset(found), array("q", ranked), len(ranked) == len(found))
            queryset = self._searched(queryset)
            return Matches(bitset(queryset.order_by().values_list("pk", flat=True)), None)

        return version.get_or_build(version.key("matches", searched, version=self.version), build)

    def _since(self, queryset):
        since = self.data.get("updated_since")
        if since is not None:
            queryset = self.filterset.filters["updated_since"].filter(queryset, since)
        return queryset

    def _searched(self, queryset):
        """``queryset`` narrowed by q and updated_since (the filters the index can't answer)."""
        queryset = self._since(queryset)
        return backend().search(queryset, self.query) if self.query else queryset

    @cached_property
    def _active(self) -> dict[tuple, int]:
        """{filter names: the practices they allow} for the active filters the index answers."""
        active = {}
        for name in (*(t.param for t in TAGS), "region"):
            if self.data.get(name):
                active[(name,)] = self.index.members(name, self.selected(name))
        low, high = self.data.get("year_min"), self.data.get("year_max")
        if low is not None or high is not None:
            active[OWN_FILTERS["year"]] = self.index.years(low, high)
        return active

    def selected(self, name: str) -> set[str]:
        """The values chosen for a tag parameter, as the index keys them."""
        tag = next((t for t in TAGS if t.param == name), None)
        chosen = self.data.get(name) or []
        if tag is None:  # region
            return {str(obj.slug) for obj in chosen}
        return {str(value if not tag.many else getattr(value, tag.key)) for value in chosen}

    def scope(self, without=()) -> int:
        """The matching practices as a bitset, ignoring the filters named in ``without``."""
        found = self.index.published if self.matches is None else self.matches.members
        for names, members in self._active.items():
            if not set(names) & set(without):
                found &= members
        return found

    # -- what callers ask -----------------------------------------------------------------

    @cached_property
    def count(self) -> int:
        """How many published practices match, cached per content version."""
        key = self.cache_key("count")
        count = django_cache.get(key)
        if count is None:
            count = self.scope().bit_count()
            django_cache.set(key, count, version.TIMEOUT)
        return count

    def _filtered(self):
        """The published practices every filter but ``q`` allows, in SQL."""
        queryset = Practice.objects.published()
        for name, value in self.data.items():
            if name != "q":
                queryset = self.filterset.filters[name].filter(queryset, value)
        return queryset

    def queryset(self):
        """The matching published practices in SQL, in this search's order (relevance:
        the default order)."""
        queryset = self._filtered()
        if self.query:
            queryset = backend().search(queryset, self.query)
        return queryset.order_by(*(ORDERINGS[self.ordering] or ORDERINGS[DEFAULT_ORDERING]))

    def sql_ids(self) -> list[int]:
        """Every result's id in order, from SQL alone (no index, no cache): what ``ids()``
        must equal."""
        if self.ordering == "relevance":
            return backend().ranked_ids(self._filtered(), self.query)
        return list(self.queryset().values_list("pk", flat=True))

    def ids(self, bottom: int = 0, top: int | None = None) -> list[int]:
        """The ids of results ``bottom`` to ``top`` (None: all), in order. A page's ids in an
        order other than relevance are cached."""
        if self.ordering == "relevance":
            return self._ranked_ids(bottom, top)
        if top is None:
            return list(self.queryset().values_list("pk", flat=True)[bottom:])
        key = self.cache_key("page", self.ordering, bottom, top)
        ids = django_cache.get(key)
        if ids is None:
            ids = list(self.queryset().values_list("pk", flat=True)[bottom:top])
            django_cache.set(key, ids, version.TIMEOUT)
        return ids

    def _ranked_ids(self, bottom: int, top: int | None) -> list[int]:
        """Results ``bottom`` to ``top`` by relevance: from the words' ranked prefix when it
        holds them, else top-k from the database (first pages) or the whole ranking."""
        matches, scope = self.matches, self.scope()
        if matches.complete or top is not None:
            found, seen = _walk(matches.ranked, scope, bottom, top)
            if matches.complete or seen == top or seen == self.count:
                return found
        if top is not None and top <= TOP_K:
            return self._top(top)[bottom:top]
        return _walk(self._ranking(), scope, bottom, top)[0]

    def _top(self, top: int) -> list[int]:
        """The first ``top`` results by relevance, ranked top-k by the database among the
        practices every filter allows; cached under the query."""
        key = self.cache_key("top", top)
        ids = django_cache.get(key)
        if ids is None:
            ids = backend().ranked_ids(self._filtered(), self.query, limit=top)
            django_cache.set(key, ids, version.TIMEOUT)
        return ids

    def _ranking(self) -> array:
        """Every match of the words by relevance, whatever the filters (deep pages and
        exports), cached per content version."""
        searched = tuple((name, values) for name, values in self.params if name in SEARCHED)

        def build():
            queryset = self._since(Practice.objects.published())
            return array("q", backend().ranked_ids(queryset, self.query))

        return version.get_or_build(version.key("ranked", searched, version=self.version), build)

    def rows(self, bottom: int, top: int, prepare=PracticeQuerySet.for_list) -> list[Practice]:
        """Results ``bottom`` to ``top`` as practices, with what ``prepare`` adds."""
        ids = self.ids(bottom, top) if top > bottom else []
        found = prepare(Practice.objects.published().filter(pk__in=ids)).in_bulk()
        return [found[pk] for pk in ids if pk in found]

    def facets(self, names=None) -> dict[str, list[dict]]:
        """Counts for each facet (default: those the query asked for), in the API's shape;
        cached per content version."""
        names = self.facet_names if names is None else names
        keys = {name: self.cache_key("facet", name) for name in names}
        found = django_cache.get_many(list(keys.values()))
        computed = {name: self._facet(name) for name in names if keys[name] not in found}
        django_cache.set_many({keys[n]: value for n, value in computed.items()}, version.TIMEOUT)
        return {name: found.get(keys[name], computed.get(name)) for name in names}

    def _facet(self, name: str) -> list[dict]:
        scope = self.scope(without=OWN_FILTERS.get(name, (name,)))
        if name == "year":
            low, high = self.data.get("year_min"), self.data.get("year_max")
            bounded = low is not None or high is not None
            return [
                _item(v.value, v.label, count, bounded and within(v.value, low, high))
                for v in self.index.facets["year"]
                if (count := (scope & v.members).bit_count())
            ]
        selected = self.selected(name)
        items = []
        for v in self.index.facets[name]:
            count, chosen = (scope & v.members).bit_count(), str(v.value) in selected
            if count or chosen:
                items.append(_item(v.value, str(v.label), count, chosen))
                if name == "stakeholder":
                    items[-1]["parent"] = v.parent
        if name == "country":
            items.sort(key=lambda item: (-item["count"], item["label"]))
        return items

    def snippets(self, practices) -> None:
        """Sets ``snippet`` on each practice: a highlighted extract matching ``q``."""
        raw = {}
        if self.query.clauses and practices:
            raw = backend().snippets([p.pk for p in practices], self.query)
        for practice in practices:
            fragment = raw.get(practice.pk)
            practice.snippet = highlight(fragment) if fragment else None

    @cached_property
    def suggestion(self) -> str | None:
        """A corrected query ("did you mean") when nothing matches and words look misspelt."""
        words = self.query.words
        if not words or self.count:
            return None
        mapping = backend().corrections(words)
        if not mapping:
            return None
        suggestion = self.query.replace_words(mapping).websearch()
        return suggestion if suggestion != self.text else None


def _walk(ranked, scope: int, bottom: int, top: int | None) -> tuple[list[int], int]:
    """(The ids of ``ranked`` in ``scope``, from the ``bottom``-th to the ``top``-th; how
    many of ``ranked`` are in scope, up to ``top``)."""
    raw = scope.to_bytes((scope.bit_length() + 7) // 8, "little")
    found, seen = [], 0
    for pk in ranked:
        byte = pk >> 3
        if byte < len(raw) and raw[byte] >> (pk & 7) & 1:
            if seen >= bottom:
                found.append(pk)
            seen += 1
            if top is not None and seen >= top:
                break
    return found, seen


def _item(value, label, count, selected):
    return {"value": value, "label": label, "count": count, "selected": selected}
