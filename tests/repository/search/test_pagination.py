"""repository/search/pagination.py: pages of a search, counted by the index, cached by version."""

import pytest
from django.http import QueryDict

from repository.filters import PracticeFilterSet
from repository.models import Practice
from repository.search import PracticePaginator, PracticeSearch
from tests.factories import make_practice

pytestmark = pytest.mark.django_db


def paginator(query: str, per_page: int = 7) -> PracticePaginator:
    filterset = PracticeFilterSet(QueryDict(query), queryset=Practice.objects.published())
    assert filterset.is_valid(), filterset.errors
    return PracticePaginator(PracticeSearch(filterset), per_page)


@pytest.mark.parametrize(
    "query",
    [
        "",
        "q=evacuation",
        "q=migrants&phase=emergency",
        "q=migrants or workers&stakeholder=states&crisis_type=conflict",
        "q=evacuation&updated_since=2001-01-01T00:00:00Z",
        "updated_since=2001-01-01T00:00:00Z&ordering=title",
        "phase=emergency&ordering=title",
        "q=consular&ordering=-year",
    ],
)
def test_pages_walk_the_ordered_results_exactly(query):
    pages = paginator(query, per_page=3)
    expected = pages.search.sql_ids()
    assert pages.count == len(expected) > 3
    walked = [p.pk for n in pages.page_range for p in pages.page(n).object_list]
    assert walked == expected


def test_a_repeated_page_costs_only_its_rows(django_assert_num_queries):
    paginator("q=evacuation").page(2)
    pages = paginator("q=evacuation")
    # The rows by primary key and the five kinds of tags a list shows; no search, no count.
    with django_assert_num_queries(6):
        rows = pages.page(2).object_list
    assert len(rows) == 7


def test_other_filters_on_the_same_words_run_no_search(django_assert_num_queries):
    paginator("q=migrants&phase=emergency").page(1)
    pages = paginator("q=migrants&stakeholder=states&year_min=2010")
    # The rows and their tags only: the match and its ranking
    # come from the first search's ranked list, the count from the index.
    with django_assert_num_queries(6):
        rows = pages.page(2).object_list
    expected = pages.search.sql_ids()[7:14]
    assert [p.pk for p in rows] == expected


def test_a_change_to_published_content_shows_at_once():
    first = paginator("q=wombatcount").page(1)
    assert first.paginator.count == 0 and list(first) == []
    made = make_practice(title="Wombatcount drill")
    page = paginator("q=wombatcount").page(1)
    assert page.paginator.count == 1 and [p.pk for p in page] == [made.pk]


def test_a_page_past_the_end_is_invalid():
    from django.core.paginator import EmptyPage

    pages = paginator("phase=emergency", per_page=100)
    with pytest.raises(EmptyPage):
        pages.page(pages.num_pages + 1)
