"""repository/api/: taxonomies and published practices in API v1, one test per row or rule of
docs/api.md: the practice shape, the filters and their 400s, facets, CSV, and the same
results as the HTML page /practices/ for the same query string.
"""

import csv
import io
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from repository.api import exports
from repository.models import Practice, Status
from tests.factories import make_practice

pytestmark = pytest.mark.django_db

HIDDEN_STATUSES = [s for s in Status.values if s != Status.APPROVED]
PRACTICE_FIELDS = [
    "id",
    "url",
    "html_url",
    "title",
    "slug",
    "summary",
    "body",
    "body_html",
    "phases",
    "stakeholders",
    "crisis_types",
    "guidelines",
    "principles",
    "countries",
    "regions",
    "year",
    "year_end",
    "organizations",
    "source",
    "published_at",
    "updated_at",
    "kind",
    "language",
]
CSV_COLUMNS = [
    "id",
    "title",
    "summary",
    "phases",
    "stakeholders",
    "crisis_types",
    "guidelines",
    "principles",
    "countries",
    "regions",
    "year",
    "year_end",
    "organizations",
    "source_title",
    "source_url",
    "html_url",
    "published_at",
    "updated_at",
    "kind",  # added in this release: last, so existing columns keep their place
]


@pytest.fixture(autouse=True)
def _fresh_throttles():
    cache.clear()


@pytest.fixture
def since():
    """An instant before this test's practices: ?updated_since= isolates them from fixtures."""
    return (timezone.now() - timedelta(microseconds=1)).isoformat()


def get(client, path, **params):
    response = client.get(path, params)
    assert response.status_code == 200, response.content
    return response.json()


def ids(client, **params):
    return [p["id"] for p in get(client, "/api/v1/practices/", **params)["results"]]


def tagged_practice(**fields):
    tags = {
        "phases": ["emergency", "post-crisis"],
        "stakeholders": ["host-state", "diaspora"],
        "crisis_types": ["conflict"],
        "guidelines": [9, 11],
        "principles": [1, 3],
        "countries": ["TR", "SY"],
    }
    return make_practice(**{**tags, **fields})


def all_keys(data) -> set[str]:
    if isinstance(data, dict):
        return set(data) | {key for value in data.values() for key in all_keys(value)}
    if isinstance(data, list):
        return {key for item in data for key in all_keys(item)}
    return set()


# Taxonomies -------------------------------------------------------------------------------


def test_stakeholders_have_slug_name_and_parent_slug_or_null(client):
    stakeholders = get(client, "/api/v1/stakeholders/", page_size=100)["results"]
    assert all(list(s) == ["slug", "name", "parent"] for s in stakeholders)
    by_slug = {s["slug"]: s for s in stakeholders}
    assert by_slug["states"]["parent"] is None
    assert by_slug["diaspora"] == {
        "slug": "diaspora",
        "name": "Diaspora",
        "parent": "civil-society",
    }


@pytest.mark.parametrize(
    "path, slug", [("/api/v1/crisis-types/", "conflict"), ("/api/v1/regions/", "asia-pacific")]
)
def test_crisis_types_and_regions_have_slug_and_name(client, path, slug):
    items = get(client, path)["results"]
    assert all(list(item) == ["slug", "name"] for item in items)
    assert slug in {item["slug"] for item in items}
    assert client.get(f"{path}{slug}/").status_code == 200


# A practice -------------------------------------------------------------------------------


def test_a_practice_has_exactly_the_fields_of_the_contract(client):
    practice = tagged_practice(
        title="Evacuation <b>help</b>",
        body="Read **this**.",
        year=2023,
        organizations="IOM, Red Crescent",
        source_url="https://example.org/report",
        submitter_name="Ada Secret",
        submitter_email="ada@example.org",
        submitter_organization="Secret org",
    )
    body = get(client, f"/api/v1/practices/{practice.pk}/")
    assert list(body) == PRACTICE_FIELDS
    assert body["id"] == practice.pk
    assert body["url"] == f"http://testserver/api/v1/practices/{practice.pk}/"
    assert body["html_url"] == f"http://testserver/practices/{practice.pk}-{practice.slug}/"
    assert body["title"] == "Evacuation <b>help</b>"  # plain text, as entered
    assert body["body"] == "Read **this**."
    assert body["body_html"] == "<p>Read <strong>this</strong>.</p>"
    assert body["phases"] == [
        {"slug": "emergency", "name": "Emergency response"},
        {"slug": "post-crisis", "name": "Post-crisis action"},
    ]
    assert {s["slug"] for s in body["stakeholders"]} == {"host-state", "diaspora"}
    assert all(list(s) == ["slug", "name"] for s in body["stakeholders"])
    assert body["crisis_types"] == [{"slug": "conflict", "name": "Conflict"}]
    assert [g["number"] for g in body["guidelines"]] == [9, 11]
    assert all(list(g) == ["number", "title"] for g in body["guidelines"])
    assert [p["number"] for p in body["principles"]] == [1, 3]
    assert {c["code"]: c["name"] for c in body["countries"]} == {"TR": "Türkiye", "SY": "Syria"}
    assert [r["slug"] for r in body["regions"]] == [
        "middle-east-north-africa",
        "europe-central-asia",
    ]
    assert body["year"] == 2023 and body["year_end"] is None
    assert body["organizations"] == "IOM, Red Crescent"
    assert body["source"] == {"title": "Test source", "url": "https://example.org/report"}
    assert body["published_at"].endswith("Z") and body["updated_at"].endswith("Z")


def test_nothing_private_is_ever_in_a_response(client):
    practice = tagged_practice(
        submitter_name="Ada Secret",
        submitter_email="ada@example.org",
        submitter_organization="Secret org",
    )
    for path in [f"/api/v1/practices/{practice.pk}/", "/api/v1/practices/?page_size=100"]:
        response = client.get(path)
        text = response.content.decode()
        for private in ["Ada Secret", "ada@example.org", "Secret org"]:
            assert private not in text, (path, private)
        keys = all_keys(response.json())
        assert not {k for k in keys if k.startswith("submitter") or "email" in k}, path
        assert not keys & {"status", "content_key", "note", "notes", "events"}, path


def test_a_source_without_url_has_a_null_url(client):
    practice = make_practice(source_title="Annual report", source_url="")
    assert get(client, f"/api/v1/practices/{practice.pk}/")["source"] == {
        "title": "Annual report",
        "url": None,
    }


def test_body_html_is_sanitised(client):
    practice = make_practice(
        body="<script>alert(1)</script>[x](javascript:alert(1)) <img src=x onerror=alert(1)>"
    )
    html = get(client, f"/api/v1/practices/{practice.pk}/")["body_html"]
    assert "<script" not in html and "javascript:" not in html and "<img" not in html


@pytest.mark.parametrize("status", HIDDEN_STATUSES)
def test_a_practice_that_is_not_published_is_a_404(client, status, since):
    practice = make_practice(status=status)
    response = client.get(f"/api/v1/practices/{practice.pk}/")
    assert response.status_code == 404
    assert list(response.json()["errors"]) == ["detail"]
    assert get(client, "/api/v1/practices/", updated_since=since)["count"] == 0


def test_an_unknown_practice_is_a_404(client):
    assert client.get("/api/v1/practices/999999/").status_code == 404


def test_list_results_omit_body_and_body_html(client, since):
    tagged_practice(body="Long text")
    [result] = get(client, "/api/v1/practices/", updated_since=since)["results"]
    assert list(result) == [f for f in PRACTICE_FIELDS if f not in ("body", "body_html")]


def test_the_list_costs_the_same_queries_for_one_or_many_practices(
    client, django_assert_max_num_queries
):
    Practice.objects.all().delete()
    tagged_practice()
    client.get("/api/v1/practices/")  # builds the facet index of this content version
    with django_assert_max_num_queries(12) as one:
        assert client.get("/api/v1/practices/?page_size=30").status_code == 200
    queries = len(one.captured_queries)  # before the next request resets the log
    for _ in range(12):
        tagged_practice(countries=["TR", "SY", "LY", "JP"])
    client.get("/api/v1/practices/")
    with django_assert_max_num_queries(queries):
        body = client.get("/api/v1/practices/?page_size=30").json()
    assert body["count"] == 13 and len(body["results"]) == 13


def test_facets_cost_no_queries_per_practice(client, django_assert_max_num_queries):
    Practice.objects.all().delete()
    tagged_practice()
    with django_assert_max_num_queries(40) as one:
        client.get("/api/v1/practices/", {"facets": "all"})
    for _ in range(8):
        tagged_practice(countries=["LY", "JP"])
    with django_assert_max_num_queries(len(one.captured_queries)):
        client.get("/api/v1/practices/", {"facets": "all"})


# Filters ----------------------------------------------------------------------------------


def test_published_practices_newest_first_by_default(client):
    results = get(client, "/api/v1/practices/", page_size=100)["results"]
    published = [r["published_at"] for r in results]
    assert published == sorted(published, reverse=True)


@pytest.mark.parametrize(
    "params, expected",
    [
        ({"phase": "preparedness"}, {"b"}),
        ({"stakeholder": "diaspora"}, {"a"}),
        ({"stakeholder": "civil-society"}, {"a"}),  # a parent includes its children
        ({"stakeholder": "states"}, {"b"}),
        ({"crisis_type": "natural-disaster"}, {"b"}),
        ({"guideline": "2"}, {"b"}),
        ({"principle": "4"}, {"a"}),
        ({"country": "jp"}, {"b"}),  # case-insensitive
        ({"country": "DE"}, set()),  # a valid code with no practices
        ({"region": "middle-east-north-africa"}, {"a"}),
        ({"year_min": "2015"}, {"b"}),
        ({"year_max": "2015"}, {"a", "b"}),  # inclusive
        ({"year_min": "2016", "year_max": "2016"}, set()),
        ({"phase": ["preparedness", "emergency"]}, {"a", "b"}),  # repeated: OR
        ({"phase": "emergency", "country": "JP"}, set()),  # different parameters: AND
    ],
)
def test_filters(client, since, params, expected):
    a = make_practice(
        title="Alpha",
        phases=["emergency"],
        stakeholders=["diaspora"],
        crisis_types=["conflict"],
        guidelines=[9],
        principles=[4],
        countries=["SY"],
        year=2010,
    )
    b = make_practice(
        title="Bravo",
        phases=["preparedness"],
        stakeholders=["host-state"],
        crisis_types=["natural-disaster"],
        guidelines=[2],
        countries=["JP"],
        year=2015,
    )
    names = {a.pk: "a", b.pk: "b"}
    found = ids(client, updated_since=since, **params)
    assert {names[pk] for pk in found} == expected


def test_q_is_ranked_full_text_search(client, since):
    best = make_practice(title="Evacuation of stranded migrants", summary="Evacuation by sea.")
    other = make_practice(title="Consular registration", summary="Includes evacuation plans.")
    make_practice(title="Language classes", summary="Nothing related.")
    assert ids(client, updated_since=since, q="evacuation") == [best.pk, other.pk]
    assert ids(client, updated_since=since, q="evacuation -consular") == [best.pk]
    assert set(ids(client, updated_since=since, q="consular OR language")) == set(
        ids(client, updated_since=since, q="consular or language")
    )


def test_updated_since_is_strictly_after(client):
    practice = make_practice()
    practice.refresh_from_db()
    at = practice.updated_at
    assert practice.pk in ids(client, updated_since=(at - timedelta(seconds=1)).isoformat())
    assert practice.pk not in ids(client, updated_since=at.isoformat())


@pytest.mark.parametrize(
    "ordering, key, reverse",
    [
        ("title", "title", False),
        ("-title", "title", True),
        ("published_at", "published_at", False),
        ("-published_at", "published_at", True),
        ("relevance", "published_at", True),  # without q: like the default
    ],
)
def test_ordering(client, since, ordering, key, reverse):
    now = timezone.now()
    for n, title in enumerate(["Bravo", "Alpha", "Charlie"]):
        make_practice(title=title, published_at=now - timedelta(days=n))
    results = get(client, "/api/v1/practices/", ordering=ordering, updated_since=since)["results"]
    values = [r[key] for r in results]
    assert len(values) == 3
    assert values == sorted(values, reverse=reverse)


def test_ordering_by_year(client, since):
    for year in (2012, 2010, 2011):
        make_practice(year=year)
    years = [
        get(client, f"/api/v1/practices/{pk}/")["year"]
        for pk in ids(client, updated_since=since, ordering="year")
    ]
    assert years == [2010, 2011, 2012]


@pytest.mark.parametrize(
    "params, param",
    [
        ({"phase": "wartime"}, "phase"),
        ({"stakeholder": "aliens"}, "stakeholder"),
        ({"crisis_type": "meteor"}, "crisis_type"),
        ({"guideline": "16"}, "guideline"),
        ({"guideline": "nine"}, "guideline"),
        ({"principle": "11"}, "principle"),
        ({"country": "XX"}, "country"),
        ({"country": "TUR"}, "country"),
        ({"region": "atlantis"}, "region"),
        ({"year_min": "soon"}, "year_min"),
        ({"year_max": "2020.5"}, "year_max"),
        ({"updated_since": "yesterday"}, "updated_since"),
        ({"ordering": "random"}, "ordering"),
        ({"facets": "colour"}, "facets"),
    ],
)
def test_a_bad_value_is_a_400_naming_the_parameter(client, params, param):
    response = client.get("/api/v1/practices/", params)
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert list(errors) == [param]
    assert all(isinstance(message, str) and message for message in errors[param])


def test_an_unknown_phase_message_is_the_contracts(client):
    response = client.get("/api/v1/practices/", {"phase": "wartime"})
    assert response.json() == {"errors": {"phase": ["“wartime” is not a known phase."]}}


# Facets -----------------------------------------------------------------------------------


def test_facets_are_only_in_the_envelope_when_asked_for(client):
    assert "facets" not in get(client, "/api/v1/practices/")
    body = get(client, "/api/v1/practices/", facets="stakeholder,year")
    assert list(body) == ["count", "next", "previous", "results", "facets"]
    assert list(body["facets"]) == ["stakeholder", "year"]


def test_all_facets(client):
    facets = get(client, "/api/v1/practices/", facets="all")["facets"]
    assert set(facets) == {
        "phase",
        "stakeholder",
        "crisis_type",
        "guideline",
        "principle",
        "country",
        "region",
        "year",
        "kind",
    }
    for name, values in facets.items():
        for value in values:
            assert {"value", "label", "count", "selected"} <= set(value), name
    assert all(isinstance(v["value"], int) for v in facets["guideline"] + facets["year"])
    assert all(isinstance(v["value"], int) for v in facets["principle"])


def test_facets_are_disjunctive_and_mark_the_selection(client):
    unfiltered = get(client, "/api/v1/practices/", facets="phase")["facets"]["phase"]
    body = get(client, "/api/v1/practices/", phase="emergency", facets="phase,crisis_type")
    phase = {v["value"]: v for v in body["facets"]["phase"]}
    # The phase facet ignores the phase filter; the other facets apply it.
    assert {v["value"]: v["count"] for v in unfiltered} == {
        value: item["count"] for value, item in phase.items()
    }
    assert phase["emergency"]["selected"] and not phase["preparedness"]["selected"]
    assert sum(v["count"] for v in body["facets"]["crisis_type"]) >= body["count"]
    conflict = next(v for v in body["facets"]["crisis_type"] if v["value"] == "conflict")
    assert (
        conflict["count"]
        == get(client, "/api/v1/practices/?phase=emergency&crisis_type=conflict")["count"]
    )


def test_a_parent_stakeholders_count_equals_its_filter_count(client):
    facet = get(client, "/api/v1/practices/", facets="stakeholder")["facets"]["stakeholder"]
    for value in facet:
        if value["parent"] is None:
            count = get(client, "/api/v1/practices/", stakeholder=value["value"])["count"]
            assert value["count"] == count, value["value"]


# CSV --------------------------------------------------------------------------------------


def read_csv(response) -> list[list[str]]:
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response.streaming
    text = b"".join(response.streaming_content).decode()
    return list(csv.reader(io.StringIO(text)))


@pytest.mark.parametrize("how", ["format", "accept"])
def test_csv_has_every_matching_practice_not_one_page(client, since, how):
    for _ in range(23):
        make_practice()
    if how == "format":
        response = client.get("/api/v1/practices/", {"format": "csv", "updated_since": since})
    else:
        response = client.get(
            "/api/v1/practices/", {"updated_since": since}, headers={"accept": "text/csv"}
        )
    rows = read_csv(response)
    assert rows[0] == CSV_COLUMNS
    assert len(rows) == 1 + 23
    assert "attachment" in response["Content-Disposition"]


def test_csv_rows_hold_tags_joined_by_semicolons(client, since):
    practice = tagged_practice(year=2020, year_end=2022, organizations="IOM; UNHCR")
    practice.refresh_from_db()
    [header, row] = read_csv(
        client.get("/api/v1/practices/", {"format": "csv", "updated_since": since})
    )
    cells = dict(zip(header, row, strict=True))
    assert cells["id"] == str(practice.pk)
    assert cells["phases"] == "emergency;post-crisis"
    assert set(cells["stakeholders"].split(";")) == {"host-state", "diaspora"}
    assert cells["crisis_types"] == "conflict"
    assert cells["guidelines"] == "9;11"
    assert cells["principles"] == "1;3"
    assert set(cells["countries"].split(";")) == {"TR", "SY"}
    assert cells["regions"] == "middle-east-north-africa;europe-central-asia"
    assert (cells["year"], cells["year_end"]) == ("2020", "2022")
    assert cells["organizations"] == "IOM; UNHCR"
    assert cells["source_title"] == "Test source"
    assert cells["html_url"] == f"http://testserver{practice.get_absolute_url()}"
    json_body = get(client, f"/api/v1/practices/{practice.pk}/")
    assert cells["published_at"] == json_body["published_at"]
    assert cells["updated_at"] == json_body["updated_at"]


# The payloads of issue 15: each would run as a formula in a spreadsheet.
FORMULA_TITLE = '=HYPERLINK("http://x","y")'
FORMULA_SUMMARY = "+SUM(1+1)*cmd|' /C calc'!A0"
FORMULA_ORGANIZATIONS = "@SUM(1)"


def test_csv_cells_that_would_run_as_formulas_are_prefixed(client, since):
    make_practice(
        title=FORMULA_TITLE,
        summary=FORMULA_SUMMARY,
        organizations=FORMULA_ORGANIZATIONS,
        source_title="-2+3",
    )
    make_practice(title="\tTabbed", summary="\rReturned", organizations="IOM = UNHCR")
    header, *rows = read_csv(
        client.get(
            "/api/v1/practices/", {"format": "csv", "updated_since": since, "ordering": "title"}
        )
    )
    cells = [dict(zip(header, row, strict=True)) for row in rows]
    by_title = {c["title"]: c for c in cells}
    formula = by_title["'" + FORMULA_TITLE]
    assert formula["summary"] == "'" + FORMULA_SUMMARY
    assert formula["organizations"] == "'" + FORMULA_ORGANIZATIONS
    assert formula["source_title"] == "'-2+3"
    tabbed = by_title["'\tTabbed"]
    assert tabbed["summary"] == "'\rReturned"
    assert tabbed["organizations"] == "IOM = UNHCR"  # only the first character counts
    # Numbers stay numbers.
    assert all(c["id"].isdigit() for c in cells)


def test_csv_applies_the_filters_and_ordering(client):
    params = {"phase": "emergency", "ordering": "title"}
    rows = read_csv(client.get("/api/v1/practices/", {**params, "format": "csv"}))
    body = get(client, "/api/v1/practices/", **params)
    assert len(rows) - 1 == body["count"] > 20
    assert [int(row[0]) for row in rows[1:21]] == [p["id"] for p in body["results"]]


def test_csv_by_relevance_has_the_order_of_the_pages(client):
    params = {"q": "migrants", "phase": "emergency"}
    rows = read_csv(client.get("/api/v1/practices/", {**params, "format": "csv"}))
    body = get(client, "/api/v1/practices/", **params, page_size=100)
    assert len(rows) - 1 == body["count"] > 20
    ids = [p["id"] for p in body["results"]]
    assert [int(row[0]) for row in rows[1 : len(ids) + 1]] == ids


def test_csv_is_streamed_in_chunks(client, since, monkeypatch):
    monkeypatch.setattr(exports, "CHUNK_SIZE", 2)
    for _ in range(5):
        tagged_practice()
    response = client.get("/api/v1/practices/", {"format": "csv", "updated_since": since})
    chunks = list(response.streaming_content)
    assert len(chunks) == 3  # header + 2 rows, 2 rows, 1 row
    assert sum(chunk.count(b"\r\n") for chunk in chunks) == 6


def test_csv_export_queries_per_chunk_not_per_practice(client, since, monkeypatch):
    monkeypatch.setattr(exports, "CHUNK_SIZE", 1000)
    tagged_practice()
    params = {"format": "csv", "updated_since": since}
    with CaptureQueriesContext(connection) as one:
        read_csv(client.get("/api/v1/practices/", params))
    for _ in range(10):
        tagged_practice()
    with CaptureQueriesContext(connection) as many:
        assert len(read_csv(client.get("/api/v1/practices/", params))) == 12
    assert len(many.captured_queries) == len(one.captured_queries)


def test_a_bad_filter_with_csv_is_still_a_json_400(client):
    for response in [
        client.get("/api/v1/practices/", {"format": "csv", "phase": "wartime"}),
        client.get("/api/v1/practices/", {"phase": "wartime"}, headers={"accept": "text/csv"}),
    ]:
        assert response.status_code == 400
        assert response["Content-Type"] == "application/json"
        assert list(response.json()["errors"]) == ["phase"]


def test_csv_has_an_etag_and_a_304(client):
    response = client.get("/api/v1/practices/", {"format": "csv"})
    etag = response["ETag"]
    assert etag.startswith('W/"')
    again = client.get("/api/v1/practices/", {"format": "csv"}, headers={"if-none-match": etag})
    assert again.status_code == 304
    make_practice()
    changed = client.get("/api/v1/practices/", {"format": "csv"}, headers={"if-none-match": etag})
    assert changed.status_code == 200


def test_only_the_practice_list_speaks_csv(client):
    practice = make_practice()
    response = client.get(f"/api/v1/practices/{practice.pk}/", {"format": "csv"})
    assert response.status_code == 400
    assert client.get("/api/v1/phases/", headers={"accept": "text/csv"}).status_code == 406


def test_json_responses_vary_on_accept(client):
    assert "Accept" in client.get("/api/v1/practices/")["Vary"]


# One FilterSet, two surfaces --------------------------------------------------------------

SAME_QUERIES = [
    "",
    "page=2",
    "q=earthquake",
    'q="early warning"',
    "q=evacuation or repatriation&ordering=relevance",
    "q=migrants -labour",
    "phase=emergency",
    "stakeholder=states",
    "stakeholder=diaspora&stakeholder=host-state",
    "crisis_type=conflict&country=tr",
    "guideline=9&ordering=title",
    "principle=1&ordering=-year",
    "region=middle-east-north-africa&year_min=2010&year_max=2015",
    "ordering=published_at&page=3",
    "country=DE",
]


@pytest.mark.parametrize("query", SAME_QUERIES)
def test_the_page_and_the_api_return_the_same_practices_in_the_same_order(client, query):
    page = client.get(f"/practices/?{query}")
    assert page.status_code == 200
    page_ids = [practice.pk for practice in page.context["practices"]]
    api_ids = [p["id"] for p in get(client, f"/api/v1/practices/?{query}")["results"]]
    assert api_ids == page_ids


# Date-times outside datetime's range once in UTC -------------------------------------------


@pytest.mark.parametrize("instant", ["0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-14:00"])
def test_an_updated_since_out_of_range_is_a_400(client, instant):
    client.raise_request_exception = True
    response = client.get("/api/v1/practices/", {"updated_since": instant})
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["updated_since"]


def test_relaxed_search_is_flagged_with_the_words_matched(client, corpus):
    body = client.get("/api/v1/practices/", {"q": "Libya charter earthquake"}).json()
    assert body["relaxed"] is True
    assert body["matched_words"] == ["libya", "charter"]
    assert body["count"] == 2
    assert [p["title"] for p in body["results"]] == [
        "Evacuation of migrant workers from Libya",
        "Multilingual earthquake alerts in Japan",
    ]


def test_without_the_flag_every_result_matches_every_word(client, corpus):
    body = client.get("/api/v1/practices/", {"q": "evacuation libya"}).json()
    assert "relaxed" not in body and "matched_words" not in body
    assert body["count"] == 1
    nothing = client.get("/api/v1/practices/", {"q": "Libya charter", "country": "JP"}).json()
    assert nothing["count"] == 0
    assert "relaxed" not in nothing


def test_relaxed_filters_and_facets_agree(client, corpus):
    body = client.get(
        "/api/v1/practices/",
        {"q": "Libya charter earthquake", "phase": "preparedness", "facets": "kind"},
    ).json()
    assert body["relaxed"] is True
    assert body["matched_words"] == ["earthquake"]
    assert body["count"] == len(body["results"]) == sum(i["count"] for i in body["facets"]["kind"])


def test_relaxed_csv_and_feed_list_the_same_practices(client, corpus):
    query = {"q": "Libya charter earthquake"}
    response = client.get("/api/v1/practices/", {**query, "format": "csv"})
    text = b"".join(response.streaming_content).decode()
    rows = list(csv.DictReader(io.StringIO(text)))
    page = client.get("/api/v1/practices/", query).json()
    assert [int(row["id"]) for row in rows] == [p["id"] for p in page["results"]]
    feed = client.get("/feeds/practices/", query).content.decode()
    assert feed.count("<entry>") == 2
