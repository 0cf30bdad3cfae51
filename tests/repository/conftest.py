import datetime as dt

import pytest
from django.utils import timezone

from repository.models import Practice, Status
from tests.factories import make_practice


@pytest.fixture
def corpus(db):
    """A small, fully known set of practices instead of the real content."""
    Practice.objects.all().delete()
    base = timezone.now() - dt.timedelta(days=30)
    specs = {
        "libya": dict(
            title="Evacuation of migrant workers from Libya",
            summary="Charter flights moved stranded workers home from the border.",
            phases=["emergency"],
            stakeholders=["state-of-origin", "international-organization"],
            crisis_types=["conflict"],
            guidelines=[13],
            countries=["LY", "EG"],
            year=2011,
        ),
        "japan": dict(
            title="Multilingual earthquake alerts in Japan",
            summary="Early warnings sent by text message in twelve languages to foreign residents.",
            phases=["preparedness"],
            stakeholders=["local-authority"],
            crisis_types=["natural-disaster"],
            guidelines=[1, 6],
            countries=["JP"],
            year=2012,
        ),
        "diaspora": dict(
            title="Diaspora fund for rebuilding homes",
            summary="Associations abroad pooled money to rebuild houses after the floods.",
            phases=["post-crisis"],
            stakeholders=["diaspora"],
            crisis_types=["natural-disaster"],
            guidelines=[14, 15],
            principles=[6],
            countries=["PH"],
            year=2013,
        ),
        "app": dict(
            title="Consular registration app",
            summary="Nationals abroad register so that consulates can reach them.",
            body="The app also carries evacuation notices during emergencies.",
            phases=["preparedness", "emergency"],
            stakeholders=["state-of-origin"],
            crisis_types=["conflict", "natural-disaster"],
            guidelines=[2, 9],
            year=2018,
        ),
        "hotline": dict(
            title="Hotline for domestic workers",
            summary="A hotline run by an NGO refers domestic workers to shelters.",
            phases=["emergency"],
            stakeholders=["ngo"],
            crisis_types=["conflict"],
            guidelines=[12],
            countries=["LB"],
        ),
    }
    practices = {}
    for i, (key, spec) in enumerate(specs.items()):
        practices[key] = make_practice(published_at=base + dt.timedelta(days=i), **spec)
    practices["hidden"] = make_practice(
        status=Status.SUBMITTED,
        title="Evacuation plan still under review",
        summary="Not yet approved: evacuation of workers from Libya.",
        phases=["emergency"],
        stakeholders=["state-of-origin"],
        guidelines=[13],
        countries=["LY"],
        year=2011,
    )
    return practices
