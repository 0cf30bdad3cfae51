"""The content version's copy in the database (repository/cache.py)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ContentVersion(models.Model):
    """One row: the version of the published content as of the last committed change.

    The shared cache (Redis) holds the current version; this row is what every process reads
    while the cache is down, so that all of them agree on the version.
    """

    version = models.BigIntegerField(_("version"))

    class Meta:
        verbose_name = _("content version")
        verbose_name_plural = _("content version")

    def __str__(self):
        return str(self.version)
