"""Loading the MICIC content in fixtures/: guidelines, taxonomies and curated practices.

Idempotent: rows are matched on natural keys (slug, number, code, content key). Existing rows
are left as they are unless ``refresh`` is true, so running it again never overwrites a
curator's edits nor touches submitted practices.
"""

import datetime as dt
import json
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from babel import Locale
from django.conf import settings
from django.db import transaction

from guidelines.models import Guideline, Phase, Principle

from .models import Country, CrisisType, Kind, Practice, Region, Stakeholder, Status
from .models.tags import natural_keys
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
    "kind",
)
PRACTICE_TAGS = natural_keys()  # fixture key (the m2m field): (model, natural key)
# Loaded practices are dated by their source (``source_date``: YYYY, YYYY-MM or
# YYYY-MM-DD); without one, by this content release, the same for all: never the load time.
CONTENT_RELEASE = dt.datetime(2026, 12, 1, tzinfo=dt.UTC)
# A practice saved this long after it was loaded was edited on the site.
EDIT_GRACE = dt.timedelta(minutes=1)
NEW_FIELDS = {"kind", "published_at"}  # fields no curator could edit before snapshots


class ContentError(Exception):
    """The fixture files are inconsistent (an unknown tag, a missing field)."""


@dataclass
class LoadReport:
    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)
    kept_edits: list[str] = field(default_factory=list)  # "key: field" a curator changed
    retired: list[str] = field(default_factory=list)  # published keys no longer in fixtures

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

    keys = set()
    with index_batch():
        for path in sorted((fixtures_dir / "practices").glob("*.json")):
            for index, row in enumerate(read_json(path)):
                keys.add(row.get("key"))
                try:
                    _load_practice(row, refresh=refresh, report=report)
                except ContentError as error:
                    raise ContentError(
                        f"{path.name}, record {index} ({row.get('key')}): {error}"
                    ) from error
    # Curated practices whose records left the fixtures: reported, never deleted here
    # (a moderator withdraws them, so the change is recorded).
    retired = Practice.objects.published().filter(content_key__isnull=False)
    report.retired = sorted(
        retired.exclude(content_key__in=keys).values_list("content_key", flat=True)
    )
    indexed = reindex_missing()
    if indexed:
        report.count_many("search index entries", indexed)
    return report


def _resolve_tags(row: dict) -> dict[str, list]:
    resolved = {}
    for name, (model, lookup) in PRACTICE_TAGS.items():
        if name not in row:
            continue
        wanted = row.get(name) or []
        found = list(model.objects.filter(**{f"{lookup}__in": wanted}))
        missing = set(wanted) - {getattr(obj, lookup) for obj in found}
        if missing:
            raise ContentError(f"unknown {name}: {sorted(missing)}")
        resolved[name] = found
    return resolved


def published_at(row: dict) -> dt.datetime:
    """When a loaded practice counts as published: its source's date, else the release."""
    text = row.get("source_date") or ""
    parts = [int(part) for part in text.split("-") if part.isdigit()]
    if not parts:
        return CONTENT_RELEASE
    year, month, day = (*parts, 1, 1)[:3]
    return dt.datetime(year, month, day, tzinfo=dt.UTC)


def fixture_values(row: dict) -> dict:
    """The practice's fields and tags as the fixture gives them (the loaded snapshot)."""
    values = {}
    for name in PRACTICE_FIELDS:
        value = row.get(name)
        if value is None and not name.startswith("year"):
            value = {"language": "en", "kind": Kind.PRACTICE}.get(name, "")
        values[name] = value
    values["published_at"] = published_at(row).isoformat()
    for name in PRACTICE_TAGS:
        values[name] = sorted(row.get(name) or [])
    return values


def current_values(practice: Practice) -> dict:
    """The same fields as ``fixture_values``, as the database holds them now."""
    values = {name: getattr(practice, name) for name in PRACTICE_FIELDS}
    values["published_at"] = practice.published_at.isoformat() if practice.published_at else None
    for name, (_model, lookup) in PRACTICE_TAGS.items():
        values[name] = sorted(getattr(obj, lookup) for obj in getattr(practice, name).all())
    return values


def _load_practice(row: dict, *, refresh: bool, report: LoadReport):
    """Create a curated practice, or with ``refresh`` apply the fixture's corrections.

    A refresh changes only the fields a curator has not edited since the last load: the
    values loaded then are kept (``content_snapshot``), and a field whose value differs
    from them was edited on the site and is left alone (and reported).
    """
    for required in ("key", "title", "summary", "phases", "stakeholders", "guidelines"):
        if not row.get(required):
            raise ContentError(f"'{required}' is missing")
    practice = Practice.objects.filter(content_key=row["key"]).first()
    if practice is not None and not refresh:
        return
    created = practice is None
    wanted = fixture_values(row)
    if created:
        practice = Practice(content_key=row["key"], status=Status.APPROVED)
        changed = dict(wanted)
    else:
        current = current_values(practice)
        before = practice.content_snapshot
        if before is None and practice.updated_at - practice.created_at > EDIT_GRACE:
            # Loaded before snapshots were kept, and edited since: keep every field that
            # differs, but the fields added with snapshots.
            edited = {n for n in wanted if current[n] != wanted[n]} - NEW_FIELDS
        else:
            before = before or current
            edited = {name for name in wanted if current.get(name) != before.get(name)}
        changed = {
            name: value
            for name, value in wanted.items()
            if name not in edited and current.get(name) != value
        }
        for name in sorted(edited):
            report.kept_edits.append(f"{row['key']}: {name}")
        if not changed and practice.content_snapshot == wanted:
            return
    tags = _resolve_tags({name: changed[name] for name in PRACTICE_TAGS if name in changed})
    for name in PRACTICE_FIELDS:
        if name in changed:
            setattr(practice, name, changed[name])
    if "published_at" in changed:
        practice.published_at = dt.datetime.fromisoformat(changed["published_at"])
    practice.content_snapshot = wanted
    if "title" in changed:
        practice.slug = ""  # derived again from the title
    practice.full_clean(exclude=["slug"], validate_unique=False)
    practice.save()
    for name, objs in tags.items():
        getattr(practice, name).set(objs)
    report.count("practices", created=created, changed=bool(changed))
