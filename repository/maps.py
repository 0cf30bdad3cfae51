"""World maps of a search's practices by country (choropleth), drawn as inline SVG.

The shapes are Natural Earth's, projected and simplified once by tools/map/build_shapes.py
into static/map/countries.json (keyed by ISO 3166-1 alpha-2 code, two levels of detail).
The counts are the search's country facet, from the tag index: each country's count is
that of the search filtered by it (its link), as on the search page's country filter.
Countries without practices are drawn as one grey background path, without links.
"""

import functools
import json
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .search import PracticeSearch
from .search.coverage import Scale, query_string

SHAPES = settings.BASE_DIR / "static/map/countries.json"
DETAIL, COMPACT = "detail", "compact"


@functools.cache
def shapes() -> dict:
    return json.loads(SHAPES.read_text(encoding="utf-8"))


@dataclass
class MapCountry:
    code: str
    name: str
    count: int
    level: int
    query: str
    path: str
    dot: tuple[float, float] | None

    @property
    def label(self) -> str:
        return ngettext(
            "%(country)s: %(count)s practice", "%(country)s: %(count)s practices", self.count
        ) % {"country": self.name, "count": self.count}


@dataclass
class WorldMap:
    view_box: str
    background: str
    countries: list[MapCountry]  # with practices, most first
    scale: Scale
    detail: str

    @property
    def title(self) -> str:
        return _("Map of the practices by country")


def world_map(search: PracticeSearch, detail: str = DETAIL, facet=None) -> WorldMap:
    """The map of ``search``; ``facet``: its country facet when the caller has it."""
    data = shapes()
    paths, dots = data[detail], data["dots"]
    facet = search.facets(["country"])["country"] if facet is None else facet
    items = [item for item in facet if item["count"]]
    scale = Scale(max((item["count"] for item in items), default=0))
    countries, drawn = [], set()
    for item in items:
        code = item["value"]
        drawn.add(code)
        countries.append(
            MapCountry(
                code,
                item["label"],
                item["count"],
                scale.level(item["count"]),
                query_string(search.params, {"country": code}),
                paths.get(code, ""),
                tuple(dots[code]) if code in dots else None,
            )
        )
    background = "".join(path for code, path in paths.items() if code not in drawn)
    return WorldMap(data["viewBox"], background, countries, scale, detail)
