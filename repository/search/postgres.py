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

from ..models import Practice, SearchWord
from .engine import MARK_END, MARK_START
from .query import ParsedQuery
from .sqlite import vocabulary

CONFIG = "english"


def _query(parsed: ParsedQuery) -> SearchQuery:
    return SearchQuery(parsed.websearch(), search_type="websearch", config=CONFIG)


def search(queryset: QuerySet, parsed: ParsedQuery) -> QuerySet:
    """The practices of ``queryset`` matching the parsed query."""
    return queryset.filter(search_vector=_query(parsed))


def ranked_ids(queryset: QuerySet, parsed: ParsedQuery) -> list[int]:
    """The ids of the practices of ``queryset`` matching the query, best ts_rank first
    (ties: the newest first)."""
    query = _query(parsed)
    return list(
        queryset.filter(search_vector=query)
        .annotate(search_rank=SearchRank(F("search_vector"), query))
        .order_by("-search_rank", "-published_at", "-pk")
        .values_list("pk", flat=True)
    )


def snippets(practice_ids: list[int], parsed: ParsedQuery) -> dict[int, str]:
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


def corrections(words: list[str], limit: int) -> dict[str, list[str]]:
    """Up to ``limit`` known words like each unknown word, closest first, by trigram
    similarity (pg_trgm)."""
    known = set(SearchWord.objects.filter(word__in=words).values_list("word", flat=True))
    mapping = {}
    with connection.cursor() as cursor:
        for word in words:
            if word in known or len(word) < 3:
                continue
            cursor.execute(
                "SELECT word FROM repository_searchword WHERE word %% %s "
                "ORDER BY similarity(word, %s) DESC, word LIMIT %s",
                [word, word, limit],
            )
            rows = cursor.fetchall()
            if rows:
                mapping[word] = [row[0] for row in rows]
    return mapping


def unindexed_ids() -> list[int]:
    return list(Practice.objects.filter(search_vector__isnull=True).values_list("pk", flat=True))


def similar(queryset: QuerySet, title: str, limit: int) -> list:
    """Trigram similarity of titles (pg_trgm)."""
    return list(
        queryset.annotate(similarity=TrigramSimilarity("title", title))
        .filter(similarity__gt=0.25)
        .order_by("-similarity", "pk")[:limit]
    )
