"""repository/api/coverage.py: /api/v1/coverage/ and /api/v1/countries/ (API.md, "More
endpoints"). Every cell's count is checked against the `count` of the query in its `url`."""

import pytest

from repository.models import Country, Stakeholder

pytestmark = pytest.mark.django_db


def get_count(client, url: str) -> int:
    response = client.get(url + ("&" if "?" in url else "?") + "page_size=1")
    assert response.status_code == 200, (url, response.content)
    return response.json()["count"]


@pytest.mark.parametrize(
    ("query", "columns"),
    [
        ("crisis_type=natural-disaster", None),
        ("by=region&kind=practice&year_max=2015", 6),
    ],
)
def test_every_cell_counts_what_its_url_lists(client, query, columns):
    response = client.get(f"/api/v1/coverage/?{query}")
    assert response.status_code == 200
    data = response.json()
    assert set(data) == {"by", "count", "url", "rows", "columns", "cells"}
    columns = columns or Stakeholder.objects.count()
    assert len(data["rows"]) == 15 and len(data["columns"]) == columns
    assert [len(row) for row in data["cells"]] == [columns] * 15
    assert get_count(client, data["url"]) == data["count"]
    for row, cells in zip(data["rows"], data["cells"], strict=True):
        assert set(row) == {"number", "title", "phase", "count", "url"}
        assert get_count(client, row["url"]) == row["count"]
        for cell in cells:
            assert cell["url"].startswith("http://testserver/api/v1/practices/?")
            assert get_count(client, cell["url"]) == cell["count"], cell["url"]
    for column in data["columns"]:
        assert get_count(client, column["url"]) == column["count"]


def test_stakeholder_columns_name_their_parent(client):
    data = client.get("/api/v1/coverage/").json()
    assert data["by"] == "stakeholder"
    parents = {c["slug"]: c["parent"] for c in data["columns"]}
    assert parents == {
        s.slug: s.parent.slug if s.parent else None
        for s in Stakeholder.objects.select_related("parent")
    }
    assert data["rows"][0]["phase"] == {"slug": "preparedness", "name": "Crisis preparedness"}


@pytest.mark.parametrize(
    ("query", "field"),
    [("by=country", "by"), ("phase=wartime", "phase"), ("year_min=x", "year_min")],
)
def test_a_bad_parameter_is_a_400_naming_it(client, query, field):
    response = client.get(f"/api/v1/coverage/?{query}")
    assert response.status_code == 400
    assert field in response.json()["errors"]


def test_ordering_facets_and_paging_are_not_coverage_filters(client):
    plain = client.get("/api/v1/coverage/").json()
    ignored = client.get("/api/v1/coverage/?ordering=nonsense&facets=nonsense&page=9").json()
    assert ignored == plain


def test_coverage_is_in_the_schema_with_the_practice_filters(client):
    schema = client.get("/api/schema/?format=json").json()
    operation = schema["paths"]["/api/v1/coverage/"]["get"]
    names = {p["name"] for p in operation["parameters"]}
    assert {"by", "q", "phase", "stakeholder", "region", "kind", "year_min", "country"} <= names
    assert not {"ordering", "facets", "page", "page_size"} & names
    body = operation["responses"]["200"]["content"]["application/json"]["schema"]
    assert body == {"$ref": "#/components/schemas/Coverage"}
    assert "/api/v1/countries/" in schema["paths"]


def test_countries_have_code_name_and_region(client):
    response = client.get("/api/v1/countries/", {"page_size": 100})
    data = response.json()
    assert data["count"] == Country.objects.count()
    assert set(data) >= {"count", "next", "previous", "results"}
    first = data["results"][0]
    assert set(first) == {"code", "name", "region"}
    assert set(first["region"]) == {"slug", "name"}
    turkey = client.get("/api/v1/countries/tr/").json()
    assert turkey["code"] == "TR" and turkey["region"]["slug"] == "europe-central-asia"
    assert client.get("/api/v1/countries/zz/").status_code == 404


def test_the_root_lists_the_new_collections(client):
    data = client.get("/api/v1/").json()
    assert data["coverage"].endswith("/api/v1/coverage/")
    assert data["countries"].endswith("/api/v1/countries/")
