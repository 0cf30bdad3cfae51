"""Submission references: what a submitter types to follow a submission.

Crockford's base 32 (digits and capitals without I, L, O and U): no two characters look
alike, and a reference read aloud, copied by hand or typed in any case still finds its
submission. Twelve random characters (60 bits) in groups of four: P-7KQ4-M2XD-9RTB.
"""

import re
import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
LENGTH = 12
PREFIX = "P"
# What people type for the characters the alphabet leaves out.
LOOK_ALIKES = str.maketrans({"O": "0", "I": "1", "L": "1"})


def new() -> str:
    """A fresh, unguessable reference."""
    code = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
    return _format(code)


def canonical(text: str) -> str | None:
    """The reference as issued, from what someone typed (any case, spaces, dashes, O for 0,
    I or L for 1); None when it cannot be one."""
    code = re.sub(r"[\s\-_.]", "", text.upper())
    if len(code) == LENGTH + len(PREFIX) and code.startswith(PREFIX):
        code = code[len(PREFIX) :]
    code = code.translate(LOOK_ALIKES)
    if len(code) != LENGTH or any(char not in ALPHABET for char in code):
        return None
    return _format(code)


def _format(code: str) -> str:
    return f"{PREFIX}-{code[0:4]}-{code[4:8]}-{code[8:12]}"
