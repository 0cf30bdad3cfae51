"""micic/middleware.py, with Django's security middleware as configured in settings.py: the
security headers on every page, API response and error; the 503 when the database is down.
"""

import json
import re

import pytest
from django.db import OperationalError
from django.test import Client

from micic.middleware import PERMISSIONS_POLICY

pytestmark = pytest.mark.django_db

PAGES = ["/", "/practices/", "/guidelines/1/", "/practices/submit/", "/no-such-page/"]
API = ["/api/v1/", "/api/v1/practices/", "/api/v1/phases/emergency/", "/api/no-such-thing/"]
OTHER = ["/healthz", "/robots.txt", "/test-failure/bug/", "/api/test-failure/bug/"]


@pytest.fixture
def client():
    # Errors are answered as in production, not raised into the test.
    return Client(raise_request_exception=False)


@pytest.mark.urls("tests.micic.urls")
@pytest.mark.parametrize("path", [*PAGES, *API, *OTHER])
def test_every_response_carries_the_security_headers(client, path):
    response = client.get(path)
    assert response.status_code in (200, 404, 500), path
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "script-src 'self'" in csp
    assert "object-src 'none'" in csp
    assert "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp
    assert "unsafe-eval" not in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["Permissions-Policy"] == PERMISSIONS_POLICY


def test_permissions_policy_denies_the_powerful_features():
    features = dict(item.split("=") for item in PERMISSIONS_POLICY.split(", "))
    assert features == {
        "camera": "()",
        "geolocation": "()",
        "microphone": "()",
        "payment": "()",
        "usb": "()",
    }


def test_a_view_may_set_its_own_permissions_policy(rf):
    from django.http import HttpResponse

    from micic.middleware import PermissionsPolicyMiddleware

    def view(request):
        response = HttpResponse()
        response["Permissions-Policy"] = "camera=(self)"
        return response

    response = PermissionsPolicyMiddleware(view)(rf.get("/"))
    assert response["Permissions-Policy"] == "camera=(self)"


@pytest.mark.urls("tests.micic.urls")
def test_an_inline_script_runs_only_with_the_nonce_of_its_response(client):
    first, second = client.get("/test-inline-script/"), client.get("/test-inline-script/")
    nonces = []
    for response in (first, second):
        nonce = re.search(r'<script nonce="([^"]+)">', response.content.decode()).group(1)
        assert f"script-src 'self' 'nonce-{nonce}'" in response["Content-Security-Policy"]
        nonces.append(nonce)
    assert nonces[0] != nonces[1], "a fresh nonce per response"


# Database unavailable -----------------------------------------------------------------------


@pytest.mark.urls("tests.micic.urls")
@pytest.mark.parametrize("name", ["database-down", "connection-closed"])
def test_database_outage_in_a_view_is_a_friendly_503_page(client, name, caplog):
    response = client.get(f"/test-failure/{name}/")
    assert response.status_code == 503
    assert response["Content-Type"].startswith("text/html")
    assert response["Retry-After"] == "30"
    assert "no-store" in response["Cache-Control"]
    body = response.content.decode()
    assert "<h1>Temporarily unavailable</h1>" in body
    assert "secret detail" not in body
    assert "Traceback" not in body
    # One line in the log (not a second one from django.request), no traceback.
    records = caplog.records
    assert [r.name for r in records] == ["micic.views"]
    assert records[0].exc_info is None
    assert "secret detail" in records[0].getMessage()


@pytest.mark.urls("tests.micic.urls")
def test_database_outage_in_the_api_is_a_json_503(client):
    response = client.get("/api/test-failure/database-down/")
    assert response.status_code == 503
    assert response["Content-Type"] == "application/json"
    assert response["Retry-After"] == "30"
    assert json.loads(response.content) == {
        "errors": {
            "database": [
                "The repository cannot reach its database right now. Please try again in a minute."
            ]
        }
    }


def test_database_outage_in_a_real_page_and_api_view(client, monkeypatch):
    from django.db.backends.base.base import BaseDatabaseWrapper

    def refuse(self, *args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(BaseDatabaseWrapper, "cursor", refuse)
    page = client.get("/practices/")
    assert page.status_code == 503
    assert b"Temporarily unavailable" in page.content
    api = client.get("/api/v1/practices/")
    assert api.status_code == 503
    assert list(api.json()["errors"]) == ["database"]


class FailingSessionMiddleware:
    """Stands for sessions or authentication failing on the database outside any view."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        raise OperationalError("secret detail: server closed the connection unexpectedly")


@pytest.mark.parametrize(("path", "content_type"), [("/", "text/html"), ("/api/v1/", "app")])
def test_database_outage_in_middleware_is_a_503_too(client, settings, path, content_type):
    position = settings.MIDDLEWARE.index("django.contrib.sessions.middleware.SessionMiddleware")
    settings.MIDDLEWARE = [
        *settings.MIDDLEWARE[: position + 1],
        "tests.micic.test_middleware.FailingSessionMiddleware",
        *settings.MIDDLEWARE[position + 1 :],
    ]
    response = client.get(path)
    assert response.status_code == 503
    assert response["Content-Type"].startswith(content_type)
    assert response["Retry-After"] == "30"
    assert b"secret detail" not in response.content
    assert response["Permissions-Policy"] == PERMISSIONS_POLICY


@pytest.mark.urls("tests.micic.urls")
def test_in_debug_a_database_error_is_left_to_the_debug_page(client, settings):
    settings.DEBUG = True
    response = client.get("/test-failure/database-down/")
    assert response.status_code == 500


# The API's limit on query strings -------------------------------------------------------------


def test_an_over_long_api_query_string_is_a_json_414(client):
    from micic.middleware import API_MAX_QUERY_STRING

    query = "q=" + "a" * API_MAX_QUERY_STRING
    response = client.get(f"/api/v1/practices/?{query}", HTTP_ORIGIN="https://partner.example")
    assert response.status_code == 414
    assert response["Content-Type"] == "application/json"
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response.json() == {
        "errors": {
            "detail": [
                f"The query string is too long ({len(query)} characters; "
                f"at most {API_MAX_QUERY_STRING})."
            ]
        }
    }
    # Up to the limit, the API answers as usual.
    query = "&".join(["phase=emergency"] * 256)
    assert len(query) <= API_MAX_QUERY_STRING
    assert client.get(f"/api/v1/practices/?{query}").status_code == 200


def test_pages_are_not_held_to_the_api_limit(client):
    from micic.middleware import API_MAX_QUERY_STRING

    query = "&".join(["phase=emergency"] * 300)
    assert len(query) > API_MAX_QUERY_STRING
    assert client.get(f"/practices/?{query}").status_code == 200
