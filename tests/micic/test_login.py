"""The site's log-in page (micic/urls.py, templates/registration/) and django-axes'
lock-out of repeated failures (settings.AXES_*)."""

import logging

import pytest
from django.contrib.auth.models import User

pytestmark = pytest.mark.django_db

PASSWORD = "a-Long-passphrase-for-tests"


@pytest.fixture
def member(settings):
    settings.AXES_FAILURE_LIMIT = 3
    return User.objects.create_user("member", "member@example.org", PASSWORD)


def log_in(client, password, path="/accounts/login/"):
    return client.post(path, {"username": "member", "password": password})


def test_the_login_page_is_the_sites_own(client):
    response = client.get("/accounts/login/?next=/moderation/")
    content = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Log in</h1>" in content
    assert 'class="site-header"' in content  # base.html
    assert 'name="next" value="/moderation/"' in content
    assert "Content-Security-Policy" in response


def test_a_wrong_password_re_shows_the_form_with_the_username(client, member):
    response = log_in(client, "wrong")
    content = response.content.decode()
    assert response.status_code == 200
    assert 'role="alert"' in content
    assert 'value="member"' in content


def test_a_right_password_logs_in_and_logging_out_works(client, member):
    response = log_in(client, PASSWORD)
    assert response.status_code == 302
    assert client.session.get("_auth_user_id") == str(member.pk)
    assert client.post("/accounts/logout/").status_code == 302
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize("path", ["/accounts/login/", "/admin/login/"])
def test_repeated_failures_lock_out_that_user_from_that_address(client, member, path, caplog):
    with caplog.at_level(logging.WARNING, logger="axes"):
        statuses = [log_in(client, f"guess-{n}", path).status_code for n in range(3)]
    assert statuses == [200, 200, 429]
    assert "Locking out" in caplog.text and "member" in caplog.text
    # The right password no longer helps, from that address ...
    locked = log_in(client, PASSWORD, path)
    assert locked.status_code == 429
    assert b"Too many failed log-ins" in locked.content
    assert "_auth_user_id" not in client.session
    # ... while the same account from another address, and other accounts, still log in.
    elsewhere = client.__class__(REMOTE_ADDR="192.0.2.77")
    assert log_in(elsewhere, PASSWORD).status_code == 302
    User.objects.create_user("other", "other@example.org", PASSWORD)
    response = client.post("/accounts/login/", {"username": "other", "password": PASSWORD})
    assert response.status_code == 302


def test_the_lock_out_ends_after_the_cool_off(client, member, settings):
    from datetime import timedelta

    for n in range(3):
        log_in(client, f"guess-{n}")
    assert log_in(client, PASSWORD).status_code == 429
    settings.AXES_COOLOFF_TIME = timedelta(seconds=0)
    assert log_in(client, PASSWORD).status_code == 302
