"""PostgreSQL backend: weighted tsvector column + GIN index, websearch syntax, pg_trgm."""

from functools import reduce
from operator import and_, or_

from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQuery,
    SearchRank,
    TrigramSimilarity,
)
from django.db import connection
from django.db.models import Case, F, FloatField, QuerySet, TextField, Value, When
from django.db.models.functions import Concat

from . import MARK_END, MARK_START
from .query import ParsedQuery, Term
from .sqlite import vocabulary

CONFIG = "english"
# Added to the rank of a practice matching the words as typed, over one matching only
# another language's forms of them: larger than any ts_rank difference.
DIRECT_BONUS = 1000.0


def _query(parsed: ParsedQuery) -> SearchQuery:
    """AND of clauses, each an OR of its terms, less the excluded terms.

    Built from SearchQuery objects, not websearch text: in websearch syntax "or" binds
    looser than the implicit "and", so "a or b c" would mean a | (b & c), and a clause of
    several alternatives (an expanded word) would not group.
    """
    if not parsed.clauses:
        return SearchQuery(parsed.websearch(), search_type="websearch", config=CONFIG)
    query = reduce(and_, (reduce(or_, map(_term, clause)) for clause in parsed.clauses))
    for term in parsed.excluded:
        query = query & ~_term(term)
    return query


def _term(term: Term) -> SearchQuery:
    return SearchQuery(term.text, search_type="phrase" if term.phrase else "plain", config=CONFIG)


def search(
    queryset: QuerySet, parsed: ParsedQuery, *, rank: bool, direct: ParsedQuery | None = None
) -> QuerySet:
    """``direct``: the query as typed, when ``parsed`` adds other forms of its words; its
    matches rank first."""
    query = _query(parsed)
    queryset = queryset.filter(search_vector=query)
    if rank:
        score = SearchRank(F("search_vector"), query)
        if direct is not None and direct.clauses:
            bonus = Case(
                When(search_vector=_query(direct), then=Value(DIRECT_BONUS)),
                default=Value(0.0),
                output_field=FloatField(),
            )
            score = score + bonus
        queryset = queryset.annotate(search_rank=score)
    return queryset


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
