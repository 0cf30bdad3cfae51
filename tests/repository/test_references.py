"""repository/references.py: references without look-alike characters, found in any case."""

import re

from repository import references

FORMAT = re.compile(r"^P-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$")


def test_new_references_use_no_look_alike_characters():
    issued = {references.new() for _ in range(500)}
    assert len(issued) == 500
    for reference in issued:
        assert FORMAT.match(reference), reference
        assert not set(reference[2:]) & set("ILOU")
        assert reference == reference.upper()


def test_a_reference_typed_in_any_case_with_look_alikes_is_the_one_issued():
    issued = "P-7KQ4-M2XD-91RB"
    for typed in (
        issued,
        issued.lower(),
        "p 7kq4 m2xd 91rb",
        "7KQ4M2XD91RB",  # without the prefix
        "P-7KQ4-M2XD-9lRB",  # l for 1
        "P-7KQ4-M2XD-9IRB",  # I for 1
        " P7KQ4-M2XD-91RB ",
    ):
        assert references.canonical(typed) == issued, typed
    issued_with_zero = "P-0000-M2XD-91RB"
    assert references.canonical("p-oooo-m2xd-91rb") == issued_with_zero


def test_text_that_cannot_be_a_reference_is_none():
    for typed in ("", "P-", "P-7KQ4-M2XD", "P-7KQ4-M2XD-91RB-1", "P-7KQ4-M2XD-91R!"):
        assert references.canonical(typed) is None, typed
