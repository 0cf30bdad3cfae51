"""Backup and restore: every practice (any status), its tags and its moderation events,
as JSON Lines, one practice per line. Records are keyed by their stable id."""

import json
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.color import no_style
from django.db import connection, transaction
from django.utils.dateparse import parse_datetime

from .models import ModerationEvent, Practice, Status
from .models.tags import natural_keys
from .search.indexing import batch as index_batch

FORMAT_VERSION = 1
SCALARS = (
    "title", "slug", "summary", "body", "year", "year_end", "organizations", "source_title",
    "source_url", "language", "status", "content_key", "reference", "submitter_name",
    "submitter_email", "submitter_organization", "credit_organization", "kind",
    "content_snapshot",
)  # fmt: skip
TIMESTAMPS = ("created_at", "updated_at", "published_at")
NULLABLE = ("year", "year_end", "content_key", "reference", "content_snapshot")
TAGS = natural_keys()  # field: (tag model, natural key)
REQUIRED = ("id", "title", "summary", "status")


def _iso(value):
    return value.isoformat() if value else None


def export_records(queryset=None):
    """Yield one dict per practice, oldest id first, streaming in chunks."""
    queryset = (Practice.objects.all() if queryset is None else queryset).order_by("pk")
    queryset = queryset.select_related("submitted_by").prefetch_related(*TAGS, "events__actor")
    for practice in queryset.iterator(chunk_size=500):
        record = {"format": FORMAT_VERSION, "id": practice.pk}
        record.update({name: getattr(practice, name) for name in SCALARS})
        record.update({name: _iso(getattr(practice, name)) for name in TIMESTAMPS})
        record["submitted_by"] = (
            practice.submitted_by.get_username() if practice.submitted_by else None
        )
        for name, (_model, key) in TAGS.items():
            record[name] = sorted(getattr(obj, key) for obj in getattr(practice, name).all())
        record["events"] = [
            {
                "actor": event.actor.get_username() if event.actor else None,
                "from_status": event.from_status,
                "to_status": event.to_status,
                "note": event.note,
                "internal_note": event.internal_note,
                "created_at": _iso(event.created_at),
            }
            for event in sorted(practice.events.all(), key=lambda e: (e.created_at, e.pk))
        ]
        yield record


def dumps(record: dict) -> str:
    return json.dumps(record, ensure_ascii=False, sort_keys=True)


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    errors: list[str] = field(default_factory=list)


class _Lookups:
    """Tag and user look-ups, loaded once."""

    def __init__(self):
        self.tags = {
            name: {getattr(obj, key): obj for obj in model.objects.all()}
            for name, (model, key) in TAGS.items()
        }
        User = get_user_model()
        self.users = {u.get_username(): u for u in User.objects.all()}
        # Unique keys already taken, by practice id (extended while a file is read).
        self.unique = {
            name: dict(
                Practice.objects.filter(**{f"{name}__isnull": False}).values_list(name, "pk")
            )
            for name in ("content_key", "reference")
        }


def validate(record, lookups: _Lookups) -> list[str]:
    """Problems with one record, in words; empty when it can be imported."""
    if not isinstance(record, dict):
        return ["not a JSON object"]
    problems = [f"'{name}' is missing" for name in REQUIRED if record.get(name) in (None, "")]
    if record.get("format", FORMAT_VERSION) != FORMAT_VERSION:
        problems.append(f"unsupported format {record.get('format')!r}")
    if not isinstance(record.get("id"), int) or isinstance(record.get("id"), bool):
        problems.append("'id' must be a whole number")
    if record.get("status") not in Status.values:
        problems.append(f"unknown status {record.get('status')!r}")
    for name in TAGS:
        values = record.get(name, [])
        if not isinstance(values, list):
            problems.append(f"'{name}' must be a list")
            continue
        unknown = [v for v in values if v not in lookups.tags[name]]
        if unknown:
            problems.append(f"unknown {name}: {unknown}")
    for name in TIMESTAMPS:
        value = record.get(name)
        if value is not None and (not isinstance(value, str) or parse_datetime(value) is None):
            problems.append(f"'{name}' is not an ISO 8601 date-time")
    events = record.get("events", [])
    if not isinstance(events, list):
        problems.append("'events' must be a list")
    else:
        for i, event in enumerate(events):
            if not isinstance(event, dict) or event.get("to_status") not in Status.values:
                problems.append(f"event {i} has no valid 'to_status'")
    for name in ("content_key", "reference"):
        value = record.get(name)
        if value:
            owner = lookups.unique[name].setdefault(value, record.get("id"))
            if owner != record.get("id"):
                problems.append(f"{name} {value!r} already belongs to practice {owner}")
    if not problems:
        practice = _practice_from(record, Practice(pk=record["id"]))
        try:
            practice.full_clean(exclude=["slug", "content_key", "reference"], validate_unique=False)
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                problems.append(f"{name}: {' '.join(messages)}")
    return problems


def _practice_from(record, practice):
    for name in SCALARS:
        if name in record:
            value = record[name]
            if value is None and name not in NULLABLE:
                value = "" if name != "credit_organization" else False
            setattr(practice, name, value)
    return practice


def import_records(lines, *, skip_invalid: bool = False, progress=None) -> ImportResult:
    """Validate every line, then import all of them in one transaction (or none)."""
    lookups = _Lookups()
    result = ImportResult()
    records = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as error:
            result.errors.append(f"line {number}: not valid JSON ({error.msg})")
            continue
        problems = validate(record, lookups)
        if problems:
            result.errors.append(f"line {number}: " + "; ".join(problems))
        else:
            records.append(record)
    if result.errors and not skip_invalid:
        return result
    with transaction.atomic(), index_batch():
        for index, record in enumerate(records, start=1):
            created = _import_one(record, lookups)
            if created:
                result.created += 1
            else:
                result.updated += 1
            if progress:
                progress(index, len(records))
        _reset_sequences()
    return result


def _reset_sequences():
    """Rows were written with explicit ids: move PostgreSQL's id sequences past them."""
    statements = connection.ops.sequence_reset_sql(no_style(), [Practice, ModerationEvent])
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def _import_one(record, lookups) -> bool:
    practice = Practice.objects.filter(pk=record["id"]).first()
    created = practice is None
    practice = _practice_from(record, practice or Practice(pk=record["id"]))
    practice.submitted_by = lookups.users.get(record.get("submitted_by"))
    practice.search_vector = None
    practice.save()
    for name in TAGS:
        getattr(practice, name).set([lookups.tags[name][v] for v in record.get(name, [])])
    stamps = {
        name: parse_datetime(record[name]) if record.get(name) else None for name in TIMESTAMPS
    }
    stamps = {k: v for k, v in stamps.items() if v is not None or k == "published_at"}
    Practice.objects.filter(pk=practice.pk).update(**stamps)
    practice.events.all().delete()
    for event in record.get("events", []):
        made = ModerationEvent.objects.create(
            practice=practice,
            actor=lookups.users.get(event.get("actor")),
            from_status=event.get("from_status", ""),
            to_status=event["to_status"],
            note=event.get("note", ""),
            internal_note=event.get("internal_note", ""),
        )
        if event.get("created_at"):
            ModerationEvent.objects.filter(pk=made.pk).update(
                created_at=parse_datetime(event["created_at"])
            )
    return created
