"""E-mails about submissions, run as Django tasks after the transaction commits.

The submitter is written to in the language of their practice when the site has it
(``Practice.language``), else in English; moderators in English.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db.models import Q
from django.tasks import task
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from .models import ModerationEvent, Practice


def _site_url(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def submitter_language(practice: Practice) -> str:
    """The language to write to a submitter in: their practice's, if the site has it."""
    if practice.language in dict(settings.LANGUAGES):
        return practice.language
    return settings.LANGUAGE_CODE


def moderator_emails() -> list[str]:
    users = get_user_model().objects.filter(
        Q(is_superuser=True) | Q(groups__name="moderators"), is_active=True
    )
    return sorted({email for email in users.values_list("email", flat=True) if email})


@task
def notify_submission(practice_id: int, resubmitted: bool = False) -> None:
    """A receipt to the submitter and a notice to the moderators."""
    practice = Practice.objects.get(pk=practice_id)
    with translation.override(submitter_language(practice)):
        _send_receipt(practice, resubmitted)
    with translation.override(settings.LANGUAGE_CODE):
        _send_to_moderators(practice, resubmitted)


def _context(practice: Practice, resubmitted: bool) -> dict:
    return {
        "practice": practice,
        "resubmitted": resubmitted,
        "status_url": _site_url(
            reverse("repository:submission-status", kwargs={"reference": practice.reference})
        ),
        "review_url": _site_url(reverse("moderation:review", kwargs={"pk": practice.pk})),
    }


def _send_receipt(practice: Practice, resubmitted: bool) -> None:
    context = _context(practice, resubmitted)
    if practice.submitter_email:
        send_mail(
            _("We received your practice: %(title)s") % {"title": practice.title},
            render_to_string("repository/email/receipt.txt", context),
            None,
            [practice.submitter_email],
        )


def _send_to_moderators(practice: Practice, resubmitted: bool) -> None:
    context = _context(practice, resubmitted)
    recipients = moderator_emails()
    if recipients:
        send_mail(
            _("Practice to review: %(title)s") % {"title": practice.title},
            render_to_string("repository/email/to_moderators.txt", context),
            None,
            recipients,
        )


@task
def notify_decision(event_id: int) -> None:
    """Tell the submitter what was decided, with the moderator's note to them."""
    event = ModerationEvent.objects.select_related("practice").get(pk=event_id)
    practice = event.practice
    if not practice.submitter_email:
        return
    with translation.override(submitter_language(practice)):
        _send_decision(practice, event)


def _send_decision(practice: Practice, event: ModerationEvent) -> None:
    context = {
        "practice": practice,
        "event": event,
        "status_url": _site_url(
            reverse("repository:submission-status", kwargs={"reference": practice.reference})
        )
        if practice.reference
        else "",
        "public_url": _site_url(practice.get_absolute_url()) if practice.is_published else "",
    }
    send_mail(
        _("Your practice “%(title)s”: %(status)s")
        % {"title": practice.title, "status": practice.get_status_display().lower()},
        render_to_string("repository/email/decision.txt", context),
        None,
        [practice.submitter_email],
    )
