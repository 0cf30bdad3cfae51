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


# The varied stream: searches nobody made before, each sent once (every word is new to the
# server the first time it comes, then meets other filters). Domain words of the real
# practices, which the synthetic text is trained on; not the headline's "evacuation".
STREAM_WORDS = [
    "consular",
    "shelter",
    "repatriation",
    "hotline",
    "registration",
    "embassy",
    "workers",
    "children",
    "information",
    "assistance",
    "coordination",
    "relocation",
    "transport",
    "identity",
    "documents",
    "training",
    "volunteers",
    "community",
    "language",
    "communication",
    "health",
    "protection",
    "diaspora",
    "trafficking",
    "database",
    "flights",
    "camps",
    "labour",
    "detention",
    "reintegration",
]
# Filter sets of the stream: (app parameters, Datasette parameters).
STREAM_FILTERS = [
    ([], []),
    ([("phase", "emergency")], [("phases__arraycontains", "emergency")]),
    ([("stakeholder", "states")], [("stakeholders__arraycontains", "states")]),
    (
        [("phase", "preparedness"), ("crisis_type", "conflict")],
        [("phases__arraycontains", "preparedness"), ("crisis_types__arraycontains", "conflict")],
    ),
    (
        [("region", "asia-pacific")],
        [("regions__arraycontains", "asia-pacific")],
    ),
    ([("year_min", "2015")], [("year__gte", "2015")]),
]


def stream() -> list[dict]:
    """The varied stream, in the order sent: every word with the first filter set, then
    every word with the second, and so on (len(STREAM_WORDS) × len(STREAM_FILTERS))."""
    return [
        {
            "key": f"stream-{n}",
            "params": [("q", word), *app],
            "datasette": [("_search", word), *datasette],
        }
        for n, (app, datasette, word) in enumerate(
            (app, datasette, word) for app, datasette in STREAM_FILTERS for word in STREAM_WORDS
        )
    ]


FLOOR_PATH = "/robots.txt"  # all the middleware, no database, no cache: the framework's floor
