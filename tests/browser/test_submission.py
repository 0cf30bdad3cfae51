"""The public submission form (/practices/submit/) in headless Chromium, with and without
JavaScript: fill it in, send it with a mistake, fix it, get the receipt. axe checks the
form, its errors, the receipt and the moderators' review page.
"""

import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core import mail
from playwright.sync_api import expect

from repository.models import Practice, Status
from tests.browser.test_accessibility import blocking_violations
from tests.conftest import run_tasks

pytestmark = pytest.mark.browser

TITLE = "Storm alerts in Tagalog for seafarers in port"
SUMMARY = "A seafarers' union sends storm alerts by text message, in Tagalog, to crews in port."
BAD_EMAIL = "rosa.cruz.example.org"  # no @: the server refuses it (the form is novalidate)
EMAIL = "rosa.cruz@example.org"
GUIDELINE = "9. Communicate widely"  # the start of guideline 9's label
RECEIPT = re.compile(r"/practices/submit/(P-[\w-]+)/$")


@pytest.fixture(autouse=True)
def _no_minimum_fill_time(settings):
    # The live server runs in this process: it sees the override. A person takes longer
    # than SUBMISSION_MIN_SECONDS; Playwright does not.
    settings.SUBMISSION_MIN_SECONDS = 0


def choose_country(page, name, region):
    """Tick a country as a person would: typing part of its name in the filter box when
    the script has added it, else opening its region."""
    finder = page.get_by_label("Find a country")
    if finder.count():
        finder.fill(name[:3])
    else:
        group = page.locator("details.choice-group", has=page.get_by_text(region, exact=True))
        if not group.evaluate("details => details.open"):
            group.locator("summary").click()
    page.get_by_label(name, exact=True).check()


def fill_in(page, *, email=EMAIL, title=TITLE):
    """Fill the form as a person would: by the labels they read."""
    page.get_by_label("Name of the practice").fill(title)
    page.get_by_label("Short summary").fill(SUMMARY)
    page.get_by_label("Emergency response", exact=True).check()
    page.get_by_label("NGO", exact=True).check()
    page.get_by_label(GUIDELINE).check()
    choose_country(page, "Philippines", "Asia and the Pacific")
    choose_country(page, "Lebanon", "Middle East and North Africa")
    page.get_by_label("Year it started").fill("2014")
    page.get_by_label("Your name").fill("Rosa Cruz")
    page.get_by_label("Your e-mail").fill(email)
    page.get_by_label("I agree that this practice may be published").check()


def send(page):
    with page.expect_navigation():
        page.get_by_role("button", name="Submit for review").click()


def expect_email_error_and_entries_kept(page):
    summary = page.get_by_role("alert")
    expect(summary).to_be_visible()
    expect(summary.get_by_role("heading")).to_have_text("Please correct the following")
    expect(summary.get_by_role("listitem")).to_have_count(1)
    expect(summary.get_by_role("link", name="Your e-mail")).to_have_attribute(
        "href", "#id_submitter_email"
    )
    email = page.get_by_label("Your e-mail")
    # The message beside the field, tied to it for screen readers.
    expect(page.locator("#id_submitter_email_error")).to_have_text("Enter a valid email address.")
    expect(email).to_have_attribute("aria-invalid", "true")
    expect(email).to_have_accessible_description(re.compile("Enter a valid email address"))
    # Nothing typed or ticked is lost.
    expect(email).to_have_value(BAD_EMAIL)
    expect(page.get_by_label("Name of the practice")).to_have_value(TITLE)
    expect(page.get_by_label("Short summary")).to_have_value(SUMMARY)
    expect(page.get_by_label("Emergency response", exact=True)).to_be_checked()
    expect(page.get_by_label("Crisis preparedness", exact=True)).not_to_be_checked()
    expect(page.get_by_label("NGO", exact=True)).to_be_checked()
    expect(page.get_by_label(GUIDELINE)).to_be_checked()
    expect(page.get_by_label("Philippines", exact=True)).to_be_checked()
    expect(page.get_by_label("Lebanon", exact=True)).to_be_checked()
    expect(page.get_by_label("Year it started")).to_have_value("2014")
    expect(page.get_by_label("Your name")).to_have_value("Rosa Cruz")
    expect(page.get_by_label("I agree that this practice may be published")).to_be_checked()


@pytest.mark.parametrize("javascript", [True, False], ids=["javascript", "no-javascript"])
def test_submit_with_a_mistake_fix_it_and_get_the_receipt(new_page, javascript):
    page = new_page(java_script_enabled=javascript)
    page.goto("/practices/submit/")
    fill_in(page, email=BAD_EMAIL)

    send(page)

    assert page.url.endswith("/practices/submit/")
    expect_email_error_and_entries_kept(page)
    assert not Practice.objects.exists()

    page.get_by_label("Your e-mail").fill(EMAIL)
    send(page)

    expect(page).to_have_url(RECEIPT)
    reference = RECEIPT.search(page.url)[1]
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(page.locator(".reference")).to_have_text(reference)
    expect(page.locator(".status")).to_have_text("Submitted")
    expect(page.get_by_role("alert")).to_have_count(0)

    practice = Practice.objects.get()
    assert practice.reference == reference
    assert practice.status == Status.SUBMITTED
    assert practice.published_at is None
    assert (practice.title, practice.summary, practice.year) == (TITLE, SUMMARY, 2014)
    assert (practice.submitter_name, practice.submitter_email) == ("Rosa Cruz", EMAIL)
    assert [p.slug for p in practice.phases.all()] == ["emergency"]
    assert [s.slug for s in practice.stakeholders.all()] == ["ngo"]
    assert [g.number for g in practice.guidelines.all()] == [9]
    assert sorted(c.code for c in practice.countries.all()) == ["LB", "PH"]
    run_tasks()  # the e-mail worker
    assert EMAIL in [address for message in mail.outbox for address in message.to]

    # Nothing is public before a moderator approves it.
    page.goto("/practices/")
    expect(page.locator("#result-count")).to_have_text("0 practices")
    expect(page.get_by_text(TITLE)).to_have_count(0)
    assert page.goto(practice.get_absolute_url()).status == 404


def test_submission_pages_have_no_serious_accessibility_violations(new_page):
    page = new_page()
    found = {}

    page.goto("/practices/submit/")
    found["empty form"] = blocking_violations(page)

    fill_in(page, email=BAD_EMAIL)
    send(page)
    expect(page.get_by_role("alert")).to_be_visible()
    found["form with an error"] = blocking_violations(page)

    page.get_by_label("Your e-mail").fill(EMAIL)
    send(page)
    expect(page).to_have_url(RECEIPT)
    found["receipt"] = blocking_violations(page)

    # Everything at once: the summary lists every required field.
    page.goto("/practices/submit/")
    send(page)
    expect(page.get_by_role("alert").get_by_role("listitem")).not_to_have_count(0)
    found["empty form sent"] = blocking_violations(page)

    # A moderator as README.md makes one: a member of `moderators`, no staff status, who logs
    # in on the site's own page.
    user = get_user_model().objects.create_user("moderator", "mod@example.org", "a-long-passphrase")
    user.groups.add(Group.objects.get_or_create(name="moderators")[0])
    moderator = new_page()
    moderator.goto("/moderation/")
    expect(moderator).to_have_url(re.compile(r"/accounts/login/\?next=/moderation/$"))
    expect(moderator.get_by_role("heading", level=1)).to_have_text("Log in")
    found["login"] = blocking_violations(moderator)
    moderator.get_by_label("Username").fill("moderator")
    moderator.get_by_label("Password").fill("a-long-passphrase")
    with moderator.expect_navigation():
        moderator.get_by_role("button", name="Log in").click()
    expect(moderator).to_have_url(re.compile(r"/moderation/$"))
    expect(moderator.get_by_role("link", name=TITLE)).to_be_visible()
    found["moderation queue"] = blocking_violations(moderator)

    moderator.get_by_role("link", name=TITLE).click()
    expect(moderator.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(moderator.get_by_text(EMAIL).first).to_be_visible()  # the submitter, privately
    found["review"] = blocking_violations(moderator)

    # A decision without its required note: the review page with an error summary.
    moderator.get_by_label("Reject").check()
    with moderator.expect_navigation():
        moderator.get_by_role("button", name="Record decision").click()
    expect(moderator.get_by_role("alert")).to_be_visible()
    found["review with an error"] = blocking_violations(moderator)

    found = {where: violations for where, violations in found.items() if violations}
    assert not found, "\n".join(f"{where}: {v}" for where, vs in found.items() for v in vs)


def test_every_field_description_exists(page):
    # axe only marks a dangling aria-describedby for review ("incomplete"), not as a violation.
    page.goto("/practices/submit/")
    send(page)
    dangling = page.evaluate(
        """() => [...document.querySelectorAll("[aria-describedby]")].flatMap((element) =>
            element.getAttribute("aria-describedby").split(/\\s+/)
                .filter((id) => !document.getElementById(id))
                .map((id) => `#${element.id} -> ${id}`))"""
    )
    assert not dangling, dangling


def test_submission_form_fits_a_phone_screen(new_page):
    page = new_page(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    too_wide = {}

    def check(where):
        # As in test_practice_search.py: a phone zooms out to show a page that overflows,
        # which widens innerWidth too, so both are compared with the screen's 390 pixels.
        widths = page.evaluate(
            "({scroll: document.documentElement.scrollWidth, inner: window.innerWidth})"
        )
        if widths != {"scroll": 390, "inner": 390}:
            too_wide[where] = widths

    page.goto("/practices/submit/")
    expect(page.get_by_label("Name of the practice")).to_be_visible()
    check("empty form")

    send(page)  # nothing filled in: every required field has its error
    expect(page.get_by_role("alert")).to_be_visible()
    check("every error")

    long_word = "registrationofmigrantworkersbeforeevacuationflights" * 2
    fill_in(page, email=BAD_EMAIL, title=f"Lighthouse {long_word}")
    send(page)
    expect(page.get_by_role("alert")).to_be_visible()
    check("one error")

    page.get_by_label("Your e-mail").fill(EMAIL)
    send(page)
    expect(page).to_have_url(RECEIPT)
    check("receipt")

    assert not too_wide, f"pages wider than a 390px phone screen: {too_wide}"


DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}


def box(locator):
    return locator.bounding_box()


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_each_input_sits_under_its_own_label_and_boxes_before_theirs(new_page, viewport):
    page = new_page(viewport=viewport)
    page.goto("/practices/submit/")
    for name in ("year", "year_end", "title", "organizations", "submitter_email"):
        label, field = (
            box(page.locator(f'label[for="id_{name}"]')),
            box(page.locator(f"#id_{name}")),
        )
        assert field["y"] >= label["y"] + label["height"] - 1, name  # below its label
        assert abs(field["x"] - label["x"]) < 2, name  # in its column, not the neighbour's
    start, end = box(page.locator("#id_year")), box(page.locator("#id_year_end"))
    start_label = box(page.locator('label[for="id_year"]'))
    end_label = box(page.locator('label[for="id_year_end"]'))
    # Each year box is nearer its own label than the other one's.
    assert abs(start["x"] - start_label["x"]) < abs(start["x"] - end_label["x"]) or (
        start["y"] < end_label["y"]
    )
    assert end["y"] > end_label["y"]
    for name in ("credit_organization", "consent"):
        checkbox, label = (
            box(page.locator(f"#id_{name}")),
            box(page.locator(f'label[for="id_{name}"]')),
        )
        assert checkbox["x"] + checkbox["width"] <= label["x"] + 1, name  # the box comes first
        assert abs(checkbox["y"] - label["y"]) < 8, name  # on the label's first line
    # Checkboxes are targets of at least 24 by 24 CSS pixels.
    for checkbox in page.locator('input[type="checkbox"]:visible').all()[:40]:
        size = box(checkbox)
        assert size["width"] >= 24 and size["height"] >= 24, size


def test_countries_are_added_by_typing_not_replaced(new_page):
    page = new_page(viewport=PHONE)
    page.goto("/practices/submit/")
    finder = page.get_by_label("Find a country")
    expect(finder).to_be_visible()

    finder.fill("Nep")
    expect(page.get_by_label("Nepal", exact=True)).to_be_visible()
    expect(page.get_by_label("Qatar", exact=True)).to_be_hidden()
    page.get_by_label("Nepal", exact=True).check()
    finder.fill("Qat")
    expect(page.get_by_label("Nepal", exact=True)).to_be_hidden()
    page.get_by_label("Qatar", exact=True).check()
    finder.press("Enter")  # does not send the form
    assert page.url.endswith("/practices/submit/")

    finder.fill("")
    expect(page.get_by_label("Nepal", exact=True)).to_be_checked()
    expect(page.get_by_label("Qatar", exact=True)).to_be_checked()
    expect(page.locator(".choice-chosen")).to_have_text(
        re.compile("^Ticked: (Nepal, Qatar|Qatar, Nepal)$")
    )
    finder.fill("zzz")
    expect(page.get_by_text("No country has that in its name.")).to_be_visible()


def test_countries_are_chosen_by_region_without_javascript(new_page):
    page = new_page(java_script_enabled=False)
    page.goto("/practices/submit/")
    expect(page.get_by_label("Find a country")).to_have_count(0)
    page.locator("summary", has_text="Asia and the Pacific").click()
    page.get_by_label("Nepal", exact=True).check()
    page.locator("summary", has_text="Middle East and North Africa").click()
    page.get_by_label("Qatar", exact=True).check()
    send(page)  # the rest is missing: the form comes back with the two countries kept
    expect(page.get_by_role("alert")).to_be_visible()
    expect(page.get_by_label("Nepal", exact=True)).to_be_checked()
    expect(page.get_by_label("Qatar", exact=True)).to_be_checked()


def test_a_too_fast_submission_names_no_hidden_field(new_page, settings):
    settings.SUBMISSION_MIN_SECONDS = 600
    page = new_page()
    page.goto("/practices/submit/")
    fill_in(page)
    send(page)
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("That was very fast")
    expect(summary).not_to_contain_text("Started")
    expect(summary.get_by_role("link")).to_have_count(0)  # no field to go to
    assert not Practice.objects.exists()
