"""One search of the published practices, as a page, the API, an export or a feed asks it.

``PracticeSearch`` is built once per request from a valid, bound ``PracticeFilterSet``. It
parses ``q`` once and reads the content version once, and answers everything its callers
need: ``count``, ``ids()``, ``rows()``, ``facets()``, ``snippets()``, ``suggestion``.

How: the filters on tags and years are answered by the tag index (``index``: bitsets per
content version). ``q`` and ``updated_since`` need the database: one query per search
words and content version gives the matching ids, ranked by relevance when ``q`` has words
(``matches``), cached and shared by every combination of filters and every page of that
search. Counts and facets are ANDs of bitsets; a page by relevance is selected from the
ranked matches; a page in another order comes from SQL, cached under the query.

No dead ends: when no practice that the filters allow matches every word of ``q``, the
search is *relaxed* (``relaxed``): it lists the practices matching some of the words,
those matching more words first, then those matching the rarer words, then by relevance
(``relaxed_matches``, cached per words and content version like ``matches``). Filters and
``-exclusions`` are never relaxed. Count, facets, pages, CSV and feed all follow.
"""

import math
from array import array
from dataclasses import dataclass
from functools import cached_property

from django.core.cache import cache as django_cache
from django.db import connection
from django.db.models import F
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from ..models import Practice, PracticeQuerySet
from ..models.tags import TAGS
from . import version
from .expansion import default_thesaurus, expand_query
from .index import TagIndex, bitset, label, tag_index, within
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
NOT_FILTERS = ("ordering", "facets")
SUGGESTION_CANDIDATES = 5  # known words considered for each unknown one, closest first

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
    ranked: array | None  # their ids by relevance, when q has words to rank by


@dataclass
class RelaxedMatches(Matches):
    """The published practices matching any word of ``q``: ranked by how many words and
    which (rarer words weigh more), then by relevance; ``clauses`` are the ids matching
    each word (clause) of the query."""

    clauses: list[frozenset]

    def words_of(self, pk: int) -> list[int]:
        """The indexes of the clauses the practice ``pk`` matches."""
        return [index for index, ids in enumerate(self.clauses) if pk in ids]


def relaxed_order(ranked, clauses: list[frozenset], total: int) -> list[int]:
    """``ranked`` ids (by relevance to any of the words) re-ranked by how many clauses each
    matches, then by the weight of those clauses (inverse document frequency), then their
    relevance."""
    weights = [math.log((total + 1) / (len(ids) + 1)) for ids in clauses]

    def key(item):
        position, pk = item
        matched = [weights[i] for i, ids in enumerate(clauses) if pk in ids]
        return (-len(matched), -round(sum(matched), 9), position)

    return [pk for _position, pk in sorted(enumerate(ranked), key=key)]


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
        self.version = version.content_version()
        # As typed (the words shown, relaxed and corrected), and with each term's other
        # languages' forms and synonyms (the words matched: expansion.py).
        self.typed: ParsedQuery = parse_query(self.text)
        self.query, self.expansions = self.typed, []
        if self.typed.clauses:
            thesaurus = default_thesaurus(version.key("thesaurus", version=self.version))
            self.query, self.expansions = expand_query(self.typed, thesaurus)
        self.params = normalised_query(filterset)
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
                ranked = backend().ranked_ids(queryset, self.query, prefer_practice=prefer)
                ranked = array("q", self._direct_first(queryset, ranked))
                return Matches(bitset(ranked), ranked)
            queryset = self._searched(queryset)
            return Matches(bitset(queryset.order_by().values_list("pk", flat=True)), None)

        prefer = self.prefer_practice
        key = version.key("matches", searched, prefer, version=self.version)
        return version.get_or_build(key, build)

    @property
    def prefer_practice(self) -> bool:
        """Rank kind=practice above recommendations and resources of the same match, unless
        the search chose kinds."""
        return not self.data.get("kind")

    def _direct_first(self, queryset, ranked: list[int]) -> list[int]:
        """With expansions, the practices matching the words as typed before those found
        only through another language's form, each group in its ranked order."""
        if not self.expansions:
            return ranked
        direct = set(backend().search(queryset, self.typed).values_list("pk", flat=True))
        return [pk for pk in ranked if pk in direct] + [pk for pk in ranked if pk not in direct]

    def _since(self, queryset):
        since = self.data.get("updated_since")
        if since is not None:
            queryset = self.filterset.filters["updated_since"].filter(queryset, since)
        return queryset

    @cached_property
    def relaxed_matches(self) -> RelaxedMatches | None:
        """The practices matching any word of ``q`` (and updated_since), as a relaxed search
        lists them; cached per content version. None when ``q`` has fewer than two words."""
        if len(self.typed.clauses) < 2:
            return None
        searched = tuple((name, values) for name, values in self.params if name in SEARCHED)

        def build():
            return self._relaxed(self._since(Practice.objects.published()))

        key = version.key("relaxed-matches", searched, self.prefer_practice, version=self.version)
        return version.get_or_build(key, build)

    def _relaxed(self, queryset) -> RelaxedMatches:
        found = backend()
        clauses = [
            frozenset(found.search(queryset, self.typed.only(i)).values_list("pk", flat=True))
            for i in range(len(self.typed.clauses))
        ]
        ranked = found.ranked_ids(
            queryset, self.typed.any_clause(), prefer_practice=self.prefer_practice
        )
        total = Practice.objects.published().count()
        order = array("q", relaxed_order(ranked, clauses, total))
        return RelaxedMatches(bitset(order), order, clauses)

    @cached_property
    def relaxed(self) -> bool:
        """True when no practice the filters allow matches every word of ``q``, but some
        match some of the words: the results are then those of ``relaxed_matches``."""
        if self.relaxed_matches is None or self._scope(self.matches.members):
            return False
        return bool(self._scope(self.relaxed_matches.members))

    @cached_property
    def _ranking(self) -> Matches | None:
        return self.relaxed_matches if self.relaxed else self.matches

    @cached_property
    def matched_words(self) -> list[str]:
        """Relaxed: the words (clauses) the best results match, as typed; else every word."""
        words = range(len(self.typed.clauses))
        if self.relaxed:
            first = self._ranked_ids(0, 1)
            words = self.relaxed_matches.words_of(first[0]) if first else []
        return [self.typed.clause_text(i) for i in words]

    @cached_property
    def unmatched_words(self) -> list[tuple[str, str]]:
        """Relaxed: the words the best results do not match, each with the query without it."""
        if not self.relaxed:
            return []
        matched = set(self.matched_words)
        return [
            (self.typed.clause_text(i), self.typed.without(i).websearch())
            for i in range(len(self.typed.clauses))
            if self.typed.clause_text(i) not in matched
        ]

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
        found = self.index.published if self._ranking is None else self._ranking.members
        return self._scope(found, without)

    def _scope(self, found: int, without=()) -> int:
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
            words = self.typed.any_clause() if self.relaxed else self.query
            queryset = backend().search(queryset, words)
        return queryset.order_by(*(ORDERINGS[self.ordering] or ORDERINGS[DEFAULT_ORDERING]))

    def sql_ids(self) -> list[int]:
        """Every result's id in order, from SQL alone (no index, no cache): what ``ids()``
        must equal."""
        if self.ordering == "relevance" and self.relaxed:
            allowed = set(self._filtered().values_list("pk", flat=True))
            relaxed = self._relaxed(self._since(Practice.objects.published()))
            return [pk for pk in relaxed.ranked if pk in allowed]
        if self.ordering == "relevance":
            queryset = self._filtered()
            prefer = self.prefer_practice
            ranked = backend().ranked_ids(queryset, self.query, prefer_practice=prefer)
            return self._direct_first(queryset, ranked)
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
        scope = self.scope()
        raw = scope.to_bytes((scope.bit_length() + 7) // 8, "little")
        found, seen = [], 0
        for pk in self._ranking.ranked:
            byte = pk >> 3
            if byte < len(raw) and raw[byte] >> (pk & 7) & 1:
                if seen >= bottom:
                    found.append(pk)
                seen += 1
                if top is not None and seen >= top:
                    break
        return found

    def rows(self, bottom: int, top: int, prepare=PracticeQuerySet.for_list) -> list[Practice]:
        """Results ``bottom`` to ``top`` as practices, with what ``prepare`` adds."""
        ids = self.ids(bottom, top) if top > bottom else []
        found = prepare(Practice.objects.published().filter(pk__in=ids)).in_bulk()
        return [found[pk] for pk in ids if pk in found]

    def facets(self, names=None) -> dict[str, list[dict]]:
        """Counts for each facet (default: those the query asked for), in the API's shape;
        cached per content version."""
        names = self.facet_names if names is None else names
        language = get_language()  # the labels are in it
        keys = {name: self.cache_key("facet", name, language) for name in names}
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
                items.append(_item(v.value, label(v.label), count, chosen))
                if name == "stakeholder":
                    items[-1]["parent"] = v.parent
        if name == "country":
            items.sort(key=lambda item: (-item["count"], item["label"]))
        return items

    def snippets(self, practices) -> None:
        """Sets ``snippet`` on each practice: a highlighted extract matching ``q``."""
        raw = {}
        if self.query.clauses and practices:
            words = self.typed.any_clause() if self.relaxed else self.query
            raw = backend().snippets([p.pk for p in practices], words)
        for practice in practices:
            fragment = raw.get(practice.pk)
            practice.snippet = highlight(fragment) if fragment else None

    @cached_property
    def suggestion(self) -> str | None:
        """ "Did you mean": a corrected query when nothing matches every word and words look
        misspelt (also beside relaxed results)."""
        return None if (self.count and not self.relaxed) else self.correction()

    def correction(self) -> str | None:
        """The query with each unknown word replaced by the closest known one, if any.

        A replacement comes from the vocabulary of practices published when indexed, and
        is offered only if it still matches a published practice: the words of a
        withdrawn or rejected practice are never suggested."""
        words = self.typed.words
        if not words:
            return None
        found, published = backend(), Practice.objects.published()
        mapping = {}
        for word, candidates in found.corrections(words, SUGGESTION_CANDIDATES).items():
            for candidate in candidates:
                if found.search(published, parse_query(candidate)).exists():
                    mapping[word] = candidate
                    break
        if not mapping:
            return None
        suggestion = self.typed.replace_words(mapping).websearch()
        return suggestion if suggestion != self.text else None


def _item(value, label, count, selected):
    return {"value": value, "label": label, "count": count, "selected": selected}
