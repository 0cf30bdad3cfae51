"""repository/search/coverage.py: the coverage matrix and the summaries, from the tag index.

Every cell, row total and column total is checked against the search its query describes:
its count from the index (PracticeSearch.count) and from SQL alone (queryset().count()).
CI runs this module on both databases.
"""

import pytest
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext

from repository.filters import CoverageFilterSet, PracticeFilterSet
from repository.models import Practice, Stakeholder
from repository.search import PracticeSearch
from repository.search.coverage import Coverage, Scale, query_string, summary
from tests.factories import make_practice

pytestmark = pytest.mark.django_db


def coverage(query: str = "") -> Coverage:
    filterset = CoverageFilterSet(QueryDict(query), queryset=Practice.objects.published())
    assert filterset.is_valid(), filterset.errors
    return Coverage(
        PracticeSearch(filterset), filterset.form.cleaned_data.get("by") or "stakeholder"
    )


def counts_of(query: str) -> tuple[int, int]:
    """The count of the search ``query`` describes: from the index, and from SQL."""
    filterset = PracticeFilterSet(QueryDict(query), queryset=Practice.objects.published())
    assert filterset.is_valid(), (query, filterset.errors)
    found = PracticeSearch(filterset)
    return found.count, found.queryset().count()


def every_cell(matrix: Coverage):
    yield matrix.corner
    for row in matrix.rows:
        yield row.total
        yield from row.cells
    for column in matrix.columns:
        yield column.total


# The real MICIC content, with the filters of the search page: both views, tags, years,
# words, and the row and column dimensions themselves (tests/repository/test_views_coverage.py
# and test_api_coverage.py check other combinations through the page and the API).
QUERIES = [
    "",
    "by=region&year_min=2010&year_max=2018&crisis_type=conflict&kind=practice",
    "q=evacuation&phase=emergency",
    "stakeholder=states&guideline=9&guideline=13&country=LY&country=LB",
]


@pytest.mark.parametrize("query", QUERIES)
def test_every_count_is_the_count_of_the_search_it_links_to(query):
    matrix = coverage(query)
    assert matrix.rows and matrix.columns
    checked = 0
    for cell in every_cell(matrix):
        assert (cell.count, cell.count) == counts_of(cell.query), cell.query
        checked += 1
    assert checked == len(matrix.rows) * (len(matrix.columns) + 1) + len(matrix.columns) + 1


def test_the_matrix_has_every_guideline_by_phase_and_every_stakeholder_under_its_parent():
    matrix = coverage()
    assert [group.slug for group in matrix.groups] == ["preparedness", "emergency", "post-crisis"]
    assert [row.number for row in matrix.rows] == list(range(1, 16))
    assert len(matrix.columns) == Stakeholder.objects.count()
    states = next(c for c in matrix.top_columns if c.value == "states")
    assert {child.value for child in states.children} == set(
        Stakeholder.objects.filter(parent__slug="states").values_list("slug", flat=True)
    )
    # The columns run parent, its children, next parent…
    position = [c.value for c in matrix.columns].index("states")
    assert [
        c.parent for c in matrix.columns[position + 1 : position + 1 + len(states.children)]
    ] == ["states"] * len(states.children)


def test_a_parent_column_counts_its_childrens_practices(corpus):
    matrix = coverage()
    row = next(r for r in matrix.rows if r.number == 13)  # libya: state-of-origin
    states = [c.value for c in matrix.columns].index("states")
    origin = [c.value for c in matrix.columns].index("state-of-origin")
    assert row.cells[states].count == row.cells[origin].count == 1
    assert row.cells[states].query == "guideline=13&stakeholder=states"


def test_gaps_are_counted_and_filters_apply_to_the_whole_matrix(corpus):
    everything, natural = coverage(), coverage("crisis_type=natural-disaster")
    assert everything.total == 5 and natural.total == 3  # japan, diaspora, app
    cells = len(everything.rows) * len(everything.columns)
    assert everything.empty == cells - sum(1 for c in everything.rows for x in c.cells if x.count)
    assert natural.empty > everything.empty
    assert all("crisis_type=natural-disaster" in cell.query for cell in every_cell(natural))


def test_filtering_on_a_dimension_keeps_only_its_rows_or_columns(corpus):
    matrix = coverage("guideline=13&stakeholder=states")
    assert [row.number for row in matrix.rows] == [13]
    assert [c.value for c in matrix.top_columns] == ["states"]
    assert matrix.columns[0].children  # a parent keeps its children
    by_region = coverage("by=region&region=asia-pacific")
    assert [c.value for c in by_region.columns] == ["asia-pacific"]


def test_no_query_per_cell():
    coverage()  # the index is built and cached
    with CaptureQueriesContext(connection) as small:
        coverage("crisis_type=conflict")
    with CaptureQueriesContext(connection) as large:
        coverage("by=region&kind=practice&phase=emergency")
    assert len(small) == len(large) <= 3  # the guidelines' phases (and filter validation)


def test_a_bad_view_is_an_error_naming_by():
    filterset = CoverageFilterSet(QueryDict("by=country"), queryset=Practice.objects.published())
    assert not filterset.is_valid()
    assert "by" in filterset.errors
    assert "ordering" not in CoverageFilterSet.base_filters
    assert "facets" not in CoverageFilterSet.base_filters


def test_query_string_replaces_the_dimensions_and_drops_by():
    params = (("by", ("region",)), ("guideline", ("1", "2")), ("kind", ("practice",)))
    assert query_string(params, {"guideline": 3}) == "kind=practice&guideline=3"


@pytest.mark.parametrize(
    ("top", "levels"),
    [(0, []), (1, [(1, 1, 1)]), (2, [(1, 1, 1), (2, 2, 2)]), (61, None)],
)
def test_the_colour_scale_covers_every_count_once(top, levels):
    scale = Scale(top)
    legend = scale.legend()
    if levels is not None:
        assert legend == levels
    assert scale.level(0) == 0
    for count in range(1, top + 1):
        matching = [level for level, low, high in legend if low <= count <= high]
        assert matching == [scale.level(count)]
    assert [level for level, _low, _high in legend] == list(range(1, len(legend) + 1))
    assert len(legend) <= 5


def test_summary_counts_a_values_practices_by_phase_region_and_kind(corpus):
    make_practice(
        kind="resource", guidelines=[13], countries=["LY"], phases=["post-crisis"], year=2020
    )
    found = summary("guideline", 13)
    assert found["total"] == 2
    facets = dict(found["facets"])
    assert {i.value: i.count for i in facets["phase"]} == {"emergency": 1, "post-crisis": 1}
    assert {i.value: i.count for i in facets["kind"]} == {"practice": 1, "resource": 1}
    assert {i.value: i.count for i in facets["region"]} == {"middle-east-north-africa": 2}
    for items in facets.values():
        for item in items:
            assert counts_of(item.query) == (item.count, item.count)
    newest = Practice.objects.published().filter(guidelines__number=13).order_by("-published_at")
    assert found["recent"] == list(newest.values_list("pk", flat=True))


def test_summary_of_a_parent_stakeholder_includes_its_children(corpus):
    found = summary("stakeholder", "states", recent=5)
    # libya and app (state-of-origin), japan (local authority)
    assert found["total"] == 3
    assert len(found["recent"]) == 3
    assert summary("stakeholder", "states", recent=0)["recent"] == []
