"""repository/maps.py and its shapes (static/map/countries.json, from tools/map/)."""

import json

import pytest
from django.conf import settings
from django.http import QueryDict

from repository.filters import PracticeFilterSet
from repository.maps import COMPACT, DETAIL, SHAPES, shapes, world_map
from repository.models import Practice
from repository.search import PracticeSearch
from tests.factories import make_practice


def test_the_shapes_are_keyed_by_the_iso_codes_of_the_regions_and_light():
    codes = {
        c["code"]
        for c in json.loads((settings.BASE_DIR / "fixtures/regions.json").read_text())["countries"]
    }
    data = shapes()
    for level in (DETAIL, COMPACT):
        assert set(data[level]) - {""} <= codes
        assert len(set(data[level]) - {""}) > 220
    assert set(data["dots"]) <= codes
    assert SHAPES.stat().st_size < 300_000
    assert data["viewBox"] == "0 0 1000 485"


def search(query=""):
    filterset = PracticeFilterSet(QueryDict(query), queryset=Practice.objects.published())
    assert filterset.is_valid()
    return PracticeSearch(filterset)


@pytest.mark.django_db
def test_each_country_counts_the_search_filtered_by_it(corpus):
    make_practice(countries=["SG"], crisis_types=["conflict"])  # small: a dot
    found = world_map(search("crisis_type=conflict"), COMPACT)
    counts = {country.code: country.count for country in found.countries}
    assert counts == {"LY": 1, "EG": 1, "LB": 1, "SG": 1}
    for country in found.countries:
        assert search(country.query).count == country.count
        assert "crisis_type=conflict" in country.query
        assert country.level == 1
    singapore = next(c for c in found.countries if c.code == "SG")
    assert singapore.dot is not None
    assert singapore.label == "Singapore: 1 practice"
    # Every other shape is in the one background path.
    assert shapes()[COMPACT]["JP"] in found.background
    assert shapes()[COMPACT]["LY"] not in found.background
