"""repository/citation.py and the practice page: the way back to the search, and citations."""

import json
import re
from urllib.parse import quote

import pytest

from repository.citation import search_back_url
from repository.models import Practice

pytestmark = pytest.mark.django_db


@pytest.fixture
def practice():
    return Practice.objects.published().for_detail().order_by("pk").first()


def breadcrumbs(content: str) -> str:
    start = content.index('class="wrap breadcrumbs"')
    return content[start : content.index("</nav>", start)]


def test_a_search_query_becomes_a_link_to_that_search():
    assert search_back_url("q=evacuation&phase=emergency&page=2") == (
        "/practices/?q=evacuation&phase=emergency&page=2"
    )
    assert search_back_url("/practices/?q=flood") == "/practices/?q=flood"
    assert search_back_url("?stakeholder=diaspora&stakeholder=ngo") == (
        "/practices/?stakeholder=diaspora&stakeholder=ngo"
    )
    assert search_back_url("") is None and search_back_url(None) is None


@pytest.mark.parametrize(
    "hostile",
    [
        "//evil.example/practices/",
        "https://evil.example/practices/?q=x",
        "javascript:alert(1)",
        "/admin/?q=x",
        "/practices/../admin/",
        "\\\\evil.example",
        "q=x&next=https://evil.example",
        "%2F%2Fevil.example",
    ],
)
def test_the_link_back_never_leaves_the_search_page(hostile):
    url = search_back_url(hostile)
    assert url == "/practices/" or url.startswith("/practices/?"), url
    assert "evil" not in url.split("?")[0]
    params = url.partition("?")[2]
    assert "next=" not in params


def test_result_links_carry_the_search_and_the_page_links_back(client, practice):
    listing = client.get("/practices/?q=evacuation&phase=emergency").content.decode()
    link = re.search(r'href="(/practices/\d+-[^"?]+)\?from=([^"]+)"', listing)
    assert link, "result links carry ?from="
    assert link.group(2) == quote("q=evacuation&phase=emergency", safe="")

    page = client.get(f"{link.group(1)}?from={link.group(2)}").content.decode()
    crumbs = breadcrumbs(page)
    assert 'href="/practices/?q=evacuation&amp;phase=emergency"' in crumbs
    assert "Your search results" in crumbs

    plain = client.get(practice.get_absolute_url()).content.decode()
    crumbs = breadcrumbs(plain)
    assert 'href="/practices/"' in crumbs and "Your search results" not in crumbs
    assert f'<link rel="canonical" href="http://testserver{practice.get_absolute_url()}">' in plain


def test_practice_page_has_a_citation_with_a_stable_url_and_downloads(client, practice):
    content = client.get(practice.get_absolute_url()).content.decode()
    stable = f"http://testserver/practices/{practice.pk}/"
    assert '<h2 id="cite-title">Cite this practice</h2>' in content
    citation = re.search(r'<p class="citation" id="citation-text">(.*?)</p>', content, re.S)
    text = citation.group(1)
    assert "MICIC Practices Repository, published" in text
    assert text.endswith(stable)
    assert f'href="/practices/{practice.pk}/cite.json"' in content
    assert f'href="/practices/{practice.pk}/cite.ris"' in content
    # On paper, the address of the page.
    assert f'<p class="print-only print-url">This page: {stable}</p>' in content
    assert client.get(f"/practices/{practice.pk}/").status_code == 301  # the stable URL works


def test_csl_json_download(client, practice):
    response = client.get(f"/practices/{practice.pk}/cite.json")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.citationstyles.csl+json")
    assert "attachment" in response["Content-Disposition"]
    [item] = json.loads(response.content)
    assert item["type"] == "webpage"
    assert item["title"] == practice.title
    assert item["container-title"] == "MICIC Practices Repository"
    assert item["URL"] == f"http://testserver/practices/{practice.pk}/"
    published = practice.published_at
    assert item["issued"]["date-parts"] == [[published.year, published.month, published.day]]


def test_ris_download(client, practice):
    response = client.get(f"/practices/{practice.pk}/cite.ris")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/x-research-info-systems")
    text = response.content.decode()
    lines = text.split("\r\n")
    assert lines[0] == "TY  - ELEC"
    assert f"TI  - {' '.join(practice.title.split())}" in lines
    assert f"UR  - http://testserver/practices/{practice.pk}/" in lines
    assert lines[-2] == "ER  - " and lines[-1] == ""


def test_citations_of_unpublished_practices_are_404(client):
    from tests.factories import make_practice

    hidden = make_practice(status="submitted")
    assert client.get(f"/practices/{hidden.pk}/cite.json").status_code == 404
    assert client.get(f"/practices/{hidden.pk}/cite.ris").status_code == 404
