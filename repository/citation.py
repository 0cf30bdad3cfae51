"""What a practice page offers besides the practice: the way back to the search the reader
came from, and how to cite the practice (a formatted citation, CSL-JSON and RIS).
"""

import json

from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from .filters import PracticeFilterSet

REPOSITORY = "MICIC Practices Repository"
# What a link back to the search may carry: the search's own parameters, nothing else.
SEARCH_PARAMETERS = frozenset(PracticeFilterSet.base_filters) | {"page"}
MAX_VALUES = 50


def search_back_url(value: str | None) -> str | None:
    """The /practices/ URL of a search, from the query string a result link carried in
    ``?from=``; None without one. Only the search's own parameters are kept and the path is
    always /practices/, so the link can lead nowhere else (no open redirect)."""
    if not value:
        return None
    path = reverse("repository:practice-list")
    query = value.strip().removeprefix(path).removeprefix("?")
    params = QueryDict(query, mutable=True)
    kept = QueryDict(mutable=True)
    for name in params:
        if name in SEARCH_PARAMETERS:
            kept.setlist(name, [v for v in params.getlist(name) if v][:MAX_VALUES])
    encoded = kept.urlencode()
    return f"{path}?{encoded}" if encoded else path


def stable_url(request, practice) -> str:
    """The address that always finds the practice, whatever its title becomes."""
    return request.build_absolute_uri(
        reverse("repository:practice-redirect", kwargs={"pk": practice.pk})
    )


def _issued(practice):
    return practice.published_at or practice.created_at


def formatted(practice, url: str) -> str:
    """A human-readable citation."""
    return _("“%(title)s”. %(repository)s, published %(date)s. %(url)s") % {
        "title": practice.title,
        "repository": _("MICIC Practices Repository"),
        "date": date_format(_issued(practice), "j F Y"),
        "url": url,
    }


def _date_parts(moment) -> list[list[int]]:
    return [[moment.year, moment.month, moment.day]]


def csl_json(practice, url: str) -> str:
    """The practice as a CSL-JSON item (Zotero, Mendeley, pandoc, citeproc)."""
    item = {
        "id": f"micic-practice-{practice.pk}",
        "type": "webpage",
        "title": practice.title,
        "container-title": REPOSITORY,
        "URL": url,
        "issued": {"date-parts": _date_parts(_issued(practice))},
        "accessed": {"date-parts": _date_parts(timezone.now())},
        "abstract": practice.summary,
        "language": practice.language,
    }
    if practice.source_title or practice.source_url:
        item["note"] = " ".join(
            filter(None, ["Source:", practice.source_title, practice.source_url])
        )
    return json.dumps([item], ensure_ascii=False, indent=2)


def _ris_value(text: str) -> str:
    return " ".join(str(text).split())


def ris(practice, url: str) -> str:
    """The practice as a RIS record (EndNote, Zotero, Mendeley), lines ending in CR LF."""
    issued, today = _issued(practice), timezone.now()
    lines = [
        ("TY", "ELEC"),
        ("TI", practice.title),
        ("T2", REPOSITORY),
        ("PY", str(issued.year)),
        ("DA", issued.strftime("%Y/%m/%d")),
        ("UR", url),
        ("AB", practice.summary),
        ("LA", practice.language),
        ("Y2", today.strftime("%Y/%m/%d")),
    ]
    if practice.source_title or practice.source_url:
        lines.append(
            ("N1", " ".join(filter(None, ["Source:", practice.source_title, practice.source_url])))
        )
    lines.append(("ER", ""))
    return "".join(f"{tag}  - {_ris_value(value)}\r\n" for tag, value in lines)
