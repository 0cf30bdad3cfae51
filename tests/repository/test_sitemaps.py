"""repository/sitemaps.py and guidelines/sitemaps.py: /sitemap.xml and robots.txt."""

import pytest

from repository.models import Status
from tests.factories import make_practice

pytestmark = pytest.mark.django_db


def test_sitemap_lists_pages_guidelines_principles_and_published_practices(client):
    published = make_practice(title="In the sitemap")
    hidden = make_practice(title="Not in the sitemap", status=Status.REJECTED)
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    content = response.content.decode()
    for path in ("/", "/practices/", "/guidelines/", "/guidelines/15/", "/principles/10/",
                 "/phases/post-crisis/", published.get_absolute_url()):  # fmt: skip
        assert f"<loc>http://testserver{path}</loc>" in content, path
    assert f"/practices/{hidden.pk}-" not in content


def test_robots_points_to_the_sitemap(client):
    content = client.get("/robots.txt").content.decode()
    assert "Sitemap: http://testserver/sitemap.xml" in content
    assert "Disallow: /moderation/" in content
