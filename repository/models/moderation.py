"""The audit trail of moderation: one immutable row per status change."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .practice import Status


class ModerationEvent(models.Model):
    """A status change of a practice: who, when, from, to, and the note given."""

    practice = models.ForeignKey(
        "repository.Practice",
        on_delete=models.CASCADE,
        related_name="events",
        verbose_name=_("practice"),
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("actor"),
    )
    from_status = models.CharField(_("from"), max_length=20, choices=Status.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=20, choices=Status.choices)
    note = models.TextField(
        _("note to the submitter"), blank=True, help_text=_("Sent to the submitter.")
    )
    internal_note = models.TextField(
        _("internal note"), blank=True, help_text=_("Seen by moderators only.")
    )
    created_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    # What a revision or an edit changed: {field: [before, after]} (repository/revisions.py).
    changes = models.JSONField(_("changes"), default=dict, blank=True, editable=False)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("moderation event")
        verbose_name_plural = _("moderation events")

    def __str__(self):
        return f"{self.practice_id}: {self.from_status or '∅'} → {self.to_status}"
