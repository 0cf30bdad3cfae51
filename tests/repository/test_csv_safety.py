"""repository/csv_safety.py: cells a spreadsheet would run as formulas, in every CSV."""

import csv
import io

import pytest

from repository.csv_safety import safe_cell
from tests.factories import make_practice


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+1 555", "'+1 555"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tindented", "'\tindented"),
        ("\rreturn", "'\rreturn"),
        ("Plain title", "Plain title"),
        ("a=b", "a=b"),
        ("", ""),
        (2011, 2011),
        (None, None),
    ],
)
def test_safe_cell(value, expected):
    assert safe_cell(value) == expected


@pytest.mark.django_db
def test_the_api_csv_neutralises_formulas(client):
    practice = make_practice(
        title="=cmd|' /C calc'!A0", summary="@risk of flooding", organizations="-NGO-"
    )
    response = client.get("/api/v1/practices/?format=csv&q=flooding&kind=practice")
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    row = next(r for r in rows if r["id"] == str(practice.pk))
    assert row["title"] == "'=cmd|' /C calc'!A0"
    assert row["summary"] == "'@risk of flooding"
    assert row["organizations"] == "'-NGO-"
