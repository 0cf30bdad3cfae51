"""repository/tasks.py: e-mails leave the request, one task per recipient, retried with
back-off, and what became of them is shown to moderators and never misreported to submitters.
Real SMTP conversations with local servers (tests/smtp.py)."""

import datetime as dt
import time

import pytest
from django.contrib.auth.models import Group, User
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from repository.models import Email, EmailKind, EmailStatus, Practice, Status
from tests.conftest import run_tasks
from tests.smtp import HangingSMTPServer, RecordingSMTPServer, smtp_mailers

from .test_api_submissions import client_for, submit
from .test_views_submit import valid_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def moderators():
    group = Group.objects.get(name="moderators")
    users = []
    for name in ("mod1", "mod2"):
        user = User.objects.create_user(name, f"{name}@example.org", "pw")
        user.groups.add(group)
        users.append(user)
    return users


def timed(call):
    started = time.monotonic()
    response = call()
    return response, time.monotonic() - started


def test_a_hanging_smtp_server_holds_up_no_request(client, moderators, settings):
    server = HangingSMTPServer()
    settings.MAILERS = smtp_mailers(server.port, timeout=3)
    partner = User.objects.create_user("partner", "partner@example.org", "pw")
    api = client_for(partner)
    try:
        # (Warm: the first request of a test process compiles templates and URL patterns.)
        assert client.get("/practices/submit/").status_code == 200
        assert api.get("/api/v1/submissions/").status_code == 200
        # The public form, the API and a moderator's decision each queue e-mails…
        response, form_seconds = timed(lambda: client.post("/practices/submit/", valid_data()))
        assert response.status_code == 302
        response, api_seconds = timed(lambda: submit(api))
        assert response.status_code == 201
        client.force_login(moderators[0])
        practice = Practice.objects.get(pk=response.json()["id"])
        assert client.get(f"/moderation/{practice.pk}/").status_code == 200
        response, decision_seconds = timed(
            lambda: client.post(
                f"/moderation/{practice.pk}/",
                {"action": "decide", "decide-decision": "approve"},
            )
        )
        assert response.status_code == 302
        # …and none of them waits for the server (one SMTP attempt alone takes 3 s here).
        assert max(form_seconds, api_seconds, decision_seconds) < 1, (
            form_seconds,
            api_seconds,
            decision_seconds,
        )
        assert Email.objects.filter(status=EmailStatus.PENDING).count() == 3 + 3 + 1

        # The worker's attempt times out; the e-mail is kept for a later attempt.
        assert run_tasks(max_tasks=1) == 1
    finally:
        server.close()
    receipt = Email.objects.get(kind=EmailKind.RECEIPT, recipient="rosa@example.org")
    assert (receipt.status, receipt.attempts) == (EmailStatus.PENDING, 1)
    assert "timed out" in receipt.last_error
    assert receipt.next_attempt_at > timezone.now()
    # The submitter is not told a receipt was sent.
    page = client.get(f"/practices/submit/{receipt.practice.reference}/").content.decode()
    assert "We have e-mailed you a receipt" not in page
    assert "A receipt is on its way to your e-mail address." in page


def test_a_refused_recipient_does_not_stop_the_others(client, moderators, settings):
    server = RecordingSMTPServer(refuse={"rosa@example.org"})
    settings.MAILERS = smtp_mailers(server.port)
    try:
        assert client.post("/practices/submit/", valid_data()).status_code == 302
        run_tasks()
    finally:
        server.close()
    # One message per recipient; the moderators got theirs.
    assert sorted(recipients for _sender, recipients, _message in server.received) == [
        ["mod1@example.org"],
        ["mod2@example.org"],
    ]
    receipt = Email.objects.get(kind=EmailKind.RECEIPT)
    # A permanent refusal (5xx) is not retried.
    assert (receipt.status, receipt.attempts) == (EmailStatus.FAILED, 1)
    assert "550" in receipt.last_error and "rosa@example.org" in receipt.last_error
    notices = Email.objects.filter(kind=EmailKind.MODERATORS)
    assert {(e.recipient, e.status) for e in notices} == {
        ("mod1@example.org", EmailStatus.SENT),
        ("mod2@example.org", EmailStatus.SENT),
    }
    practice = Practice.objects.get(title=valid_data()["title"])
    page = client.get(f"/practices/submit/{practice.reference}/").content.decode()
    assert "We could not e-mail you a receipt" in page
    assert "We have e-mailed you a receipt" not in page


def closed_port() -> int:
    from tests.micic.conftest import free_port

    return free_port()  # nothing listens there: connection refused


def test_a_failed_send_is_retried_with_back_off_then_sent(client, settings):
    settings.MAILERS = smtp_mailers(closed_port())
    settings.EMAIL_RETRY_DELAYS = [60, 300]
    assert client.post("/practices/submit/", valid_data()).status_code == 302
    receipt = Email.objects.get()  # no moderators: the receipt only

    run_tasks()
    receipt.refresh_from_db()
    assert (receipt.status, receipt.attempts) == (EmailStatus.PENDING, 1)
    assert "ConnectionRefusedError" in receipt.last_error
    wait = receipt.next_attempt_at - timezone.now()
    assert dt.timedelta(seconds=50) < wait <= dt.timedelta(seconds=60)
    # The next attempt is a task that is not due yet: the worker leaves it.
    assert run_tasks() == 0

    # The relay is back, and the time has come.
    server = RecordingSMTPServer()
    settings.MAILERS = smtp_mailers(server.port)
    DBTaskResult.objects.filter(status="READY").update(run_after=timezone.now())
    try:
        assert run_tasks() == 1
    finally:
        server.close()
    receipt.refresh_from_db()
    assert (receipt.status, receipt.attempts) == (EmailStatus.SENT, 2)
    assert [recipients for _s, recipients, _m in server.received] == [["rosa@example.org"]]
    page = client.get(f"/practices/submit/{receipt.practice.reference}/").content.decode()
    assert "We have e-mailed you a receipt." in page


def test_an_e_mail_that_keeps_failing_is_given_up_and_shown_to_moderators(
    client, admin_client, settings
):
    settings.MAILERS = smtp_mailers(closed_port())
    settings.EMAIL_RETRY_DELAYS = [0, 0]
    assert client.post("/practices/submit/", valid_data()).status_code == 302
    practice = Practice.objects.get(title=valid_data()["title"])
    run_tasks()
    # The admin (a superuser) is a moderator: a receipt and a notice, 3 attempts each.
    emails = Email.objects.all()
    assert {(e.kind, e.status, e.attempts) for e in emails} == {
        (EmailKind.RECEIPT, EmailStatus.FAILED, 3),
        (EmailKind.MODERATORS, EmailStatus.FAILED, 3),
    }

    # The moderation queue has a column for it…
    queue = admin_client.get("/moderation/").content.decode()
    assert "E-mails" in queue
    assert "2 failed" in queue
    # …the review page lists each e-mail with its error…
    review = admin_client.get(f"/moderation/{practice.pk}/").content.decode()
    assert "Receipt to the submitter" in review
    assert "Failed" in review
    assert "ConnectionRefusedError" in review
    # …and so does the admin, which can send them again.
    changelist = admin_client.get("/admin/repository/email/?status__exact=failed")
    assert changelist.status_code == 200
    assert "rosa@example.org" in changelist.content.decode()
    server = RecordingSMTPServer()
    settings.MAILERS = smtp_mailers(server.port)
    try:
        response = admin_client.post(
            "/admin/repository/email/",
            {"action": "send_again", "_selected_action": [e.pk for e in emails]},
        )
        assert response.status_code == 302
        run_tasks()
    finally:
        server.close()
    assert set(Email.objects.values_list("status", flat=True)) == {EmailStatus.SENT}
    assert len(server.received) == 2
    # The submitter's page never claimed a receipt before it was sent.
    assert practice.status == Status.SUBMITTED


def test_an_e_mail_whose_worker_died_mid_send_can_be_queued_again(settings):
    from repository import tasks

    settings.MAILERS = smtp_mailers(closed_port())
    practice = Practice.objects.first()
    (email,) = tasks._queue(practice, EmailKind.RECEIPT, ["ana@example.org"], "Subject", "Body")
    DBTaskResult.objects.update(status="RUNNING")  # the worker was killed (SIGKILL) meanwhile
    assert tasks.retry([email]) == 0  # not overdue yet: its task may still be running
    Email.objects.filter(pk=email.pk).update(created_at=timezone.now() - dt.timedelta(hours=1))
    email.refresh_from_db()
    assert tasks.retry([email]) == 1
    assert DBTaskResult.objects.filter(status="READY").count() == 1


def test_a_subject_is_one_line_whatever_the_stored_title():
    from repository import tasks

    practice = Practice.objects.first()
    (email,) = tasks._queue(practice, EmailKind.RECEIPT, ["a@example.org"], "A\r\nB  C", "Body")
    assert email.subject == "A B C"
