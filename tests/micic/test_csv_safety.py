"""micic/csv_safety.py: formula-safe CSV cells."""

import csv
import io

import pytest

from micic.csv_safety import formula_safe, writer


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ('=HYPERLINK("http://x","y")', '\'=HYPERLINK("http://x","y")'),
        ("+SUM(1+1)*cmd|' /C calc'!A0", "'+SUM(1+1)*cmd|' /C calc'!A0"),
        ("@SUM(1)", "'@SUM(1)"),
        ("-1+2", "'-1+2"),
        ("\tindented", "'\tindented"),
        ("\rreturn", "'\rreturn"),
        ("Plain text = fine", "Plain text = fine"),
        ("", ""),
        (-3, -3),
        (2020, 2020),
        (None, None),
    ],
)
def test_formula_safe(value, written):
    assert formula_safe(value) == written


def test_writer_makes_every_cell_safe_and_reads_back_as_text():
    buffer = io.StringIO()
    out = writer(buffer)
    out.writerow(["title", "year"])
    out.writerows([["=1+1", 2020], ["ok", -5]])
    assert list(csv.reader(io.StringIO(buffer.getvalue()))) == [
        ["title", "year"],
        ["'=1+1", "2020"],
        ["ok", "-5"],
    ]
