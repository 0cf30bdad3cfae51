"""Backup and restore: every practice (any status), its tags and its moderation events,
as JSON Lines, one practice per line. Records are keyed by their stable id.

People are kept by username: a record names its submitter and the actor of each event,
and under "users" describes each of them (e-mail, membership of the moderators group).
On import every username must match an existing account, or the line is refused naming
the missing ones; with ``create_missing_users`` they are created inactive (no usable
password, the moderators group as exported), so that nobody gains access by an import.
"""

import json
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.color import no_style
from django.db import connection, transaction
from django.utils.dateparse import parse_datetime

from .models import ModerationEvent, Practice, Status
from .models.tags import BY_FIELD, natural_keys
from .permissions import MODERATORS_GROUP
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


def _person(user, moderators: set[str]) -> dict:
    return {"email": user.email, "moderator": user.get_username() in moderators}


def export_records(queryset=None):
    """Yield one dict per practice, oldest id first, streaming in chunks."""
    queryset = (Practice.objects.all() if queryset is None else queryset).order_by("pk")
    queryset = queryset.select_related("submitted_by").prefetch_related(*TAGS, "events__actor")
    User = get_user_model()
    moderators = set(
        User.objects.filter(groups__name=MODERATORS_GROUP).values_list(
            User.USERNAME_FIELD, flat=True
        )
    )
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
        people = [practice.submitted_by, *(event.actor for event in practice.events.all())]
        record["users"] = {
            user.get_username(): _person(user, moderators) for user in people if user is not None
        }
        yield record


def dumps(record: dict) -> str:
    return json.dumps(record, ensure_ascii=False, sort_keys=True)


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    errors: list[str] = field(default_factory=list)
    # Usernames of the accounts created (inactive) by create_missing_users.
    created_users: list[str] = field(default_factory=list)


class _Lookups:
    """Tag and user look-ups, loaded once."""

    def __init__(self):
        # Accounts to create, by username: what the records say about them.
        self.missing_users: dict[str, dict] = {}
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


def usernames(record) -> list[str]:
    """The usernames a record refers to: its submitter and its events' actors."""
    names = [record.get("submitted_by")]
    events = record.get("events", [])
    if isinstance(events, list):
        names += [event.get("actor") for event in events if isinstance(event, dict)]
    return [name for name in dict.fromkeys(names) if name is not None]


def _user_problems(record, lookups: _Lookups, create_missing_users: bool):
    """(problems, missing usernames to create) for the people a record names."""
    names = usernames(record)
    if not all(isinstance(name, str) and name for name in names):
        return ["usernames ('submitted_by', events' 'actor') must be non-empty strings"], []
    people = record.get("users", {})
    if not isinstance(people, dict) or not all(isinstance(p, dict) for p in people.values()):
        return ["'users' must map usernames to objects"], []
    missing = [name for name in names if name not in lookups.users]
    if missing and not create_missing_users:
        return [
            f"no user account {', '.join(map(repr, missing))} in this database: create "
            f"{'it' if len(missing) == 1 else 'them'} first, or import with "
            "--create-missing-users"
        ], []
    User = get_user_model()
    field = User._meta.get_field(User.USERNAME_FIELD)
    unfit = [name for name in missing if field.max_length and len(name) > field.max_length]
    if unfit:
        return [f"username {name[:40]!r}… is longer than {field.max_length}" for name in unfit], []
    return [], missing


def _has_null_character(value) -> bool:
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str) and "\x00" in item:
            return True
        if isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return False


def _tag_matches(value, key_type) -> bool:
    # Strict types: True is not guideline 1, nor "9" guideline 9.
    return type(value) is key_type


def validate(record, lookups: _Lookups, *, create_missing_users: bool = False) -> list[str]:
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
        key_type = int if BY_FIELD[name].integer else str
        unknown = [
            v for v in values if not _tag_matches(v, key_type) or v not in lookups.tags[name]
        ]
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
    if _has_null_character(record):
        problems.append("null characters are not allowed (PostgreSQL refuses them)")
    user_problems, missing_users = _user_problems(record, lookups, create_missing_users)
    problems += user_problems
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
    if not problems:
        for name in missing_users:
            lookups.missing_users.setdefault(name, record.get("users", {}).get(name, {}))
    return problems


def _practice_from(record, practice):
    for name in SCALARS:
        if name in record:
            value = record[name]
            if value is None and name not in NULLABLE:
                value = "" if name != "credit_organization" else False
            setattr(practice, name, value)
    return practice


def import_records(
    lines, *, skip_invalid: bool = False, create_missing_users: bool = False, progress=None
) -> ImportResult:
    """Validate every line, then import all of them in one transaction (or none).

    Every username must belong to an existing account; with ``create_missing_users`` the
    missing accounts are created, inactive and without a usable password."""
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
        problems = validate(record, lookups, create_missing_users=create_missing_users)
        if problems:
            result.errors.append(f"line {number}: " + "; ".join(problems))
        else:
            records.append(record)
    if result.errors and not skip_invalid:
        return result
    with transaction.atomic(), index_batch():
        result.created_users = _create_users(lookups)
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


def _create_users(lookups: _Lookups) -> list[str]:
    """Create the missing accounts, inactive, with no usable password: an administrator
    activates them and has a password set. Moderators join the moderators group."""
    from django.contrib.auth.models import Group

    User = get_user_model()
    moderators = None
    for username, person in sorted(lookups.missing_users.items()):
        email = person.get("email") if isinstance(person.get("email"), str) else ""
        user = User(**{User.USERNAME_FIELD: username}, email=email, is_active=False)
        user.set_unusable_password()
        user.save()
        if person.get("moderator") is True:
            moderators = moderators or Group.objects.get_or_create(name=MODERATORS_GROUP)[0]
            user.groups.add(moderators)
        lookups.users[username] = user
    return sorted(lookups.missing_users)


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
