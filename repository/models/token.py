"""API tokens for partner tools: stored as a SHA-256 digest, shown once when created.

A key is `secrets.token_hex(20)` (40 hex characters, the format of the tokens this
model replaced). The database keeps its first characters (to tell keys apart in the admin)
and the SHA-256 of the whole key; a key is random enough that a fast hash is the right
one (as django-rest-knox does). A user may hold several named tokens, each may expire,
and deleting one revokes it.
"""

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

PREFIX_LENGTH = 8


def digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


class ApiTokenQuerySet(models.QuerySet):
    def usable(self):
        """Tokens of active users that have not expired."""
        now = timezone.now()
        return self.filter(user__is_active=True).filter(
            models.Q(expires_at__isnull=True) | models.Q(expires_at__gt=now)
        )

    def for_key(self, key: str):
        """The usable token with this key, or None."""
        return self.usable().select_related("user").filter(digest=digest(key)).first()


class ApiTokenManager(models.Manager.from_queryset(ApiTokenQuerySet)):
    def issue(self, *, user, name: str = "", expires_at=None) -> tuple["ApiToken", str]:
        """Create a token; returns it with its key, which is not stored and never shown again."""
        token = self.model(user=user, name=name, expires_at=expires_at)
        key = token.set_new_key()
        token.save(force_insert=True)
        return token, key


class ApiToken(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="api_tokens",
        verbose_name=_("user"),
    )
    name = models.CharField(
        _("name"), max_length=100, blank=True, help_text=_("What the token is for.")
    )
    prefix = models.CharField(_("key begins with"), max_length=PREFIX_LENGTH, editable=False)
    digest = models.CharField(_("SHA-256 of the key"), max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    expires_at = models.DateTimeField(
        _("expires"), null=True, blank=True, help_text=_("Empty: never expires.")
    )
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True, editable=False)

    objects = ApiTokenManager()

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["user", "-created_at"]

    def __str__(self):
        label = self.name or _("token")
        return f"{label} ({self.prefix}…)"

    def set_new_key(self) -> str:
        """Give the (unsaved) token a new random key; returns the key, which is not stored."""
        key = secrets.token_hex(20)
        self.prefix, self.digest = key[:PREFIX_LENGTH], digest(key)
        return key

    @property
    def is_expired(self) -> bool:
        return self.expires_at is not None and self.expires_at <= timezone.now()
