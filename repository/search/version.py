"""Caching of derived data (facet index and counts, result pages) under a content version.

Every change to published content — a practice that is or was approved, its tags, a
taxonomy — bumps the version, so cached values of the old version are never read again:
a publication, edit or withdrawal shows at once. Changes the public cannot see
(submissions, moderation of unpublished practices) keep the cache. The version is bumped
at the change and again when its transaction commits, so a value computed in between
from the old rows is dropped too. The cache is Django's default one (Redis in
production, shared by all app servers); the committed version is also kept in the
database (ContentVersion), which every process reads, at most once a second, while Redis
is down: all workers then agree on the version, and counts are never staler than that.
"""

import hashlib
import time
from collections.abc import Callable

from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import F, Value
from django.db.models.functions import Greatest
from django.db.models.signals import m2m_changed, post_delete, post_save

from ..models import ContentVersion, Practice, Region, Status
from ..models.tags import M2M_TAGS

VERSION_KEY = "repository:content-version"
TIMEOUT = 600
# While the shared cache is down, each process reads the version from the database at most
# this often: counts and pages are never staler than that on any worker.
DATABASE_READ_SECONDS = 1.0


def content_version() -> int:
    """The current content version: the shared cache's, or the database's while it is down."""
    version = cache.get(VERSION_KEY)
    if version is not None:
        if _state["was_down"]:
            version = _after_outage(version)
        return version
    if cache_unavailable():
        _state["was_down"] = True
        return _database_version(max_age=DATABASE_READ_SECONDS)
    # A fresh or flushed cache: the version of the content as committed.
    version = _database_version(max_age=0)
    cache.add(VERSION_KEY, version, None)
    return cache.get(VERSION_KEY) or version


def cache_unavailable() -> bool:
    """Whether the shared cache failed just now (micic.cache.FailSoftRedisCache)."""
    unavailable = getattr(cache, "unavailable", None)
    return bool(unavailable and unavailable())


# This process's copy of the database's version, and whether it read it during an outage.
_state = {"version": None, "read_at": 0.0, "was_down": False}


def _database_version(max_age: float) -> int:
    if _state["version"] is None or time.monotonic() - _state["read_at"] >= max_age:
        version = ContentVersion.objects.values_list("version", flat=True).filter(pk=1).first()
        if version is None:  # a flushed database (tests): a version nothing holds yet
            version, _ = ContentVersion.objects.get_or_create(
                pk=1, defaults={"version": _new_version()}
            )
            version = version.version
        _remember(version)
    return _state["version"]


def _remember(version: int) -> None:
    _state.update(version=version, read_at=time.monotonic())


def _after_outage(version: int) -> int:
    """The cache is back: if it missed changes committed meanwhile, it learns them now."""
    _state["was_down"] = False
    committed = _database_version(max_age=0)
    if committed > version:
        cache.set(VERSION_KEY, committed, None)
        return committed
    return version


def _new_version() -> int:
    return time.time_ns() // 1000


def bump_content_version(**kwargs) -> None:
    """A change to published content: a new version now, and again once it is committed.

    Values computed from the old rows between the change and its commit are stored under
    the first version, and never read after the second. Only the second is written to the
    database, which other processes read while the cache is down.
    """
    try:
        _remember(cache.incr(VERSION_KEY))
    except ValueError:  # not set yet, evicted, or the cache is down
        version = _new_version()
        cache.set(VERSION_KEY, version, None)
        _remember(version)
    transaction.on_commit(_bump_committed, robust=True)


def _bump_committed() -> None:

    latest = Greatest(F("version") + 1, Value(_new_version()))
    if not ContentVersion.objects.filter(pk=1).update(version=latest):
        ContentVersion.objects.get_or_create(pk=1, defaults={"version": _new_version()})
    version = ContentVersion.objects.values_list("version", flat=True).get(pk=1)
    _remember(version)
    cache.set(VERSION_KEY, version, None)


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
