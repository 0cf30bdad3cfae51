"""repository/workflow.py: the only code that changes a status."""

import pytest
from django.contrib.auth.models import Group, User
from django.core import mail

from repository import workflow
from repository.models import ModerationEvent, Practice, Status
from tests.factories import make_practice

pytestmark = pytest.mark.django_db


@pytest.fixture
def moderator():
    user = User.objects.create_user("mod", "mod@example.org", "pw")
    user.groups.add(Group.objects.get(name="moderators"))
    return user


def submitted(**fields):
    practice = Practice(
        title=fields.pop("title", "Submitted practice"),
        summary="A summary.",
        submitter_name="Ana",
        submitter_email="ana@example.org",
        **fields,
    )
    from guidelines.models import Guideline, Phase
    from repository.models import Stakeholder

    return workflow.submit(
        practice=practice,
        tags={
            "phases": Phase.objects.filter(slug="emergency"),
            "stakeholders": Stakeholder.objects.filter(slug="diaspora"),
            "guidelines": Guideline.objects.filter(number=9),
        },
    )


def test_moderators_group_exists():
    assert Group.objects.filter(name="moderators").exists()


def test_submit_records_an_event_and_mails_submitter_and_moderators(moderator, tasks_worker):
    practice = submitted()
    assert mail.outbox == []  # queued, sent by the worker
    assert tasks_worker() == 2
    assert practice.status == Status.SUBMITTED
    assert practice.published_at is None
    assert practice.reference.startswith("P-") and len(practice.reference) > 10
    assert list(practice.phases.values_list("slug", flat=True)) == ["emergency"]
    event = practice.events.get()
    assert (event.from_status, event.to_status, event.actor) == ("", Status.SUBMITTED, None)
    assert [m.to for m in mail.outbox] == [["ana@example.org"], ["mod@example.org"]]
    assert practice.reference in mail.outbox[0].body
    assert f"/moderation/{practice.pk}/" in mail.outbox[1].body


def test_emails_are_queued_with_the_change_and_rolled_back_with_it(moderator, tasks_worker):
    from django.db import transaction
    from django_tasks_db.models import DBTaskResult

    from repository.models import Email

    with pytest.raises(RuntimeError), transaction.atomic():
        submitted()
        assert Email.objects.count() == DBTaskResult.objects.count() == 2
        raise RuntimeError("the submission fails after its e-mails were queued")
    assert Email.objects.count() == DBTaskResult.objects.count() == 0
    assert tasks_worker() == 0
    assert mail.outbox == []


@pytest.mark.parametrize(
    ("decision", "status"),
    [
        ("approve", Status.APPROVED),
        ("reject", Status.REJECTED),
        ("request_changes", Status.CHANGES_REQUESTED),
    ],
)
def test_decisions_from_submitted(moderator, decision, status, tasks_worker):
    practice = submitted()
    tasks_worker()
    mail.outbox.clear()
    practice = workflow.decide(
        practice=practice,
        decision=decision,
        actor=moderator,
        note="Public note",
        internal_note="Only for us",
    )
    tasks_worker()
    assert practice.status == status
    assert (practice.published_at is not None) == (status == Status.APPROVED)
    event = practice.events.last()
    assert (event.actor, event.from_status, event.to_status) == (moderator, "submitted", status)
    assert event.note == "Public note"
    assert [m.to for m in mail.outbox] == [["ana@example.org"]]
    assert "Public note" in mail.outbox[0].body
    assert "Only for us" not in mail.outbox[0].body


def test_withdraw_only_from_approved(moderator):
    practice = submitted()
    with pytest.raises(workflow.IllegalTransition):
        workflow.withdraw(practice=practice, actor=moderator)
    workflow.decide(practice=practice, decision="approve", actor=moderator)
    practice = workflow.withdraw(practice=practice, actor=moderator, note="Outdated")
    assert practice.status == Status.WITHDRAWN
    assert not Practice.objects.published().filter(pk=practice.pk).exists()


@pytest.mark.parametrize(
    ("status", "decision"),
    [
        (Status.APPROVED, "approve"),
        (Status.APPROVED, "reject"),
        (Status.REJECTED, "approve"),
        (Status.WITHDRAWN, "approve"),
        (Status.CHANGES_REQUESTED, "approve"),
        (Status.SUBMITTED, "withdraw"),
    ],
)
def test_illegal_transitions_raise_and_change_nothing(moderator, status, decision):
    practice = make_practice(status=status)
    events = ModerationEvent.objects.count()
    with pytest.raises(workflow.IllegalTransition):
        workflow.decide(practice=practice, decision=decision, actor=moderator)
    practice.refresh_from_db()
    assert practice.status == status
    assert ModerationEvent.objects.count() == events


def test_resubmit_after_changes_requested(moderator):
    practice = submitted()
    workflow.decide(practice=practice, decision="request_changes", actor=moderator, note="More")
    practice = workflow.resubmit(
        practice=practice, actor=None, fields={"summary": "A better summary."}
    )
    assert practice.status == Status.SUBMITTED
    assert Practice.objects.get(pk=practice.pk).summary == "A better summary."
    assert list(practice.events.values_list("to_status", flat=True)) == [
        "submitted",
        "changes_requested",
        "submitted",
    ]
    with pytest.raises(workflow.IllegalTransition):
        workflow.resubmit(practice=practice, actor=None)


def test_approving_again_keeps_first_publication_date(moderator):
    practice = submitted()
    practice = workflow.decide(practice=practice, decision="approve", actor=moderator)
    first = practice.published_at
    workflow.withdraw(practice=practice, actor=moderator)
    assert Practice.objects.get(pk=practice.pk).published_at == first


def test_edit_records_who_changed_what_without_changing_status(moderator):
    practice = submitted()
    practice = workflow.edit(
        practice=practice, fields={"title": "Clearer title"}, tags={}, actor=moderator
    )
    assert practice.title == "Clearer title"
    event = practice.events.last()
    assert (event.from_status, event.to_status, event.actor) == (
        "submitted",
        "submitted",
        moderator,
    )


def test_events_are_an_append_only_history(moderator):
    practice = submitted()
    workflow.decide(practice=practice, decision="approve", actor=moderator)
    workflow.withdraw(practice=practice, actor=moderator)
    history = list(practice.events.values_list("from_status", "to_status"))
    assert history == [("", "submitted"), ("submitted", "approved"), ("approved", "withdrawn")]
