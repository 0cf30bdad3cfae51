"""API tokens: repository/models/token.py, repository/api/authentication.py, the admin,
`create_token` and the migration of Django REST framework's clear-text keys."""

import hashlib
import importlib
import io
import logging
import re
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.apps import apps as global_apps
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone
from rest_framework.test import APIClient

from repository.models import ApiToken
from tests.factories import make_token

pytestmark = pytest.mark.django_db

SUBMISSIONS = "/api/v1/submissions/"


@pytest.fixture
def partner():
    return get_user_model().objects.create_user("partner", "partner@example.org", "pw")


def status_with(key, path=SUBMISSIONS, ip="192.0.2.10") -> int:
    client = APIClient(REMOTE_ADDR=ip)
    return client.get(path, headers={"authorization": f"Token {key}"}).status_code


def test_create_token_prints_the_key_alone_on_its_last_line(partner):
    out = io.StringIO()
    call_command("create_token", "partner", "--name", "dashboard", "--days", "30", stdout=out)
    key = out.getvalue().splitlines()[-1]
    assert re.fullmatch(r"[0-9a-f]{40}", key)
    assert status_with(key) == 200
    token = ApiToken.objects.get(user=partner)
    assert token.name == "dashboard"
    assert token.prefix == key[:8]
    assert timedelta(days=29) < token.expires_at - timezone.now() <= timedelta(days=30)
    assert "never" not in out.getvalue()


def test_the_key_is_stored_only_as_its_digest(partner):
    key = make_token(partner)
    token = ApiToken.objects.get(user=partner)
    assert token.digest == hashlib.sha256(key.encode()).hexdigest()
    stored = [str(value) for value in ApiToken.objects.values_list().get(pk=token.pk)]
    assert not any(key in value for value in stored)


def test_create_token_for_a_missing_user_or_bad_days_is_an_error(partner):
    with pytest.raises(CommandError, match="No user 'nobody'"):
        call_command("create_token", "nobody", stdout=io.StringIO())
    with pytest.raises(CommandError, match="--days"):
        call_command("create_token", "partner", "--days", "0", stdout=io.StringIO())
    assert not ApiToken.objects.exists()


def test_a_user_holds_several_tokens_and_revokes_one(partner):
    laptop, server = make_token(partner, name="laptop"), make_token(partner, name="server")
    assert status_with(laptop) == status_with(server) == 200
    ApiToken.objects.get(name="laptop").delete()
    assert status_with(laptop) == 401
    assert status_with(server) == 200


def test_expired_tokens_and_inactive_users_are_refused(partner):
    expired = make_token(partner, expires_at=timezone.now() - timedelta(seconds=1))
    current = make_token(partner, expires_at=timezone.now() + timedelta(days=1))
    assert status_with(expired) == 401
    assert status_with(current) == 200
    partner.is_active = False
    partner.save()
    assert status_with(current) == 401


def test_last_use_is_recorded(partner):
    key = make_token(partner)
    assert ApiToken.objects.get().last_used_at is None
    status_with(key)
    assert ApiToken.objects.get().last_used_at is not None


def test_the_admin_shows_a_prefix_and_the_new_key_once(client, partner):
    admin = get_user_model().objects.create_superuser("root", "root@example.org", "pw")
    client.force_login(admin)
    existing = make_token(partner, name="existing")
    listing = client.get("/admin/repository/apitoken/").content.decode()
    assert f"{existing[:8]}…" in listing
    assert existing not in listing
    response = client.post(
        "/admin/repository/apitoken/add/",
        {"user": partner.pk, "name": "from the admin", "expires_at_0": "", "expires_at_1": ""},
        follow=True,
    )
    assert response.status_code == 200
    messages = " ".join(str(m) for m in response.context["messages"])
    [key] = re.findall(r"The new key is ([0-9a-f]{40})\.", messages)
    assert status_with(key) == 200
    token = ApiToken.objects.get(name="from the admin")
    change_page = client.get(f"/admin/repository/apitoken/{token.pk}/change/").content.decode()
    assert key not in change_page and f"{key[:8]}…" in change_page


def test_drf_clear_text_keys_are_hashed_and_keep_working(partner):
    """The data migration, run against a table as Django REST framework's authtoken left it."""
    migration = importlib.import_module("repository.migrations.0008_hash_drf_authtoken_keys")
    old_key = "0123456789abcdef0123456789abcdef01234567"
    with connection.cursor() as cursor:
        cursor.execute(
            'CREATE TABLE authtoken_token ("key" varchar(40) PRIMARY KEY, '
            "created timestamp with time zone NOT NULL, user_id integer NOT NULL)"
        )
        cursor.execute(
            'INSERT INTO authtoken_token ("key", created, user_id) VALUES (%s, %s, %s)',
            [old_key, timezone.now(), partner.pk],
        )
    # The function reads only the schema editor's connection (the test's transaction).
    migration.hash_drf_keys(global_apps, SimpleNamespace(connection=connection))
    assert "authtoken_token" not in connection.introspection.table_names()
    token = ApiToken.objects.get(user=partner)
    assert (token.prefix, token.name) == ("01234567", "Migrated token")
    assert status_with(old_key) == 200


# Guessing -----------------------------------------------------------------------------------


@pytest.fixture
def three_guesses(settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {
            **settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
            "invalid_token": "3/min",
        },
    }


def test_invalid_tokens_are_throttled_with_retry_after(partner, three_guesses, caplog):
    key = make_token(partner)
    with caplog.at_level(logging.WARNING, logger="micic.api"):
        assert [status_with(f"guess{n}") for n in range(3)] == [401, 401, 401]
    assert "3 invalid tokens from 192.0.2.10" in caplog.text
    response = APIClient(REMOTE_ADDR="192.0.2.10").get(
        SUBMISSIONS, headers={"authorization": "Token guess4"}
    )
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 60
    assert "errors" in response.json()
    # Even the right key waits, so that a guess cannot be confirmed while throttled ...
    assert status_with(key) == 429
    # ... other clients are not affected, and reading without a token goes on.
    assert status_with(key, ip="192.0.2.20") == 200
    assert APIClient(REMOTE_ADDR="192.0.2.10").get("/api/v1/phases/").status_code == 200


def test_valid_tokens_do_not_count_as_guesses(partner, three_guesses):
    key = make_token(partner)
    assert {status_with(key) for _ in range(6)} == {200}
