"""Loading the MICIC content in fixtures/: guidelines, taxonomies and curated practices.

Idempotent: rows are matched on natural keys (slug, number, code, content key). Existing rows
are left as they are unless ``refresh`` is true, so running it again never overwrites a
curator's edits nor touches submitted practices.
"""

import json
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from babel import Locale
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from guidelines.models import Guideline, Phase, Principle

from .models import Country, CrisisType, Practice, Region, Stakeholder, Status
from .search import reindex_missing
from .search.indexing import batch as index_batch

FIXTURES_DIR = Path(settings.BASE_DIR) / "fixtures"
OTHER_LANGUAGES = [code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]
PRACTICE_FIELDS = (
    "title",
    "summary",
    "body",
    "year",
    "year_end",
    "organizations",
    "source_title",
    "source_url",
    "language",
)
PRACTICE_TAGS = {
    # fixture key: (model, lookup field, m2m attribute)
    "phases": (Phase, "slug"),
    "stakeholders": (Stakeholder, "slug"),
    "crisis_types": (CrisisType, "slug"),
    "guidelines": (Guideline, "number"),
    "principles": (Principle, "number"),
    "countries": (Country, "code"),
}


class ContentError(Exception):
    """The fixture files are inconsistent (an unknown tag, a missing field)."""


@dataclass
class LoadReport:
    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)

    def count(self, kind: str, created: bool, changed: bool = True):
        bucket = self.created if created else self.updated
        if created or changed:
            bucket[kind] = bucket.get(kind, 0) + 1

    def count_many(self, kind: str, n: int):
        self.updated[kind] = self.updated.get(kind, 0) + n

    def __str__(self):
        def fmt(counts):
            return ", ".join(f"{n} {kind}" for kind, n in sorted(counts.items())) or "nothing"

        return f"created {fmt(self.created)}; updated {fmt(self.updated)}"


def read_json(path: Path):
    with path.open(encoding="utf-8") as handle:
        return json.load(handle)


def translated(row: dict, *fields: str, defaults: dict | None = None) -> dict:
    """A row's translated fields as model values: ``name`` → ``name_en``, ``name_fr``…

    English is the row's ``name``; another language its ``name_fr`` (etc.) when the data
    has one, else ``defaults`` (country names from CLDR), else empty: the English label
    is shown (modeltranslation's fallback).
    """
    values = {}
    for name in fields:
        values[f"{name}_{settings.LANGUAGE_CODE}"] = row.get(name) or ""
        for code in OTHER_LANGUAGES:
            value = row.get(f"{name}_{code}") or (defaults or {}).get((name, code)) or ""
            values[f"{name}_{code}"] = value
    return values


def country_names(code: str) -> dict:
    """A country's name in each other interface language, from CLDR (Babel)."""
    return {("name", language): _territories(language).get(code) for language in OTHER_LANGUAGES}


@cache
def _territories(language: str) -> dict:
    return Locale.parse(language).territories


def _sync(model, lookup: dict, values: dict, *, refresh: bool, report: LoadReport, kind: str):
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        obj = model.objects.create(**lookup, **values)
        report.count(kind, created=True)
        return obj
    if refresh:
        changed = {k: v for k, v in values.items() if getattr(obj, k) != v}
    else:
        # A translation added to the data fills an empty one, never replaces a curator's.
        changed = {
            k: v for k, v in values.items() if _is_translation(k) and v and not getattr(obj, k)
        }
    if changed:
        for key, value in changed.items():
            setattr(obj, key, value)
        obj.save()
        report.count(kind, created=False)
    return obj


def _is_translation(field: str) -> bool:
    return field.rsplit("_", 1)[-1] in OTHER_LANGUAGES


@transaction.atomic
def load_content(*, fixtures_dir: Path = FIXTURES_DIR, refresh: bool = False) -> LoadReport:
    """Load phases, principles, guidelines, taxonomies, regions and curated practices."""
    report = LoadReport()
    micic = read_json(fixtures_dir / "micic.json")
    taxonomy = read_json(fixtures_dir / "taxonomy.json")
    regions = read_json(fixtures_dir / "regions.json")
    opts = {"refresh": refresh, "report": report}

    phases = {}
    for row in micic["phases"]:
        values = {"order": row["order"], **translated(row, "name", "description")}
        phases[row["slug"]] = _sync(Phase, {"slug": row["slug"]}, values, kind="phases", **opts)
    for row in micic["principles"]:
        values = {"slug": row["slug"], **translated(row, "title", "statement", "summary", "body")}
        _sync(Principle, {"number": row["number"]}, values, kind="principles", **opts)
    for row in micic["guidelines"]:
        values = {
            "slug": row["slug"],
            "thematic_area": row.get("thematic_area", ""),
            **translated(row, "title", "short_title", "summary", "body"),
        }
        values["phase"] = phases[row["phase"]]
        _sync(Guideline, {"number": row["number"]}, values, kind="guidelines", **opts)

    for row in taxonomy["stakeholders"]:
        parent = Stakeholder.objects.get(slug=row["parent"]) if row["parent"] else None
        values = {"parent": parent, "order": row["order"], **translated(row, "name")}
        _sync(Stakeholder, {"slug": row["slug"]}, values, kind="stakeholders", **opts)
    for row in taxonomy["crisis_types"]:
        values = {"order": row["order"], **translated(row, "name")}
        _sync(CrisisType, {"slug": row["slug"]}, values, kind="crisis types", **opts)
    region_objs = {}
    for order, row in enumerate(regions["regions"], 1):
        values = {"order": order, **translated(row, "name")}
        region_objs[row["slug"]] = _sync(
            Region, {"slug": row["slug"]}, values, kind="regions", **opts
        )
    for row in regions["countries"]:
        values = {
            "region": region_objs[row["region"]],
            **translated(row, "name", defaults=country_names(row["code"])),
        }
        _sync(Country, {"code": row["code"]}, values, kind="countries", **opts)

    with index_batch():
        for path in sorted((fixtures_dir / "practices").glob("*.json")):
            for index, row in enumerate(read_json(path)):
                try:
                    _load_practice(row, refresh=refresh, report=report)
                except ContentError as error:
                    raise ContentError(
                        f"{path.name}, record {index} ({row.get('key')}): {error}"
                    ) from error
    indexed = reindex_missing()
    if indexed:
        report.count_many("search index entries", indexed)
    return report


def _resolve_tags(row: dict) -> dict[str, list]:
    resolved = {}
    for name, (model, lookup) in PRACTICE_TAGS.items():
        wanted = row.get(name) or []
        found = list(model.objects.filter(**{f"{lookup}__in": wanted}))
        missing = set(wanted) - {getattr(obj, lookup) for obj in found}
        if missing:
            raise ContentError(f"unknown {name}: {sorted(missing)}")
        resolved[name] = found
    return resolved


def _load_practice(row: dict, *, refresh: bool, report: LoadReport):
    for required in ("key", "title", "summary", "phases", "stakeholders", "guidelines"):
        if not row.get(required):
            raise ContentError(f"'{required}' is missing")
    practice = Practice.objects.filter(content_key=row["key"]).first()
    if practice is not None and not refresh:
        return
    created = practice is None
    if created:
        now = timezone.now()
        practice = Practice(content_key=row["key"], status=Status.APPROVED, published_at=now)
    for name in PRACTICE_FIELDS:
        value = row.get(name)
        setattr(practice, name, value if value is not None or name.startswith("year") else "")
    practice.language = row.get("language") or "en"
    tags = _resolve_tags(row)
    practice.slug = ""  # derived again from the title
    practice.full_clean(exclude=["slug"], validate_unique=False)
    practice.save()
    for name, objs in tags.items():
        getattr(practice, name).set(objs)
    report.count("practices", created=created)
