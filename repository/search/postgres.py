"""PostgreSQL backend: weighted tsvector column + GIN index, websearch syntax, pg_trgm."""

from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQuery,
    SearchRank,
    TrigramSimilarity,
)
from django.db import connection
from django.db.models import F, QuerySet, TextField, Value
from django.db.models.functions import Concat

from .engine import MARK_END, MARK_START
from .query import ParsedQuery
from .sqlite import vocabulary

CONFIG = "english"


def _query(parsed: ParsedQuery) -> SearchQuery:
    return SearchQuery(parsed.websearch(), search_type="websearch", config=CONFIG)


def search(queryset: QuerySet, parsed: ParsedQuery) -> QuerySet:
    """The practices of ``queryset`` matching the parsed query."""
    return queryset.filter(search_vector=_query(parsed))


def ranked_ids(queryset: QuerySet, parsed: ParsedQuery, limit: int | None = None) -> list[int]:
    """The ids of the practices of ``queryset`` matching the query, best ts_rank first
    (ties: the newest first); only the first ``limit`` when given (a top-N sort: nothing
    past them is sorted or sent)."""
    query = _query(parsed)
    ranked = (
        queryset.filter(search_vector=query)
        .annotate(search_rank=SearchRank(F("search_vector"), query))
        .order_by("-search_rank", "-published_at", "-pk")
        .values_list("pk", flat=True)
    )
    return list(ranked if limit is None else ranked[:limit])


def matches(queryset: QuerySet, parsed: ParsedQuery, limit: int) -> tuple[list[int], list[int]]:
    """(The ids of every practice of ``queryset`` matching the query, unordered; the first
    ``limit`` of them as ``ranked_ids`` orders them), from one scan of the matches: the
    rank of each comes with its match, and only the first ``limit`` are sorted (top-N)."""
    query = _query(parsed)
    found = (
        queryset.filter(search_vector=query)
        .annotate(search_rank=SearchRank(F("search_vector"), query))
        .order_by()
        .values_list("pk", "search_rank", "published_at")
    )
    sql, params = found.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(
            f"WITH m (id, search_rank, published_at) AS MATERIALIZED ({sql}) "
            "SELECT (SELECT array_agg(id) FROM m), "
            "(SELECT array_agg(id ORDER BY search_rank DESC, published_at DESC, id DESC) FROM "
            "(SELECT * FROM m ORDER BY search_rank DESC, published_at DESC, id DESC LIMIT %s) t)",
            [*params, limit],
        )
        every, first = cursor.fetchone()
    return every or [], first or []


def snippets(practice_ids: list[int], parsed: ParsedQuery) -> dict[int, str]:
    from ..models import Practice

    text = Concat("summary", Value(" "), "body", output_field=TextField())
    rows = (
        Practice.objects.filter(pk__in=practice_ids)
        .annotate(
            fragment=SearchHeadline(
                text,
                _query(parsed),
                config=CONFIG,
                start_sel=MARK_START,
                stop_sel=MARK_END,
                max_words=35,
                min_words=15,
                max_fragments=2,
                fragment_delimiter=" … ",
            )
        )
        .values_list("pk", "fragment")
    )
    return {pk: fragment for pk, fragment in rows if MARK_START in (fragment or "")}


def write(batch) -> None:
    words_table = connection.ops.quote_name("repository_searchword")
    with connection.cursor() as cursor:
        cursor.executemany(
            "UPDATE repository_practice SET search_vector = "
            f"setweight(to_tsvector('{CONFIG}', %s), 'A') || "
            f"setweight(to_tsvector('{CONFIG}', %s), 'B') || "
            f"setweight(to_tsvector('{CONFIG}', %s), 'C') || "
            f"setweight(to_tsvector('{CONFIG}', %s), 'D') WHERE id = %s",
            [(d.title, d.summary, d.body, d.tags, d.pk) for d in batch],
        )
        words = sorted(vocabulary(batch))
        if words:
            cursor.execute(
                f"INSERT INTO {words_table} (word) SELECT unnest(%s::text[]) "
                "ON CONFLICT DO NOTHING",
                [words],
            )


def remove(practice_ids: list[int]) -> None:
    """Nothing to remove: the vector is deleted with the practice row."""


def prune_missing() -> None:
    """Nothing to prune: the vector lives on the practice row itself."""


def corrections(words: list[str]) -> dict[str, str]:
    """Closest known word for each unknown word, by trigram similarity (pg_trgm)."""
    from ..models import SearchWord

    known = set(SearchWord.objects.filter(word__in=words).values_list("word", flat=True))
    mapping = {}
    with connection.cursor() as cursor:
        for word in words:
            if word in known or len(word) < 3:
                continue
            cursor.execute(
                "SELECT word FROM repository_searchword WHERE word %% %s "
                "ORDER BY similarity(word, %s) DESC, word LIMIT 1",
                [word, word],
            )
            row = cursor.fetchone()
            if row:
                mapping[word] = row[0]
    return mapping


def unindexed_ids() -> list[int]:
    from ..models import Practice

    return list(Practice.objects.filter(search_vector__isnull=True).values_list("pk", flat=True))


def similar(queryset: QuerySet, title: str, limit: int) -> list:
    """Trigram similarity of titles (pg_trgm)."""
    return list(
        queryset.annotate(similarity=TrigramSimilarity("title", title))
        .filter(similarity__gt=0.25)
        .order_by("-similarity", "pk")[:limit]
    )
