"""repository/views/coverage.py: the page /coverage/ (matrix and map), the stakeholder page,
and the summary and compact map they add to the guideline and search pages."""

import html
import re

import pytest
from django.http import QueryDict

from repository.filters import PracticeFilterSet
from repository.models import Practice, Stakeholder
from repository.search import PracticeSearch
from tests.factories import make_practice

pytestmark = pytest.mark.django_db

CELL = re.compile(
    r'<td class="c(\d)">'
    r'(?:<a href="/practices/\?([^"]*)">([\d,]+)</a>|<span class="gap">0</span>)</td>'
)
TOTAL = re.compile(r'<td class="total">(?:<a href="/practices/\?([^"]*)">([\d,]+)</a>|0)</td>')
COUNTRY = re.compile(r'<a href="/practices/\?([^"]*)"><title>([^<]+): ([\d,]+) practices?</title>')


def search_count(query: str) -> int:
    filterset = PracticeFilterSet(QueryDict(query), queryset=Practice.objects.published())
    assert filterset.is_valid(), (query, filterset.errors)
    return PracticeSearch(filterset).count


def cells(content: str) -> list[tuple[int, str | None, int]]:
    """(colour level, query or None for a gap, count) of every cell of the matrix."""
    return [
        (int(level), html.unescape(query) if query else None, int(count.replace(",", "") or 0))
        for level, query, count in CELL.findall(content)
    ]


def result_count(client, query: str) -> int:
    content = client.get(f"/practices/?{query}").content.decode()
    found = re.search(r'<p id="result-count" role="status">([\d,]+) practices?</p>', content)
    return int(found.group(1).replace(",", ""))


@pytest.mark.parametrize(
    "query",
    [
        "",
        "crisis_type=natural-disaster&region=asia-pacific",
        "by=region&kind=practice&year_min=2015",
    ],
)
def test_every_cell_links_to_the_search_that_counts_it(client, query):
    response = client.get(f"/coverage/?{query}")
    assert response.status_code == 200
    content = response.content.decode()
    found = cells(content)
    columns = Stakeholder.objects.count() if "by=region" not in query else 6
    assert len(found) == 15 * columns
    linked = [(q, count) for _level, q, count in found if q]
    assert linked, "no practice at all"
    for cell_query, count in linked:
        assert search_count(cell_query) == count, cell_query
        for name, value in QueryDict(query).lists():
            if name != "by":
                assert set(value) <= set(QueryDict(cell_query).getlist(name))
    for level, cell_query, count in found:
        assert (level == 0) == (count == 0) == (cell_query is None)
    totals = TOTAL.findall(content)
    assert len(totals) == 15 + columns
    for total_query, count in totals:
        if total_query:
            assert search_count(html.unescape(total_query)) == int(count.replace(",", ""))
    # Through the public page too, for the first and the largest cell.
    for cell_query, count in (linked[0], max(linked, key=lambda pair: pair[1])):
        assert result_count(client, cell_query) == count


def test_the_matrix_is_an_accessible_table(client):
    page = client.get("/coverage/").content.decode()
    content = page.split('<table class="coverage')[1].split("</table>")[0]
    assert "<caption" in content
    assert content.count('<th scope="row">') == 15 + 1  # guidelines and the totals row
    assert content.count('<th scope="rowgroup"') == 3  # the phases
    assert (
        content.count('scope="colgroup"')
        == Stakeholder.objects.filter(children__isnull=False).distinct().count()
    )
    assert '<span class="gap">0</span>' in content  # gaps show, as text
    assert "<script" not in page.split("<main")[1]  # no script needed
    assert 'href="/stakeholders/diaspora/"' in content
    assert 'href="/guidelines/9/"' in content


def test_the_region_view_has_one_column_per_region(client):
    content = client.get("/coverage/?by=region").content.decode()
    assert "Guidelines × regions" in content
    assert 'scope="colgroup"' not in content
    assert 'value="region" checked' in content


def test_the_search_filters_are_kept_and_shown(client):
    response = client.get("/coverage/?crisis_type=conflict&country=lb&q=shelter")
    content = response.content.decode()
    assert 'value="conflict" id="facet-crisis_type-conflict" checked' in content
    assert '<input type="hidden" name="country" value="LB">' in content
    assert 'value="shelter"' in content
    assert 'class="chip"' in content


def test_a_bad_filter_is_a_400_naming_it(client):
    response = client.get("/coverage/?by=everything&phase=wartime")
    assert response.status_code == 400
    content = response.content.decode()
    assert "<code>by</code>" in content and "<code>phase</code>" in content
    assert 'role="alert"' in content


def test_the_map_colours_and_links_each_country_with_its_count(client):
    content = client.get("/coverage/?kind=practice").content.decode()
    countries = COUNTRY.findall(content)
    assert len(countries) > 20
    for query, _name, count in countries:
        query = html.unescape(query)
        assert "kind=practice" in query
        assert search_count(query) == int(count.replace(",", ""))
    # The same counts in the table next to it.
    first_query, first_name, first_count = countries[0]
    assert re.search(
        rf'<th scope="row"><a href="/practices/\?{re.escape(first_query)}">{re.escape(first_name)}'
        rf'</a></th><td class="num-col">{first_count}</td>',
        content,
    )
    assert '<path class="map-none"' in content


def test_a_country_without_a_shape_is_still_in_the_table(client, corpus):
    make_practice(countries=["GF"])  # French Guiana: part of France in Natural Earth
    content = client.get("/coverage/").content.decode()
    assert 'href="/practices/?country=GF"' in content
    assert "French Guiana" in content


def test_the_search_page_has_a_compact_map_behind_a_summary(client):
    content = client.get("/practices/?region=asia-pacific").content.decode()
    assert '<details class="search-map">' in content
    countries = COUNTRY.findall(content)
    assert countries
    for query, _name, count in countries[:10]:
        assert search_count(html.unescape(query)) == int(count)
    assert 'href="/coverage/?region=asia-pacific#map-title"' in content


def test_the_stakeholder_page_summarises_its_practices(client, corpus):
    content = client.get("/stakeholders/states/").content.decode()
    assert "3 published practices" in content
    assert 'href="/practices/?stakeholder=states&amp;phase=emergency"' in content
    assert "Evacuation of migrant workers from Libya" in content  # among the newest
    assert 'href="/stakeholders/host-state/"' in content  # its members
    assert client.get("/stakeholders/no-such-type/").status_code == 404


def test_the_guideline_page_summarises_its_practices(client, corpus):
    content = client.get("/guidelines/13/").content.decode()
    assert "Practices at a glance" in content
    assert 'href="/practices/?guideline=13&amp;region=middle-east-north-africa"' in content
    assert 'href="/coverage/?guideline=13"' in content


def test_the_navigation_links_to_coverage_and_open_data(client):
    content = client.get("/").content.decode()
    assert 'href="/coverage/"' in content and 'href="/data/"' in content
