"""The only code that changes a practice's status.

Every change runs in one transaction, records an immutable ModerationEvent, and queues
its e-mails in the same transaction (tasks.py): they are sent by the task worker once the
change is committed, and never lost with it. Forms, serializers and views validate input;
they never set a status themselves.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import references
from .models import ModerationEvent, Practice, Status
from .models.tags import M2M_FIELDS
from .search.indexing import batch as index_batch

TAG_FIELDS = M2M_FIELDS  # the many-to-many tags of a practice (models.tags)
DECISIONS = {
    # decision: (from statuses, to status)
    "approve": ({Status.SUBMITTED}, Status.APPROVED),
    "reject": ({Status.SUBMITTED}, Status.REJECTED),
    "request_changes": ({Status.SUBMITTED}, Status.CHANGES_REQUESTED),
    "withdraw": ({Status.APPROVED}, Status.WITHDRAWN),
}


class IllegalTransition(Exception):
    """The decision is not allowed from the practice's current status."""

    def __init__(self, practice: Practice, decision: str):
        self.practice, self.decision = practice, decision
        super().__init__(
            _("A practice that is “%(status)s” cannot be given the decision “%(decision)s”.")
            % {"status": practice.get_status_display(), "decision": decision}
        )


def new_reference() -> str:
    """An unguessable reference the submitter follows the submission by (references.py)."""
    return references.new()


def _record(practice, *, actor, from_status, note="", internal_note="", changes=None):
    return ModerationEvent.objects.create(
        practice=practice,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        from_status=from_status,
        to_status=practice.status,
        note=note,
        internal_note=internal_note,
        changes=changes or {},
    )


def _set_tags(practice: Practice, tags: dict) -> None:
    for name in TAG_FIELDS:
        if name in tags:
            getattr(practice, name).set(tags[name])


@transaction.atomic
def submit(*, practice: Practice, tags: dict, actor=None) -> Practice:
    """Save a new practice as submitted, with its tags; tell moderators and the submitter."""
    from . import tasks

    practice.status = Status.SUBMITTED
    practice.published_at = None
    practice.reference = new_reference()
    if getattr(actor, "is_authenticated", False):
        practice.submitted_by = actor
    with index_batch():
        practice.save()
        _set_tags(practice, tags)
    _record(practice, actor=actor, from_status="")
    tasks.queue_submission_emails(practice)
    return practice


@transaction.atomic
def resubmit(
    *, practice: Practice, actor, fields: dict | None = None, tags=None, note=""
) -> Practice:
    """The submitter's revision of a practice whose changes were requested."""
    from . import revisions, tasks

    practice = Practice.objects.select_for_update().get(pk=practice.pk)
    if practice.status != Status.CHANGES_REQUESTED:
        raise IllegalTransition(practice, "resubmit")
    before = revisions.snapshot(practice)
    for name, value in (fields or {}).items():
        setattr(practice, name, value)
    previous = practice.status
    practice.status = Status.SUBMITTED
    with index_batch():
        practice.save()
        _set_tags(practice, tags or {})
    changed = revisions.changes(before, revisions.snapshot(practice))
    _record(practice, actor=actor, from_status=previous, note=note, changes=changed)
    tasks.queue_submission_emails(practice, resubmitted=True)
    return practice


@transaction.atomic
def decide(
    *, practice: Practice, decision: str, actor, note: str = "", internal_note=""
) -> Practice:
    """A moderator's decision: approve, reject, request changes, or withdraw."""
    from . import tasks

    if decision not in DECISIONS:
        raise ValueError(f"unknown decision {decision!r}")
    practice = Practice.objects.select_for_update().get(pk=practice.pk)
    allowed_from, to_status = DECISIONS[decision]
    if practice.status not in allowed_from:
        raise IllegalTransition(practice, decision)
    previous = practice.status
    practice.status = to_status
    if to_status == Status.APPROVED and practice.published_at is None:
        practice.published_at = timezone.now()
    practice.save()
    event = _record(
        practice, actor=actor, from_status=previous, note=note, internal_note=internal_note
    )
    tasks.queue_decision_email(event)
    return practice


@transaction.atomic
def edit(*, practice: Practice, fields: dict, tags: dict, actor, note: str = "") -> Practice:
    """A moderator's correction before a decision; recorded, status unchanged."""
    from . import revisions

    practice = Practice.objects.select_for_update().get(pk=practice.pk)
    before = revisions.snapshot(practice)
    for name, value in fields.items():
        setattr(practice, name, value)
    with index_batch():
        practice.save()
        _set_tags(practice, tags)
    _record(
        practice,
        actor=actor,
        from_status=practice.status,
        internal_note=note or str(_("Edited by a moderator.")),
        changes=revisions.changes(before, revisions.snapshot(practice)),
    )
    return practice


def withdraw(*, practice: Practice, actor, note: str = "") -> Practice:
    """Take a published practice off every public surface."""
    return decide(practice=practice, decision="withdraw", actor=actor, note=note)


def allowed_decisions(practice: Practice) -> list[str]:
    return [name for name, (sources, _to) in DECISIONS.items() if practice.status in sources]
