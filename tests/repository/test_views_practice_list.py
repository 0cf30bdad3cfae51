"""repository/views.py PracticeListView: the /practices/ search page."""

import re

import pytest

from repository.models import Practice
from tests.factories import make_practice


def result_titles(response) -> list[str]:
    return re.findall(
        r'class="practice-title"><a href="[^"]+">([^<]+)</a>', response.content.decode()
    )


def test_lists_published_practices_with_count_and_facets(client, corpus):
    response = client.get("/practices/")
    assert response.status_code == 200
    content = response.content.decode()
    assert '<p id="result-count" role="status">5 practices</p>' in content
    assert len(result_titles(response)) == 5
    assert "Evacuation plan still under review" not in content
    assert '<input type="checkbox" name="stakeholder" value="states">' in content
    assert re.search(
        r'name="phase" value="emergency"> Emergency response <span class="facet-count">3</span>',
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
    assert 'name="stakeholder" value="states" checked' in content
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
    "query",
    [
        "guideline=abc",
        "country=ZZ",
        "updated_since=not-a-date",
        "ordering=best",
        "facets=colour",
        "q=" + "x" * 600,
        "q=%22unbalanced",
        "q=AND+OR+NOT",
        "page=abc",
        "page=0",
        "page=999",
    ],
)
def test_never_a_server_error(client, corpus, query):
    response = client.get(f"/practices/?{query}")
    assert response.status_code in (200, 400, 404)


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
    assert 'class="suggestion" href="?q=evacuation">evacuation</a>' in content


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
    monkeypatch.setattr(PracticeSearch, "facets", lambda *a: calls.append(1) or real(*a))
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


def test_long_facets_show_their_commonest_and_selected_values_the_rest_one_click_away(client, db):
    from repository.listing import SHORT_FACETS
    from repository.models import Country
    from tests.factories import make_practice

    shown = SHORT_FACETS["country"]
    codes = list(Country.objects.order_by("code").values_list("code", flat=True)[: shown + 3])
    for n, code in enumerate(codes):
        for _ in range(len(codes) - n):  # the first code is the commonest
            make_practice(title=f"Wombatcountry {code}", countries=[code])
    rarest = codes[-1]
    page = client.get(f"/practices/?q=wombatcountry&country={rarest}").content.decode()
    boxes = re.findall(r'name="country" value="(\w+)"', page)
    assert boxes == [*codes[:shown], rarest]  # the commonest, then the selected one
    # Without JavaScript: a submit button of the form itself, keeping what was ticked.
    assert re.search(
        r'<button type="submit" class="facet-more" name="expand" value="country">\s*Show 2 more',
        page,
    )
    expanded = client.get(f"/practices/?q=wombatcountry&country={rarest}&expand=country")
    boxes = re.findall(r'name="country" value="(\w+)"', expanded.content.decode())
    assert sorted(boxes) == sorted(codes)
    assert 'class="facet-more"' not in expanded.content.decode()
    # Kept while other boxes are ticked (the form resubmits itself).
    assert '<input type="hidden" name="expand" value="country">' in expanded.content.decode()
