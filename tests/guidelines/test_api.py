"""guidelines/api/ and guidelines/filters.py: phases, principles and guidelines in API v1."""

import pytest
from django.core.cache import cache

from repository.models import Status
from tests.factories import make_practice

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_throttles():
    cache.clear()


def results(client, path, **params):
    response = client.get(path, params)
    assert response.status_code == 200, response.content
    return response.json()["results"]


# Phases -----------------------------------------------------------------------------------


def test_phases_are_listed_in_order_each_with_its_guidelines(client):
    phases = results(client, "/api/v1/phases/")
    assert [p["slug"] for p in phases] == ["preparedness", "emergency", "post-crisis"]
    emergency = phases[1]
    assert list(emergency) == [
        "url",
        "html_url",
        "slug",
        "name",
        "order",
        "description",
        "guidelines",
    ]
    assert emergency["url"] == "http://testserver/api/v1/phases/emergency/"
    assert emergency["html_url"] == "http://testserver/phases/emergency/"
    assert [g["number"] for g in emergency["guidelines"]] == [9, 10, 11, 12, 13]
    assert all(list(g) == ["number", "title"] for g in emergency["guidelines"])


def test_a_phase_is_found_by_slug(client):
    response = client.get("/api/v1/phases/emergency/")
    assert response.status_code == 200
    assert response.json()["name"] == "Emergency response"


def test_an_unknown_phase_is_a_404(client):
    response = client.get("/api/v1/phases/wartime/")
    assert response.status_code == 404
    assert list(response.json()["errors"]) == ["detail"]


# Principles -------------------------------------------------------------------------------


def test_the_10_principles_are_listed_by_number(client):
    principles = results(client, "/api/v1/principles/")
    assert [p["number"] for p in principles] == list(range(1, 11))
    first = principles[0]
    assert list(first) == [
        "url",
        "html_url",
        "number",
        "slug",
        "title",
        "statement",
        "summary",
        "body",
    ]
    assert first["url"] == "http://testserver/api/v1/principles/1/"
    assert first["html_url"] == "http://testserver/principles/1/"


@pytest.mark.parametrize("number, status", [(1, 200), (10, 200), (11, 404), (0, 404)])
def test_a_principle_is_found_by_number(client, number, status):
    assert client.get(f"/api/v1/principles/{number}/").status_code == status


# Guidelines -------------------------------------------------------------------------------


def test_the_15_guidelines_each_have_a_phase_and_a_practice_count(client):
    guidelines = results(client, "/api/v1/guidelines/")
    assert [g["number"] for g in guidelines] == list(range(1, 16))
    ninth = guidelines[8]
    assert list(ninth) == [
        "url",
        "html_url",
        "number",
        "slug",
        "title",
        "short_title",
        "thematic_area",
        "phase",
        "summary",
        "body",
        "practice_count",
    ]
    assert ninth["phase"] == {"slug": "emergency", "name": "Emergency response"}
    assert ninth["url"] == "http://testserver/api/v1/guidelines/9/"
    assert ninth["html_url"] == "http://testserver/guidelines/9/"
    assert isinstance(ninth["practice_count"], int)


def test_practice_count_counts_published_practices_only(client):
    before = client.get("/api/v1/guidelines/15/").json()["practice_count"]
    for status in Status.values:
        make_practice(status=status, guidelines=[15])
    make_practice(guidelines=[15, 14])
    after = client.get("/api/v1/guidelines/15/").json()["practice_count"]
    assert after == before + 2  # the approved ones, each counted once


def test_practice_count_agrees_with_the_practice_filter(client):
    for guideline in results(client, "/api/v1/guidelines/", page_size=15):
        filtered = client.get("/api/v1/practices/", {"guideline": guideline["number"]})
        assert filtered.json()["count"] == guideline["practice_count"], guideline["number"]


def test_phase_filters_guidelines(client):
    guidelines = results(client, "/api/v1/guidelines/", phase="emergency")
    assert [g["number"] for g in guidelines] == [9, 10, 11, 12, 13]
    assert {g["phase"]["slug"] for g in guidelines} == {"emergency"}


def test_a_repeated_phase_is_any_of_them(client):
    response = client.get("/api/v1/guidelines/?phase=preparedness&phase=post-crisis")
    numbers = [g["number"] for g in response.json()["results"]]
    assert numbers == [1, 2, 3, 4, 5, 6, 7, 8, 14, 15]


def test_an_unknown_phase_filter_is_a_400_naming_it(client):
    response = client.get("/api/v1/guidelines/", {"phase": "wartime"})
    assert response.status_code == 400
    assert response.json() == {"errors": {"phase": ["“wartime” is not a known phase."]}}


def test_a_guideline_is_found_by_number(client):
    assert client.get("/api/v1/guidelines/11/").json()["number"] == 11
    assert client.get("/api/v1/guidelines/16/").status_code == 404


@pytest.mark.parametrize("path", ["/api/v1/phases/", "/api/v1/guidelines/", "/api/v1/principles/"])
def test_lists_cost_a_fixed_number_of_queries(client, path, django_assert_num_queries):
    make_practice(guidelines=[1, 9])
    client.get(path)  # practice counts come from the facet index, built once per version
    with django_assert_num_queries(3 if path == "/api/v1/phases/" else 2):
        client.get(path, {"page_size": 100})
