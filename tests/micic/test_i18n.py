"""Choosing the language (micic/i18n.py): prefixes, the switcher, the cookie,
Accept-Language on a first visit, and the API's ?lang= / Accept-Language."""

import re

import pytest
from django.conf import settings

from micic.i18n import api_language, from_accept_language, supported

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("fr-FR,fr;q=0.9,en;q=0.8", "fr"),
        ("de-DE,de;q=0.9,es;q=0.5", "es"),
        ("en-GB,ar;q=0.9", "en"),
        ("ar-EG", "ar"),
        ("de, ja", None),
        ("", None),
        ("*", None),
    ],
)
def test_the_first_supported_language_of_accept_language(header, expected):
    assert from_accept_language(header) == expected


def test_supported_reduces_a_tag_to_an_interface_language():
    assert supported("fr-CA") == "fr"
    assert supported("ES") == "es"
    assert supported("de") is None


def test_english_pages_stay_unprefixed_for_an_english_or_unknown_browser(client):
    for header in ("en-US,en;q=0.9", "de-DE", ""):
        response = client.get("/practices/?q=flood", HTTP_ACCEPT_LANGUAGE=header)
        assert response.status_code == 200
        assert response["Content-Language"] == "en"
        assert "Accept-Language" in response["Vary"] and "Cookie" in response["Vary"]


def test_a_first_visit_follows_accept_language_to_the_prefixed_page(client):
    response = client.get("/practices/?q=flood&page=1", HTTP_ACCEPT_LANGUAGE="fr-FR,fr;q=0.9")
    assert response.status_code == 302
    assert response["Location"] == "/fr/practices/?q=flood&page=1"
    assert "Accept-Language" in response["Vary"]


def test_the_cookie_wins_over_accept_language(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ar"
    response = client.get("/guidelines/3/", HTTP_ACCEPT_LANGUAGE="fr")
    assert response["Location"] == "/ar/guidelines/3/"
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # chose English with the switcher
    assert client.get("/guidelines/3/", HTTP_ACCEPT_LANGUAGE="fr").status_code == 200


def test_prefixed_pages_answer_in_their_language(client):
    for code in ("fr", "es", "ar"):
        response = client.get(f"/{code}/principles/", HTTP_ACCEPT_LANGUAGE="en")
        assert response.status_code == 200
        assert response["Content-Language"] == code


@pytest.mark.parametrize(
    ("next_url", "language", "target"),
    [
        ("/fr/practices/?q=flood&phase=emergency", "en", "/practices/?q=flood&phase=emergency"),
        ("/practices/?q=flood", "ar", "/ar/practices/?q=flood"),
        ("/es/guidelines/13/", "fr", "/fr/guidelines/13/"),
        ("/ar/", "es", "/es/"),
    ],
)
def test_the_switcher_keeps_the_page_and_query_and_sets_the_cookie(
    client, next_url, language, target
):
    response = client.post("/i18n/setlang/", {"next": next_url, "language": language})
    assert response.status_code == 302
    assert response["Location"] == target
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == language
    assert client.get(target).status_code == 200


def test_the_switcher_refuses_another_host(client):
    response = client.post("/i18n/setlang/", {"next": "https://evil.example/", "language": "fr"})
    assert response["Location"] == "/fr/"  # the home page, in the language chosen


def test_every_page_has_the_switcher_and_hreflang_links(client):
    content = client.get("/es/practices/?q=flood").content.decode()
    buttons = re.findall(r'<button type="submit" name="language" value="(\w+)" lang="\1"', content)
    assert buttons == ["en", "fr", "es", "ar"]
    assert 'name="next" value="/es/practices/?q=flood"' in content
    links = dict(re.findall(r'<link rel="alternate" hreflang="([\w-]+)" href="([^"]+)"', content))
    assert links == {
        "en": "http://testserver/practices/?q=flood",
        "x-default": "http://testserver/practices/?q=flood",
        "fr": "http://testserver/fr/practices/?q=flood",
        "es": "http://testserver/es/practices/?q=flood",
        "ar": "http://testserver/ar/practices/?q=flood",
    }
    assert 'value="es" lang="es" dir="ltr" aria-current="true"' in content


def test_api_lang_parameter_wins_over_accept_language(rf):
    assert api_language(rf.get("/api/v1/phases/?lang=fr", HTTP_ACCEPT_LANGUAGE="es")) == "fr"
    assert api_language(rf.get("/api/v1/phases/", HTTP_ACCEPT_LANGUAGE="es-MX,en")) == "es"
    assert api_language(rf.get("/api/v1/phases/?lang=de", HTTP_ACCEPT_LANGUAGE="de")) == "en"


def test_api_labels_in_the_requested_language_with_codes_unchanged(client):
    english = client.get("/api/v1/stakeholders/").json()["results"]
    french = client.get("/api/v1/stakeholders/?lang=fr", HTTP_ACCEPT_LANGUAGE="ar").json()
    arabic = client.get("/api/v1/stakeholders/", HTTP_ACCEPT_LANGUAGE="ar").json()
    assert [s["slug"] for s in french["results"]] == [s["slug"] for s in english]
    names = {s["slug"]: s["name"] for s in french["results"]}
    assert names["host-state"] == "État d'accueil"
    assert {s["slug"]: s["name"] for s in arabic["results"]}["states"] == "الدول"
    response = client.get("/api/v1/practices/?country=TR&facets=country", HTTP_ACCEPT_LANGUAGE="es")
    labels = {item["value"]: item["label"] for item in response.json()["facets"]["country"]}
    assert labels["TR"] == "Turquía"


def test_api_headers_say_the_language(client):
    response = client.get("/api/v1/phases/?lang=ar")
    assert response["Content-Language"] == "ar"
    assert "Accept-Language" in response["Vary"]
    assert client.get("/api/v1/phases/?lang=xx")["Content-Language"] == "en"
    assert client.get("/api/v1/phases/", HTTP_ACCEPT_LANGUAGE="es")["Content-Language"] == "es"
    assert client.get("/api/v1/phases/", HTTP_ACCEPT_LANGUAGE="de")["Content-Language"] == "en"


def test_api_errors_in_the_requested_language(client):
    response = client.get("/api/v1/practices/?country=XX&ordering=nope", HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert errors["country"] == ["« XX » n’est pas un(e) code pays ISO 3166-1 alpha-2 connu(e)."]
    assert errors["ordering"][0].startswith("« nope » n’est pas un ordre connu.")
    spanish = client.get("/api/v1/practices/?page_size=abc&lang=es").json()["errors"]
    assert spanish["page_size"] == ["«abc» no es un número entero mayor o igual que 1."]
    assert client.get("/api/v1/practices/?page=0&lang=es").json()["errors"]["detail"] == [
        "Página inválida."  # DRF's own catalogue
    ]


def test_api_guideline_titles_fall_back_to_english_without_an_official_translation(client):
    english = client.get("/api/v1/guidelines/13/").json()
    arabic = client.get("/api/v1/guidelines/13/?lang=ar").json()
    assert arabic["title"] == english["title"] == "Relocate and evacuate migrants when needed"
    assert arabic["phase"] == {"slug": "emergency", "name": "الاستجابة في حالات الطوارئ"}
    assert arabic["number"] == 13 and arabic["slug"] == english["slug"]


def test_the_openapi_schema_documents_the_language(client):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    operation = schema["paths"]["/api/v1/practices/"]["get"]
    parameters = {(p["in"], p["name"]): p for p in operation["parameters"]}
    assert parameters[("query", "lang")]["schema"]["enum"] == ["en", "fr", "es", "ar"]
    assert ("header", "Accept-Language") in parameters
    assert "Content-Language" in operation["responses"]["200"]["headers"]
