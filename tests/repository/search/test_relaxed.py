"""repository/search/engine.py: relaxed searches, the same on SQLite and PostgreSQL.

When no practice that the filters allow matches every word of q, the search lists the
practices matching some of the words, most words first; filters and -exclusions stay.
"""

import pytest
from django.http import QueryDict

from repository import search
from repository.filters import PracticeFilterSet
from repository.models import Practice
from repository.search.engine import relaxed_order


def practice_search(**params) -> search.PracticeSearch:
    data = QueryDict(mutable=True)
    for name, value in params.items():
        data.setlist(name, value if isinstance(value, list) else [value])
    filterset = PracticeFilterSet(data, queryset=Practice.objects.published())
    assert filterset.is_valid(), filterset.errors
    return search.PracticeSearch(filterset)


def keys(corpus, ids) -> list[str]:
    by_pk = {p.pk: key for key, p in corpus.items()}
    return [by_pk[pk] for pk in ids]


def test_every_word_matched_is_not_relaxed(corpus):
    found = practice_search(q="evacuation libya")
    assert not found.relaxed
    assert keys(corpus, found.ids()) == ["libya"]
    assert found.matched_words == ["evacuation", "libya"]
    assert found.unmatched_words == []


def test_most_words_first_then_fewer(corpus):
    found = practice_search(q="Libya charter earthquake")
    assert found.relaxed
    assert keys(corpus, found.ids()) == ["libya", "japan"]
    assert found.count == 2
    assert found.matched_words == ["libya", "charter"]
    assert found.unmatched_words == [("earthquake", "libya charter")]


def test_rarer_words_rank_first_among_equal_counts(corpus):
    # "workers" is in two practices, "multilingual" in one: its practice comes first.
    found = practice_search(q="workers multilingual")
    assert found.relaxed
    assert keys(corpus, found.ids())[0] == "japan"
    assert found.matched_words == ["multilingual"]


def test_filters_are_never_relaxed(corpus):
    found = practice_search(q="Libya charter earthquake", phase="preparedness")
    assert found.relaxed
    assert keys(corpus, found.ids()) == ["japan"]
    assert found.matched_words == ["earthquake"]
    nothing = practice_search(q="Libya charter earthquake", country="LB")
    assert not nothing.relaxed
    assert nothing.count == 0
    assert nothing.ids() == []


def test_exclusions_are_never_relaxed(corpus):
    found = practice_search(q="libya earthquake -charter")
    assert found.relaxed
    assert keys(corpus, found.ids()) == ["japan"]


def test_one_word_is_not_relaxed(corpus):
    found = practice_search(q="tsunami")
    assert not found.relaxed
    assert found.count == 0


def test_unpublished_practices_stay_out(corpus):
    found = practice_search(q="evacuation review nothing")
    assert found.relaxed
    assert "hidden" not in keys(corpus, found.ids())


def test_count_and_facets_agree_with_relaxed_results(corpus):
    found = practice_search(q="Libya charter earthquake", facets="all")
    facets = found.facets()
    assert sum(item["count"] for item in facets["kind"]) == found.count == len(found.ids())
    phases = {item["value"]: item["count"] for item in facets["phase"]}
    assert phases == {"emergency": 1, "preparedness": 1}


@pytest.mark.parametrize("ordering", ["relevance", "-published_at", "title"])
def test_ids_equal_the_sql_reference(corpus, ordering):
    found = practice_search(q="evacuation multilingual hotline", ordering=ordering)
    assert found.relaxed
    assert found.ids() == found.sql_ids()
    assert len(found.ids()) == found.count == 4
    assert found.ids(1, 3) == found.ids()[1:3]


def test_snippets_highlight_the_words_matched(corpus):
    found = practice_search(q="charter message")
    assert found.relaxed
    practices = found.rows(0, 10)
    assert len(practices) == 2
    found.snippets(practices)
    assert all("<mark>" in (p.snippet or "") for p in practices)


def test_suggestion_is_offered_beside_relaxed_results(corpus):
    found = practice_search(q="evacuation domestik")
    assert found.relaxed
    assert found.suggestion == "evacuation domestic"


def test_relaxed_order_counts_then_weights_then_relevance():
    clauses = [frozenset({1, 2, 3}), frozenset({3, 4})]
    # 3 matches both; 4 the rarer word; 1 and 2 keep their relevance order.
    assert relaxed_order([1, 2, 4, 3], clauses, total=10) == [3, 4, 1, 2]
