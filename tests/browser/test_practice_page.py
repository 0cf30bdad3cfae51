"""A practice page in headless Chromium, as a newcomer uses it: from a search to the
practice, back to the same results, its citation, and the page printed on paper."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.test_accessibility import blocking_violations
from tests.factories import make_practice

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_from_a_search_to_a_cited_practice_and_back(new_page, viewport):
    practice = make_practice(
        title="Lighthouse radio alerts for stranded migrants", stakeholders=["diaspora"]
    )
    make_practice(title="Lighthouse shelters after the storm", stakeholders=["ngo"])
    page = new_page(viewport=viewport)
    page.goto("/practices/?q=lighthouse&stakeholder=diaspora&ordering=title")

    with page.expect_navigation():
        page.get_by_role("link", name=practice.title).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(practice.title)

    cite = page.locator("section.cite")
    expect(cite.get_by_role("heading", name="Cite this practice")).to_be_visible()
    stable = f"{page.url.split('/practices/')[0]}/practices/{practice.pk}/"
    expect(cite.locator(".citation")).to_contain_text(practice.title)
    expect(cite.locator(".citation")).to_contain_text(stable)
    with page.expect_download() as download:
        cite.get_by_role("link", name=re.compile("^RIS")).click()
    assert download.value.suggested_filename == f"micic-practice-{practice.pk}.ris"
    assert not blocking_violations(page)

    # Nothing of the page is wider than the screen.
    assert page.evaluate("document.documentElement.scrollWidth") == viewport["width"]

    back = page.locator("nav.breadcrumbs").get_by_role("link", name="Your search results")
    with page.expect_navigation():
        back.click()
    assert page.url.endswith("/practices/?q=lighthouse&stakeholder=diaspora&ordering=title")
    expect(page.locator("#result-count")).to_have_text("1 practice")
    expect(page.locator("#q")).to_have_value("lighthouse")


def test_printed_practice_carries_its_address(page):
    practice = make_practice(title="Lighthouse radio alerts for stranded migrants")
    page.goto(practice.get_absolute_url())
    address = page.locator(".print-url")
    expect(address).to_be_hidden()
    page.emulate_media(media="print")
    expect(address).to_be_visible()
    expect(address).to_have_text(re.compile(rf"^This page: http://\S+/practices/{practice.pk}/$"))
    expect(page.locator(".site-header")).to_be_hidden()
    expect(page.locator(".citation")).to_be_visible()  # the citation prints too
