"""fixtures/practices/: the content targets of the repository, counted from the files.

Every record of kind "practice" is something an actor did somewhere: located, described,
dated where the source says, and sourced. Counted here so that an edit that breaks a
target fails the suite."""

import json
import re
from collections import Counter
from pathlib import Path

import pytest

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
PHASE_OF = {
    n: "preparedness" if n <= 8 else "emergency" if n <= 13 else "post-crisis" for n in range(1, 16)
}


def records() -> list[dict]:
    found = []
    for path in sorted((FIXTURES / "practices").glob("*.json")):
        found += json.loads(path.read_text(encoding="utf-8"))
    return found


RECORDS = records()
REGION_OF = {
    row["code"]: row["region"]
    for row in json.loads((FIXTURES / "regions.json").read_text())["countries"]
}
TAXONOMY = json.loads((FIXTURES / "taxonomy.json").read_text())
LEAVES = [row["slug"] for row in TAXONOMY["stakeholders"] if row["parent"]]


def words(text: str) -> int:
    return len(re.findall(r"\w+", text or ""))


def located(record: dict) -> bool:
    """A record of kind practice that meets the bar: located, described, by whom, sourced."""
    return (
        record["kind"] == "practice"
        and bool(record["countries"])
        and words(record["body"]) >= 80
        and bool(record["organizations"].strip())
        and record["source_url"].startswith(("http://", "https://"))
    )


PRACTICES = [r for r in RECORDS if located(r)]


def test_every_record_has_a_known_kind():
    assert {r["kind"] for r in RECORDS} <= {"practice", "recommendation", "resource"}


def test_every_practice_of_kind_practice_meets_the_bar():
    short = [r["key"] for r in RECORDS if r["kind"] == "practice" and not located(r)]
    assert short == []


def test_at_least_250_located_practices():
    assert len(PRACTICES) >= 250


def test_every_guideline_has_at_least_8_located_practices():
    counts = Counter(n for r in PRACTICES for n in r["guidelines"])
    assert {n: counts[n] for n in range(1, 16) if counts[n] < 8} == {}


def test_every_stakeholder_leaf_has_at_least_3_located_practices():
    counts = Counter(s for r in PRACTICES for s in r["stakeholders"])
    assert {leaf: counts[leaf] for leaf in LEAVES if counts[leaf] < 3} == {}


def test_every_region_has_at_least_10_located_practices():
    counts = Counter(region for r in PRACTICES for region in {REGION_OF[c] for c in r["countries"]})
    regions = json.loads((FIXTURES / "regions.json").read_text())["regions"]
    assert {row["slug"]: counts[row["slug"]] for row in regions if counts[row["slug"]] < 10} == {}


def test_years_2004_to_2024_are_spread_not_clustered():
    counts = Counter(r["year"] for r in PRACTICES if r["year"])
    assert all(counts[year] for year in range(2004, 2025)), sorted(counts.items())
    in_range = sum(counts[year] for year in range(2004, 2025))
    assert max(counts.values()) <= in_range / 5  # no single year holds a fifth of them


def test_a_guideline_brings_its_phase():
    wrong = [
        (r["key"], n) for r in RECORDS for n in r["guidelines"] if PHASE_OF[n] not in r["phases"]
    ]
    assert wrong == []


def test_no_two_records_describe_the_same_action():
    titles = Counter(r["title"].strip().lower() for r in RECORDS)
    assert [t for t, n in titles.items() if n > 1] == []
    keys = Counter(r["key"] for r in RECORDS)
    assert [k for k, n in keys.items() if n > 1] == []
    same = Counter(
        (r["organizations"].strip().lower(), tuple(sorted(r["countries"])), r["year"])
        for r in PRACTICES
    )
    assert [k for k, n in same.items() if n > 1] == []


@pytest.mark.parametrize("record", PRACTICES, ids=lambda r: r["key"])
def test_a_practice_cites_its_source_and_its_years_are_ordered(record):
    assert record["source_title"].strip()
    if record["year_end"] is not None:
        assert record["year"] is not None and record["year_end"] >= record["year"]
    if record["source_date"]:
        assert re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", record["source_date"])
