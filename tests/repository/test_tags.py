"""repository/models/tags.py: the one registry of tag dimensions; every consumer derives
its list of tags from it."""

import pytest
from django.http import QueryDict

from repository import content, transfer, workflow
from repository.api import exports
from repository.filters import PracticeFilterSet
from repository.listing import CHIP_SOURCES
from repository.models import Practice
from repository.models.tags import BY_PARAM, M2M_FIELDS, TAGS
from repository.search import FACET_NAMES, PracticeSearch
from repository.search.index import TagIndex
from tests import factories

pytestmark = pytest.mark.django_db


def test_every_consumer_lists_exactly_the_registry():
    fields = set(M2M_FIELDS)
    assert set(content.PRACTICE_TAGS) == fields
    assert set(transfer.TAGS) == fields
    assert set(factories.TAGS) == fields
    assert set(workflow.TAG_FIELDS) == fields
    assert set(exports.TAG_VALUES) == fields
    assert {tag.param for tag in TAGS if tag.many} <= set(CHIP_SOURCES)
    params = {tag.param for tag in TAGS}
    assert params <= set(PracticeFilterSet.base_filters)
    assert params <= set(FACET_NAMES)
    assert params <= set(TagIndex.build().facets)


def test_every_m2m_tag_is_a_field_of_practice_with_its_natural_key():
    for tag in TAGS:
        field = Practice._meta.get_field(tag.field)
        if tag.many:
            assert field.many_to_many and field.related_model is tag.model
            tag.model._meta.get_field(tag.key)
        else:
            assert set(dict(field.choices)) == set(tag.choices.values)


def test_kind_is_a_filter_and_a_facet(db):
    from tests.factories import make_practice

    Practice.objects.all().delete()
    make_practice(title="Done somewhere", kind="practice")
    make_practice(title="Suggested", kind="recommendation")
    filterset = PracticeFilterSet(
        QueryDict("kind=practice&facets=kind"), queryset=Practice.objects.published()
    )
    assert filterset.is_valid(), filterset.errors
    search = PracticeSearch(filterset)
    assert [p.title for p in search.rows(0, 10)] == ["Done somewhere"]
    counts = {item["value"]: item["count"] for item in search.facets()["kind"]}
    assert counts == {"practice": 1, "recommendation": 1}  # disjunctive: its own filter off
    bad = PracticeFilterSet(QueryDict("kind=rumour"), queryset=Practice.objects.published())
    assert not bad.is_valid() and "kind" in bad.errors


def test_country_keys_are_upper_case_and_normalised():
    assert BY_PARAM["country"].normalize("tr") == "TR"
    assert BY_PARAM["phase"].normalize("Emergency") == "Emergency"
