"""Caching of derived data (facet counts) under a content version.

Every change to a practice or its tags bumps the version, so cached values of the old
version are never read again: a publication, edit or withdrawal shows at once. The cache
is Django's default one (Redis in production, shared by all app servers).
"""

import hashlib

from django.core.cache import cache
from django.db import connection
from django.db.models.signals import m2m_changed, post_delete, post_save

VERSION_KEY = "repository:content-version"
TIMEOUT = 600


def content_version() -> int:
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, 1, None)
        version = cache.get(VERSION_KEY, 1)
    return version


def bump_content_version(**kwargs) -> None:
    try:
        cache.incr(VERSION_KEY)
    except ValueError:  # not set yet, or evicted
        cache.set(VERSION_KEY, content_version() + 1, None)


def key(kind: str, *parts) -> str:
    """A cache key for ``kind`` under the current content version and database."""
    digest = hashlib.sha256(repr(parts).encode()).hexdigest()[:32]
    return f"repository:{kind}:v{content_version()}:{connection.vendor}:{digest}"


def connect() -> None:
    from .models import Practice

    post_save.connect(bump_content_version, sender=Practice, dispatch_uid="content-version-save")
    post_delete.connect(
        bump_content_version, sender=Practice, dispatch_uid="content-version-delete"
    )
    for name in ("phases", "stakeholders", "crisis_types", "guidelines", "principles", "countries"):
        m2m_changed.connect(
            bump_content_version,
            sender=getattr(Practice, name).through,
            dispatch_uid=f"content-version-{name}",
        )
