"""Bad input is never a server error: every URL pattern, every API parameter and the
submission bodies, with NUL characters, over-long, wrong-type and malformed values.

micic/middleware.py (NUL characters), micic/api.py (JSON bounds) and every view."""

import re
from urllib.parse import quote

import pytest
from django.contrib.admindocs.views import simplify_regex
from django.contrib.auth.models import User
from django.urls import URLPattern, URLResolver, get_resolver
from drf_spectacular.generators import SchemaGenerator
from rest_framework.test import APIClient

from repository.models import Practice, Status
from tests.factories import make_practice, make_token

pytestmark = pytest.mark.django_db

# Path segments and parameter values, already URL-encoded.
NUL = "%00"
BAD_VALUES = {
    "nul": NUL,
    "nul-inside": "a%00b",
    "over-long": "x" * 3000,
    "wrong-type": "abc",
    "negative": "-1",
    "huge-number": "9" * 40,
    "malformed-utf8": "%FF%FE",
    "punctuation": quote("[]{}\"'\\;--/*"),
}
# A value that each path placeholder accepts, so the bad ones are tried one at a time.
GOOD_SEGMENTS = {
    "slug": "emergency",
    "number": "1",
    "app_label": "repository",
    "reference": "P-unknown",
    "url": "",
    "var": "",
}


def url_patterns(patterns=None, prefix=""):
    """(pattern as a regex or route string) for every URL the site routes."""
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(entry, URLResolver):
            yield from url_patterns(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern)


def sample_paths(pattern: str, ids: dict[str, str]) -> dict[str, str]:
    """{case: path}: the pattern with good values, then with each bad one in each place."""
    template = simplify_regex(pattern)
    names = re.findall(r"<(\w+)>", template)

    def fill(bad_name=None, bad_value=None):
        path = template
        for name in names:
            value = bad_value if name == bad_name else ids.get(name, GOOD_SEGMENTS.get(name, "1"))
            path = path.replace(f"<{name}>", value, 1)
        return path

    cases = {"good": fill()}
    for name in names:
        for case, value in BAD_VALUES.items():
            cases[f"{name}={case}"] = fill(name, value)
    if not names:
        cases["nul-appended"] = cases["good"] + NUL
    return cases


@pytest.fixture
def no_throttles(settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {
            "anon": "100000/min",
            "user": "100000/min",
            "invalid_token": "100000/min",
        },
    }


@pytest.fixture
def superuser_client(client):
    user = User.objects.create_superuser("sweeper", "sweeper@example.org", "pw")
    client.force_login(user)
    client.user = user
    client.raise_request_exception = False  # a 500 is reported with the others
    return client


@pytest.fixture
def ids(superuser_client):
    practice = Practice.objects.published().first()
    submission = make_practice(status=Status.SUBMITTED, reference="P-sweep")
    submission.submitted_by = superuser_client.user
    submission.save()
    return {
        "pk": str(practice.pk),
        "id": str(submission.pk),
        "object_id": str(practice.pk),
        "reference": "P-sweep",
        "slug": practice.slug,
    }


def test_every_url_pattern_with_bad_path_values(superuser_client, ids, no_throttles):
    anonymous = APIClient(raise_request_exception=False)
    failures = []
    patterns = list(url_patterns())
    assert len(patterns) > 100  # the admin's, the API's and the site's
    for pattern in patterns:
        for case, path in sample_paths(pattern, ids).items():
            # Anonymous too, except in the admin (which only redirects them to log in).
            clients = (
                [superuser_client] if path.startswith("/admin/") else [superuser_client, anonymous]
            )
            for client in clients:
                status = client.get(path).status_code
                if status >= 500:
                    failures.append(f"{status} GET {path[:120]} ({pattern}, {case})")
                if NUL in path and status != 400:
                    failures.append(f"{status}, not 400, for a NUL: GET {path[:120]}")
    assert not failures, "\n".join(failures)


def api_operations(ids):
    """(path with good path parameters, [query parameter names]) of every GET in the schema."""
    schema = SchemaGenerator().get_schema(request=None, public=True)
    values = {"id": ids["id"], "slug": "emergency", "number": "1", "code": "TR"}
    for path, operations in schema["paths"].items():
        if "get" not in operations:
            continue
        concrete = path
        if path.startswith("/api/v1/practices/{id}"):
            concrete = path.replace("{id}", ids["pk"])
        for name, value in values.items():
            concrete = concrete.replace("{" + name + "}", value)
        params = [p["name"] for p in operations["get"].get("parameters", []) if p["in"] == "query"]
        yield concrete, params


def test_every_api_parameter_with_bad_values(superuser_client, ids, no_throttles):
    token = make_token(superuser_client.user)
    api = APIClient(raise_request_exception=False)
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    operations = list(api_operations(ids))
    list_params = dict(operations)["/api/v1/practices/"]
    assert {"q", "phase", "country", "updated_since", "page", "facets"} <= set(list_params)
    # The HTML surfaces that take the same filters, and the moderation queue's.
    operations += [
        ("/practices/", list_params),
        ("/feeds/practices/", list_params),
        ("/moderation/", ["status", "older_than", "page"]),
    ]
    failures = []
    for path, params in operations:
        assert re.fullmatch(r"[\w/-]+", path), path
        client = superuser_client if not path.startswith("/api/") else api
        for param in params:
            for case, value in BAD_VALUES.items():
                status = client.get(f"{path}?{param}={value}").status_code
                if status >= 500:
                    failures.append(f"{status} GET {path}?{param}=… ({case})")
                if case.startswith("nul") and status != 400:
                    failures.append(f"{status}, not 400, for a NUL: {path}?{param}")
            name_status = client.get(f"{path}?{param}{NUL}=1").status_code
            if name_status != 400:
                failures.append(f"{name_status}, not 400, for a NUL in the name {param}")
    assert not failures, "\n".join(failures)


# The three server errors of issue 15 ---------------------------------------------------------


def test_a_nul_in_a_path_is_a_400(client):
    assert client.get("/practices/submit/P-%00/").status_code == 400


def test_a_nul_in_an_admin_filter_is_a_400(superuser_client):
    assert superuser_client.get("/admin/repository/practice/?status__exact=%00").status_code == 400


def test_a_nul_in_an_api_parameter_is_a_400_naming_it(client):
    response = client.get("/api/v1/practices/?q=a%00b")
    assert response.status_code == 400
    assert response.json() == {"errors": {"q": ["Null characters are not allowed."]}}


# Bodies -------------------------------------------------------------------------------------

SUBMISSION = {
    "title": "A practice",
    "summary": "What was done.",
    "phases": ["emergency"],
    "stakeholders": ["diaspora"],
    "guidelines": [9],
}
WRONG_VALUES = [None, True, 1.5, -1, "x" * 100_000, "", [], {}, [[]], "a\x00b", ["a\x00b"]]


@pytest.fixture
def partner_api():
    user = User.objects.create_user("body-partner", "partner@example.org", "pw")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {make_token(user)}")
    return client


def post_raw(client, body: bytes, path="/api/v1/submissions/"):
    return client.generic("POST", path, body, content_type="application/json")


@pytest.mark.parametrize(
    ("name", "body"),
    [
        ("deeply nested arrays", b"[" * 100_000 + b"]" * 100_000),
        ("deeply nested objects", b'{"a":' * 50_000 + b"1" + b"}" * 50_000),
        ("nested past the limit", b'{"title": ' + b"[" * 21 + b"]" * 21 + b"}"),
        ("larger than the limit", b'{"title": "' + b"x" * 3_000_000 + b'"}'),
        ("not JSON", b"{not json"),
        ("not UTF-8", b'{"title": "\xff\xfe"}'),
        ("NaN", b'{"year": NaN}'),
        ("empty", b""),
    ],
)
def test_bad_json_bodies_are_a_400(partner_api, name, body):
    response = post_raw(partner_api, body)
    assert response.status_code == 400, (name, response.content[:300])
    assert "errors" in response.json()


@pytest.mark.parametrize("body", [b"[]", b'"text"', b"42", b"null", b"true"])
def test_a_body_that_is_not_an_object_is_a_400(partner_api, body):
    assert post_raw(partner_api, body).status_code == 400


def test_every_submission_field_with_wrong_values(partner_api, django_capture_on_commit_callbacks):
    fields = [
        *SUBMISSION,
        "body",
        "crisis_types",
        "principles",
        "countries",
        "year",
        "year_end",
        "organizations",
        "source",
        "language",
    ]
    failures = []
    with django_capture_on_commit_callbacks(execute=False):
        for field in fields:
            for value in WRONG_VALUES:
                response = partner_api.post(
                    "/api/v1/submissions/", {**SUBMISSION, field: value}, format="json"
                )
                status = response.status_code
                if status >= 500 or ("\x00" in repr(value) and status != 400):
                    failures.append(f"{status} for {field}={repr(value)[:40]}")
                elif status == 400 and field not in "".join(response.json()["errors"]):
                    failures.append(f"400 not naming {field}: {response.json()['errors']}")
    assert not failures, "\n".join(failures)


def test_decisions_and_revisions_with_wrong_values(superuser_client, ids):
    token = make_token(superuser_client.user)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    submission = f"/api/v1/submissions/{ids['id']}/"
    for value in WRONG_VALUES:
        body = {"decision": value, "note": "Fine"}
        assert api.post(f"{submission}decision/", body, format="json").status_code == 400
    for value in WRONG_VALUES:
        # A note that DRF reads as text (1.5 → "1.5") is a decision; then the status has
        # changed, and further decisions are refused (409).
        body = {"decision": "request_changes", "note": value}
        status = api.post(f"{submission}decision/", body, format="json").status_code
        assert status in (200, 400, 409), (value, status)
        status = api.patch(submission, {"title": value}, format="json").status_code
        assert status in (200, 400, 403, 409), (value, status)
