"""repository/filters.py: one FilterSet, the meaning of every parameter and its errors."""

import datetime as dt

import pytest
from django.http import QueryDict
from django.utils import timezone

from repository.filters import PracticeFilterSet
from repository.models import Practice
from repository.search import PracticeSearch


def run(query: str):
    filterset = PracticeFilterSet(QueryDict(query), queryset=Practice.objects.published())
    assert filterset.is_valid(), filterset.errors
    return filterset


def keys(corpus, query: str) -> set[str]:
    by_pk = {p.pk: key for key, p in corpus.items()}
    return {by_pk[p.pk] for p in run(query).qs}


def ordered(corpus, query: str) -> list[str]:
    by_pk = {p.pk: key for key, p in corpus.items()}
    return [by_pk[pk] for pk in PracticeSearch(run(query)).ids()]


ALL = {"libya", "japan", "diaspora", "app", "hotline"}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", ALL),
        ("phase=emergency", {"libya", "app", "hotline"}),
        ("phase=emergency&phase=post-crisis", {"libya", "app", "hotline", "diaspora"}),
        ("stakeholder=state-of-origin", {"libya", "app"}),
        ("stakeholder=states", {"libya", "japan", "app"}),
        ("stakeholder=civil-society", {"diaspora", "hotline"}),
        ("stakeholder=diaspora&stakeholder=ngo", {"diaspora", "hotline"}),
        ("crisis_type=natural-disaster", {"japan", "diaspora", "app"}),
        ("guideline=13", {"libya"}),
        ("guideline=1&guideline=14", {"japan", "diaspora"}),
        ("principle=6", {"diaspora"}),
        ("country=LY", {"libya"}),
        ("country=ly", {"libya"}),
        ("country=lb&country=JP", {"hotline", "japan"}),
        ("country=FR", set()),
        ("region=middle-east-north-africa", {"libya", "hotline"}),
        ("region=asia-pacific", {"japan", "diaspora"}),
        ("year_min=2012", {"japan", "diaspora", "app"}),
        ("year_max=2012", {"libya", "japan"}),
        ("year_min=2012&year_max=2013", {"japan", "diaspora"}),
        ("phase=emergency&crisis_type=natural-disaster", {"app"}),
        ("phase=emergency&stakeholder=states&country=LY", {"libya"}),
        ("q=evacuation", {"libya", "app"}),
        ("q=evacuation&phase=preparedness", {"app"}),
        ("unknown_parameter=whatever", ALL),
    ],
)
def test_each_parameter_filters_published_practices(corpus, query, expected):
    assert keys(corpus, query) == expected


def test_unapproved_practices_never_match(corpus):
    for query in ("", "q=evacuation", "country=LY", "guideline=13", "year_min=2011"):
        assert "hidden" not in keys(corpus, query)


def test_updated_since_is_strictly_after(corpus):
    instant = timezone.now() - dt.timedelta(days=1)
    Practice.objects.filter(pk=corpus["japan"].pk).update(updated_at=instant)
    Practice.objects.exclude(pk=corpus["japan"].pk).update(
        updated_at=instant - dt.timedelta(days=5)
    )
    just_before = QueryDict(mutable=True)
    just_before["updated_since"] = (instant - dt.timedelta(seconds=1)).isoformat()
    assert keys(corpus, just_before.urlencode()) == {"japan"}
    exactly = QueryDict(mutable=True)
    exactly["updated_since"] = instant.isoformat()
    assert keys(corpus, exactly.urlencode()) == set()


def test_default_order_is_newest_first(corpus):
    assert ordered(corpus, "") == ["hotline", "app", "diaspora", "japan", "libya"]


@pytest.mark.parametrize(
    ("ordering", "expected"),
    [
        ("-published_at", ["hotline", "app", "diaspora", "japan", "libya"]),
        ("published_at", ["libya", "japan", "diaspora", "app", "hotline"]),
        ("title", ["app", "diaspora", "libya", "hotline", "japan"]),
        ("-title", ["japan", "hotline", "libya", "diaspora", "app"]),
        ("relevance", ["hotline", "app", "diaspora", "japan", "libya"]),
    ],
)
def test_orderings(corpus, ordering, expected):
    assert ordered(corpus, f"ordering={ordering}") == expected


def years_in_order(query: str) -> list:
    year = dict(Practice.objects.values_list("pk", "year"))
    return [year[pk] for pk in PracticeSearch(run(query)).ids()]


def test_year_orderings_put_unknown_years_last_both_ways(corpus):
    Practice.objects.filter(pk=corpus["app"].pk).update(year=None)
    for ordering, reverse in (("year", False), ("-year", True)):
        years = years_in_order(f"ordering={ordering}")
        known = [y for y in years if y is not None]
        assert years == known + [None] * (len(years) - len(known)), ordering
        assert known == sorted(known, reverse=reverse) and None in years


def test_relevance_is_the_default_with_q_and_ranks_title_above_body(corpus):
    assert ordered(corpus, "q=evacuation") == ["libya", "app"]
    assert ordered(corpus, "q=evacuation&ordering=relevance") == ["libya", "app"]
    assert ordered(corpus, "q=evacuation&ordering=published_at") == ["libya", "app"]
    assert ordered(corpus, "q=evacuation&ordering=-published_at") == ["app", "libya"]


@pytest.mark.parametrize(
    ("query", "parameter", "message"),
    [
        ("phase=wartime", "phase", "“wartime” is not a known phase."),
        ("stakeholder=aliens", "stakeholder", "“aliens” is not a known stakeholder."),
        ("crisis_type=meteor", "crisis_type", "“meteor” is not a known crisis type."),
        ("guideline=16", "guideline", "“16” is not a known guideline number."),
        ("guideline=abc", "guideline", "“abc” is not a known guideline number."),
        ("principle=0", "principle", "“0” is not a known principle number."),
        ("country=XX", "country", "“XX” is not a known ISO 3166-1 alpha-2 country code."),
        ("country=FRA", "country", "“FRA” is not a known ISO 3166-1 alpha-2 country code."),
        ("region=atlantis", "region", "“atlantis” is not a known region."),
        ("year_min=twenty", "year_min", "Enter a whole number."),
        ("year_max=2020.5", "year_max", "Enter a whole number."),
        ("updated_since=yesterday", "updated_since", "Enter a valid date/time."),
        ("updated_since=0001-01-01T00:00:00%2B14:00", "updated_since", "between the years 1"),
        ("ordering=random", "ordering", "“random” is not a known ordering."),
        ("facets=colour", "facets", "Unknown facet “colour”."),
        ("q=" + "x" * 501, "q", "at most 500 characters"),
    ],
)
def test_bad_values_are_errors_naming_the_parameter(corpus, query, parameter, message):
    filterset = PracticeFilterSet(QueryDict(query), queryset=Practice.objects.published())
    assert not filterset.is_valid()
    assert list(filterset.errors) == [parameter]
    assert message in " ".join(filterset.errors[parameter])


def test_one_bad_value_among_good_ones_is_still_an_error(corpus):
    filterset = PracticeFilterSet(
        QueryDict("phase=emergency&phase=wartime"), queryset=Practice.objects.published()
    )
    assert not filterset.is_valid()
    assert "“wartime”" in filterset.errors["phase"][0]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("", []),
        ("phase", ["phase"]),
        ("phase,stakeholder,phase", ["phase", "stakeholder"]),
        (
            "all",
            [
                "phase",
                "stakeholder",
                "crisis_type",
                "guideline",
                "principle",
                "country",
                "region",
                "year",
                "kind",
            ],
        ),
    ],
)
def test_facet_names(corpus, value, expected):
    assert run(f"facets={value}").form.cleaned_data["facets"] == expected
