"""The open dataset: every published practice as CSV, JSON Lines and a Frictionless Data
Package descriptor, written by ``manage.py publish_dataset`` and offered on /data/.

A publication is a folder of DATASET_ROOT named after its version, holding the three
files, and ``manifest.json`` at the root naming the current folder and, for each file, its
size, row count, SHA-256 and date. The manifest is replaced last and atomically, so a
reader sees the previous publication or the new one, never half of one. Older folders
are removed (the previous one is kept for downloads already under way).

Labels (tag names, guideline titles) are written in the site's default language. Every
CSV cell is formula-safe (``micic.csv_safety``).
"""

import datetime as dt
import hashlib
import json
import os
import shutil
import tempfile
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db.models import Count, Max
from django.utils import timezone, translation

from micic import csv_safety

from .api.exports import _ordering, _timestamp, html_url_maker
from .models import Practice, Region
from .models.tags import M2M_TAGS

CSV_NAME = "micic-practices.csv"
JSONL_NAME = "micic-practices.jsonl"
DESCRIPTOR_NAME = "datapackage.json"
MANIFEST = "manifest.json"
FILES = (CSV_NAME, JSONL_NAME, DESCRIPTOR_NAME)
CHUNK_SIZE = 1000
SEPARATOR = ";"
PACKAGE_NAME = "micic-practices"
SOURCES = [
    {
        "title": "MICIC Initiative, Guidelines to Protect Migrants in Countries Experiencing "
        "Conflict or Natural Disaster (2016)",
        "path": "https://micicinitiative.iom.int/",
    },
    {"title": "Each practice's own source: the fields source_title and source_url"},
]


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    description: str
    required: bool = False


# The tag dimensions, in the order of models.tags: (CSV column of keys, of labels, JSON key).
TAG_COLUMNS = {
    "phases": ("phases", "phase_names", "slug", "name"),
    "stakeholders": ("stakeholders", "stakeholder_names", "slug", "name"),
    "crisis_types": ("crisis_types", "crisis_type_names", "slug", "name"),
    "guidelines": ("guidelines", "guideline_titles", "number", "title"),
    "principles": ("principles", "principle_titles", "number", "title"),
    "countries": ("countries", "country_names", "code", "name"),
}


def _tag_columns() -> list[Column]:
    columns = []
    for field, (keys, labels, key, label) in TAG_COLUMNS.items():
        columns += [
            Column(keys, "string", f"{field}: the {key}s, separated by “{SEPARATOR}”"),
            Column(labels, "string", f"{field}: the {label}s, separated by “{SEPARATOR}”"),
        ]
    return columns


COLUMNS = [
    Column("id", "integer", "The practice's id (as in the API and its page's URL)", True),
    Column("title", "string", "Title", True),
    Column("summary", "string", "Summary, plain text", True),
    Column("description", "string", "Description, Markdown (the API's body)"),
    Column("kind", "string", "Kind of record: practice, recommendation or resource", True),
    Column("kind_name", "string", "Kind of record, in words"),
    *_tag_columns(),
    Column("regions", "string", f"Regions of its countries: slugs, separated by “{SEPARATOR}”"),
    Column("region_names", "string", f"Regions of its countries, separated by “{SEPARATOR}”"),
    Column("year", "integer", "Year it started"),
    Column("year_end", "integer", "Year it ended"),
    Column("organizations", "string", "Who implemented it"),
    Column("language", "string", "The language it is written in (ISO 639-1)"),
    Column("source_title", "string", "Its source"),
    Column("source_url", "string", "Its source's URL"),
    Column("html_url", "string", "Its page on this site", True),
    Column("published_at", "datetime", "When it was published (UTC)"),
    Column("updated_at", "datetime", "When it last changed (UTC)", True),
]
# The columns that are lists (joined by SEPARATOR in the CSV, arrays in JSON Lines).
LISTS = {
    *(name for keys, labels, _k, _l in TAG_COLUMNS.values() for name in (keys, labels)),
    "regions",
    "region_names",
}
FIELDS = [
    "pk",
    "slug",
    "title",
    "summary",
    "body",
    "kind",
    "year",
    "year_end",
    "organizations",
    "language",
    "source_title",
    "source_url",
    "published_at",
    "updated_at",
]


def _tags(practice_ids: list[int]) -> dict[str, dict[int, list[tuple]]]:
    """{field: {practice id: [(key, label), …]}} for a chunk, one query per dimension."""
    found = {}
    for tag in M2M_TAGS:
        field = Practice._meta.get_field(tag.field)
        target = field.m2m_reverse_field_name()
        owner = f"{field.m2m_field_name()}_id"
        rows = (
            field.remote_field.through.objects.filter(**{f"{owner}__in": practice_ids})
            .order_by(*_ordering(target, field.related_model))
            .values_list(owner, f"{target}__{tag.key}", f"{target}__{tag.name_attr}")
        )
        found[tag.field] = by_practice = defaultdict(list)
        for practice_id, key, label in rows:
            by_practice[practice_id].append((key, label))
    rows = (
        Practice.countries.through.objects.filter(practice_id__in=practice_ids)
        .order_by(*_ordering("country__region", Region))
        .values_list("practice_id", "country__region__slug", "country__region__name")
    )
    found["regions"] = regions = defaultdict(list)
    for practice_id, slug, name in rows:
        if (slug, name) not in regions[practice_id]:
            regions[practice_id].append((slug, name))
    return found


def records():
    """Every published practice as a dict (by id), read CHUNK_SIZE at a time."""
    html_url = html_url_maker(lambda path: settings.SITE_URL.rstrip("/") + path)
    kinds = dict(Practice._meta.get_field("kind").choices)
    ids = list(Practice.objects.published().order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), CHUNK_SIZE):
        chunk = ids[start : start + CHUNK_SIZE]
        rows = Practice.objects.published().filter(pk__in=chunk).order_by("pk")
        tags = _tags(chunk)
        for values in rows.values_list(*FIELDS):
            row = dict(zip(FIELDS, values, strict=True))
            pk = row["pk"]
            record = {
                "id": pk,
                "title": row["title"],
                "summary": row["summary"],
                "description": row["body"],
                "kind": row["kind"],
                "kind_name": str(kinds[row["kind"]]),
            }
            for field, (keys, labels, _key, _label) in TAG_COLUMNS.items():
                pairs = tags[field].get(pk, [])
                record[keys] = [key for key, _ in pairs]
                record[labels] = [str(label) for _, label in pairs]
            pairs = tags["regions"].get(pk, [])
            record["regions"] = [slug for slug, _ in pairs]
            record["region_names"] = [str(name) for _, name in pairs]
            record.update(
                year=row["year"],
                year_end=row["year_end"],
                organizations=row["organizations"],
                language=row["language"],
                source_title=row["source_title"],
                source_url=row["source_url"],
                html_url=html_url(pk, row["slug"]),
                published_at=_timestamp(row["published_at"]) or None,
                updated_at=_timestamp(row["updated_at"]),
            )
            yield record


def _csv_value(value):
    if isinstance(value, list):
        return SEPARATOR.join(str(item) for item in value)
    return "" if value is None else value


def descriptor(published: dt.datetime, version_name: str, rows: int) -> dict:
    """The Data Package descriptor (Frictionless Data Package v1)."""
    fields, json_fields = [], []
    for column in COLUMNS:
        field = {"name": column.name, "type": column.type, "description": column.description}
        if column.required:
            field["constraints"] = {"required": True}
        fields.append(field)
        json_fields.append({**field, "type": "array"} if column.name in LISTS else field)
    package = {
        "profile": "data-package",
        "name": PACKAGE_NAME,
        "title": "MICIC Practices Repository: published practices",
        "description": (
            "Every published practice of the MICIC Practices Repository, tagged with the "
            "MICIC Guidelines and principles, crisis phases, stakeholders, crisis types, "
            f"countries and regions ({rows} practices)."
        ),
        "homepage": settings.SITE_URL.rstrip("/") + "/data/",
        "version": version_name,
        "created": _timestamp(published),
        "sources": SOURCES,
        "resources": [
            {
                "profile": "tabular-data-resource",
                "name": "practices",
                "path": CSV_NAME,
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8-sig",
                "dialect": {"delimiter": ",", "quoteChar": '"', "header": True},
                "schema": {"fields": fields, "primaryKey": "id"},
            },
            {
                "profile": "tabular-data-resource",
                "name": "practices-jsonl",
                "path": JSONL_NAME,
                "format": "jsonl",
                "mediatype": "application/jsonl",
                "encoding": "utf-8",
                "description": (
                    "The same practices, one JSON object per line; the list columns of the "
                    "CSV are JSON arrays."
                ),
                "schema": {"fields": json_fields, "primaryKey": "id"},
            },
        ],
    }
    if settings.DATASET_LICENSE:
        package["licenses"] = [settings.DATASET_LICENSE]
    return package


def _file_facts(path: Path, rows: int | None, published: dt.datetime) -> dict:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 16), b""):
            digest.update(block)
    return {
        "name": path.name,
        "bytes": path.stat().st_size,
        "rows": rows,
        "sha256": digest.hexdigest(),
        "date": _timestamp(published),
    }


def publish(root: Path | None = None) -> dict:
    """Write a new publication into ``root`` (DATASET_ROOT) and return its manifest."""
    root = Path(root or settings.DATASET_ROOT)
    root.mkdir(parents=True, exist_ok=True)
    published = timezone.now().replace(microsecond=0)
    content = content_signature()
    folder = Path(tempfile.mkdtemp(prefix=".publishing-", dir=root))
    with translation.override(settings.LANGUAGE_CODE):
        rows = _write_data(folder)
    csv_facts = _file_facts(folder / CSV_NAME, rows, published)
    name = f"{published:%Y.%m.%d}+{csv_facts['sha256'][:8]}"
    (folder / DESCRIPTOR_NAME).write_text(
        json.dumps(descriptor(published, name, rows), ensure_ascii=False, indent=2) + "\n",
        encoding="utf-8",
    )
    target = root / f"{published:%Y%m%dT%H%M%S}-{csv_facts['sha256'][:12]}"
    if target.exists():
        shutil.rmtree(target)
    folder.rename(target)
    target.chmod(0o755)  # mkdtemp made it private
    manifest = {
        "folder": target.name,
        "version": name,
        "content": content,
        "published": _timestamp(published),
        "files": [
            csv_facts,
            _file_facts(target / JSONL_NAME, rows, published),
            _file_facts(target / DESCRIPTOR_NAME, None, published),
        ],
    }
    _replace(root / MANIFEST, json.dumps(manifest, indent=2) + "\n")
    _remove_old(root, keep={target.name, _previous(root, target.name)})
    return manifest


def _write_data(folder: Path) -> int:
    rows = 0
    with (
        (folder / CSV_NAME).open("w", encoding="utf-8-sig", newline="") as csv_file,
        (folder / JSONL_NAME).open("w", encoding="utf-8", newline="\n") as jsonl_file,
    ):
        writer = csv_safety.writer(csv_file)
        writer.writerow([column.name for column in COLUMNS])
        for record in records():
            writer.writerow([_csv_value(record[c.name]) for c in COLUMNS])
            jsonl_file.write(json.dumps(record, ensure_ascii=False) + "\n")
            rows += 1
    return rows


def _replace(path: Path, text: str) -> None:
    handle, temporary = tempfile.mkstemp(prefix=".manifest-", dir=path.parent)
    with os.fdopen(handle, "w", encoding="utf-8") as out:
        out.write(text)
    os.chmod(temporary, 0o644)
    os.replace(temporary, path)


def _previous(root: Path, current: str) -> str | None:
    folders = sorted(p.name for p in root.iterdir() if p.is_dir() and p.name[0].isdigit())
    older = [name for name in folders if name < current]
    return older[-1] if older else None


def _remove_old(root: Path, keep: set) -> None:
    for path in root.iterdir():
        if path.is_dir() and path.name not in keep and path.name[0].isdigit():
            shutil.rmtree(path, ignore_errors=True)


def content_signature() -> str:
    """What the published practices are, in short: their number and latest change. A
    publication, edit or withdrawal changes it."""
    found = Practice.objects.published().aggregate(count=Count("pk"), latest=Max("updated_at"))
    return f"{found['count']}:{_timestamp(found['latest'])}"


def manifest(root: Path | None = None) -> dict | None:
    """The current publication's manifest, or None when nothing was published yet."""
    path = Path(root or settings.DATASET_ROOT) / MANIFEST
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError):
        return None


def file_path(name: str, root: Path | None = None) -> Path | None:
    """The current publication's file ``name``, or None."""
    found = manifest(root)
    if found is None or name not in FILES:
        return None
    path = Path(root or settings.DATASET_ROOT) / found["folder"] / name
    return path if path.is_file() else None
