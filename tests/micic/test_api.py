"""micic/api/ (__init__, views, urls): what every endpoint of API v1 shares:
the root, the envelope and page rules, the error shape, ETags, throttling, CORS, token
authentication, the OpenAPI schema and its documentation page (docs/api.md).
"""

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest
import yaml
from django.contrib.auth import get_user_model
from django.contrib.staticfiles import finders
from django.core.cache import cache

from tests.factories import make_token

ROOT = Path(__file__).resolve().parents[2]
COLLECTIONS = {
    "phases": "/api/v1/phases/",
    "principles": "/api/v1/principles/",
    "guidelines": "/api/v1/guidelines/",
    "stakeholders": "/api/v1/stakeholders/",
    "crisis-types": "/api/v1/crisis-types/",
    "regions": "/api/v1/regions/",
    "practices": "/api/v1/practices/",
}
READ_PATHS = [*COLLECTIONS.values(), "/api/v1/", "/api/v1/phases/emergency/"]
# Read endpoints of the coverage issue (#13): the countries, and the coverage matrix (one
# object, not an envelope); tests/repository/test_api_coverage.py tests them.
MORE_COLLECTIONS = {"countries": "/api/v1/countries/", "coverage": "/api/v1/coverage/"}
# Collections for token holders only (the submissions issue); the root links to them too.
TOKEN_COLLECTIONS = {"submissions": "/api/v1/submissions/"}

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_throttles():
    # Throttle counters live in the cache, shared by every test of the run.
    cache.clear()
    yield
    cache.clear()


def set_rates(settings, anon="600/min", user="3000/min"):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {
            **settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
            "anon": anon,
            "user": user,
        },
    }


@pytest.fixture
def token():
    user = get_user_model().objects.create_user("partner", password="not-used-here")
    return SimpleNamespace(key=make_token(user), user=user)


# Root ---------------------------------------------------------------------------------------


def test_root_links_to_every_collection(client):
    response = client.get("/api/v1/")
    assert response.status_code == 200
    collections = {**COLLECTIONS, **MORE_COLLECTIONS, **TOKEN_COLLECTIONS}
    expected = {name: f"http://testserver{path}" for name, path in collections.items()}
    assert response.json() == expected


def test_every_root_link_answers(client, token):
    auth = {"authorization": f"Token {token.key}"}
    for name, url in client.get("/api/v1/").json().items():
        assert client.get(url).status_code == (401 if name in TOKEN_COLLECTIONS else 200), url
        assert client.get(url, headers=auth).status_code == 200, url


# Envelope and pages ---------------------------------------------------------------------


@pytest.mark.parametrize("path", COLLECTIONS.values())
def test_every_collection_uses_the_paginated_envelope(client, path):
    body = client.get(path).json()
    assert list(body) == ["count", "next", "previous", "results"]
    assert body["count"] >= len(body["results"]) > 0
    assert body["previous"] is None


def test_page_size_defaults_to_20_and_next_links_the_following_page(client):
    body = client.get("/api/v1/practices/").json()
    assert len(body["results"]) == 20
    assert body["next"] == "http://testserver/api/v1/practices/?page=2"
    second = client.get(body["next"]).json()
    assert second["previous"] == "http://testserver/api/v1/practices/"
    assert not {p["id"] for p in body["results"]} & {p["id"] for p in second["results"]}


@pytest.mark.parametrize("size", [1, 7, 100])
def test_page_size_up_to_100_is_honoured(client, size):
    body = client.get("/api/v1/practices/", {"page_size": size}).json()
    assert len(body["results"]) == size


@pytest.mark.parametrize("path", ["/api/v1/practices/", "/api/v1/stakeholders/"])
def test_page_size_over_100_is_a_400_not_clamped(client, path):
    response = client.get(path, {"page_size": 101})
    assert response.status_code == 400
    assert response.json() == {"errors": {"page_size": ["At most 100 results per page."]}}


@pytest.mark.parametrize("size", ["0", "-1", "abc", "2.5"])
def test_page_size_that_is_not_a_positive_whole_number_is_a_400(client, size):
    response = client.get("/api/v1/practices/", {"page_size": size})
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["page_size"]


@pytest.mark.parametrize("page", ["0", "abc", "-1", "9999", "last"])
def test_a_page_past_the_end_or_not_a_page_is_a_404(client, page):
    response = client.get("/api/v1/practices/", {"page": page})
    assert response.status_code == 404
    assert response.json() == {"errors": {"detail": ["Invalid page."]}}


def test_the_last_page_is_a_200_and_has_no_next(client):
    count = client.get("/api/v1/guidelines/").json()["count"]
    body = client.get("/api/v1/guidelines/", {"page": 2, "page_size": count - 1}).json()
    assert len(body["results"]) == 1
    assert body["next"] is None


# Errors ---------------------------------------------------------------------------------


def test_errors_name_the_parameter(client):
    response = client.get("/api/v1/practices/", {"phase": "wartime"})
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"errors": {"phase": ["“wartime” is not a known phase."]}}


def test_several_bad_parameters_are_all_named(client):
    response = client.get("/api/v1/practices/", {"phase": "wartime", "year_min": "soon"})
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"phase", "year_min"}


def test_an_unknown_format_is_a_400_naming_format(client):
    response = client.get("/api/v1/practices/", {"format": "xml"})
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["format"]


@pytest.mark.parametrize(
    "path", ["/api/v1/nothing-here/", "/api/v1/practices/-1/", "/api/", "/api/v2/practices/"]
)
def test_any_other_api_path_is_a_json_404(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert response.json() == {"errors": {"detail": ["Not found."]}}


def test_a_path_without_its_final_slash_is_redirected(client):
    response = client.get("/api/v1/practices")
    assert response.status_code == 301
    assert response["Location"] == "/api/v1/practices/"


def test_writing_to_a_read_only_endpoint_is_a_405_in_the_error_shape(client):
    response = client.post("/api/v1/phases/", {}, content_type="application/json")
    assert response.status_code == 405
    assert list(response.json()["errors"]) == ["detail"]


# ETags ------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", READ_PATHS)
def test_get_responses_carry_an_etag_and_a_matching_if_none_match_is_a_304(client, path):
    response = client.get(path)
    etag = response["ETag"]
    assert etag
    again = client.get(path, headers={"if-none-match": etag})
    assert again.status_code == 304
    assert again.content == b""
    assert client.get(path, headers={"if-none-match": '"other"'}).status_code == 200


def test_the_etag_changes_with_the_content(client):
    first = client.get("/api/v1/principles/1/")["ETag"]
    assert client.get("/api/v1/principles/2/")["ETag"] != first
    from guidelines.models import Principle

    Principle.objects.filter(number=1).update(title="Save lives, first")
    changed = client.get("/api/v1/principles/1/", headers={"if-none-match": first})
    assert changed.status_code == 200
    assert changed["ETag"] != first


def test_errors_and_html_pages_get_no_etag(client):
    assert not client.get("/api/v1/practices/", {"phase": "wartime"}).has_header("ETag")
    assert not client.get("/guidelines/").has_header("ETag")


# Throttling ---------------------------------------------------------------------------------


def test_default_limits_are_600_anonymous_3000_per_token_holder_and_20_bad_tokens_a_minute():
    code = (
        "from django.conf import settings; print(settings.REST_FRAMEWORK['DEFAULT_THROTTLE_RATES'])"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_API_")}
    env["DJANGO_DEBUG"] = "1"
    run = [sys.executable, "manage.py", "shell", "--verbosity", "0", "-c", code]
    out = subprocess.run(run, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert out.stdout.strip() == (
        "{'anon': '600/min', 'user': '3000/min', 'invalid_token': '20/min'}"
    ), out.stderr
    env.update(
        DJANGO_API_THROTTLE_ANON="5/min",
        DJANGO_API_THROTTLE_USER="50/hour",
        DJANGO_API_THROTTLE_INVALID_TOKEN="3/hour",
    )
    out = subprocess.run(run, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert out.stdout.strip() == (
        "{'anon': '5/min', 'user': '50/hour', 'invalid_token': '3/hour'}"
    ), out.stderr


def test_an_anonymous_client_over_its_limit_gets_a_429_with_retry_after(client, settings):
    set_rates(settings, anon="3/min")
    for _ in range(3):
        assert client.get("/api/v1/phases/").status_code == 200
    response = client.get("/api/v1/principles/")  # one limit for all of /api/
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 60
    assert list(response.json()["errors"]) == ["detail"]


def test_anonymous_limits_are_per_ip(client, settings):
    set_rates(settings, anon="2/min")
    for _ in range(2):
        client.get("/api/v1/phases/")
    assert client.get("/api/v1/phases/").status_code == 429
    assert client.get("/api/v1/phases/", REMOTE_ADDR="10.0.0.2").status_code == 200


def test_a_forged_x_forwarded_for_does_not_escape_the_limit(client, settings):
    set_rates(settings, anon="2/min")
    for n in range(2):
        client.get("/api/v1/phases/", headers={"x-forwarded-for": f"192.0.2.{n}"})
    response = client.get("/api/v1/phases/", headers={"x-forwarded-for": "192.0.2.99"})
    assert response.status_code == 429


def test_token_holders_have_their_own_higher_limit(client, settings, token):
    set_rates(settings, anon="2/min", user="4/min")
    auth = {"authorization": f"Token {token.key}"}
    for _ in range(2):
        client.get("/api/v1/phases/")
    assert client.get("/api/v1/phases/").status_code == 429
    for _ in range(4):
        assert client.get("/api/v1/phases/", headers=auth).status_code == 200
    assert client.get("/api/v1/phases/", headers=auth).status_code == 429


def test_html_pages_are_not_throttled(client, settings):
    set_rates(settings, anon="1/min")
    client.get("/api/v1/phases/")
    assert client.get("/api/v1/phases/").status_code == 429
    assert client.get("/guidelines/").status_code == 200


# CORS -------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", READ_PATHS)
def test_read_responses_to_a_cross_origin_request_allow_any_origin(client, path):
    response = client.get(path, headers={"origin": "https://dashboard.example.org"})
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Credentials" not in response


def test_cors_headers_are_also_on_errors_and_304s(client):
    origin = {"origin": "https://dashboard.example.org"}
    error = client.get("/api/v1/practices/", {"phase": "wartime"}, headers=origin)
    assert error["Access-Control-Allow-Origin"] == "*"
    etag = client.get("/api/v1/phases/")["ETag"]
    cached = client.get("/api/v1/phases/", headers={**origin, "if-none-match": etag})
    assert cached.status_code == 304
    assert cached["Access-Control-Allow-Origin"] == "*"


def test_scripts_on_other_sites_can_read_etag_and_retry_after(client):
    response = client.get("/api/v1/phases/", headers={"origin": "https://x.example"})
    exposed = {h.strip().lower() for h in response["Access-Control-Expose-Headers"].split(",")}
    assert {"etag", "retry-after"} <= exposed


def test_a_preflight_request_is_answered(client):
    response = client.options(
        "/api/v1/practices/",
        headers={
            "origin": "https://dashboard.example.org",
            "access-control-request-method": "GET",
            "access-control-request-headers": "authorization, if-none-match",
        },
    )
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    allowed = response["Access-Control-Allow-Headers"].lower()
    assert "authorization" in allowed and "if-none-match" in allowed


def test_requests_without_origin_and_html_pages_get_no_cors_headers(client):
    assert "Access-Control-Allow-Origin" not in client.get("/api/v1/phases/")
    page = client.get("/guidelines/", headers={"origin": "https://x.example"})
    assert "Access-Control-Allow-Origin" not in page


# Token authentication -----------------------------------------------------------------------


def test_a_valid_token_is_accepted(client, token):
    response = client.get("/api/v1/phases/", headers={"authorization": f"Token {token.key}"})
    assert response.status_code == 200


def test_a_bad_token_is_a_401_asking_for_a_token(client):
    response = client.get("/api/v1/phases/", headers={"authorization": "Token not-a-key"})
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert list(response.json()["errors"]) == ["detail"]


# OpenAPI schema ---------------------------------------------------------------------------


@pytest.fixture
def schema(client):
    response = client.get("/api/schema/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.oai.openapi")
    return yaml.safe_load(response.content)


def test_the_schema_is_openapi_3_and_also_served_as_json(client, schema):
    assert schema["openapi"].startswith("3.")
    response = client.get("/api/schema/", {"format": "json"})
    assert response["Content-Type"].startswith("application/vnd.oai.openapi+json")
    assert json.loads(response.content)["paths"] == schema["paths"]


def test_the_schema_describes_every_read_endpoint(schema):
    expected = {
        "/api/v1/",
        *COLLECTIONS.values(),
        "/api/v1/phases/{slug}/",
        "/api/v1/principles/{number}/",
        "/api/v1/guidelines/{number}/",
        "/api/v1/practices/{id}/",
    }
    assert expected <= set(schema["paths"])


def test_the_schema_documents_every_practice_filter_with_valid_values(schema):
    operation = schema["paths"]["/api/v1/practices/"]["get"]
    parameters = {p["name"]: p for p in operation["parameters"] if p["in"] == "query"}
    assert set(parameters) >= {
        "q",
        "phase",
        "stakeholder",
        "crisis_type",
        "guideline",
        "principle",
        "country",
        "region",
        "year_min",
        "year_max",
        "updated_since",
        "ordering",
        "facets",
        "page",
        "page_size",
        "format",
    }
    assert parameters["phase"]["schema"]["items"]["enum"] == [
        "preparedness",
        "emergency",
        "post-crisis",
    ]
    assert "diaspora" in parameters["stakeholder"]["schema"]["items"]["enum"]
    assert parameters["guideline"]["schema"]["items"]["enum"] == list(range(1, 16))
    assert parameters["principle"]["schema"]["items"]["enum"] == list(range(1, 11))
    assert parameters["ordering"]["schema"]["enum"] == [
        "relevance",
        "-published_at",
        "published_at",
        "title",
        "-title",
        "year",
        "-year",
        "updated_at",
        "-updated_at",
    ]
    assert parameters["updated_since"]["schema"]["format"] == "date-time"
    assert re.fullmatch(parameters["facets"]["schema"]["pattern"], "phase,stakeholder,year")
    assert re.fullmatch(parameters["facets"]["schema"]["pattern"], "all")
    assert not re.fullmatch(parameters["facets"]["schema"]["pattern"], "colour")
    envelope = schema["components"]["schemas"]["PaginatedPracticeListItemList"]
    assert "facets" in envelope["properties"]
    assert "text/csv" in operation["responses"]["200"]["content"]


def test_the_schema_documents_the_guideline_phase_filter(schema):
    operation = schema["paths"]["/api/v1/guidelines/"]["get"]
    phase = next(p for p in operation["parameters"] if p["name"] == "phase")
    assert phase["schema"]["items"]["enum"] == ["preparedness", "emergency", "post-crisis"]


def test_the_schema_documents_error_responses_where_they_occur(schema):
    paths = schema["paths"]
    for path, methods in paths.items():
        for method, operation in methods.items():
            codes = set(operation["responses"])
            assert {"401", "429"} <= codes, (method, path)
            assert "Retry-After" in operation["responses"]["429"]["headers"]
            if method == "get":
                assert {"200", "304"} <= codes, path
                assert "ETag" in operation["responses"]["200"]["headers"]
            if path.endswith("}/") or path in COLLECTIONS.values():
                assert "404" in codes, path
            if path in COLLECTIONS.values():
                assert "400" in codes, path
            if path.startswith(tuple(TOKEN_COLLECTIONS.values())):
                assert "403" in codes, (method, path)
            else:
                assert not codes & {"403", "409"}, f"{path}: reading needs no permission"
    decision = paths["/api/v1/submissions/{id}/decision/"]["post"]["responses"]
    assert {"400", "401", "403", "404", "409"} <= set(decision)
    error = schema["components"]["schemas"]["Error"]
    assert error["required"] == ["errors"]


def test_the_schema_names_token_authentication(schema):
    token_auth = schema["components"]["securitySchemes"]["tokenAuth"]
    assert token_auth == {
        "type": "apiKey",
        "in": "header",
        "name": "Authorization",
        "description": 'Token-based authentication with required prefix "Token"',
    }


# Documentation page -----------------------------------------------------------------------


def test_docs_page_is_served_from_this_sites_static_files_under_the_csp(client):
    response = client.get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    csp = response["Content-Security-Policy"]
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert "script-src 'self'" in csp
    # Nothing from another site; no inline script or style for the CSP to block.
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", html)
    assert "<style" not in html and " style=" not in html
    scripts = re.findall(r"<script([^>]*)>", html)
    assert scripts and all("src=" in attributes for attributes in scripts)
    assert 'data-schema-url="/api/schema/"' in html


def test_every_file_the_docs_page_loads_is_a_static_file_of_this_site(client):
    html = client.get("/api/docs/").content.decode()
    urls = re.findall(r"""(?:src|href)="([^"]+)\"""", html)
    static = [url for url in urls if url.startswith("/static/")]
    assert len(static) == 4, urls  # the favicon, a stylesheet, Redoc and the script starting it
    for url in static:
        assert finders.find(url.removeprefix("/static/")), url
    assert any("redoc.standalone" in url for url in static)


def test_the_docs_page_links_back_to_the_site(client):
    html = client.get("/api/docs/").content.decode()
    assert 'href="/"' in html and 'href="/about/"' in html
    assert 'href="/api/schema/"' in html


def test_the_docs_page_lets_only_its_own_style_elements_in(client):
    # Redoc makes its style elements at run time and gives them the page's nonce; the CSP
    # admits nothing else inline.
    response = client.get("/api/docs/")
    csp = response["Content-Security-Policy"]
    style_src = re.search(r"style-src ([^;]+)", csp).group(1).split()
    assert style_src[0] == "'self'" and style_src[1].startswith("'nonce-")
    assert len(style_src) == 2
    nonce = style_src[1].removeprefix("'nonce-").removesuffix("'")
    assert f'nonce="{nonce}"' in response.content.decode()
    # Other pages keep style-src 'self' alone.
    assert "style-src 'self';" in client.get("/")["Content-Security-Policy"] + ";"


def test_the_docs_script_fetches_nothing_from_elsewhere():
    script = (ROOT / "static" / "api" / "docs.js").read_text()
    code = re.sub(r"^\s*//.*|/\*[\s\S]*?\*/", "", script, flags=re.M)
    assert not re.search(r"https?://", code)  # no address of another site
    assert "disableSearch: true" in script  # its worker would be a blob: script


def test_public_reads_carry_no_security_requirement_and_writes_do(client):
    schema = client.get("/api/schema/?format=json").json()
    assert "security" not in schema
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            public = method == "get" and not path.startswith("/api/v1/submissions/")
            if public:
                assert "security" not in operation, (method, path)
            else:
                assert {"tokenAuth": []} in operation["security"], (method, path)
                assert {} not in operation["security"], (method, path)
