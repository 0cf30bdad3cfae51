"""The fixed set of query strings the benchmark measures, and their Datasette equivalents.

Plain data, no Django: the driver, the in-process facet timing and the report share it.
"""

from urllib.parse import urlencode

# The headline query: full-text search plus two filters, with every facet counted.
KEY = "q_two_filters"

# Datasette's table: one row per published practice, tag columns as JSON arrays
# (bench/export_datasette.py). "stakeholders" holds each tag and its parent, so that
# stakeholders__arraycontains=states finds host States too, as the app's filter does.
DATASETTE_FACETS = [
    ("_facet_array", "phases"),
    ("_facet_array", "stakeholders"),
    ("_facet_array", "crisis_types"),
    ("_facet_array", "guidelines"),
    ("_facet_array", "principles"),
    ("_facet_array", "countries"),
    ("_facet_array", "regions"),
    ("_facet", "year"),
]
DATASETTE_TABLE = "/practices/practices"


def deep_page(n: int) -> int:
    """A page about halfway through the unfiltered list (20 a page)."""
    return max(2, n // 40)


def queries(n: int) -> list[dict]:
    """Each query: a key, a label, its /practices/ query string, and its Datasette filter."""
    page = deep_page(n)
    return [
        {
            "key": "list",
            "label": "plain list (all facets)",
            "params": [],
            "datasette": [],
        },
        {
            "key": "q",
            "label": "q only: q=evacuation",
            "params": [("q", "evacuation")],
            "datasette": [("_search", "evacuation")],
        },
        {
            "key": KEY,
            "label": "q + two filters: q=evacuation&phase=emergency&stakeholder=states",
            "params": [("q", "evacuation"), ("phase", "emergency"), ("stakeholder", "states")],
            "datasette": [
                ("_search", "evacuation"),
                ("phases__arraycontains", "emergency"),
                ("stakeholders__arraycontains", "states"),
            ],
        },
        {
            "key": "q_syntax",
            "label": 'web-search syntax: q="early warning" or evacuation -flood',
            "params": [("q", '"early warning" or evacuation -flood')],
            "datasette": None,  # Datasette's _search has no equivalent of this syntax
        },
        {
            "key": "filters",
            "label": "filters only: phase=emergency&stakeholder=states",
            "params": [("phase", "emergency"), ("stakeholder", "states")],
            "datasette": [
                ("phases__arraycontains", "emergency"),
                ("stakeholders__arraycontains", "states"),
            ],
        },
        {
            "key": "deep_page",
            "label": f"deep page: page={page}",
            "params": [("page", str(page))],
            "datasette": None,  # Datasette pages by keyset (_next=), not by page number
        },
    ]


def practices_path(query: dict) -> str:
    params = urlencode(query["params"])
    return "/practices/" + (f"?{params}" if params else "")


def api_path(query: dict) -> str:
    params = [(k, v) for k, v in query["params"] if k != "page"]
    page = [("page", v) for k, v in query["params"] if k == "page"]
    return "/api/v1/practices/?" + urlencode([*params, *page, ("facets", "all")])


def datasette_path(query: dict, fmt: str = "json") -> str | None:
    if query["datasette"] is None:
        return None
    params = urlencode([*query["datasette"], *DATASETTE_FACETS, ("_size", "20")])
    suffix = ".json" if fmt == "json" else ""
    return f"{DATASETTE_TABLE}{suffix}?{params}"
