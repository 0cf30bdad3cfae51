"""SQLite backend: an FTS5 table (rowid = practice id), bm25 ranking, snippet()."""

import difflib

from django.db import connection
from django.db.models import QuerySet
from django.db.models.expressions import RawSQL
from django.db.models.functions import Length

from .engine import MARK_END, MARK_START
from .query import ParsedQuery, Term

TABLE = "repository_practice_fts"
# Column weights for bm25: title, summary, body, tags.
WEIGHTS = "10.0, 4.0, 2.0, 1.0"


def _quote(term: Term) -> str:
    # A double-quoted FTS5 string is a phrase of its tokens: no operator inside it is
    # special, and doubling quotes escapes them, so user text never becomes FTS5 syntax.
    return '"' + term.text.replace('"', '""') + '"'


def match_expression(parsed: ParsedQuery) -> str:
    clauses = []
    for clause in parsed.clauses:
        alternatives = " OR ".join(_quote(t) for t in clause)
        clauses.append(f"({alternatives})" if len(clause) > 1 else alternatives)
    return " AND ".join(clauses)


def search(queryset: QuerySet, parsed: ParsedQuery) -> QuerySet:
    """The practices of ``queryset`` matching the parsed query."""
    table = connection.ops.quote_name(TABLE)
    if parsed.clauses:
        queryset = queryset.filter(
            pk__in=RawSQL(
                f"SELECT rowid FROM {table} WHERE {table} MATCH %s", [match_expression(parsed)]
            )
        )
    for term in parsed.excluded:
        queryset = queryset.exclude(
            pk__in=RawSQL(f"SELECT rowid FROM {table} WHERE {table} MATCH %s", [_quote(term)])
        )
    return queryset


def ranked_ids(queryset: QuerySet, parsed: ParsedQuery, limit: int | None = None) -> list[int]:
    """The ids of the practices of ``queryset`` matching the query, best bm25 first (ties:
    the newest first); only the first ``limit`` when given. The FTS table is joined once, so
    bm25() comes from the matched row: a rank per row from a subquery would run the
    full-text match again for every result."""
    table = connection.ops.quote_name(TABLE)
    practice = connection.ops.quote_name(queryset.model._meta.db_table)
    scope, params = search(queryset, parsed).order_by().values("pk").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT p.id FROM {table} JOIN {practice} p ON p.id = {table}.rowid "
            f"WHERE {table} MATCH %s AND p.id IN ({scope}) "
            f"ORDER BY bm25({table}, {WEIGHTS}), p.published_at DESC, p.id DESC"
            + ("" if limit is None else " LIMIT %s"),
            [match_expression(parsed), *params, *([] if limit is None else [limit])],
        )
        return [row[0] for row in cursor.fetchall()]


def matches(queryset: QuerySet, parsed: ParsedQuery, limit: int) -> tuple[list[int], list[int]]:
    """(The ids of every practice of ``queryset`` matching the query; the first ``limit`` of
    them as ``ranked_ids`` orders them). FTS5 ranks every match as it finds it: one ranked
    query gives both."""
    ranked = ranked_ids(queryset, parsed)
    return ranked, ranked[:limit]


def snippets(practice_ids: list[int], parsed: ParsedQuery) -> dict[int, str]:
    table = connection.ops.quote_name(TABLE)
    placeholders = ", ".join(["%s"] * len(practice_ids))
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT rowid, snippet({table}, -1, %s, %s, '…', 24) FROM {table} "
            f"WHERE {table} MATCH %s AND rowid IN ({placeholders})",
            [MARK_START, MARK_END, _snippet_expression(parsed), *practice_ids],
        )
        return dict(cursor.fetchall())


def _snippet_expression(parsed: ParsedQuery) -> str:
    # Highlight in summary and body only: a snippet of the title or tags says nothing new.
    return "{summary body} : (" + match_expression(parsed) + ")"


def write(batch) -> None:
    table = connection.ops.quote_name(TABLE)
    words_table = connection.ops.quote_name("repository_searchword")
    with connection.cursor() as cursor:
        placeholders = ", ".join(["%s"] * len(batch))
        cursor.execute(
            f"DELETE FROM {table} WHERE rowid IN ({placeholders})", [d.pk for d in batch]
        )
        cursor.executemany(
            f"INSERT INTO {table} (rowid, title, summary, body, tags) VALUES (%s, %s, %s, %s, %s)",
            [(d.pk, d.title, d.summary, d.body, d.tags) for d in batch],
        )
        cursor.executemany(
            f"INSERT OR IGNORE INTO {words_table} (word) VALUES (%s)",
            [(w,) for w in vocabulary(batch)],
        )


def remove(practice_ids: list[int]) -> None:
    table = connection.ops.quote_name(TABLE)
    placeholders = ", ".join(["%s"] * len(practice_ids))
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table} WHERE rowid IN ({placeholders})", practice_ids)


def prune_missing() -> None:
    table = connection.ops.quote_name(TABLE)
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {table} WHERE rowid NOT IN (SELECT id FROM repository_practice)"
        )


def vocabulary(batch) -> set[str]:
    """Words of published practices that a suggestion may offer."""
    from .query import WORD

    words = set()
    for doc in batch:
        if doc.published:
            text = f"{doc.title} {doc.summary} {doc.tags}".lower()
            words.update(w for w in WORD.findall(text) if 3 <= len(w) <= 40 and w.isalpha())
    return words


def corrections(words: list[str]) -> dict[str, str]:
    """Closest known word for each unknown word (difflib over same-initial candidates)."""
    from ..models import SearchWord

    known = set(SearchWord.objects.filter(word__in=words).values_list("word", flat=True))
    mapping = {}
    for word in words:
        if word in known or len(word) < 3:
            continue
        candidates = (
            SearchWord.objects.annotate(size=Length("word"))
            .filter(word__startswith=word[0], size__range=(len(word) - 2, len(word) + 2))
            .values_list("word", flat=True)
        )
        best = difflib.get_close_matches(word, list(candidates), n=1, cutoff=0.7)
        if best:
            mapping[word] = best[0]
    return mapping


def unindexed_ids() -> list[int]:
    table = connection.ops.quote_name(TABLE)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT id FROM repository_practice WHERE id NOT IN (SELECT rowid FROM {table})"
        )
        return [row[0] for row in cursor.fetchall()]


def similar(queryset: QuerySet, title: str, limit: int) -> list:
    """Full-text match on any of the title's words, best bm25 first."""
    from .query import parse_query

    words = parse_query(title).words
    if not words:
        return []
    ids = ranked_ids(queryset, parse_query(" or ".join(words)))[:limit]
    found = queryset.in_bulk(ids)
    return [found[pk] for pk in ids]
