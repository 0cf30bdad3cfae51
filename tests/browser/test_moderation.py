"""The moderators' queue and review page in headless Chromium, at desktop and phone widths:
readable (no word cut in two), the "revised" flag, the diff of a revision, duplicate hints."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from playwright.sync_api import expect

from repository import workflow
from repository.models import Country, Status
from tests.browser.test_accessibility import blocking_violations
from tests.factories import make_practice

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}

# Every word of the queue's cells, as the browser lays it out: a word drawn on two lines has
# two boxes.
BROKEN_WORDS = """() => {
  const broken = [];
  for (const cell of document.querySelectorAll('.queue td, .queue th')) {
    const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const text = node.textContent;
      for (const match of text.matchAll(/\\S+/g)) {
        const range = document.createRange();
        range.setStart(node, match.index);
        range.setEnd(node, match.index + match[0].length);
        const lines = new Set([...range.getClientRects()].map((r) => Math.round(r.top)));
        if (lines.size > 1) broken.push(match[0]);
      }
    }
  }
  return broken;
}"""


def moderator_page(new_page, site, viewport):
    moderator = get_user_model().objects.create_superuser("mod", "mod@example.org", "pw")
    client = Client()
    client.force_login(moderator)
    page = new_page(viewport=viewport)
    cookie = client.cookies["sessionid"]
    page.context.add_cookies([{"name": "sessionid", "value": cookie.value, "url": site.url}])
    return page, moderator


@pytest.fixture
def queue(site):
    original = make_practice(
        title="Consular registration drive for seafarers in Manila",
        organizations="Seafarers' Union",
        year=2014,
        countries=["PH"],
    )
    waiting = [
        make_practice(
            status=Status.SUBMITTED,
            title="Internationalisation of humanitarian telecommunications for stranded migrants",
            submitter_name="Maria Fernanda Rodríguez-Villalobos",
            submitter_organization="International Federation of Migrant Domestic Workers",
        ),
        make_practice(status=Status.SUBMITTED, title="Short", submitter_name="Rosa"),
    ]
    revised = make_practice(
        status=Status.SUBMITTED,
        title="Registration drive for seafarers",
        summary="Consuls registered seafarers.",
        organizations="Seafarers' Union",
        year=2014,
        countries=["PH"],
        submitter_name="Ana",
    )
    return {"original": original, "waiting": waiting, "revised": revised}


def send_back(practice, moderator):
    workflow.decide(practice=practice, decision="request_changes", actor=moderator, note="Where?")
    workflow.resubmit(
        practice=practice,
        actor=None,
        fields={"title": "Consular registration drive for seafarers in Manila"},
        tags={"countries": [Country.objects.get(code="PH")]},
    )


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_queue_is_readable_and_flags_revisions(new_page, site, queue, viewport):
    page, moderator = moderator_page(new_page, site, viewport)
    send_back(queue["revised"], moderator)
    page.goto("/moderation/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Moderation queue")
    rows = page.locator(".queue tbody tr")
    expect(rows).to_have_count(3)

    assert page.evaluate(BROKEN_WORDS) == []
    assert page.evaluate("document.documentElement.scrollWidth") == viewport["width"]
    revised_row = rows.filter(has_text="Consular registration drive for seafarers in Manila")
    expect(revised_row.locator(".status-revised")).to_have_text("Revised")
    expect(rows.filter(has_text="Short").locator(".status-revised")).to_have_count(0)
    assert not blocking_violations(page)

    with page.expect_navigation():
        revised_row.get_by_role("link").click()
    changes = page.locator("section.revision")
    expect(changes.get_by_role("heading")).to_contain_text("what changed")
    expect(changes.locator("ins").first).to_contain_text("Consular")
    expect(changes.locator("ins").last).to_contain_text("Manila")
    hints = page.locator("ol.duplicates li")
    expect(hints.first).to_contain_text(queue["original"].title)
    expect(hints.first).to_contain_text("same organisations")
    assert page.evaluate("document.documentElement.scrollWidth") == viewport["width"]
    assert not blocking_violations(page)
