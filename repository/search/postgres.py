"""PostgreSQL backend: weighted tsvector column + GIN index, web-search syntax, pg_trgm."""

import operator
from functools import reduce

from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQuery,
    SearchRank,
    TrigramSimilarity,
)
from django.db import connection
from django.db.models import Case, F, FloatField, QuerySet, TextField, Value, When
from django.db.models.functions import Concat

from ..models import Practice, SearchWord
from ..models.tags import Kind
from .engine import MARK_END, MARK_START
from .query import ParsedQuery, Term
from .sqlite import vocabulary

CONFIG = "english"
# ts_rank weights of the labels D, C, B, A: title A, names (organisations, countries) and
# summary B, body C, tags D; tuned against tests/relevance/judgments.json (docs/search.md).
WEIGHTS = [0.1, 0.2, 0.4, 1.0]
# A practice (kind) outranks a recommendation or resource with the same match, unless the
# search chose kinds.
PRACTICE_BOOST = 1.3
# ts_rank_cd (cover density): words near each other rank higher (phrase proximity).
COVER_DENSITY = True


def _term(term: Term) -> SearchQuery:
    return SearchQuery(term.text, search_type="phrase" if term.phrase else "plain", config=CONFIG)


def _query(parsed: ParsedQuery) -> SearchQuery:
    """AND of the clauses, each an OR of its terms, and NOT of each exclusion, grouped as
    parsed (websearch_to_tsquery would bind ``a or b c`` as ``a | (b & c)``)."""
    combined = None
    for clause in parsed.clauses:
        alternatives = reduce(operator.or_, map(_term, clause))
        combined = alternatives if combined is None else combined & alternatives
    for term in parsed.excluded:
        combined = ~_term(term) if combined is None else combined & ~_term(term)
    return combined


def search(queryset: QuerySet, parsed: ParsedQuery) -> QuerySet:
    """The practices of ``queryset`` matching the parsed query."""
    return queryset.filter(search_vector=_query(parsed))


def ranked_ids(queryset: QuerySet, parsed: ParsedQuery, *, prefer_practice=False) -> list[int]:
    """The ids of the practices of ``queryset`` matching the query, best ts_rank first
    (ties: the newest first); ``prefer_practice`` weighs kind=practice up."""
    query = _query(parsed)
    rank = SearchRank(F("search_vector"), query, weights=WEIGHTS, cover_density=COVER_DENSITY)
    boost = PRACTICE_BOOST if prefer_practice else 1.0
    rank = rank * Case(
        When(kind=Kind.PRACTICE, then=Value(boost)), default=Value(1.0), output_field=FloatField()
    )
    return list(
        queryset.filter(search_vector=query)
        .annotate(search_rank=rank)
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
            f"setweight(to_tsvector('{CONFIG}', %s), 'B') || "
            f"setweight(to_tsvector('{CONFIG}', %s), 'C') || "
            f"setweight(to_tsvector('{CONFIG}', %s), 'D') WHERE id = %s",
            [(d.title, d.names, d.summary, d.body, d.tags, d.pk) for d in batch],
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
