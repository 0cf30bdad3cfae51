"""guidelines/views.py: the principles and the guideline list."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_principle_list_shows_all_ten(client):
    response = client.get("/principles/")
    assert response.status_code == 200
    content = response.content.decode()
    assert content.count('class="num"') == 10
    assert "Save lives" in content
    assert "First, save lives." in content
    assert "Learn and innovate" in content


def test_principle_detail_shows_statement_and_neighbours(client):
    response = client.get("/principles/1/")
    assert response.status_code == 200
    assert b"First, save lives." in response.content
    assert b'rel="next" href="/principles/2/"' in response.content
    assert b'rel="prev"' not in response.content


def test_unverified_principle_says_so_instead_of_inventing(client):
    response = client.get("/principles/7/")
    assert response.status_code == 200
    assert b"Communicate positively about migrants" in response.content
    assert b"has not yet been verified" in response.content


@pytest.mark.parametrize("path", ["/principles/0/", "/principles/11/", "/principles/999999999999/"])
def test_unknown_principle_is_a_404_page(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert b"Page not found" in response.content


def test_guideline_list_groups_guidelines_by_phase(client):
    response = client.get(reverse("guidelines:guideline-list"))
    assert response.status_code == 200
    content = response.content.decode()
    prep = content.index("Crisis preparedness")
    emer = content.index("Emergency response")
    post = content.index("Post-crisis action")
    assert prep < content.index("Communicate effectively with migrants") < emer
    assert emer < content.index("Relocate and evacuate migrants when needed") < post
    assert post < content.index("Support migrants&#x27; host communities")
    assert content.count('class="num"') == 15
