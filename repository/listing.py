"""What the practice list page shows besides results: active-filter chips and the like."""

from dataclasses import dataclass

from django.http import QueryDict
from django.utils.translation import gettext as _

from .models import Kind, Region
from .models.tags import TAGS

# parameter: (tag model, natural key, label attribute), from the tag registry, and region.
CHIP_SOURCES = {
    **{tag.param: (tag.model, tag.key, tag.name_attr) for tag in TAGS if tag.many},
    "region": (Region, "slug", "name"),
}


@dataclass(frozen=True)
class Chip:
    label: str
    remove_url: str


def _without(params: QueryDict, name: str, value: str | None = None) -> str:
    params = params.copy()
    params.pop("page", None)
    if value is None:
        params.pop(name, None)
    else:
        params.setlist(name, [v for v in params.getlist(name) if v != value])
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else "?"


def active_chips(params: QueryDict, cleaned: dict) -> list[Chip]:
    """One removable chip per active filter value, labelled in words."""
    chips = []
    q = cleaned.get("q")
    if q:
        chips.append(Chip(_("Search: “%(q)s”") % {"q": q}, _without(params, "q")))
    for name, (_model, lookup, label_attr) in CHIP_SOURCES.items():
        for tag in cleaned.get(name) or []:
            raw = str(getattr(tag, lookup))
            label = getattr(tag, label_attr)
            if name == "guideline":
                label = _("Guideline %(number)s") % {"number": tag.number}
            elif name == "principle":
                label = _("Principle %(number)s: %(title)s") % {
                    "number": tag.number,
                    "title": label,
                }
            given = [v for v in params.getlist(name) if v.upper() == raw.upper()]
            chips.append(Chip(label, _without(params, name, given[0] if given else raw)))
    labels = dict(Kind.choices)
    for value in cleaned.get("kind") or []:
        chips.append(Chip(str(labels[value]), _without(params, "kind", value)))
    if cleaned.get("year_min") is not None:
        chips.append(
            Chip(_("From %(year)s") % {"year": cleaned["year_min"]}, _without(params, "year_min"))
        )
    if cleaned.get("year_max") is not None:
        chips.append(
            Chip(_("Until %(year)s") % {"year": cleaned["year_max"]}, _without(params, "year_max"))
        )
    if cleaned.get("updated_since"):
        chips.append(
            Chip(
                _("Updated since %(when)s") % {"when": cleaned["updated_since"].isoformat()},
                _without(params, "updated_since"),
            )
        )
    return chips


def without_invalid(params: QueryDict, errors) -> str:
    """The same query string minus the parameters that have errors."""
    params = params.copy()
    for name in errors:
        params.pop(name, None)
    params.pop("page", None)
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else "?"


# Facets long (in values, or in the length of their labels) show their commonest values
# first, with the selected ones; the others are one click away (the form's "expand"
# button: no JavaScript needed). {facet: values shown}
SHORT_FACETS = {"country": 8, "guideline": 5, "principle": 5}


def short_facets(facets: dict[str, list[dict]], expanded) -> dict[str, dict]:
    """{facet: {"items": the values to show, in display order, "hidden": how many are left
    out, "expanded": whether all were asked for}}: a long facet shows its commonest values
    and every selected one, unless it is in ``expanded``."""
    shown = {}
    for name, items in facets.items():
        limit = SHORT_FACETS.get(name)
        whole = name in expanded
        if limit is None or whole or len(items) <= limit:
            shown[name] = {"items": items, "hidden": 0, "expanded": whole}
            continue
        commonest = sorted(range(len(items)), key=lambda n: -items[n]["count"])[:limit]
        kept = [item for n, item in enumerate(items) if n in commonest or item["selected"]]
        shown[name] = {"items": kept, "hidden": len(items) - len(kept), "expanded": False}
    return shown
