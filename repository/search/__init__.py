"""Ranked full-text search over practices, one interface with two backends.

PostgreSQL: a weighted tsvector column with a GIN index, websearch syntax, ts_rank,
ts_headline and pg_trgm suggestions. SQLite: an FTS5 table with bm25 and snippet().
Both read the same parsed query (query.py), so a query means the same on both.
"""

from django.db import connection
from django.db.models import QuerySet
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from .query import ParsedQuery, parse_query

# Highlight markers: control characters no practice text contains; escaped text is
# then given <mark> tags, so user content never becomes markup.
MARK_START, MARK_END = "\x02", "\x03"

__all__ = [
    "ParsedQuery",
    "expansions",
    "parse_query",
    "reindex",
    "reindex_missing",
    "search",
    "similar",
    "snippets",
    "suggest",
]


def _backend():
    if connection.vendor == "postgresql":
        from . import postgres as backend
    else:
        from . import sqlite as backend
    return backend


def search(queryset: QuerySet, text: str, *, rank: bool = True) -> QuerySet:
    """Practices of ``queryset`` matching ``text``; with ``rank``, annotated ``search_rank``.

    The words are also searched in their other languages' forms (expansion.py); a practice
    matching the words as typed ranks above one matching only another form.
    """
    parsed = parse_query(text)
    if not parsed:
        return queryset
    expanded, made = _expand(parsed)
    direct = parsed if made else None
    return _backend().search(queryset, expanded, rank=rank, direct=direct)


def expansions(text: str) -> list[tuple[str, list]]:
    """The other forms searched for the words of ``text``: [(term, [Alternative…])]."""
    return _expand(parse_query(text))[1]


def _expand(parsed: ParsedQuery):
    # The one hook between the query and the thesaurus (a search package may move it).
    from .expansion import default_thesaurus, expand_query

    if not parsed.clauses:
        return parsed, []
    return expand_query(parsed, default_thesaurus())


def snippets(practice_ids: list[int], text: str) -> dict[int, SafeString]:
    """A short highlighted extract of each practice's summary and description."""
    parsed = parse_query(text)
    if not parsed.clauses or not practice_ids:
        return {}
    raw = _backend().snippets(practice_ids, _expand(parsed)[0])
    return {pk: highlight(fragment) for pk, fragment in raw.items() if fragment}


def highlight(fragment: str) -> SafeString:
    html = escape(fragment).replace(MARK_START, "<mark>").replace(MARK_END, "</mark>")
    return mark_safe(html)  # noqa: S308 - escaped above, only <mark> added


def suggest(text: str) -> str | None:
    """A corrected query ("did you mean") when words look misspelt, else None."""
    parsed = parse_query(text)
    words = parsed.words
    if not words:
        return None
    mapping = _backend().corrections(words)
    if not mapping:
        return None
    return parsed.replace_words(mapping).websearch()


def reindex(practice_ids=None) -> int:
    """Rebuild the search index rows (and vocabulary) of these practices, or of all."""
    from .documents import documents

    count = 0
    backend = _backend()
    for batch in documents(practice_ids):
        backend.write(batch)
        count += len(batch)
    if practice_ids is None:
        backend.prune_missing()
    return count


def reindex_missing() -> int:
    """Index the practices the index does not have yet (e.g. rows older than the index)."""
    missing = _backend().unindexed_ids()
    return reindex(missing) if missing else 0


def similar(title: str, *, exclude: int | None = None, limit: int = 5):
    """Published practices whose titles resemble ``title``: possible duplicates."""
    from ..models import Practice

    queryset = Practice.objects.published()
    if exclude is not None:
        queryset = queryset.exclude(pk=exclude)
    return _backend().similar(queryset, title, limit)
