"""repository/search/ facets and index: disjunctive counts, parents with children, selected
values."""

import pytest
from django.http import QueryDict

from repository.filters import PracticeFilterSet
from repository.models import Practice
from repository.search import FACET_NAMES, PracticeSearch


def facets_for(query: str, names=FACET_NAMES):
    filterset = PracticeFilterSet(QueryDict(query), queryset=Practice.objects.published())
    assert filterset.is_valid(), filterset.errors
    return PracticeSearch(filterset).facets(names)


def counts(facet):
    return {item["value"]: item["count"] for item in facet}


def count_of(query: str) -> int:
    filterset = PracticeFilterSet(QueryDict(query), queryset=Practice.objects.published())
    assert filterset.is_valid()
    return filterset.qs.count()


def test_counts_without_filters(corpus):
    facets = facets_for("")
    assert counts(facets["phase"]) == {"preparedness": 2, "emergency": 3, "post-crisis": 1}
    assert counts(facets["crisis_type"]) == {"conflict": 3, "natural-disaster": 3}
    assert counts(facets["guideline"]) == {1: 1, 2: 1, 6: 1, 9: 1, 12: 1, 13: 1, 14: 1, 15: 1}
    assert counts(facets["principle"]) == {6: 1}
    assert counts(facets["country"]) == {"LY": 1, "EG": 1, "JP": 1, "PH": 1, "LB": 1}
    assert counts(facets["region"]) == {"middle-east-north-africa": 2, "asia-pacific": 2}
    assert counts(facets["year"]) == {2018: 1, 2013: 1, 2012: 1, 2011: 1}


def test_unapproved_practices_are_not_counted(corpus):
    # The hidden practice is emergency / state of origin / Libya / 2011.
    facets = facets_for("")
    assert counts(facets["country"])["LY"] == 1
    assert counts(facets["year"])[2011] == 1


def test_a_facet_ignores_its_own_filter_but_applies_the_others(corpus):
    facets = facets_for("phase=emergency&crisis_type=conflict")
    # phase counts: crisis_type=conflict applied, phase filter not.
    assert counts(facets["phase"]) == {"preparedness": 1, "emergency": 3}
    # crisis_type counts: phase=emergency applied, crisis_type filter not.
    assert counts(facets["crisis_type"]) == {"conflict": 3, "natural-disaster": 1}
    # other facets: both filters applied.
    assert counts(facets["stakeholder"])["ngo"] == 1
    assert "diaspora" not in counts(facets["stakeholder"])


def test_selected_values_are_marked_and_kept_at_zero(corpus):
    facets = facets_for("phase=post-crisis&crisis_type=conflict")
    phase = {item["value"]: item for item in facets["phase"]}
    assert phase["post-crisis"]["selected"] is True
    assert phase["post-crisis"]["count"] == 0
    assert phase["emergency"]["selected"] is False
    # No post-crisis practice is about conflict: still listed, because it is selected.
    assert [i for i in facets["crisis_type"] if i["selected"]] == [
        {"value": "conflict", "label": "Conflict", "count": 0, "selected": True}
    ]


def test_zero_counts_are_omitted_unless_selected(corpus):
    facets = facets_for("")
    assert "health-emergency" not in counts(facets["crisis_type"])
    assert all(item["count"] > 0 for facet in facets.values() for item in facet)


def test_practice_counts_once_per_value_with_many_tags(corpus):
    # "app" has two phases and two crisis types; each value counts it once.
    facets = facets_for("q=consular")
    assert counts(facets["phase"]) == {"preparedness": 1, "emergency": 1}
    assert counts(facets["crisis_type"]) == {"conflict": 1, "natural-disaster": 1}


def test_parent_stakeholder_counts_children_once_and_matches_its_filter(corpus):
    stakeholder = {item["value"]: item for item in facets_for("")["stakeholder"]}
    # libya (state of origin), japan (local authority), app (state of origin).
    assert stakeholder["states"]["count"] == 3 == count_of("stakeholder=states")
    assert stakeholder["state-of-origin"]["count"] == 2
    assert stakeholder["state-of-origin"]["parent"] == "states"
    assert stakeholder["states"]["parent"] is None
    assert stakeholder["civil-society"]["count"] == 2 == count_of("stakeholder=civil-society")
    for value, item in stakeholder.items():
        assert item["count"] == count_of(f"stakeholder={value}"), value


def test_every_facet_value_count_matches_filtering_by_it(corpus):
    facets = facets_for("crisis_type=natural-disaster")
    for name in ("phase", "stakeholder", "guideline", "country", "region"):
        for item in facets[name]:
            query = f"crisis_type=natural-disaster&{name}={item['value']}"
            assert item["count"] == count_of(query), (name, item)


def test_search_applies_to_every_facet(corpus):
    facets = facets_for("q=evacuation")
    assert counts(facets["phase"]) == {"emergency": 2, "preparedness": 1}
    assert counts(facets["country"]) == {"LY": 1, "EG": 1}


def test_year_facet_marks_years_in_the_selected_range(corpus):
    year = {item["value"]: item for item in facets_for("year_min=2012&year_max=2013")["year"]}
    assert year[2012]["selected"] and year[2013]["selected"]
    assert not year[2011]["selected"]
    # The year facet ignores its own bounds.
    assert set(year) == {2011, 2012, 2013, 2018}


def test_facet_values_have_labels(corpus):
    facets = facets_for("")
    assert {"value": 13, "label": "Relocate and evacuate migrants when needed", "count": 1,
            "selected": False} in facets["guideline"]  # fmt: skip
    assert {"value": "JP", "label": "Japan", "count": 1, "selected": False} in facets["country"]


@pytest.mark.parametrize("names", [["phase"], ["year", "region"]])
def test_only_requested_facets_are_computed(corpus, names):
    assert list(facets_for("", names)) == names


# The bitset index against the filters themselves, on the real MICIC content -------------

REAL_QUERIES = [
    "",
    "q=evacuation",
    "q=consular or embassy",
    "phase=emergency&stakeholder=states",
    "q=migrants&crisis_type=conflict&region=middle-east-north-africa",
    "guideline=3&guideline=13&year_min=2005",
    "country=lb&country=LY&stakeholder=civil-society",
    "principle=1&stakeholder=host-state&stakeholder=ngo",
    "updated_since=2000-01-01T00:00:00Z&phase=preparedness",
    "year_min=2010&year_max=2015&crisis_type=natural-disaster",
]
OWN = {"year": ("year_min", "year_max")}
db = pytest.mark.django_db


def with_value(query: str, name: str, value) -> str:
    """The query with a facet's own parameters replaced by this one value."""
    data = QueryDict(query, mutable=True)
    for own in OWN.get(name, (name,)):
        data.pop(own, None)
    if name == "year":
        data["year_min"] = data["year_max"] = value
    else:
        data[name] = value
    return data.urlencode()


@db
@pytest.mark.parametrize("query", REAL_QUERIES)
def test_every_count_is_the_count_of_filtering_by_that_value(query):
    facets = facets_for(query)
    for name, items in facets.items():
        for item in items:
            assert item["count"] == count_of(with_value(query, name, item["value"])), (name, item)


@db
@pytest.mark.parametrize("query", REAL_QUERIES)
def test_no_value_with_practices_is_left_out(query):
    from guidelines.models import Phase
    from repository.models import CrisisType, Region, Stakeholder

    facets = facets_for(query)
    models = {
        "phase": Phase,
        "crisis_type": CrisisType,
        "region": Region,
        "stakeholder": Stakeholder,
    }
    for name, model in models.items():
        listed = {item["value"] for item in facets[name]}
        for slug in model.objects.values_list("slug", flat=True):
            if slug not in listed:
                assert count_of(with_value(query, name, slug)) == 0, (name, slug)


@db
@pytest.mark.parametrize("query", REAL_QUERIES)
def test_the_result_count_is_the_filtered_count(query):
    filterset = PracticeFilterSet(QueryDict(query), queryset=Practice.objects.published())
    assert filterset.is_valid(), filterset.errors
    assert PracticeSearch(filterset).count == filterset.qs.count() > 0


def test_bitset_holds_exactly_its_ids():
    from repository.search.index import bitset

    ids = [0, 1, 7, 8, 9, 1000, 123457]
    members = bitset(ids)
    assert members.bit_count() == len(ids)
    assert [i for i in range(members.bit_length()) if members >> i & 1] == ids
    assert bitset([]) == 0


@db
def test_index_is_built_once_per_content_version(django_assert_num_queries):
    from repository.search import index as facets

    first = facets.tag_index()
    with django_assert_num_queries(0):
        assert facets.tag_index() is first
    facets._local = ("", None)  # another worker: takes it from the shared cache
    with django_assert_num_queries(0):
        assert facets.tag_index().published == first.published
    Practice.objects.published().first().save()
    assert facets.tag_index() is not first


@db
def test_index_build_costs_the_same_queries_whatever_the_content(django_assert_num_queries):
    from repository.search.index import TagIndex
    from tests.factories import make_practice

    with django_assert_num_queries(17):
        TagIndex.build()
    for _ in range(5):
        make_practice(countries=["LY", "JP"], principles=[1, 2], year=2001)
    with django_assert_num_queries(17):
        TagIndex.build()


@db
def test_a_new_worker_loads_the_index_before_its_first_request(django_assert_num_queries):
    """gunicorn.conf.py's post_worker_init: a recycled worker reads the index from the
    shared cache (or builds it) before it takes requests, never on a request's time."""
    import runpy
    from pathlib import Path

    from repository.search import index as facets

    built = facets.tag_index()
    facets._local = ("", None)  # a worker restarted by max_requests
    hooks = runpy.run_path(str(Path(__file__).resolve().parents[3] / "gunicorn.conf.py"))
    with django_assert_num_queries(0):  # from the shared cache, in one read
        hooks["post_worker_init"](None)
    assert facets._local[1].published == built.published
    with django_assert_num_queries(0):
        facets.tag_index()
