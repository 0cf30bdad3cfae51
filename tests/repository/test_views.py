"""repository/views.py: home, phase, guideline and practice pages."""

import re

import pytest

from repository.models import Practice, Status
from tests.factories import make_practice

pytestmark = pytest.mark.django_db

HIDDEN_STATUSES = [
    Status.SUBMITTED,
    Status.REJECTED,
    Status.CHANGES_REQUESTED,
    Status.WITHDRAWN,
]
PUBLIC_PAGES = ["/", "/guidelines/", "/guidelines/11/", "/phases/emergency/", "/principles/1/"]


def test_home_shows_phases_guidelines_counts_and_recent_practices(client):
    make_practice(title="A very recent practice")
    response = client.get("/")
    assert response.status_code == 200
    content = response.content.decode()
    for phase in ("Crisis preparedness", "Emergency response", "Post-crisis action"):
        assert phase in content
    assert content.count('href="/guidelines/') >= 15
    assert "A very recent practice" in content
    published = Practice.objects.published().count()
    assert f"<strong>{published}</strong>" in content


def test_phase_page_lists_its_guidelines_and_their_practices(client):
    practice = make_practice(phases=["post-crisis"], guidelines=[14], title="Rebuilding lives")
    response = client.get("/phases/post-crisis/")
    assert response.status_code == 200
    content = response.content.decode()
    assert "Address migrants&#x27; immediate needs" in content
    assert "Support migrants&#x27; host communities" in content
    assert 'id="guideline-13"' not in content
    assert 'id="guideline-14"' in content
    assert practice.get_absolute_url() in content


def test_unknown_phase_is_a_404_page(client):
    response = client.get("/phases/wartime/")
    assert response.status_code == 404
    assert b"Page not found" in response.content


def test_guideline_page_lists_its_published_practices(client):
    practice = make_practice(guidelines=[13], title="Evacuation by sea")
    other = make_practice(guidelines=[1], title="Hazard mapping elsewhere")
    response = client.get("/guidelines/13/")
    assert response.status_code == 200
    content = response.content.decode()
    assert "Relocate and evacuate migrants when needed" in content
    assert "Emergency response" in content
    assert practice.get_absolute_url() in content
    assert other.get_absolute_url() not in content


@pytest.mark.parametrize("path", ["/guidelines/0/", "/guidelines/16/", "/guidelines/abc/"])
def test_unknown_guideline_is_a_404_page(client, path):
    response = client.get(path)
    assert response.status_code == 404


def test_practice_detail_shows_every_public_field(client):
    practice = make_practice(
        title="Consular hotline",
        summary="A hotline for nationals abroad.",
        body="Run **around the clock**.\n\n[More](https://example.org/more)",
        countries=["TR", "SY"],
        principles=[1],
        year=2023,
        year_end=2024,
        organizations="Ministry of Foreign Affairs",
        source_title="Annual report",
        source_url="https://example.org/report",
        submitter_email="private@example.org",
        submitter_name="Private Person",
    )
    response = client.get(practice.get_absolute_url())
    assert response.status_code == 200
    content = response.content.decode()
    for text in (
        "Consular hotline",
        "A hotline for nationals abroad.",
        "<strong>around the clock</strong>",
        'rel="nofollow noopener"',
        "Türkiye",
        "Syria",
        "Europe and Central Asia",
        "Middle East and North Africa",
        "2023–2024",
        "Ministry of Foreign Affairs",
        "Annual report",
        "https://example.org/report",
        "Principle 1: Save lives",
        "Guideline 11:",
        "Host State",
        "Conflict",
    ):
        assert text in content, text
    assert "private@example.org" not in content
    assert "Private Person" not in content


def test_practice_id_redirects_to_canonical_url(client):
    practice = make_practice(title="Short link")
    response = client.get(f"/practices/{practice.pk}/")
    assert response.status_code == 301
    assert response["Location"] == f"/practices/{practice.pk}-short-link/"


def test_practice_with_wrong_slug_redirects_to_canonical_url(client):
    practice = make_practice(title="Right slug")
    response = client.get(f"/practices/{practice.pk}-wrong-slug/")
    assert response.status_code == 301
    assert response["Location"] == practice.get_absolute_url()


@pytest.mark.parametrize("path", ["/practices/999999/", "/practices/999999-nothing/"])
def test_unknown_practice_is_a_404_page(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert b"Page not found" in response.content


@pytest.mark.parametrize("status", HIDDEN_STATUSES)
def test_unapproved_practice_appears_on_no_page(client, status):
    practice = make_practice(
        status=status,
        title=f"Hidden practice {status}",
        guidelines=[11],
        phases=["emergency"],
        principles=[1],
    )
    for path in PUBLIC_PAGES:
        response = client.get(path)
        assert response.status_code == 200, path
        assert practice.title.encode() not in response.content, path
    assert client.get(f"/practices/{practice.pk}/").status_code == 404
    assert client.get(f"/practices/{practice.pk}-{practice.slug}/").status_code == 404


def test_guideline_counts_ignore_unapproved_practices(client):
    before = client.get("/").content.decode()
    make_practice(status=Status.SUBMITTED, guidelines=[15])
    after = client.get("/").content.decode()
    assert before.count("practices</span>") == after.count("practices</span>")
    assert re.findall(r"(\d+) practices?</span>", before) == re.findall(
        r"(\d+) practices?</span>", after
    )


@pytest.mark.parametrize("path", ["/guidelines/11/", "/phases/emergency/", "/"])
def test_list_pages_cost_the_same_queries_for_one_or_many_practices(
    client, path, django_assert_max_num_queries
):
    Practice.objects.all().delete()
    make_practice(countries=["TR"], principles=[1])
    client.get(path)  # builds the facet index (counts) of this content version
    with django_assert_max_num_queries(20) as one:
        client.get(path)
    queries = len(one.captured_queries)  # before the next request resets the log
    for _ in range(10):
        make_practice(
            countries=["TR", "SY", "LY"],
            stakeholders=["host-state", "ngo"],
            crisis_types=["conflict", "natural-disaster"],
            guidelines=[11, 9],
            principles=[1, 2],
        )
    client.get(path)
    with django_assert_max_num_queries(queries):
        client.get(path)


def test_guideline_and_phase_pages_show_a_bounded_number_of_practices(client):
    Practice.objects.all().delete()
    for i in range(30):
        make_practice(title=f"Bounded practice {i}", guidelines=[13], phases=["emergency"])
    page = client.get("/guidelines/13/").content.decode()
    assert page.count('class="practice-card"') == 24
    assert "Bounded practice 29" in page  # the newest first
    assert "30 practices implement this guideline" in page
    assert 'href="/practices/?guideline=13">Search and filter all 30 practices' in page
    phase = client.get("/phases/emergency/").content.decode()
    assert phase.count('class="practice-card"') == 6
    assert "All 30 practices for Guideline 13" in phase
