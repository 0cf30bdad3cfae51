"""Caching of derived data (facet index and counts, result pages) under a content version.

Every change to published content — a practice that is or was approved, its tags, a
taxonomy — bumps the version, so cached values of the old version are never read again:
a publication, edit or withdrawal shows at once. Changes the public cannot see
(submissions, moderation of unpublished practices) keep the cache. The version is bumped
at the change and again when its transaction commits, so a value computed in between
from the old rows is dropped too. The cache is Django's default one (Redis in
production, shared by all app servers).
"""

import hashlib
import time
from collections.abc import Callable

from django.core.cache import cache
from django.db import connection, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

from ..models import Practice, Region, Status
from ..models.tags import M2M_TAGS

VERSION_KEY = "repository:content-version"
TIMEOUT = 600


def content_version() -> int:
    version = cache.get(VERSION_KEY)
    if version is None:
        # A fresh start (a new or flushed cache) never reuses an earlier version number:
        # processes keep values of their own under it (search.index).
        cache.add(VERSION_KEY, _new_version(), None)
        version = cache.get(VERSION_KEY)
    if version is None:  # the cache is down (micic.cache): this process's own version
        version = _fallback_version[0] = _fallback_version[0] or _new_version()
    return version


# Bumped with the shared version, so that this process sees its own changes in an outage.
_fallback_version = [0]


def _new_version() -> int:
    return time.time_ns() // 1000


def bump_content_version(**kwargs) -> None:
    _bump()
    transaction.on_commit(_bump, robust=True)


def _bump() -> None:
    _fallback_version[0] = _new_version()
    try:
        cache.incr(VERSION_KEY)
    except ValueError:  # not set yet, or evicted
        cache.set(VERSION_KEY, _new_version(), None)


def _is_public(practice) -> bool:
    """Whether the public sees, or saw, this practice (the status it was loaded with)."""
    return Status.APPROVED in (practice.status, getattr(practice, "_loaded_status", None))


def practice_saved(sender, instance, **kwargs) -> None:
    if _is_public(instance):
        bump_content_version()
    instance._loaded_status = instance.status


def practice_deleted(sender, instance, **kwargs) -> None:
    if _is_public(instance):
        bump_content_version()


def tags_changed(sender, instance, action, reverse, **kwargs) -> None:
    if action.startswith("post_") and (reverse or _is_public(instance)):
        bump_content_version()


def key(kind: str, *parts, version: int | None = None) -> str:
    """A cache key for ``kind`` under the content version (the current one by default)."""
    digest = hashlib.sha256(repr(parts).encode()).hexdigest()[:32]
    version = content_version() if version is None else version
    return f"repository:{kind}:v{version}:{connection.vendor}:{digest}"


def connect() -> None:
    post_save.connect(practice_saved, sender=Practice, dispatch_uid="content-version-save")
    post_delete.connect(practice_deleted, sender=Practice, dispatch_uid="content-version-delete")
    for tag in M2M_TAGS:
        m2m_changed.connect(
            tags_changed, sender=tag.through, dispatch_uid=f"content-version-{tag.field}"
        )
    # Facets show the labels and the tree of the taxonomies.
    for model in (*(tag.model for tag in M2M_TAGS), Region):
        for signal in (post_save, post_delete):
            signal.connect(
                bump_content_version,
                sender=model,
                dispatch_uid=f"content-version-{model._meta.label_lower}-{signal is post_save}",
            )


BUILD_WAIT = 15  # seconds a process waits for another one building the same value


def get_or_build(key: str, build: Callable, timeout: int = TIMEOUT):
    """The cached value of ``key``, or ``build()``'s, built by one process at a time.

    When a value expensive to build (the facet index, a search's ranked matches) is
    missing — a new content version, a flushed cache — every worker of every server would
    build it at once. The first one to take the lock builds it; the others wait for its
    result while the lock is held, up to BUILD_WAIT seconds, then build it themselves.
    Without a shared cache (a cache that is down answers every call as a miss) nobody
    waits.
    """
    value = cache.get(key)
    if value is not None:
        return value
    lock = f"{key}:building"
    if not cache.add(lock, 1, BUILD_WAIT):
        deadline = time.monotonic() + BUILD_WAIT
        while time.monotonic() < deadline and cache.get(lock) is not None:
            time.sleep(0.05)
            value = cache.get(key)
            if value is not None:
                return value
    try:
        value = build()
        cache.set(key, value, timeout)
    finally:
        cache.delete(lock)
    return value
