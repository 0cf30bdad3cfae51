"""repository/views/moderation.py: queue and review, for moderators only."""

import datetime as dt

import pytest
from django.contrib.auth.models import Group, User
from django.core import mail
from django.utils import timezone

from repository.models import Practice, Status
from tests.factories import make_practice

pytestmark = pytest.mark.django_db


@pytest.fixture
def moderator_client(client):
    user = User.objects.create_user("mod", "mod@example.org", "pw")
    user.groups.add(Group.objects.get(name="moderators"))
    client.force_login(user)
    client.user = user
    return client


@pytest.fixture
def submission():
    return make_practice(
        status=Status.SUBMITTED,
        title="Evacuation buses for stranded workers",
        submitter_name="Ana",
        submitter_email="ana@example.org",
        submitter_organization="Workers' centre",
        reference="P-test-reference",
    )


@pytest.mark.parametrize("path", ["/moderation/", "/moderation/{pk}/"])
def test_anonymous_users_are_sent_to_log_in(client, submission, path):
    response = client.get(path.format(pk=submission.pk))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=/moderation/")


@pytest.mark.parametrize("path", ["/moderation/", "/moderation/{pk}/"])
def test_other_users_are_refused(client, submission, path):
    client.force_login(User.objects.create_user("partner", "p@example.org", "pw"))
    assert client.get(path.format(pk=submission.pk)).status_code == 403
    response = client.post(
        f"/moderation/{submission.pk}/", {"decide-decision": "approve", "action": "decide"}
    )
    assert response.status_code == 403
    submission.refresh_from_db()
    assert submission.status == Status.SUBMITTED


@pytest.mark.parametrize("kind", ["moderator", "superuser"])
def test_moderators_and_superusers_see_the_queue(client, submission, kind):
    if kind == "superuser":
        user = User.objects.create_superuser("root", "root@example.org", "pw")
    else:
        user = User.objects.create_user("mod", "mod@example.org", "pw")
        user.groups.add(Group.objects.get(name="moderators"))
    client.force_login(user)
    response = client.get("/moderation/")
    assert response.status_code == 200
    assert b"Evacuation buses for stranded workers" in response.content


def test_queue_is_oldest_first_with_status_and_age_filters(moderator_client):
    Practice.objects.filter(content_key__isnull=True).delete()
    new = make_practice(status=Status.SUBMITTED, title="Newer submission")
    old = make_practice(status=Status.SUBMITTED, title="Older submission")
    Practice.objects.filter(pk=old.pk).update(created_at=timezone.now() - dt.timedelta(days=10))
    make_practice(status=Status.REJECTED, title="Rejected one")
    content = moderator_client.get("/moderation/").content.decode()
    assert content.index("Older submission") < content.index("Newer submission")
    assert "Rejected one" not in content
    assert "1\xa0week, 3\xa0days" in content
    rejected = moderator_client.get("/moderation/?status=rejected").content.decode()
    assert "Rejected one" in rejected and "Older submission" not in rejected
    aged = moderator_client.get("/moderation/?older_than=5").content.decode()
    assert "Older submission" in aged and "Newer submission" not in aged
    assert new.pk


def test_review_page_shows_contact_history_and_similar_titles(moderator_client, submission):
    make_practice(title="Evacuation buses for stranded migrant workers")
    response = moderator_client.get(f"/moderation/{submission.pk}/")
    content = response.content.decode()
    assert "ana@example.org" in content
    assert "Workers&#x27; centre" in content
    assert "Evacuation buses for stranded migrant workers" in content  # possible duplicate
    assert 'value="approve"' in content and 'value="withdraw"' not in content
    assert 'name="csrfmiddlewaretoken"' in content


def test_approve_with_a_note_publishes_and_mails(moderator_client, submission, tasks_worker):
    response = moderator_client.post(
        f"/moderation/{submission.pk}/",
        {"action": "decide", "decide-decision": "approve", "decide-note": "Thank you!"},
    )
    assert response.status_code == 302
    tasks_worker()
    submission.refresh_from_db()
    assert submission.status == Status.APPROVED
    event = submission.events.last()
    assert event.actor == moderator_client.user
    assert mail.outbox[-1].to == ["ana@example.org"]
    assert "Thank you!" in mail.outbox[-1].body
    page = moderator_client.get(f"/moderation/{submission.pk}/").content.decode()
    assert "Decision recorded" in page
    assert 'value="withdraw"' in page


def test_reject_needs_a_note(moderator_client, submission):
    response = moderator_client.post(
        f"/moderation/{submission.pk}/", {"action": "decide", "decide-decision": "reject"}
    )
    assert response.status_code == 400
    assert b"Tell the submitter why" in response.content
    submission.refresh_from_db()
    assert submission.status == Status.SUBMITTED


def test_illegal_decision_is_a_409(moderator_client):
    practice = make_practice(status=Status.REJECTED)
    response = moderator_client.post(
        f"/moderation/{practice.pk}/", {"action": "decide", "decide-decision": "approve"}
    )
    assert response.status_code == 409
    practice.refresh_from_db()
    assert practice.status == Status.REJECTED


def test_moderator_edits_before_approval(moderator_client, submission):
    from tests.repository.test_views_submit import valid_data

    data = {f"edit-{k}": v for k, v in valid_data(title="Edited title").items()}
    data["action"] = "edit"
    response = moderator_client.post(f"/moderation/{submission.pk}/", data)
    assert response.status_code == 302
    submission.refresh_from_db()
    assert submission.title == "Edited title"
    assert submission.status == Status.SUBMITTED
    assert submission.events.last().actor == moderator_client.user


def test_posts_need_csrf(submission):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    user = User.objects.create_superuser("root", "root@example.org", "pw")
    client.force_login(user)
    response = client.post(
        f"/moderation/{submission.pk}/", {"action": "decide", "decide-decision": "approve"}
    )
    assert response.status_code == 403
    submission.refresh_from_db()
    assert submission.status == Status.SUBMITTED


def test_the_readmes_instructions_make_a_working_moderator(client):
    """README.md, "Submissions and moderation": a curator adds the user in the admin and
    puts it in the group `moderators`; the moderator logs in on the site's own page."""
    curator = User.objects.create_superuser("curator", "curator@example.org", "pw")
    client.force_login(curator)
    # Users › Add user: a username and a password.
    response = client.post(
        "/admin/auth/user/add/",
        {
            "username": "maria",
            "usable_password": "true",
            "password1": "a-Long-passphrase-for-maria",
            "password2": "a-Long-passphrase-for-maria",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    maria = User.objects.get(username="maria")
    # On the user's page: the group `moderators` under Groups, saved (no staff status).
    moderators = Group.objects.get(name="moderators")
    response = client.post(
        f"/admin/auth/user/{maria.pk}/change/",
        {
            "username": "maria",
            "email": "maria@example.org",
            "is_active": "on",
            "groups": [moderators.pk],
            "date_joined_0": "2026-01-01",
            "date_joined_1": "00:00:00",
            "initial-date_joined_0": "2026-01-01",
            "initial-date_joined_1": "00:00:00",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    maria.refresh_from_db()
    assert not maria.is_staff
    client.logout()
    # The moderator follows the footer's "Moderators" link, logs in, and reaches the queue.
    home = client.get("/").content.decode()
    assert 'href="/moderation/"' in home
    to_login = client.get("/moderation/")
    assert to_login["Location"] == "/accounts/login/?next=/moderation/"
    page = client.get(to_login["Location"])
    assert page.status_code == 200
    assert b"<h1>Log in</h1>" in page.content
    response = client.post(
        "/accounts/login/",
        {"username": "maria", "password": "a-Long-passphrase-for-maria", "next": "/moderation/"},
        follow=True,
    )
    assert response.redirect_chain[-1] == ("/moderation/", 302)
    assert response.status_code == 200
    assert b"Moderation queue" in response.content
    assert b"Logged in as maria." in response.content
