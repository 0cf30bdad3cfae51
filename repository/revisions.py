"""What changed in a practice between two moments: recorded on a moderation event when the
submitter sends a revision or a moderator edits, and shown to moderators as a diff."""

import difflib
import re

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from .forms import PRACTICE_FIELDS
from .models import Practice
from .workflow import TAG_FIELDS

# The practice's own fields a submitter or moderator writes, tags aside.
TEXT_FIELDS = tuple(name for name in PRACTICE_FIELDS if name not in TAG_FIELDS)


def snapshot(practice: Practice) -> dict:
    """The practice's content as plain values: text fields, and tags by name."""
    data = {name: getattr(practice, name) for name in TEXT_FIELDS}
    for name in TAG_FIELDS:
        data[name] = sorted(str(tag) for tag in getattr(practice, name).all())
    return data


def changes(before: dict, after: dict) -> dict:
    """{field: [before, after]} for every field whose value differs."""
    return {
        name: [before.get(name), after.get(name)]
        for name in (*TEXT_FIELDS, *TAG_FIELDS)
        if before.get(name) != after.get(name)
    }


def _words(text) -> list[str]:
    return re.findall(r"\S+\s*", "" if text is None else str(text))


def word_diff(before, after) -> SafeString:
    """Escaped text with removed words in <del> and added words in <ins>."""
    old, new = _words(before), _words(after)
    parts = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        if op == "equal":
            parts.append(escape("".join(old[i1:i2])))
            continue
        if i2 > i1:
            parts.append(f"<del>{escape(''.join(old[i1:i2]))}</del>")
        if j2 > j1:
            parts.append(f"<ins>{escape(''.join(new[j1:j2]))}</ins>")
    return mark_safe("".join(parts))  # noqa: S308 - every piece of text is escaped


def rows(recorded: dict) -> list[dict]:
    """One row per changed field, for the review page: its label and the change."""
    result = []
    for name, (before, after) in recorded.items():
        field = Practice._meta.get_field(name)
        row = {"name": name, "label": field.verbose_name}
        if name in TAG_FIELDS:
            row["removed"] = [tag for tag in before or [] if tag not in (after or [])]
            row["added"] = [tag for tag in after or [] if tag not in (before or [])]
        else:
            row["diff"] = word_diff(before, after)
        result.append(row)
    return result
