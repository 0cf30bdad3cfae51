"""Coverage: how many published practices each guideline × stakeholder (or × region) pair
has, after a search's filters; and summaries of one tag value (a guideline, a stakeholder).

Everything is counted from the tag index that counts the search page's results and facets:
a cell is ``search.scope(without=(row, column)) & guideline & column``, an AND of bitsets
and a bit count, no SQL. Each cell carries the query that lists its practices: the
search's filters with the row's and the column's value in place of any given for those two
dimensions, so that the count is by construction that search's count.

When the search filters on the row or column dimension itself (``?stakeholder=ngo``), the
matrix keeps only those rows or columns (a parent stakeholder with its children).
"""

import math
from dataclasses import dataclass, field
from itertools import pairwise
from urllib.parse import urlencode

from django.utils.translation import gettext_lazy as _

from guidelines.models import Guideline

from .engine import PracticeSearch
from .index import Value
from .index import label as label_of

ROW = "guideline"
# The column dimensions (?by=), the default first.
BY = {"stakeholder": _("Stakeholder"), "region": _("Region")}
NOT_IN_URL = ("by",)  # parameters of the coverage views that are not practice filters
LEVELS = 5  # colour levels of a non-empty count


@dataclass
class Cell:
    count: int
    query: str  # the practice filters that list it, urlencoded
    level: int = 0  # 0 for no practice, else 1..LEVELS (colour scale)


@dataclass
class Column:
    value: str
    label: str
    parent: str | None = None
    members: int = 0
    children: list["Column"] = field(default_factory=list)
    total: Cell | None = None


@dataclass
class Row:
    number: int
    title: str
    cells: list[Cell]
    total: Cell


@dataclass
class PhaseGroup:
    slug: str
    name: str
    rows: list[Row]


def query_string(params, replace: dict) -> str:
    """``params`` (a search's normalised filters) with the values of ``replace`` instead."""
    pairs = [
        (name, value)
        for name, values in params
        if name not in replace and name not in NOT_IN_URL
        for value in values
    ]
    pairs += [(name, value) for name, value in replace.items()]
    return urlencode(pairs)


class Coverage:
    """The guideline × ``by`` matrix of one search: rows grouped by phase, cells, totals."""

    def __init__(self, search: PracticeSearch, by: str = "stakeholder"):
        if by not in BY:
            raise ValueError(f"Unknown coverage dimension {by!r}")
        self.search, self.by = search, by
        index = search.index
        self.total = search.count
        self.corner = Cell(self.total, query_string(search.params, {}))
        columns = self._columns(index.facets[by])
        rows_by_number = self._rows(index.facets[ROW], columns)
        self.columns = [c for column in columns for c in (column, *column.children)]
        self.groups = _groups(rows_by_number)
        counts = [cell.count for row in self.rows for cell in row.cells]
        self.scale = Scale(max(counts, default=0))
        for row in self.rows:
            for cell in row.cells:
                cell.level = self.scale.level(cell.count)
        self.empty = sum(1 for count in counts if not count)

    @property
    def rows(self) -> list[Row]:
        return [row for group in self.groups for row in group.rows]

    @property
    def has_children(self) -> bool:
        return any(column.children for column in self.top_columns)

    @property
    def width(self) -> int:
        """Columns of the table: the row headers, the cells and the totals."""
        return len(self.columns) + 2

    @property
    def top_columns(self) -> list[Column]:
        """The columns of the first header row: parents (with children) and the others."""
        return [column for column in self.columns if column.parent is None]

    def _selected(self, name: str) -> set[str]:
        return self.search.selected(name)

    def _columns(self, values: list[Value]) -> list[Column]:
        selected = self._selected(self.by)
        scope = self.search.scope(without=(self.by,))
        columns, by_value = [], {}
        for value in values:
            key = str(value.value)
            keep = not selected or key in selected or (value.parent and value.parent in selected)
            if not keep:
                continue
            column = Column(key, label_of(value.label), value.parent, value.members)
            column.total = self._cell(scope & value.members, {self.by: key})
            if value.parent and value.parent in by_value:
                by_value[value.parent].children.append(column)
            else:
                columns.append(column)
                by_value[key] = column
        # A child whose parent is filtered away is a top column of its own.
        for column in columns:
            if column.parent not in by_value:
                column.parent = None
        return columns

    def _rows(self, values: list[Value], columns: list[Column]) -> dict[int, Row]:
        selected = self._selected(ROW)
        flat = [c for column in columns for c in (column, *column.children)]
        both = self.search.scope(without=(ROW, self.by))
        alone = self.search.scope(without=(ROW,))
        rows = {}
        for value in values:
            if selected and str(value.value) not in selected:
                continue
            in_row = both & value.members
            cells = [
                self._cell(in_row & column.members, {ROW: value.value, self.by: column.value})
                for column in flat
            ]
            total = self._cell(alone & value.members, {ROW: value.value})
            rows[value.value] = Row(value.value, label_of(value.label), cells, total)
        return rows

    def _cell(self, members: int, replace: dict) -> Cell:
        return Cell(members.bit_count(), query_string(self.search.params, replace))


def _groups(rows: dict[int, Row]) -> list[PhaseGroup]:
    """The rows grouped by the guidelines' phases, in the phases' and guidelines' order."""
    groups: dict[str, PhaseGroup] = {}
    for guideline in Guideline.objects.select_related("phase").order_by("phase", "number"):
        row = rows.get(guideline.number)
        if row is None:
            continue
        phase = guideline.phase
        group = groups.setdefault(phase.slug, PhaseGroup(phase.slug, phase.name, []))
        group.rows.append(row)
    return list(groups.values())


class Scale:
    """A sequential colour scale of counts: level 0 for none, 1..LEVELS on a logarithmic
    scale from 1 to the highest count (a few large counts would leave the rest pale)."""

    def __init__(self, top: int):
        self.top = top
        self.lows = []  # the lowest count of each level
        for level in range(LEVELS if top > 0 else 0):
            low = max(1, math.ceil(top ** (level / LEVELS)))
            if not self.lows or low > self.lows[-1]:
                self.lows.append(low)

    def level(self, count: int) -> int:
        return sum(1 for low in self.lows if count >= low) if count > 0 else 0

    def legend(self) -> list[tuple[int, int, int]]:
        """(level, lowest count, highest count) of each level."""
        bounds = [*self.lows, self.top + 1]
        return [(level, low, high - 1) for level, (low, high) in enumerate(pairwise(bounds), 1)]


# Summaries of one tag value ---------------------------------------------------------------

SUMMARY_FACETS = ("phase", "region", "kind")
SUMMARY_RECENT = 5


@dataclass
class SummaryItem:
    value: str
    label: str
    count: int
    query: str


def summary(name: str, value, facets=SUMMARY_FACETS, recent: int = SUMMARY_RECENT) -> dict:
    """The published practices of one tag value (``guideline``, 1) by phase, region and
    kind (``facets``), each count with the query that lists it, and the ids of the newest
    ``recent``."""
    from .index import tag_index

    index = tag_index()
    members = index.members(name, [value]) & index.published
    found = {"total": members.bit_count(), "query": urlencode({name: value})}
    found["facets"] = []
    for facet in facets:
        items = []
        for item in index.facets[facet]:
            count = (members & item.members).bit_count()
            if count:
                query = urlencode({name: value, facet: item.value})
                label = (
                    f"{item.value}. {label_of(item.label)}"
                    if facet == "guideline"
                    else label_of(item.label)
                )
                items.append(SummaryItem(str(item.value), label, count, query))
        found["facets"].append((facet, items))
    found["recent"] = index.newest_of(name, [value], recent)[value] if recent else []
    return found
