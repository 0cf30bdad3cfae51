"""Keeping the search index current: every saved practice or tag change is re-indexed.

Indexing is immediate (inside the caller's transaction, so it commits or rolls back with
it). Bulk writers wrap their work in ``batch()``: changes are collected and indexed once
when the outermost batch ends.
"""

import threading
from contextlib import contextmanager

from django.db.models.signals import m2m_changed, post_delete, post_save

from ..models import Practice
from ..models.tags import M2M_TAGS

_state = threading.local()


def _pending():
    return getattr(_state, "pending", None)


@contextmanager
def batch():
    """Collect practices changed inside the block; index them once at the end."""
    outer = _pending() is None
    if outer:
        _state.pending = set()
    try:
        yield
        if outer and _state.pending:
            from . import reindex

            reindex(sorted(_state.pending))
    finally:
        if outer:
            _state.pending = None


def schedule(practice_id: int) -> None:
    pending = _pending()
    if pending is not None:
        pending.add(practice_id)
    else:
        from . import reindex

        reindex([practice_id])


def _practice_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        schedule(instance.pk)


def _tags_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if not reverse:
        schedule(instance.pk)
    elif pk_set:
        for pk in pk_set:
            schedule(pk)


def _practice_deleted(sender, instance, **kwargs):
    from .engine import backend

    backend().remove([instance.pk])


def connect() -> None:
    post_save.connect(_practice_saved, sender=Practice, dispatch_uid="search-practice-saved")
    post_delete.connect(_practice_deleted, sender=Practice, dispatch_uid="search-practice-deleted")
    for tag in M2M_TAGS:
        m2m_changed.connect(_tags_changed, sender=tag.through, dispatch_uid=f"search-{tag.field}")
