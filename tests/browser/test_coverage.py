"""The coverage page, the stakeholder page and the open data page in headless Chromium, at a
desktop and a phone width: axe finds no serious or critical violation, the matrix leads to
the practices it counts, the map's countries are focusable links, and nothing needs
JavaScript or another host."""

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from tests.browser.test_accessibility import blocking_violations

pytestmark = pytest.mark.browser

WIDTHS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 375, "height": 740}}


@pytest.fixture
def published_data(micic_content, settings, tmp_path):
    settings.DATASET_ROOT = tmp_path / "dataset"
    call_command("publish_dataset", stdout=None)


@pytest.mark.parametrize("width", WIDTHS)
def test_coverage_and_data_pages_have_no_serious_accessibility_violations(
    new_page, published_data, width
):
    page = new_page(viewport=WIDTHS[width])  # axe runs as a script in the page
    found = {}
    for path in (
        "/coverage/",
        "/coverage/?by=region&crisis_type=natural-disaster",
        "/coverage/?by=nothing",
        "/data/",
        "/stakeholders/states/",
        "/guidelines/13/",
    ):
        response = page.goto(path)
        assert response.status == (400 if "nothing" in path else 200), path
        if violations := blocking_violations(page):
            found[path] = violations
        # The page itself never scrolls sideways: the wide matrix scrolls in its own box.
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 1, (path, overflow)
    assert not found, found


@pytest.mark.parametrize("width", WIDTHS)
def test_a_cell_leads_to_the_practices_it_counts(new_page, micic_content, width):
    page = new_page(viewport=WIDTHS[width], java_script_enabled=False)
    page.goto("/coverage/?crisis_type=conflict")
    link = page.locator("table.coverage td.c5 a").first
    count = link.inner_text()
    link.click()
    expect(page).to_have_url(re.compile(r"/practices/\?crisis_type=conflict&guideline=\d+&"))
    expect(page.locator("#result-count")).to_have_text(re.compile(rf"^{count} practices?$"))


def test_map_countries_are_links_reachable_by_keyboard(new_page, micic_content):
    page = new_page(viewport=WIDTHS["desktop"])
    page.goto("/coverage/")
    first = page.locator(".map-svg a").first
    first.focus()
    label = first.locator("title").text_content()
    assert re.fullmatch(r".+: \d+ practices?", label)
    assert page.evaluate("document.activeElement.closest('svg') !== null")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/practices/\?country=[A-Z]{2}$"))
    expect(page.locator("#result-count")).to_have_text(re.compile(rf"^{label.rsplit(': ', 1)[1]}$"))


def test_the_search_page_map_opens_without_javascript(new_page, micic_content):
    page = new_page(viewport=WIDTHS["phone"], java_script_enabled=False)
    page.goto("/practices/?region=asia-pacific")
    details = page.locator("details.search-map")
    expect(details.locator("svg")).to_be_hidden()
    details.locator("summary").click()
    expect(details.locator("svg")).to_be_visible()
    scripted = new_page(viewport=WIDTHS["phone"])  # axe runs as a script in the page
    scripted.goto("/practices/?region=asia-pacific")
    scripted.locator("details.search-map summary").click()
    assert not blocking_violations(scripted)
