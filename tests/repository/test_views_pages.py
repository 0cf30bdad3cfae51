"""repository/views/pages.py (/about/), and the links every page carries to it and to the API."""

import re

import pytest
from django.test import Client

from repository.models import Practice

pytestmark = pytest.mark.django_db


def test_about_page_says_what_micic_is_and_how_the_repository_works(client):
    response = client.get("/about/")
    assert response.status_code == 200
    content = response.content.decode()
    assert "<h1>About the repository</h1>" in content
    assert "<strong>Migrants in Countries in Crisis</strong>" in content
    for fact in (
        "co-chaired by the United States and the Philippines",
        "May 2014",
        "June 2016",
        "IOM hosted the Secretariat",
        "Guidelines to Protect Migrants in Countries Experiencing Conflict or Natural",
        "micicsecretariat@iom.int",
    ):
        assert fact in content, fact
    for section in ("micic", "guidelines", "practices", "moderation", "cite", "licence", "contact"):
        assert f'id="{section}"' in content and f'href="#{section}"' in content, section
    published = Practice.objects.published().count()
    assert f"holds {published} published practices" in content
    assert 'href="/practices/submit/"' in content and 'href="/api/docs/"' in content


def test_home_page_says_in_one_sentence_what_this_is_and_spells_out_micic(client):
    content = client.get("/").content.decode()
    lead = re.search(r'<p class="lead">(.*?)</p>', content, re.S).group(1)
    text = " ".join(re.sub(r"<[^>]+>", " ", lead).split())
    assert "Migrants in Countries in Crisis (MICIC)" in text
    assert text.startswith("This is a searchable collection of real practices")
    assert 'href="/about/"' in lead


@pytest.mark.parametrize(
    "path",
    ["/", "/practices/", "/guidelines/", "/guidelines/1/", "/principles/1/", "/phases/emergency/",
     "/practices/submit/", "/about/", "/no-such-page/", "PRACTICE"],
)  # fmt: skip
def test_every_page_links_to_about_and_to_the_api_reference(path):
    if path == "PRACTICE":
        path = Practice.objects.published().first().get_absolute_url()
    content = Client().get(path).content.decode()
    footer = content[content.index('<footer class="site-footer">') :]
    assert 'href="/about/"' in footer, path
    assert 'href="/api/docs/"' in footer, path
    assert 'href="/about/"' in content[: content.index("<main")], path  # in the main menu


def test_about_is_in_the_sitemap(client):
    assert b"/about/</loc>" in client.get("/sitemap.xml").content


def test_the_500_page_links_to_about():
    from django.template import loader

    assert 'href="/about/"' in loader.get_template("500.html").render()
