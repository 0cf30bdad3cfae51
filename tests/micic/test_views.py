"""micic/views.py: /healthz and the error pages (friendly, no debug details; JSON under /api/)."""

import json
from html.parser import HTMLParser

import pytest
from django.db import OperationalError
from django.test import Client

pytestmark = pytest.mark.django_db


@pytest.fixture
def client():
    # Errors are answered as in production, not raised into the test.
    return Client(raise_request_exception=False)


class Page(HTMLParser):
    def __init__(self, html):
        super().__init__()
        self.tags, self.h1, self.lang = [], "", None
        self._in_h1 = False
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self._in_h1 = tag == "h1"
        if tag == "html":
            self.lang = dict(attrs).get("lang")

    def handle_endtag(self, tag):
        self._in_h1 = False if tag == "h1" else self._in_h1

    def handle_data(self, data):
        if self._in_h1:
            self.h1 += data


def assert_friendly(response, status, heading, *, layout):
    assert response.status_code == status
    assert response["Content-Type"].startswith("text/html")
    body = response.content.decode()
    page = Page(body)
    assert page.h1.strip() == heading
    assert page.lang == "en"
    assert "main" in page.tags
    if layout:  # the site's header, navigation and footer
        assert {"header", "nav", "footer"} <= set(page.tags)
    for leak in ("secret detail", "Traceback", "DEBUG", "django", "settings"):
        assert leak not in body, leak


# Health -------------------------------------------------------------------------------------


def test_healthz_is_ok_when_the_database_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert json.loads(response.content) == {"status": "ok"}
    assert "no-store" in response["Cache-Control"]


def test_healthz_is_503_when_the_database_does_not(client, monkeypatch):
    from django.db.backends.base.base import BaseDatabaseWrapper

    def refuse(self, *args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(BaseDatabaseWrapper, "cursor", refuse)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert json.loads(response.content) == {"status": "unavailable"}
    assert response["Retry-After"] == "30"
    assert "no-store" in response["Cache-Control"]


def test_healthz_needs_no_login_session_or_slash(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert "Set-Cookie" not in response
    assert client.head("/healthz").status_code == 200
    assert client.post("/healthz").status_code == 405


def test_healthz_answers_503_in_time_when_the_database_does_not_answer(client, monkeypatch, caplog):
    import threading

    from django.db.backends.base.base import BaseDatabaseWrapper

    from micic import views

    release = threading.Event()

    def hang(self, *args, **kwargs):
        release.wait(10)  # a database that never answers (until the test ends)
        raise OperationalError("thawed")

    monkeypatch.setattr(BaseDatabaseWrapper, "cursor", hang)
    monkeypatch.setattr(views, "HEALTHZ_TIMEOUT_SECONDS", 0.2)
    try:
        response = client.get("/healthz")
    finally:
        release.set()
    assert response.status_code == 503
    assert json.loads(response.content) == {"status": "unavailable"}
    assert [r.getMessage() for r in caplog.records] == [
        "Health check failed: no answer within 0.2 s"
    ]


def test_healthz_is_never_throttled(client, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "1/min", "user": "1/min"},
    }
    assert client.get("/api/v1/phases/").status_code == 200
    assert client.get("/api/v1/phases/").status_code == 429
    assert all(client.get("/healthz").status_code == 200 for _ in range(5))


# Error pages --------------------------------------------------------------------------------


def test_400_page(client):
    # A Host header that is not allowed is a SuspiciousOperation, so a 400.
    response = client.get("/", HTTP_HOST="attacker.example")
    assert_friendly(response, 400, "Bad request", layout=True)


@pytest.mark.urls("tests.micic.urls")
def test_400_page_for_a_suspicious_request(client):
    assert_friendly(client.get("/test-failure/bad-request/"), 400, "Bad request", layout=True)


@pytest.mark.urls("tests.micic.urls")
def test_403_page(client):
    assert_friendly(client.get("/test-failure/denied/"), 403, "Access denied", layout=True)


def test_403_page_for_a_form_without_its_csrf_token():
    client = Client(enforce_csrf_checks=True)
    response = client.post("/practices/submit/", {"title": "Kept?"})
    assert_friendly(response, 403, "Your form could not be sent", layout=True)


def test_404_page(client):
    assert_friendly(client.get("/no-such-page/"), 404, "Page not found", layout=True)


@pytest.mark.urls("tests.micic.urls")
def test_500_page_is_standalone(client):
    # Standalone: it must render when whatever the layout needs has failed.
    assert_friendly(client.get("/test-failure/bug/"), 500, "Something went wrong", layout=False)


@pytest.mark.urls("tests.micic.urls")
def test_503_page_is_standalone(client):
    response = client.get("/test-failure/database-down/")
    assert_friendly(response, 503, "Temporarily unavailable", layout=False)


@pytest.mark.urls("tests.micic.urls")
@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/api/test-failure/bad-request/", 400),
        ("/api/test-failure/denied/", 403),
        ("/api/test-failure/bug/", 500),
        ("/api/test-failure/database-down/", 503),
    ],
)
def test_api_errors_are_json_without_details(client, path, status):
    response = client.get(path)
    assert response.status_code == status
    assert response["Content-Type"] == "application/json"
    errors = json.loads(response.content)["errors"]
    assert len(errors) == 1
    assert all(isinstance(message, str) for messages in errors.values() for message in messages)
    assert b"secret detail" not in response.content


def test_api_404_is_json(client):
    response = client.get("/api/v1/practices/999999/")
    assert response.status_code == 404
    assert "errors" in response.json()


def test_error_handlers_are_wired():
    from micic import urls

    assert urls.handler400 == "micic.views.bad_request"
    assert urls.handler403 == "micic.views.permission_denied"
    assert urls.handler404 == "micic.views.page_not_found"
    assert urls.handler500 == "micic.views.server_error"
