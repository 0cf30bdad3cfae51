"""Small default-filling builders for test data. The real content is in fixtures/."""

import itertools

from django.utils import timezone

from repository.models import ApiToken, Practice, Status
from repository.models.tags import natural_keys
from repository.search.indexing import batch

_counter = itertools.count(1)

TAGS = natural_keys()


def make_practice(
    *,
    status: str = Status.APPROVED,
    phases=("emergency",),
    stakeholders=("host-state",),
    crisis_types=("conflict",),
    guidelines=(11,),
    principles=(),
    countries=(),
    **fields,
) -> Practice:
    """A practice with every required field filled; tags are given by slug, number or code."""
    n = next(_counter)
    fields.setdefault("title", f"Test practice {n}")
    fields.setdefault("summary", f"Summary of test practice {n}.")
    fields.setdefault("source_title", "Test source")
    if status == Status.APPROVED:
        fields.setdefault("published_at", timezone.now())
    with batch():  # indexed once, with its tags, like any bulk writer
        return _create(
            status, fields, phases, stakeholders, crisis_types, guidelines, principles, countries
        )


def _create(status, fields, phases, stakeholders, crisis_types, guidelines, principles, countries):
    practice = Practice.objects.create(status=status, **fields)
    tags = {
        "phases": phases,
        "stakeholders": stakeholders,
        "crisis_types": crisis_types,
        "guidelines": guidelines,
        "principles": principles,
        "countries": countries,
    }
    for name, values in tags.items():
        model, lookup = TAGS[name]
        objs = list(model.objects.filter(**{f"{lookup}__in": values}))
        assert len(objs) == len(set(values)), f"unknown {name} in {values}"
        getattr(practice, name).set(objs)
    return practice


def make_token(user, **fields) -> str:
    """An API token for ``user``; returns its key (the database keeps only its digest)."""
    return ApiToken.objects.issue(user=user, **fields)[1]
