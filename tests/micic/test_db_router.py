"""micic/db_router.py: reads to the replica outside transactions, everything else to the primary."""

import pytest
from django.db import transaction

from micic.db_router import ReplicaRouter
from repository.models import Practice


@pytest.fixture
def router():
    return ReplicaRouter()


@pytest.mark.django_db(transaction=True)
def test_reads_outside_a_transaction_go_to_the_replica(router):
    assert router.db_for_read(Practice) == "replica"


@pytest.mark.django_db(transaction=True)
def test_reads_inside_a_transaction_stay_on_the_primary(router):
    with transaction.atomic():
        assert router.db_for_read(Practice) == "default"
    assert router.db_for_read(Practice) == "replica"


def test_writes_relations_and_migrations_are_on_the_primary(router):
    assert router.db_for_write(Practice) == "default"
    assert router.allow_relation(Practice(), Practice()) is True
    assert router.allow_migrate("default", "repository") is True
    assert router.allow_migrate("replica", "repository") is False
