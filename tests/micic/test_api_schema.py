"""The OpenAPI schema validates, and the API behaves as it says: schemathesis, in-process
through the WSGI application, over every operation of /api/schema/.
"""

import io
import os

import pytest
import schemathesis
from django.core import signals
from django.core.management import call_command
from django.db import close_old_connections
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis.errors import Unsatisfiable
from schemathesis.checks import not_a_server_error
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from micic.wsgi import application

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
# Deeper: MICIC_API_FUZZ_EXAMPLES=500 .venv/bin/python -m pytest tests/micic/test_api_schema.py
EXAMPLES = int(os.environ.get("MICIC_API_FUZZ_EXAMPLES", "40"))


@pytest.fixture
def wsgi_in_the_test_transaction():
    """Requests through the WSGI app keep the test's database connection, as the test
    client's do: request_started/finished would otherwise close it (PostgreSQL)."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def unthrottled(settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "1000000/min", "user": "1000000/min"},
    }


def api_operations():
    schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", application)
    return [result.ok() for result in schema.get_all_operations()]


def run_operation(operation, mode) -> str | None:
    """Hypothesis over one operation; the shrunk failure as text, or None."""

    @given(case=operation.as_strategy(generation_mode=mode))
    @hypothesis_settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        derandomize=EXAMPLES <= 40,
        suppress_health_check=list(HealthCheck),
    )
    def check(case):
        # schemathesis does not decompress: ask for the
        # uncompressed body (GZipMiddleware compresses for clients that accept gzip).
        case.call_and_validate(headers={"Accept-Encoding": "identity"}, checks=CHECKS)

    try:
        check()
    except Unsatisfiable:
        return None  # nothing to break: e.g. no parameter can be made invalid (negative mode)
    except Exception as failure:  # noqa: BLE001 - reported below, per operation
        return f"{mode} {operation.label}: {failure}"
    return None


@pytest.mark.django_db
@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_api_conforms_to_its_schema(wsgi_in_the_test_transaction, unthrottled, mode):
    operations = api_operations()
    assert len(operations) >= 15
    failures = [run_operation(operation, mode) for operation in operations]
    failures = [failure for failure in failures if failure]
    assert not failures, "\n\n".join(failures)


@pytest.mark.django_db
def test_schema_validates_without_warnings():
    out = io.StringIO()
    call_command("spectacular", "--validate", "--fail-on-warn", stdout=out)
    assert "openapi: 3" in out.getvalue()
