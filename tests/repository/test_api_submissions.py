"""repository/api/submissions.py: submitting, following, revising and deciding via the API."""

import pytest
from django.contrib.auth.models import Group, User
from django.core import mail
from rest_framework.test import APIClient

from repository.models import Practice, Status
from tests.factories import make_token

pytestmark = pytest.mark.django_db


def client_for(user=None, token=None):
    client = APIClient()
    if user is not None:
        token = make_token(user)
    if token is not None:
        client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client


@pytest.fixture
def partner():
    return User.objects.create_user("partner", "partner@example.org", "pw", first_name="Pat")


@pytest.fixture
def other():
    return User.objects.create_user("other", "other@example.org", "pw")


@pytest.fixture
def moderator():
    user = User.objects.create_user("mod", "mod@example.org", "pw")
    user.groups.add(Group.objects.get(name="moderators"))
    return user


BODY = {
    "title": "Diaspora hotline in Türkiye",
    "summary": "Volunteers answer calls from stranded migrants.",
    "body": "Runs **every day**. <script>alert(1)</script>",
    "phases": ["emergency"],
    "stakeholders": ["diaspora"],
    "guidelines": [9],
    "crisis_types": ["natural-disaster"],
    "countries": ["tr"],
    "year": 2023,
    "organizations": "Diaspora association",
    "source": {"title": "Annual report", "url": "https://example.org/report"},
}


def submit(client, **changes):
    return client.post("/api/v1/submissions/", {**BODY, **changes}, format="json")


def test_submit_needs_a_token():
    assert submit(APIClient()).status_code == 401
    assert submit(client_for(token="not-a-real-token")).status_code == 401
    assert not Practice.objects.filter(title=BODY["title"]).exists()


def test_submit_creates_a_submitted_practice(partner, moderator, tasks_worker):
    response = submit(client_for(partner))
    tasks_worker()
    assert response.status_code == 201, response.json()
    data = response.json()
    practice = Practice.objects.get(pk=data["id"])
    assert data["status"] == "submitted"
    assert data["url"].endswith(f"/api/v1/submissions/{practice.pk}/")
    assert practice.status == Status.SUBMITTED
    assert practice.submitted_by == partner
    assert [c.code for c in practice.countries.all()] == ["TR"]
    assert practice.source_url == "https://example.org/report"
    assert "<script>" not in data["body_html"]
    for private in ("submitter_name", "submitter_email", "internal_note", "reference"):
        assert private not in data
    assert "partner@example.org" not in response.content.decode()
    assert sorted(m.to[0] for m in mail.outbox) == ["mod@example.org", "partner@example.org"]
    # Not public.
    assert APIClient().get(f"/api/v1/practices/{practice.pk}/").status_code == 404


def test_missing_fields_and_unknown_tags_are_400_naming_each(partner):
    response = submit(
        client_for(partner),
        title="",
        phases=[],
        stakeholders=["aliens"],
        guidelines=[16],
        countries=["XX"],
        year_end=1990,
    )
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert set(errors) >= {"title", "phases", "stakeholders.0", "guidelines.0", "countries.0"}
    assert "“aliens” is not a known stakeholder." in errors["stakeholders.0"]
    assert "Give at least one phase." in errors["phases"]
    response = submit(client_for(partner), summary=None)
    assert "summary" in response.json()["errors"]
    body = {k: v for k, v in BODY.items() if k != "guidelines"}
    response = client_for(partner).post("/api/v1/submissions/", body, format="json")
    assert "guidelines" in response.json()["errors"]


def test_list_shows_own_submissions_and_moderators_see_all(partner, other, moderator):
    mine = submit(client_for(partner)).json()["id"]
    theirs = submit(client_for(other), title="Someone else's").json()["id"]
    own = client_for(partner).get("/api/v1/submissions/").json()
    assert [r["id"] for r in own["results"]] == [mine]
    assert set(own) >= {"count", "next", "previous", "results"}
    everyone = client_for(moderator).get("/api/v1/submissions/").json()
    assert {mine, theirs} <= {r["id"] for r in everyone["results"]}
    partner_client = client_for(partner)
    assert partner_client.get(f"/api/v1/submissions/{theirs}/").status_code == 404
    assert partner_client.get(f"/api/v1/submissions/{mine}/").status_code == 200


def test_decisions_by_moderators_only(partner, moderator):
    pk = submit(client_for(partner)).json()["id"]
    partner_client = client_for(partner)
    url = f"/api/v1/submissions/{pk}/decision/"
    assert partner_client.post(url, {"decision": "approve"}, format="json").status_code == 403
    assert APIClient().post(url, {"decision": "approve"}, format="json").status_code == 401
    mod = client_for(moderator)
    bad = mod.post(url, {"decision": "publish"}, format="json")
    assert bad.status_code == 400 and "decision" in bad.json()["errors"]
    response = mod.post(url, {"decision": "approve", "note": "Welcome"}, format="json")
    assert response.status_code == 200
    assert response.json()["status"] == "approved"
    assert response.json()["decision_note"] == "Welcome"
    assert APIClient().get(f"/api/v1/practices/{pk}/").status_code == 200
    again = mod.post(url, {"decision": "approve"}, format="json")
    assert again.status_code == 409
    assert "decision" in again.json()["errors"]
    assert mod.post(url, {"decision": "withdraw"}, format="json").json()["status"] == "withdrawn"
    assert APIClient().get(f"/api/v1/practices/{pk}/").status_code == 404


def test_revision_after_changes_requested(partner, moderator):
    pk = submit(client_for(partner)).json()["id"]
    partner_client = client_for(partner)
    url = f"/api/v1/submissions/{pk}/"
    # Under review: no revision.
    assert partner_client.patch(url, {"summary": "x"}, format="json").status_code == 409
    client_for(moderator).post(
        f"{url}decision/", {"decision": "request_changes", "note": "Add a year"}, format="json"
    )
    seen = partner_client.get(url).json()
    assert seen["status"] == "changes_requested"
    assert seen["decision_note"] == "Add a year"
    response = partner_client.patch(url, {"year": 2022, "year_end": 2023}, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "submitted"
    assert Practice.objects.get(pk=pk).year_end == 2023
    assert partner_client.put(url, BODY, format="json").status_code == 405


def test_someone_elses_submission_cannot_be_revised(partner, other, moderator):
    pk = submit(client_for(partner)).json()["id"]
    client_for(moderator).post(
        f"/api/v1/submissions/{pk}/decision/", {"decision": "request_changes", "note": "x"},
        format="json",
    )  # fmt: skip
    response = client_for(other).patch(f"/api/v1/submissions/{pk}/", {"year": 2020}, format="json")
    assert response.status_code == 404


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("guidelines", True, "Give each guideline number as a whole number, not true."),
        ("guidelines", 9.5, "Give each guideline number as a whole number, not 9.5."),
        ("guidelines", "9", 'Give each guideline number as a whole number, not "9".'),
        ("guidelines", 9.0, "Give each guideline number as a whole number, not 9.0."),
        ("principles", True, "Give each principle number as a whole number, not true."),
        ("principles", "1", 'Give each principle number as a whole number, not "1".'),
        ("phases", 1, "Give each phase as a string, not 1."),
        ("stakeholders", True, "Give each stakeholder as a string, not true."),
        ("crisis_types", ["conflict"], 'Give each crisis type as a string, not ["conflict"].'),
        ("countries", 90, "Give each ISO 3166-1 alpha-2 country code as a string, not 90."),
        ("countries", None, "This field may not be null."),
        ("stakeholders", "dia\x00spora", "Null characters are not allowed."),
    ],
)
def test_tags_of_the_wrong_type_are_400_naming_the_field(partner, field, value, message):
    response = submit(client_for(partner), **{field: [value]})
    assert response.status_code == 400, response.content
    assert response.json()["errors"] == {f"{field}.0": [message]}
    assert not Practice.objects.filter(title=BODY["title"]).exists()


def test_right_types_still_pass_and_store_what_was_meant(partner):
    response = submit(client_for(partner), guidelines=[9, 1], principles=[2])
    assert response.status_code == 201, response.content
    practice = Practice.objects.get(pk=response.json()["id"])
    assert sorted(g.number for g in practice.guidelines.all()) == [1, 9]
    assert [p.number for p in practice.principles.all()] == [2]


def test_a_title_with_a_line_break_is_a_400_naming_it(partner):
    response = submit(client_for(partner), title="Hotline\r\nBcc: victim@example.org")
    assert response.status_code == 400
    assert response.json() == {"errors": {"title": ["Use a single line, without line breaks."]}}
    assert not Practice.objects.filter(submitted_by=partner).exists()
