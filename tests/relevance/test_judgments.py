"""tests/relevance/judgments.json: a list a domain expert can keep, that the suite can trust."""

import json
from collections import Counter

import pytest

from repository.content import FIXTURES_DIR
from repository.filters import PracticeFilterSet
from repository.models import Practice
from tests.relevance.scoring import load_judgments, query_dict

JUDGMENTS = load_judgments()
CLASSES = {"topic", "actor", "stakeholder", "place", "programme", "filtered"}


def fixture_keys() -> set[str]:
    return {
        row["key"]
        for path in (FIXTURES_DIR / "practices").glob("*.json")
        for row in json.loads(path.read_text(encoding="utf-8"))
    }


def test_enough_queries_of_every_class_and_language():
    assert len(JUDGMENTS) >= 60
    languages = Counter(entry["lang"] for entry in JUDGMENTS)
    assert all(languages[lang] >= 4 for lang in ("fr", "es", "ar")), languages
    assert {entry["class"] for entry in JUDGMENTS} == CLASSES
    assert sum(1 for entry in JUDGMENTS if entry.get("filters")) >= 5


def test_queries_are_distinct():
    seen = Counter(
        (entry["q"], json.dumps(entry.get("filters"), sort_keys=True)) for entry in JUDGMENTS
    )
    assert [query for query, count in seen.items() if count > 1] == []


def test_every_judged_record_is_in_the_fixtures_and_graded_1_or_2():
    keys = fixture_keys()
    for entry in JUDGMENTS:
        assert entry["judgments"], entry["q"]
        assert set(entry["judgments"]) <= keys, (entry["q"], set(entry["judgments"]) - keys)
        assert set(entry["judgments"].values()) <= {1, 2}, entry["q"]
        assert 2 in entry["judgments"].values(), f"{entry['q']}: nothing must be in the top 3"


@pytest.mark.django_db
@pytest.mark.parametrize("entry", JUDGMENTS, ids=lambda entry: entry["q"])
def test_judged_records_are_published_and_the_filters_valid(entry):
    filterset = PracticeFilterSet(query_dict(entry), queryset=Practice.objects.published())
    assert filterset.is_valid(), filterset.errors
    published = Practice.objects.published().filter(content_key__in=entry["judgments"])
    assert published.count() == len(entry["judgments"])
    if entry.get("filters"):
        # A record judged for a filtered query is one the filters (without q) let through.
        filters = PracticeFilterSet(
            query_dict({**entry, "q": ""}), queryset=Practice.objects.published()
        )
        allowed = filters.qs.filter(content_key__in=entry["judgments"])
        assert set(allowed.values_list("content_key", flat=True)) == set(entry["judgments"])
