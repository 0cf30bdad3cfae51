"""Search owns everything between a practice query and its results.

``PracticeSearch`` (engine.py) is the entry point: built once per request from a valid
``PracticeFilterSet``, it answers counts, pages, facets, snippets and suggestions for the
page /practices/, the API, the CSV export and the feed. Inside: the query parser
(query.py), the tag index of bitsets (index.py), the content version that keys every
cached value (version.py), and two full-text backends with one interface — PostgreSQL: a
weighted tsvector column with a GIN index, websearch syntax, ts_rank, ts_headline and
pg_trgm suggestions (postgres.py); SQLite: an FTS5 table with bm25 and snippet()
(sqlite.py). The index rows are kept current by indexing.py.
"""

from django.db.models import QuerySet

from ..models import Practice
from .documents import documents
from .engine import (
    DEFAULT_ORDERING,
    FACET_NAMES,
    ORDERINGS,
    PracticeSearch,
    backend,
)
from .expansion import default_thesaurus, expand_query
from .index import published_counts, published_total, tag_index
from .pagination import PracticePaginator
from .query import ParsedQuery, parse_query

__all__ = [
    "DEFAULT_ORDERING",
    "FACET_NAMES",
    "ORDERINGS",
    "ParsedQuery",
    "PracticePaginator",
    "PracticeSearch",
    "matching",
    "newest_of",
    "parse_query",
    "published_counts",
    "published_total",
    "reindex",
    "reindex_missing",
    "similar",
]


def matching(queryset: QuerySet, text: str) -> QuerySet:
    """Practices of ``queryset`` matching ``text``, unranked (a FilterSet's ``q`` alone),
    with the same expansion to other languages' forms as a PracticeSearch."""
    parsed = parse_query(text)
    if parsed.clauses:
        parsed = expand_query(parsed, default_thesaurus())[0]
    return backend().search(queryset, parsed) if parsed else queryset


def newest_of(name: str, values, count: int) -> dict[object, list[int]]:
    """The ids of the newest published practices of each value of a facet."""
    return tag_index().newest_of(name, values, count)


def reindex(practice_ids=None) -> int:
    """Rebuild the search index rows (and vocabulary) of these practices, or of all."""
    count = 0
    found = backend()
    for batch in documents(practice_ids):
        found.write(batch)
        count += len(batch)
    if practice_ids is None:
        found.prune_missing()
    return count


def reindex_missing() -> int:
    """Index the practices the index does not have yet (e.g. rows older than the index)."""
    missing = backend().unindexed_ids()
    return reindex(missing) if missing else 0


def similar(title: str, *, exclude: int | None = None, limit: int = 5):
    """Published practices whose titles resemble ``title``: possible duplicates."""
    queryset = Practice.objects.published()
    if exclude is not None:
        queryset = queryset.exclude(pk=exclude)
    return backend().similar(queryset, title, limit)
