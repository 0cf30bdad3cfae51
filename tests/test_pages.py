"""Every public page: accessible structure, no third-party resources, security headers."""

import re
from html.parser import HTMLParser

import pytest

from tests.factories import make_practice

pytestmark = pytest.mark.django_db

PAGES = [
    "/",
    "/principles/",
    "/principles/1/",
    "/principles/10/",
    "/guidelines/",
    "/guidelines/1/",
    "/guidelines/15/",
    "/phases/preparedness/",
    "/phases/emergency/",
    "/phases/post-crisis/",
    "/no-such-page/",
]


class Structure(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags = []
        self.attrs = []
        self.h1 = 0
        self.html_lang = None
        self.resources = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append(tag)
        self.attrs.append((tag, attrs))
        if tag == "h1":
            self.h1 += 1
        if tag == "html":
            self.html_lang = attrs.get("lang")
        if tag in ("script", "img", "iframe") and attrs.get("src"):
            self.resources.append(attrs["src"])
        # rel="alternate" names another URL of the page (hreflang, feed), rel="canonical" its
        # own address: nothing loads them.
        if (
            tag == "link"
            and attrs.get("href")
            and attrs.get("rel") not in ("alternate", "canonical")
        ):
            self.resources.append(attrs["href"])


def parse(response):
    parser = Structure()
    parser.feed(response.content.decode())
    return parser


@pytest.fixture
def practice_page():
    return make_practice(title="Page checks", body="Some *Markdown*.").get_absolute_url()


@pytest.mark.parametrize("path", [*PAGES, "practice"])
def test_page_structure_is_accessible(client, path, practice_page):
    response = client.get(practice_page if path == "practice" else path)
    assert response.status_code in (200, 404)
    page = parse(response)
    assert page.html_lang == "en"
    assert page.h1 == 1, "exactly one h1"
    for landmark in ("header", "main", "footer", "nav"):
        assert landmark in page.tags, landmark
    assert ("a", {"class": "skip-link", "href": "#main"}) in page.attrs
    assert ("main", {"id": "main", "class": "wrap", "tabindex": "-1"}) in page.attrs
    assert any(tag == "meta" and a.get("name") == "viewport" for tag, a in page.attrs)


@pytest.mark.parametrize("path", [*PAGES, "practice"])
def test_page_loads_nothing_from_another_host_and_runs_no_script(client, path, practice_page):
    response = client.get(practice_page if path == "practice" else path)
    page = parse(response)
    assert "script" not in page.tags, "pages work without JavaScript"
    for url in page.resources:
        assert not re.match(r"^(https?:)?//", url), url


@pytest.mark.parametrize("path", ["/", "/guidelines/1/", "practice"])
def test_security_headers(client, path, practice_page):
    response = client.get(practice_page if path == "practice" else path)
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"]


def test_practice_page_has_print_styles(client):
    from django.contrib.staticfiles import finders

    with open(finders.find("css/site.css"), encoding="utf-8") as handle:
        css = handle.read()
    assert "@media print" in css
    assert ".site-header, .site-footer" in css


def test_robots_txt(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    assert b"Disallow: /admin/" in response.content
