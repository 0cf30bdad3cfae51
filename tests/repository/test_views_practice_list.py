"""repository/views.py PracticeListView: the /practices/ search page."""

import re

import pytest

from repository.models import Practice
from tests.factories import make_practice


def result_titles(response) -> list[str]:
    return re.findall(
        r'class="practice-title"><a href="[^"]+"[^>]*>([^<]+)</a>', response.content.decode()
    )


def test_lists_published_practices_with_count_and_facets(client, corpus):
    response = client.get("/practices/")
    assert response.status_code == 200
    content = response.content.decode()
    assert '<p id="result-count" role="status">5 practices</p>' in content
    assert len(result_titles(response)) == 5
    assert "Evacuation plan still under review" not in content
    assert 'name="stakeholder" value="states" id="facet-stakeholder-states"' in content
    assert re.search(
        r'for="facet-phase-emergency">Emergency response <span class="facet-count">3</span>',
        content,
    )


def test_search_ranks_and_highlights(client, corpus):
    response = client.get("/practices/", {"q": "evacuation"})
    assert result_titles(response) == [
        "Evacuation of migrant workers from Libya",
        "Consular registration app",
    ]
    assert "<mark>" in response.content.decode()
    assert 'value="evacuation"' in response.content.decode()


def test_facet_selection_is_checked_and_shown_as_a_removable_chip(client, corpus):
    response = client.get("/practices/", {"q": "evacuation", "stakeholder": "states"})
    content = response.content.decode()
    assert 'value="states" id="facet-stakeholder-states" checked' in content
    assert '<a class="chip" href="?q=evacuation">States' in content
    assert '<a class="chip" href="?stakeholder=states">Search: “evacuation”' in content


def test_removing_one_value_keeps_the_others(client, corpus):
    response = client.get("/practices/?phase=emergency&phase=post-crisis")
    content = response.content.decode()
    assert '<a class="chip" href="?phase=post-crisis">Emergency response' in content
    assert '<a class="chip" href="?phase=emergency">Post-crisis action' in content


def test_bad_parameter_is_a_400_with_a_notice_naming_it(client, corpus):
    response = client.get("/practices/", {"phase": "wartime", "year_min": "x", "q": "kept"})
    assert response.status_code == 400
    content = response.content.decode()
    assert 'role="alert"' in content
    assert "<code>phase</code>: “wartime” is not a known phase." in content
    assert "<code>year_min</code>: Enter a whole number." in content
    assert 'value="kept"' in content  # the user's text is kept
    assert 'href="?q=kept"' in content  # a way out without the bad filters


@pytest.mark.parametrize(
    ("query", "status"),
    [
        ("guideline=abc", 400),
        ("country=ZZ", 400),
        ("updated_since=not-a-date", 400),
        ("ordering=best", 400),
        ("facets=colour", 400),
        ("q=" + "x" * 600, 400),  # longer than the search box allows
        ("q=%22unbalanced", 200),
        ("q=AND+OR+NOT", 200),
        ("page=abc", 404),
        ("page=0", 404),
        ("page=999", 404),
        ("q=%00", 400),
        ("phase%00=emergency", 400),
    ],
)
def test_never_a_server_error(client, corpus, query, status):
    response = client.get(f"/practices/?{query}")
    assert response.status_code == status


def test_pagination_keeps_the_query(client, corpus):
    for i in range(25):
        make_practice(title=f"Flood shelter {i}", phases=["emergency"])
    response = client.get("/practices/", {"q": "flood", "phase": "emergency"})
    content = response.content.decode()
    assert len(result_titles(response)) == 20
    assert 'rel="next" href="?q=flood&amp;phase=emergency&amp;page=2"' in content
    page2 = client.get("/practices/", {"q": "flood", "phase": "emergency", "page": 2})
    assert len(result_titles(page2)) == 5
    assert client.get("/practices/", {"q": "flood", "page": 3}).status_code == 404


def test_empty_result_suggests_a_correction(client, corpus):
    response = client.get("/practices/", {"q": "evacuaton"})
    content = response.content.decode()
    assert "0 practices" in content
    assert 'class="suggestion" href="?q=evacuation" dir="auto">evacuation</a>' in content


def test_sort_options(client, corpus):
    titles = result_titles(client.get("/practices/", {"ordering": "title"}))
    assert titles == sorted(titles)
    response = client.get("/practices/")
    assert 'value="relevance"' not in response.content.decode()  # only offered with q
    assert 'value="relevance"' in client.get("/practices/?q=flood").content.decode()


def test_guideline_phase_and_principle_pages_link_into_the_search(client, corpus):
    assert b'href="/practices/?guideline=13"' in client.get("/guidelines/13/").content
    assert b'href="/practices/?phase=emergency"' in client.get("/phases/emergency/").content
    assert b'href="/practices/?principle=6"' in client.get("/principles/6/").content


@pytest.mark.parametrize(
    "query", ["", "q=support", "q=support&stakeholder=states&phase=emergency&country=TR"]
)
def test_same_number_of_queries_for_one_or_many_results(
    client, db, query, django_assert_max_num_queries
):
    Practice.objects.all().delete()
    tags = dict(
        phases=["emergency", "preparedness"],
        stakeholders=["host-state", "ngo"],
        crisis_types=["conflict", "natural-disaster"],
        guidelines=[11, 9],
        principles=[1],
        countries=["TR", "SY"],
    )
    make_practice(title="Support one", **tags)
    with django_assert_max_num_queries(40) as one:
        assert client.get(f"/practices/?{query}").status_code == 200
    for i in range(30):
        make_practice(title=f"Support {i}", **tags)
    with django_assert_max_num_queries(len(one.captured_queries)):
        response = client.get(f"/practices/?{query}")
    assert len(result_titles(response)) == 20


@pytest.mark.django_db
def test_the_filter_form_is_cached_html_and_a_publication_shows_at_once(client, monkeypatch):
    from repository.search import PracticeSearch

    calls = []
    real = PracticeSearch.facets

    def counting(search, names=None):
        if names != ["country"]:  # the map's own country counts are not the filter form
            calls.append(1)
        return real(search, names)

    monkeypatch.setattr(PracticeSearch, "facets", counting)
    path = "/practices/?q=wombatfacet&phase=emergency"
    make_practice(title="Wombatfacet drill", phases=["emergency"], countries=["JP"])
    first = client.get(path).content.decode()
    assert calls == [1] and 'value="JP"' in first
    second = client.get(path).content.decode()
    assert calls == [1]  # served from the cached fragment: no counting
    assert second.count('type="checkbox"') == first.count('type="checkbox"')
    # The same filters in another order share it; another filter does not.
    client.get("/practices/?phase=emergency&q=wombatfacet")
    assert calls == [1]
    client.get(path + "&country=JP")
    assert calls == [1, 1]
    make_practice(title="Wombatfacet shelter", phases=["emergency"], countries=["LY"])
    third = client.get(path).content.decode()
    assert calls == [1, 1, 1] and 'value="LY"' in third


@pytest.mark.django_db
def test_empty_state_asks_to_remove_a_filter_only_when_one_is_set(client):
    words_only = client.get("/practices/?q=zzqqxxnothing").content.decode()
    assert "No practice matches" in words_only
    assert "Remove a filter" not in words_only
    assert "Try fewer words" in words_only
    filtered = client.get("/practices/?q=zzqqxxnothing&stakeholder=diaspora").content.decode()
    assert "Remove a filter" in filtered


@pytest.mark.django_db
def test_query_help_is_in_plain_words(client):
    content = client.get("/practices/").content.decode()
    help_text = re.search(r'<p id="q-help" class="hint">(.*?)</p>', content, re.S).group(1)
    assert "or between alternatives" not in help_text
    assert "All the words you type must appear." in help_text
    assert "(flood or storm)" in help_text


@pytest.mark.django_db
def test_results_link_to_the_same_search_as_csv_atom_and_api(client):
    content = client.get("/practices/?q=evacuation&phase=emergency&page=1").content.decode()
    links = content[content.index('class="result-links"') :]
    links = links[: links.index("</ul>")]
    hrefs = re.findall(r'href="([^"]+)"', links)
    assert "/api/v1/practices/?q=evacuation&amp;phase=emergency&amp;format=csv" in hrefs
    assert "/feeds/practices/?q=evacuation&amp;phase=emergency" in hrefs
    assert "/api/v1/practices/?q=evacuation&amp;phase=emergency" in hrefs
    assert "/api/docs/" in hrefs
    assert all("page=" not in href for href in hrefs)


@pytest.mark.django_db
def test_filters_come_before_results_in_the_page_with_skip_links(client):
    content = client.get("/practices/?q=evacuation").content.decode()
    assert content.index('class="filters-panel"') < content.index('class="results-area"')
    assert 'href="#results"' in content and 'id="results"' in content
    assert 'href="#facets-title"' in content and 'id="facets-title"' in content
    assert '<summary class="filters-toggle">Filters</summary>' in content
    assert "(1 active)" in client.get("/practices/?q=evacuation&phase=emergency").content.decode()


def test_relaxed_search_is_labelled_with_removable_unmatched_words(client, corpus):
    response = client.get("/practices/", {"q": "Libya charter earthquake", "phase": "emergency"})
    content = response.content.decode()
    assert response.status_code == 200
    assert (
        "No practice matches all of “Libya charter earthquake”; showing practices that match "
        "some of these words." in content
    )
    assert result_titles(response) == ["Evacuation of migrant workers from Libya"]
    assert '<p id="result-count" role="status">1 practice</p>' in content
    # The word the best match lacks, removable in one click (the filters stay).
    remove = re.search(r'<a class="chip chip-unmatched" href="([^"]+)">earthquake ', content)
    assert remove
    followed = client.get("/practices/" + remove.group(1).replace("&amp;", "&"))
    assert result_titles(followed) == ["Evacuation of migrant workers from Libya"]
    assert "No practice matches all of" not in followed.content.decode()


def test_search_matching_every_word_is_not_labelled_relaxed(client, corpus):
    response = client.get("/practices/", {"q": "evacuation libya"})
    assert "No practice matches all of" not in response.content.decode()
    assert "chip-unmatched" not in response.content.decode()
