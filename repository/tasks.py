"""E-mails about submissions: queued with the change that causes them, sent by a worker.

The workflow (workflow.py) calls `queue_*` inside its transaction: each message to each
recipient is an Email row and a task in the database task queue (django-tasks-db), both
committed with the change itself, so nothing is lost if a process dies, and no request waits
for an SMTP server. The worker (`manage.py db_worker`, started by `make run` and
`make serve`) runs `send_email` once per message: a refused or unreachable recipient does
not hold up the others. A failed attempt is retried after EMAIL_RETRY_DELAYS; a permanent
refusal (an SMTP 5xx for the recipient) or the last attempt leaves the e-mail "failed",
which the moderation queue, the review page and the admin show.
"""

import datetime as dt
import logging
import smtplib

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Q
from django.tasks import task
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Email, EmailKind, EmailStatus, ModerationEvent, Practice

logger = logging.getLogger(__name__)


def _site_url(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def _status_url(practice: Practice) -> str:
    if not practice.reference:
        return ""
    return _site_url(
        reverse("repository:submission-status", kwargs={"reference": practice.reference})
    )


def moderator_emails() -> list[str]:
    users = get_user_model().objects.filter(
        Q(is_superuser=True) | Q(groups__name="moderators"), is_active=True
    )
    return sorted({email for email in users.values_list("email", flat=True) if email})


def _queue(practice: Practice, kind: str, recipients, subject: str, body: str) -> list[Email]:
    # Forms and the API refuse line breaks in titles; a subject is one line whatever the data.
    subject = " ".join(subject.split())
    emails = [
        Email.objects.create(
            practice=practice, kind=kind, recipient=recipient, subject=subject, body=body
        )
        for recipient in recipients
    ]
    for email in emails:
        send_email.enqueue(email.pk)
    return emails


def queue_submission_emails(practice: Practice, resubmitted: bool = False) -> list[Email]:
    """A receipt to the submitter and a notice to each moderator."""
    context = {
        "practice": practice,
        "resubmitted": resubmitted,
        "status_url": _status_url(practice),
        "review_url": _site_url(reverse("moderation:review", kwargs={"pk": practice.pk})),
    }
    emails = []
    if practice.submitter_email:
        emails += _queue(
            practice,
            EmailKind.RECEIPT,
            [practice.submitter_email],
            _("We received your practice: %(title)s") % {"title": practice.title},
            render_to_string("repository/email/receipt.txt", context),
        )
    emails += _queue(
        practice,
        EmailKind.MODERATORS,
        moderator_emails(),
        _("Practice to review: %(title)s") % {"title": practice.title},
        render_to_string("repository/email/to_moderators.txt", context),
    )
    return emails


def queue_decision_email(event: ModerationEvent) -> list[Email]:
    """Tell the submitter what was decided, with the moderator's note to them."""
    practice = event.practice
    if not practice.submitter_email:
        return []
    context = {
        "practice": practice,
        "event": event,
        "status_url": _status_url(practice),
        "public_url": _site_url(practice.get_absolute_url()) if practice.is_published else "",
    }
    return _queue(
        practice,
        EmailKind.DECISION,
        [practice.submitter_email],
        _("Your practice “%(title)s”: %(status)s")
        % {"title": practice.title, "status": practice.get_status_display().lower()},
        render_to_string("repository/email/decision.txt", context),
    )


def _refused_for_good(error: Exception) -> bool:
    """An SMTP 5xx for the recipient: trying again would be refused again."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _message in error.recipients.values())
    return isinstance(error, smtplib.SMTPResponseException) and error.smtp_code >= 500


def _text(message) -> str:
    return message.decode(errors="replace") if isinstance(message, bytes) else str(message)


def _describe(error: Exception) -> str:
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        detail = "; ".join(
            f"{address}: {code} {_text(message)}"
            for address, (code, message) in error.recipients.items()
        )
        return f"{type(error).__name__}: {detail}"
    return f"{type(error).__name__}: {error}"[:1000]


@task
def send_email(email_id: int) -> None:
    """One attempt at one e-mail; on failure, the next attempt is queued or it is given up."""
    email = Email.objects.filter(pk=email_id).first()
    if email is None or email.status != EmailStatus.PENDING:
        return
    email.attempts += 1
    try:
        EmailMessage(email.subject, email.body, to=[email.recipient]).send()
    except Exception as error:
        delays = settings.EMAIL_RETRY_DELAYS
        email.last_error = _describe(error)
        with transaction.atomic():
            if _refused_for_good(error) or email.attempts > len(delays):
                email.status = EmailStatus.FAILED
                email.next_attempt_at = None
                logger.error(
                    "E-mail %s to %s failed after %d attempt(s): %s",
                    email.pk,
                    email.recipient,
                    email.attempts,
                    email.last_error,
                )
            else:
                email.next_attempt_at = timezone.now() + dt.timedelta(
                    seconds=delays[email.attempts - 1]
                )
                send_email.using(run_after=email.next_attempt_at).enqueue(email.pk)
                logger.warning(
                    "E-mail %s to %s: attempt %d failed, next at %s: %s",
                    email.pk,
                    email.recipient,
                    email.attempts,
                    email.next_attempt_at.isoformat(timespec="seconds"),
                    email.last_error,
                )
            email.save()
        raise  # the task's own result records the failed attempt too
    email.status = EmailStatus.SENT
    email.sent_at = timezone.now()
    email.next_attempt_at = None
    email.save()


# A waiting e-mail whose attempt is this late has lost its task (a worker killed mid-send).
STUCK_AFTER = dt.timedelta(minutes=10)


def retry(emails) -> int:
    """Queue again the failed e-mails, and the waiting ones whose attempt is long overdue (the
    admin's action): a fresh set of attempts. The number queued."""
    count = 0
    overdue = timezone.now() - STUCK_AFTER
    for email in emails:
        stuck = email.status == EmailStatus.PENDING and (
            (email.next_attempt_at or email.created_at) < overdue
        )
        if email.status == EmailStatus.FAILED or stuck:
            with transaction.atomic():
                email.status = EmailStatus.PENDING
                email.attempts = 0
                email.next_attempt_at = None
                email.save()
                send_email.enqueue(email.pk)
            count += 1
    return count
