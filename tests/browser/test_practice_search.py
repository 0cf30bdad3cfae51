"""The practice search page (/practices/) in headless Chromium, with and without JavaScript."""

import re

import pytest
from playwright.sync_api import expect

from tests.factories import make_practice

pytestmark = pytest.mark.browser

WORD = "lighthouse"  # in no MICIC practice: only the practices made here match it


@pytest.fixture
def lighthouse():
    """Three matching practices, two by diaspora groups and one by a host State, and one other."""
    make_practice(title="Consular registration drive", summary="Registering migrants early.")
    return {
        "radio": make_practice(
            title="Lighthouse radio alerts for stranded migrants",
            summary="A lighthouse keepers' radio network relays evacuation alerts.",
            stakeholders=["diaspora"],
            crisis_types=["conflict"],
        ),
        "shelter": make_practice(
            title="Lighthouse shelters after the storm",
            summary="Old lighthouse buildings became shelters for migrant fishers.",
            stakeholders=["diaspora"],
            crisis_types=["natural-disaster"],
        ),
        "consular": make_practice(
            title="Consular desk at the lighthouse pier",
            summary="Consuls met migrants at the lighthouse pier to issue travel documents.",
            stakeholders=["host-state"],
            crisis_types=["natural-disaster"],
        ),
    }


def result_count(page):
    return page.locator("#result-count")


def facet_count(page, name, value):
    return page.locator(f'label[for="facet-{name}-{value}"] .facet-count')


def result_titles(page):
    return page.locator(".result .practice-title").all_inner_texts()


def test_typing_a_search_shows_matching_results_with_highlights(page, lighthouse):
    page.goto("/practices/")
    expect(result_count(page)).to_have_text("4 practices")

    page.locator("#q").fill(WORD)
    page.locator("#q").press("Enter")

    expect(page).to_have_url(re.compile(rf"/practices/\?(.*&)?q={WORD}"))
    expect(result_count(page)).to_have_text("3 practices")
    expect(page.locator("#q")).to_have_value(WORD)
    results = page.locator(".result")
    expect(results).to_have_count(3)
    for text in results.all_inner_texts():
        assert WORD in text.lower()
    marks = page.locator(".result .snippet mark")
    expect(marks.first).to_be_visible()
    assert {m.lower() for m in marks.all_inner_texts()} == {WORD}


def test_ticking_a_facet_applies_it_at_once_and_updates_counts(page, lighthouse):
    page.goto(f"/practices/?q={WORD}")
    expect(result_count(page)).to_have_text("3 practices")
    expect(facet_count(page, "crisis_type", "natural-disaster")).to_have_text("2")
    expect(facet_count(page, "crisis_type", "conflict")).to_have_text("1")

    page.locator('input[name="stakeholder"][value="diaspora"]').click()

    expect(page).to_have_url(re.compile(r"[?&]stakeholder=diaspora(&|$)"))
    expect(result_count(page)).to_have_text("2 practices")
    expect(page.locator('input[name="stakeholder"][value="diaspora"]')).to_be_checked()
    # Other facets count within the selection; the stakeholder facet ignores its own filter.
    expect(facet_count(page, "crisis_type", "natural-disaster")).to_have_text("1")
    expect(facet_count(page, "crisis_type", "conflict")).to_have_text("1")
    expect(facet_count(page, "stakeholder", "host-state")).to_have_text("1")
    expect(page.locator(".chips a.chip", has_text="Diaspora")).to_be_visible()
    # Empty fields are left out of the URL by the script.
    assert "year_min" not in page.url
    assert f"q={WORD}" in page.url


def test_ticking_a_facet_with_the_keyboard_keeps_the_focus_on_it(page, lighthouse):
    page.goto(f"/practices/?q={WORD}")
    expect(page.locator("#facets-hint")).to_be_visible()  # told before it happens
    page.locator("#facet-crisis_type-conflict").focus()

    page.keyboard.press("Space")

    expect(page).to_have_url(re.compile(r"[?&]crisis_type=conflict(&|$)"))
    expect(result_count(page)).to_have_text("1 practice")
    expect(page.locator("#facet-crisis_type-conflict")).to_be_focused()


def test_sorting_waits_for_the_sort_button(page, lighthouse):
    page.goto(f"/practices/?q={WORD}")
    before = page.url

    # Arrow keys step through the options: each step must not reload the page.
    page.locator("#ordering").focus()
    page.keyboard.press("ArrowDown")
    page.locator("#ordering").select_option("title")
    page.wait_for_timeout(300)
    assert page.url == before
    page.get_by_role("button", name="Sort", exact=True).click()

    expect(page).to_have_url(re.compile(r"[?&]ordering=title(&|$)"))
    assert f"q={WORD}" in page.url
    assert result_titles(page) == sorted(p.title for p in lighthouse.values())


def test_removing_a_chip_removes_its_filter(page, lighthouse):
    page.goto(f"/practices/?q={WORD}&stakeholder=diaspora")
    expect(result_count(page)).to_have_text("2 practices")

    page.locator(".chips a.chip", has_text="Diaspora").click()

    expect(page).not_to_have_url(re.compile("stakeholder="))
    expect(result_count(page)).to_have_text("3 practices")
    expect(page.locator(".chips a.chip", has_text="Diaspora")).to_have_count(0)
    expect(page.locator('input[name="stakeholder"][value="diaspora"]')).not_to_be_checked()
    expect(page.locator("#q")).to_have_value(WORD)

    page.locator(".chips a.chip", has_text=f"“{WORD}”").click()

    expect(page).not_to_have_url(re.compile("q="))
    expect(result_count(page)).to_have_text("4 practices")
    expect(page.locator("#q")).to_have_value("")
    expect(page.locator(".chips")).to_have_count(0)


def test_pagination_keeps_the_query(page):
    for n in range(23):
        make_practice(title=f"Lighthouse drill {n:02}", stakeholders=["diaspora"])
    make_practice(title="Lighthouse drill for officials", stakeholders=["host-state"])

    page.goto(f"/practices/?q={WORD}&stakeholder=diaspora&ordering=title")
    expect(result_count(page)).to_have_text("23 practices")
    expect(page.locator(".result")).to_have_count(20)
    first_page = result_titles(page)

    page.locator("nav.pagination a[rel=next]").click()

    expect(page).to_have_url(re.compile(r"[?&]page=2(&|$)"))
    for kept in (f"q={WORD}", "stakeholder=diaspora", "ordering=title"):
        assert kept in page.url
    expect(page.locator(".result")).to_have_count(3)
    expect(page.locator("ol.results")).to_have_attribute("start", "21")
    expect(page.locator("nav.pagination [aria-current=page]")).to_have_text("2")
    second_page = result_titles(page)
    assert first_page + second_page == [f"Lighthouse drill {n:02}" for n in range(23)]

    page.locator("nav.pagination a[rel=prev]").click()

    expect(page.locator(".result")).to_have_count(20)
    assert f"q={WORD}" in page.url


def test_search_filter_sort_and_paginate_without_javascript(new_page, lighthouse):
    page = new_page(java_script_enabled=False)
    page.goto("/practices/")
    expect(result_count(page)).to_have_text("4 practices")
    expect(page.locator("#facets-hint")).to_be_hidden()  # boxes wait for "Apply filters"
    page.locator("#q").fill(WORD)
    page.locator("#q").press("Enter")
    expect(result_count(page)).to_have_text("3 practices")

    diaspora = page.locator('input[name="stakeholder"][value="diaspora"]')
    diaspora.check()
    assert "stakeholder=" not in page.url  # nothing happens until the form is submitted
    expect(result_count(page)).to_have_text("3 practices")

    page.get_by_role("button", name="Apply filters").click()

    expect(page).to_have_url(re.compile(r"[?&]stakeholder=diaspora(&|$)"))
    expect(result_count(page)).to_have_text("2 practices")
    expect(diaspora).to_be_checked()
    expect(facet_count(page, "crisis_type", "conflict")).to_have_text("1")

    page.locator("#ordering").select_option("-title")
    assert "ordering=-title" not in page.url
    page.get_by_role("button", name="Sort", exact=True).click()

    expect(page).to_have_url(re.compile(r"[?&]ordering=-title(&|$)"))
    assert "stakeholder=diaspora" in page.url
    assert f"q={WORD}" in page.url
    assert result_titles(page) == [lighthouse["shelter"].title, lighthouse["radio"].title]
    expect(page.locator("#ordering")).to_have_value("-title")

    page.locator(".chips a.chip", has_text="Diaspora").click()

    expect(result_count(page)).to_have_text("3 practices")
    assert "ordering=-title" in page.url


def test_pagination_without_javascript(new_page):
    for n in range(21):
        make_practice(title=f"Lighthouse drill {n:02}")
    page = new_page(java_script_enabled=False)
    page.goto(f"/practices/?q={WORD}")

    page.locator("nav.pagination a[rel=next]").click()

    expect(page).to_have_url(re.compile(r"[?&]page=2(&|$)"))
    assert f"q={WORD}" in page.url
    expect(page.locator(".result")).to_have_count(1)


def test_unknown_filter_value_is_a_400_notice_naming_the_parameter(page, lighthouse):
    response = page.goto("/practices/?phase=wartime")

    assert response.status == 400
    expect(page.locator("#filter-errors code")).to_have_text(["phase"])
    expect(page.locator("#filter-errors")).to_contain_text("wartime")

    response = page.goto(f"/practices/?q={WORD}&phase=wartime&year_min=soon")

    assert response.status == 400
    notice = page.locator("#filter-errors")
    expect(notice).to_be_visible()
    expect(notice.locator("li", has=page.locator("code", has_text="phase"))).to_contain_text(
        "wartime"
    )
    expect(notice.locator("code", has_text="year_min")).to_be_visible()
    expect(page.locator("#q")).to_have_value(WORD)  # nothing the user typed is lost

    with page.expect_navigation() as navigation:
        notice.get_by_role("link").click()

    assert navigation.value.status == 200
    assert "phase=" not in page.url
    assert "year_min=" not in page.url
    expect(result_count(page)).to_have_text("3 practices")


def test_search_page_fits_a_phone_screen(new_page, lighthouse):
    # Worst cases for width: long unbroken words (a pasted URL), many tags, long labels.
    long_word = "registrationofmigrantworkersbeforeevacuationflights" * 2
    make_practice(
        title=f"Lighthouse {long_word}",
        summary=f"The lighthouse {long_word} register.",
        organizations="International Organization for Migration; " * 5,
        stakeholders=["diaspora", "host-state", "ngo", "migrants", "employer"],
        guidelines=range(1, 16),
        principles=range(1, 11),
        countries=["CD", "CF", "TR", "LB", "LY", "JP", "TH", "PH", "NP", "IN", "BD", "LK", "ID"],
    )
    page = new_page(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    too_wide = {}
    for path in (
        "/practices/",
        f"/practices/?q={WORD}&stakeholder=diaspora&principle=3&country=CF&year_min=2000",
        f"/practices/?q={long_word}",
        "/practices/?q=lighthuose",  # nothing found: the empty state and its suggestion
        "/practices/?phase=wartime",
        f"/practices/?phase={long_word}",
    ):
        page.goto(path)
        expect(page.locator("#q")).to_be_visible()
        # A phone browser zooms out to show a page that overflows, which widens innerWidth
        # too: compare with the screen's 390 CSS pixels, not just with innerWidth.
        widths = page.evaluate(
            "({scroll: document.documentElement.scrollWidth, inner: window.innerWidth})"
        )
        if widths != {"scroll": 390, "inner": 390}:
            too_wide[path] = widths
    assert not too_wide, f"pages wider than a 390px phone screen: {too_wide}"


DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}


def focused(page):
    return page.evaluate(
        "() => [document.activeElement.id, document.activeElement.textContent.trim()]"
    )


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_page_order_is_visual_order_and_skip_links_lead_to_results_and_filters(
    new_page, lighthouse, viewport
):
    page = new_page(viewport=viewport)
    page.goto(f"/practices/?q={WORD}&stakeholder=diaspora")
    order = page.evaluate(
        """() => document.querySelector('.filters-panel')
               .compareDocumentPosition(document.querySelector('.results-area'))"""
    )
    assert order & 4  # DOCUMENT_POSITION_FOLLOWING: the results follow the filters
    first_result = page.locator(".results .practice-title a").first
    panel = page.locator(".filters-panel")
    if viewport is DESKTOP:
        # A column on the left, shown without asking; no toggle.
        first_facet = page.locator(".facets input").first
        expect(first_facet).to_be_visible()
        assert box(first_facet)["x"] < box(first_result)["x"]
        expect(page.locator(".filters-toggle")).to_be_hidden()
    else:
        # A closed panel above the results: the first result is on the first screen.
        toggle = page.locator(".filters-toggle")
        expect(toggle).to_have_text("Filters (1 active)")
        expect(page.locator(".facets input").first).to_be_hidden()
        assert box(toggle)["y"] < box(first_result)["y"]
        toggle.click()
        expect(page.locator(".facets input").first).to_be_visible()
        assert box(page.locator(".facets").first)["y"] < box(first_result)["y"]
        toggle.click()

    # The keyboard: the skip links come first, and go where they say.
    page.goto(f"/practices/?q={WORD}&stakeholder=diaspora")
    page.keyboard.press("Tab")
    assert focused(page)[1] == "Skip to main content"
    page.keyboard.press("Tab")
    assert focused(page)[1] == "Skip to the results"
    expect(page.get_by_role("link", name="Skip to the results")).to_be_visible()
    page.keyboard.press("Enter")
    assert focused(page)[0] == "results"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('.results-area') !== null")

    page.goto(f"/practices/?q={WORD}&stakeholder=diaspora")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    assert focused(page)[1] == "Skip to the filters"
    page.keyboard.press("Enter")
    expect(panel).to_have_attribute("open", "")
    assert focused(page)[0] == "facets-title"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('.facets') !== null")


def box(locator):
    return locator.bounding_box()


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_filter_checkboxes_are_targets_of_24_pixels_at_least(new_page, lighthouse, viewport):
    page = new_page(viewport=viewport)
    page.goto(f"/practices/?q={WORD}")
    if viewport is PHONE:
        page.locator(".filters-toggle").click()
    boxes = page.locator(".facets input[type=checkbox]:visible")
    assert boxes.count() >= 5
    for checkbox in boxes.all():
        size = box(checkbox)
        assert size["width"] >= 24 and size["height"] >= 24, size


def test_ticking_a_filter_on_a_phone_with_the_keyboard_keeps_its_focus(new_page, lighthouse):
    page = new_page(viewport=PHONE)
    page.goto(f"/practices/?q={WORD}")
    page.locator(".filters-toggle").click()
    page.locator("#facet-crisis_type-conflict").focus()
    page.keyboard.press("Space")
    expect(page).to_have_url(re.compile(r"[?&]crisis_type=conflict(&|$)"))
    expect(result_count(page)).to_have_text("1 practice")
    expect(page.locator("#facet-crisis_type-conflict")).to_be_focused()


def test_csv_atom_and_api_links_carry_the_search(new_page, lighthouse):
    page = new_page(viewport=PHONE)
    page.goto(f"/practices/?q={WORD}&stakeholder=diaspora&ordering=title")
    links = page.locator(".result-links")
    csv = links.get_by_role("link", name="Download these results (CSV)")
    atom = links.get_by_role("link", name="Atom feed of this search")
    api = links.get_by_role("link", name="This search in the API (JSON)")
    for link in (csv, atom, api):
        expect(link).to_be_visible()
        href = link.get_attribute("href")
        assert f"q={WORD}" in href and "stakeholder=diaspora" in href, href
    response = page.request.get(csv.get_attribute("href"))
    assert response.status == 200 and response.headers["content-type"].startswith("text/csv")
    rows = response.text().strip().splitlines()
    assert len(rows) == 3  # the header and the two diaspora practices
    answer = page.request.get(api.get_attribute("href")).json()
    assert answer["count"] == 2
    feed = page.request.get(atom.get_attribute("href"))
    assert feed.status == 200 and "Lighthouse" in feed.text()
    expect(links.get_by_role("link", name="API reference")).to_have_attribute("href", "/api/docs/")
