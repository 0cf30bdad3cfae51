"""'Published' means one thing on every public surface.

A practice in any non-public status appears on none of them; once approved it appears on
all of them.
"""

import csv
import io

import pytest

from repository.models import Status
from tests.factories import make_practice

pytestmark = pytest.mark.django_db

TITLE = "Zanzibar ferry evacuation drill"
WORD = "zanzibar"


def surfaces(practice):
    """(name, path, how to tell the practice is there)."""
    detail = f"/practices/{practice.pk}-{practice.slug}/"
    return [
        ("list", "/practices/", TITLE),
        ("search", f"/practices/?q={WORD}", TITLE),
        ("facet counts", f"/practices/?q={WORD}", 'name="phase" value="emergency"'),
        ("guideline page", "/guidelines/13/", TITLE),
        ("phase page", "/phases/emergency/", TITLE),
        ("home", "/", TITLE),
        ("principle link target", "/practices/?principle=1", TITLE),
        ("feed", "/feeds/practices/", TITLE),
        ("sitemap", "/sitemap.xml", f"/practices/{practice.pk}-"),
        ("api list", "/api/v1/practices/", TITLE),
        ("api search", f"/api/v1/practices/?q={WORD}", TITLE),
        ("api facets", f"/api/v1/practices/?q={WORD}&facets=phase", '"count":1'),
        ("api csv", "/api/v1/practices/?format=csv", TITLE),
        ("api guideline count", "/api/v1/guidelines/13/", None),
        ("detail", detail, TITLE),
        ("detail by id", f"/practices/{practice.pk}/", None),
        ("api detail", f"/api/v1/practices/{practice.pk}/", TITLE),
    ]


@pytest.fixture(autouse=True)
def _response_cache(settings):
    # Every surface as the public gets it, whole responses cached (micic/response_cache.py).
    settings.RESPONSE_CACHE_SECONDS = 600


@pytest.fixture
def practice_in(db):
    def make(status):
        return make_practice(
            status=status,
            title=TITLE,
            summary="A drill on the ferry.",
            phases=["emergency"],
            guidelines=[13],
            principles=[1],
        )

    return make


def fetch(client, path):
    response = client.get(path, follow=False)
    if response.status_code != 200:
        return response, ""
    if response.streaming:
        return response, b"".join(response.streaming_content).decode()
    return response, response.content.decode()


@pytest.mark.parametrize(
    "status",
    [Status.SUBMITTED, Status.REJECTED, Status.CHANGES_REQUESTED, Status.WITHDRAWN],
)
def test_unpublished_practice_is_on_no_public_surface(client, practice_in, status):
    before = client.get("/api/v1/guidelines/13/").json()["practice_count"]
    practice = practice_in(status)
    for name, path, marker in surfaces(practice):
        response, content = fetch(client, path)
        if name in ("detail", "detail by id", "api detail"):
            assert response.status_code == 404, name
        elif name == "api guideline count":
            assert response.json()["practice_count"] == before
        else:
            assert response.status_code == 200, name
            if name in ("facet counts", "api facets"):
                assert marker not in content, name
            else:
                assert TITLE not in content and f"/practices/{practice.pk}-" not in content, name


def test_approved_practice_is_on_every_public_surface(client, practice_in):
    before = client.get("/api/v1/guidelines/13/").json()["practice_count"]
    practice = practice_in(Status.APPROVED)
    for name, path, marker in surfaces(practice):
        response, content = fetch(client, path)
        if name == "detail by id":
            assert response.status_code == 301, name
        elif name == "api guideline count":
            assert response.json()["practice_count"] == before + 1
        else:
            assert response.status_code == 200, (name, response.status_code)
            assert marker in content, name
    _, content = fetch(client, "/api/v1/practices/?format=csv")
    rows = list(csv.DictReader(io.StringIO(content)))
    assert TITLE in {row["title"] for row in rows}
