"""E-mails about submissions: one row per message and recipient, sent by a background task
(repository/tasks.py), so that moderators see what was sent, what is still trying, what failed."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class EmailStatus(models.TextChoices):
    PENDING = "pending", _("Waiting to be sent")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


class EmailKind(models.TextChoices):
    RECEIPT = "receipt", _("Receipt to the submitter")
    MODERATORS = "moderators", _("Notice to a moderator")
    DECISION = "decision", _("Decision to the submitter")


class Email(models.Model):
    """One e-mail to one recipient, with its delivery attempts."""

    practice = models.ForeignKey(
        "repository.Practice",
        on_delete=models.CASCADE,
        related_name="emails",
        verbose_name=_("practice"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=EmailKind.choices)
    recipient = models.EmailField(_("recipient"))
    subject = models.CharField(_("subject"), max_length=400)
    body = models.TextField(_("body"))
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=EmailStatus.choices,
        default=EmailStatus.PENDING,
        db_index=True,
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    created_at = models.DateTimeField(_("queued"), auto_now_add=True, db_index=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("e-mail")
        verbose_name_plural = _("e-mails")

    def __str__(self):
        return f"{self.get_kind_display()} → {self.recipient}: {self.get_status_display()}"

    @property
    def retrying(self) -> bool:
        return self.status == EmailStatus.PENDING and self.attempts > 0
