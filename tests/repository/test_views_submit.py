"""repository/views/submit.py: the public form, the receipt and the status page."""

import re
import time

import pytest
from django.core import mail, signing

from guidelines.models import Guideline, Phase
from repository.forms import TIMESTAMP_SALT, SubmissionForm
from repository.models import Country, Practice, Stakeholder, Status

pytestmark = pytest.mark.django_db


def started(seconds_ago=60):
    return signing.dumps(time.time() - seconds_ago, salt=TIMESTAMP_SALT)


def valid_data(**overrides):
    data = {
        "title": "Text alerts in Tagalog for seafarers",
        "summary": "A union sends storm alerts by SMS in Tagalog to seafarers in port.",
        "body": "Started after **Typhoon Haiyan**.",
        "phases": [Phase.objects.get(slug="preparedness").pk],
        "stakeholders": [Stakeholder.objects.get(slug="ngo").pk],
        "crisis_types": [],
        "guidelines": [Guideline.objects.get(number=6).pk],
        "principles": [],
        "countries": ["PH"],
        "year": "2014",
        "year_end": "",
        "organizations": "Seafarers' union",
        "source_title": "Annual report 2015",
        "source_url": "https://example.org/report",
        "language": "en",
        "submitter_name": "Rosa Cruz",
        "submitter_email": "rosa@example.org",
        "submitter_organization": "Seafarers' union",
        "credit_organization": "on",
        "consent": "on",
        "website": "",
        "started": started(),
    }
    data.update(overrides)
    return data


def test_form_page_has_every_field_labelled(client):
    response = client.get("/practices/submit/")
    assert response.status_code == 200
    content = response.content.decode()
    for name in (
        "title", "summary", "body", "phases", "stakeholders", "crisis_types", "guidelines",
        "principles", "countries", "year", "year_end", "organizations", "source_title",
        "source_url", "language", "submitter_name", "submitter_email", "submitter_organization",
        "credit_organization", "consent",
    ):  # fmt: skip
        assert f'name="{name}"' in content, name
    assert "<legend>States</legend>" in content or ">States</label>" in content
    assert "9. Communicate widely" in content  # guidelines with number and title
    assert "<summary>Middle East and North Africa</summary>" in content  # countries by region
    assert 'name="csrfmiddlewaretoken"' in content
    assert 'name="website"' in content and 'class="hp" aria-hidden="true"' in content


REQUIRED = {
    "title", "summary", "phases", "stakeholders", "guidelines", "submitter_name",
    "submitter_email", "consent",
}  # fmt: skip


def field_label(content: str, name: str) -> str:
    """The text of the label (or, for a group of boxes, the legend) of field ``name``."""
    label = re.search(rf'<label for="id_{name}">(.*?)</label>', content, re.S)
    if label:
        return label.group(1)
    before = content[: content.index(f'id="id_{name}"')]
    return before[before.rindex("<legend>") :]


def test_every_field_says_truthfully_whether_it_may_be_left_empty(client):
    content = client.get("/practices/submit/").content.decode()
    form_required = {name for name, field in SubmissionForm().fields.items() if field.required}
    assert form_required == REQUIRED
    for name in SubmissionForm().fields:
        if name in ("website", "started"):  # the honeypot and the start time: never seen
            continue
        marked = "(optional)" in field_label(content, name)
        assert marked == (name not in REQUIRED), name
    assert "Fields marked “(optional)” may be left empty" in content


def test_form_and_api_require_the_same_practice_fields(client):
    from django.contrib.auth.models import User

    user = User.objects.create_user("partner", "p@example.org", "pw")
    client.force_login(user)
    body = {
        "title": "A title",
        "summary": "A summary.",
        "phases": ["emergency"],
        "stakeholders": ["ngo"],
        "guidelines": [9],
    }
    assert (
        client.post("/api/v1/submissions/", body, content_type="application/json").status_code
        == 201
    )
    for name in body:
        partial = {key: value for key, value in body.items() if key != name}
        response = client.post("/api/v1/submissions/", partial, content_type="application/json")
        assert response.status_code == 400, name
        assert name in response.json()["errors"], name
    practice_required = {
        name for name, field in SubmissionForm().fields.items() if field.required
    } - {"submitter_name", "submitter_email", "consent"}
    assert practice_required == set(body)


def test_errors_of_hidden_fields_are_told_about_the_form_not_a_field(client, settings):
    settings.SUBMISSION_MIN_SECONDS = 30
    response = client.post("/practices/submit/", valid_data(started=started(seconds_ago=1)))
    content = response.content.decode()
    assert response.status_code == 200
    summary = content[content.index('id="error-summary"') :]
    summary = summary[: summary.index("</div>")]
    assert "That was very fast" in summary
    assert "Started" not in summary and "started" not in summary.lower().replace("“", "")
    assert 'href="#id_started"' not in summary
    assert response.context["form"].errors.get("started") is None

    response = client.post("/practices/submit/", valid_data(website="http://spam.example"))
    summary = response.content.decode()
    assert "The form could not be accepted" in summary
    assert "Leave this field empty:" not in summary
    assert not Practice.objects.filter(submitter_email="rosa@example.org").exists()


def test_valid_submission_leads_to_a_receipt_and_emails(client, tasks_worker):
    response = client.post("/practices/submit/", valid_data())
    practice = Practice.objects.get(title="Text alerts in Tagalog for seafarers")
    assert response.status_code == 302
    assert response["Location"] == f"/practices/submit/{practice.reference}/"
    assert practice.status == Status.SUBMITTED
    assert practice.submitter_email == "rosa@example.org"
    assert list(practice.countries.all()) == [Country.objects.get(code="PH")]
    assert practice.year == 2014
    receipt = client.get(response["Location"])
    assert receipt.status_code == 200
    assert practice.reference.encode() in receipt.content
    assert b"Submitted" in receipt.content
    assert b"A receipt is on its way to your e-mail address." in receipt.content
    tasks_worker()
    assert [m.to for m in mail.outbox][0] == ["rosa@example.org"]
    receipt = client.get(response["Location"])
    assert b"We have e-mailed you a receipt." in receipt.content
    # Not public yet.
    assert client.get(f"/practices/{practice.pk}/").status_code == 404


def test_errors_are_shown_beside_fields_and_everything_typed_is_kept(client):
    data = valid_data(title="", phases=[], guidelines=[], submitter_email="not-an-email")
    response = client.post("/practices/submit/", data)
    assert response.status_code == 200
    content = response.content.decode()
    assert 'role="alert"' in content
    assert "This field is required." in content
    assert "Tick at least one crisis phase." in content
    assert "Tick at least one guideline." in content
    assert "Enter a valid email address." in content
    # The user's text is intact.
    assert "A union sends storm alerts by SMS in Tagalog to seafarers in port." in content
    assert "Started after **Typhoon Haiyan**." in content
    assert 'value="not-an-email"' in content
    assert re.search(r'<input type="checkbox" name="countries" value="PH" [^>]*checked', content)
    assert (
        f'value="{Stakeholder.objects.get(slug="ngo").pk}" id="id_stakeholders_3_1" checked'
        in content
    )
    assert not Practice.objects.filter(submitter_email="not-an-email").exists()


def test_end_year_before_start_year_is_an_error(client):
    response = client.post("/practices/submit/", valid_data(year="2015", year_end="2010"))
    assert b"The end year cannot be before the start year." in response.content


def test_honeypot_rejects_bots(client):
    response = client.post("/practices/submit/", valid_data(website="http://spam.example"))
    assert response.status_code == 200
    assert b"The form could not be accepted." in response.content
    assert not Practice.objects.filter(title="Text alerts in Tagalog for seafarers").exists()


def test_too_fast_submission_is_refused(client):
    response = client.post("/practices/submit/", valid_data(started=started(seconds_ago=0)))
    assert b"That was very fast." in response.content
    assert not Practice.objects.filter(title="Text alerts in Tagalog for seafarers").exists()


def test_forged_timestamp_is_refused(client):
    response = client.post("/practices/submit/", valid_data(started="123"))
    assert b"The form has expired." in response.content


def test_rate_limit_per_ip_keeps_the_text(client, settings):
    from django.core.cache import cache

    cache.clear()
    settings.SUBMISSION_RATE_LIMIT = 2
    for i in range(2):
        response = client.post("/practices/submit/", valid_data(title=f"Practice {i}"))
        assert response.status_code == 302
    response = client.post("/practices/submit/", valid_data(title="One too many"))
    assert response.status_code == 429
    assert b"Too many submissions" in response.content
    assert b'value="One too many"' in response.content
    assert not Practice.objects.filter(title="One too many").exists()
    cache.clear()


def test_rate_limit_behind_a_load_balancer_counts_each_client(client, settings):
    """Behind DJANGO_API_NUM_PROXIES proxies, the client is the address they forwarded."""
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}
    settings.SUBMISSION_RATE_LIMIT = 1
    proxy = {"REMOTE_ADDR": "10.0.0.2"}
    first = client.post(
        "/practices/submit/", valid_data(title="A"), HTTP_X_FORWARDED_FOR="203.0.113.1", **proxy
    )
    other = client.post(
        "/practices/submit/", valid_data(title="B"), HTTP_X_FORWARDED_FOR="203.0.113.2", **proxy
    )
    again = client.post(
        "/practices/submit/", valid_data(title="C"), HTTP_X_FORWARDED_FOR="203.0.113.1", **proxy
    )
    assert [first.status_code, other.status_code, again.status_code] == [302, 302, 429]


def test_html_in_submitted_text_is_inert(client):
    data = valid_data(
        title="<script>alert('t')</script>Title",
        summary='<img src=x onerror="alert(1)">Summary',
        body="[x](javascript:alert(1)) <svg onload=alert(1)>",
        organizations="<b>Org</b>",
    )
    response = client.post("/practices/submit/", data)
    practice = Practice.objects.get(submitter_email="rosa@example.org")
    page = client.get(response["Location"]).content.decode()
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(&#x27;t&#x27;)&lt;/script&gt;Title" in page
    assert "javascript:" not in practice.body_html


def test_unknown_reference_is_a_404(client):
    assert client.get("/practices/submit/P-doesnotexist/").status_code == 404


def test_submitter_revises_after_changes_requested(client):
    from django.contrib.auth.models import User

    from repository import workflow

    client.post("/practices/submit/", valid_data())
    practice = Practice.objects.get(submitter_email="rosa@example.org")
    moderator = User.objects.create_superuser("boss", "boss@example.org", "pw")
    workflow.decide(
        practice=practice,
        decision="request_changes",
        actor=moderator,
        note="Add the year it ended.",
    )
    url = f"/practices/submit/{practice.reference}/"
    page = client.get(url).content.decode()
    assert "Add the year it ended." in page
    assert 'name="revise-title"' in page
    data = {f"revise-{k}": v for k, v in valid_data(year_end="2016").items()}
    response = client.post(url, data)
    assert response.status_code == 302
    practice.refresh_from_db()
    assert practice.status == Status.SUBMITTED
    assert practice.year_end == 2016
    # No second revision while it is under review.
    assert client.post(url, data).status_code == 409


def test_a_reference_typed_in_capitals_lower_case_or_with_look_alikes_finds_its_page(client):
    client.post("/practices/submit/", valid_data())
    practice = Practice.objects.get(submitter_email="rosa@example.org")
    reference = practice.reference
    assert not set(reference[2:]) & set("ILOU")
    for typed in (
        reference.lower(),
        reference.replace("-", ""),
        reference.lower().replace("1", "l"),
    ):
        response = client.get(f"/practices/submit/{typed}/")
        assert response.status_code == 302, typed
        assert response["Location"] == f"/practices/submit/{reference}/"
    assert client.get(f"/practices/submit/{reference}/").status_code == 200


def test_references_issued_before_the_new_alphabet_still_work(client):
    from tests.factories import make_practice

    make_practice(status=Status.SUBMITTED, reference="P-aB3_xY9lKq2")
    assert client.get("/practices/submit/P-aB3_xY9lKq2/").status_code == 200


def test_email_links_use_the_site_address(client, settings, tasks_worker):
    settings.SITE_URL = "http://127.0.0.1:9000"
    client.post("/practices/submit/", valid_data())
    tasks_worker()
    practice = Practice.objects.get(submitter_email="rosa@example.org")
    receipt = mail.outbox[0].body
    assert f"http://127.0.0.1:9000/practices/submit/{practice.reference}/" in receipt
    assert "127.0.0.1:8000" not in receipt


@pytest.mark.parametrize("title", ["Drill\r\nBcc: victim@example.org", "Two\nlines", "CR\ronly"])
def test_a_title_with_a_line_break_is_a_form_error_and_the_text_is_kept(client, title):
    data = valid_data(title=title)
    response = client.post("/practices/submit/", data)
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["title"] == ["Use a single line, without line breaks."]
    assert form.data["summary"] == data["summary"]
    assert not Practice.objects.filter(submitter_email=data["submitter_email"]).exists()
