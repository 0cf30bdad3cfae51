"""micic/response_cache.py: whole responses cached for anonymous GETs, per content version."""

import gzip

import pytest
from django.contrib.auth import get_user_model

from repository.search.version import bump_content_version
from tests.factories import make_practice

pytestmark = pytest.mark.django_db

SEARCH = "/practices/?q=evacuation&phase=emergency"


@pytest.fixture(autouse=True)
def _response_cache(settings):
    settings.RESPONSE_CACHE_SECONDS = 600


@pytest.fixture
def views_called(monkeypatch):
    """How many times the practice list view ran."""
    from repository.views.browse import PracticeListView

    calls = []
    real = PracticeListView.get
    monkeypatch.setattr(
        PracticeListView, "get", lambda self, *a, **k: calls.append(1) or real(self, *a, **k)
    )
    return calls


def test_a_repeated_anonymous_search_is_served_from_the_cache(
    client, views_called, django_assert_num_queries
):
    first = client.get(SEARCH)
    with django_assert_num_queries(0):
        again = client.get(SEARCH)
    assert len(views_called) == 1
    assert again.status_code == 200 and again.content == first.content
    assert again["ETag"] == first["ETag"] and again["Last-Modified"]
    assert again["Content-Security-Policy"] == first["Content-Security-Policy"]
    assert "Accept-Encoding" in again["Vary"]


def test_the_key_is_path_query_and_language(client, views_called, settings):
    settings.LANGUAGES = [("en", "English"), ("fr", "French")]
    client.get(SEARCH)
    client.get(SEARCH + "&stakeholder=states")
    client.get("/practices/")
    client.get(SEARCH, headers={"accept-language": "fr"})
    assert len(views_called) == 4


def test_a_change_to_published_content_is_shown_at_once(client):
    assert b"Wombatcache" not in client.get("/practices/?q=wombatcache").content
    make_practice(title="Wombatcache drill")  # bumps the content version
    assert b"Wombatcache drill" in client.get("/practices/?q=wombatcache").content


def test_a_hit_is_stored_compressed_and_sent_compressed_to_who_accepts_it(client):
    plain = client.get(SEARCH)
    zipped = client.get(SEARCH, headers={"accept-encoding": "gzip, deflate"})
    assert zipped["Content-Encoding"] == "gzip"
    assert gzip.decompress(zipped.content) == plain.content
    assert int(zipped["Content-Length"]) < len(plain.content) / 3
    assert zipped["ETag"] == "W/" + plain["ETag"]


def test_conditional_requests_get_a_304(client):
    first = client.get(SEARCH)
    assert client.get(SEARCH, headers={"if-none-match": first["ETag"]}).status_code == 304
    since = first["Last-Modified"]
    assert client.get(SEARCH, headers={"if-modified-since": since}).status_code == 304
    make_practice(title="Evacuation drill", phases=["emergency"])  # new content version
    changed = client.get(SEARCH, headers={"if-none-match": first["ETag"]})
    assert changed.status_code == 200 and changed["ETag"] != first["ETag"]


def test_a_new_content_version_remakes_the_same_answer(client, views_called):
    client.get(SEARCH)
    bump_content_version()
    client.get(SEARCH)
    assert len(views_called) == 2


def test_logged_in_users_and_token_clients_are_never_served_from_the_cache(
    client, views_called, admin_user
):
    client.get(SEARCH)
    client.force_login(admin_user)
    client.get(SEARCH)
    client.get(SEARCH)
    assert len(views_called) == 3


def test_responses_setting_cookies_are_not_stored(client, settings, rf):
    from django.core.cache import cache

    from micic.response_cache import request_key

    settings.RESPONSE_CACHE_EXCLUDE = []  # not even excluded by its path
    response = client.get("/practices/submit/")
    assert response.cookies  # the CSRF token
    assert request_key(rf.get("/practices/submit/")) is not None
    assert cache.get(request_key(rf.get("/practices/submit/"))) is None


def test_api_reads_are_cached_and_still_throttled(client, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "2/min", "user": "100/min"},
    }
    codes = [client.get("/api/v1/practices/?q=evacuation").status_code for _ in range(3)]
    assert codes == [200, 200, 429]


def test_api_tokens_bypass_the_cache(client):
    from rest_framework.authtoken.models import Token

    from repository.models import Practice

    practice = make_practice(title="Wombattoken drill")
    path = f"/api/v1/practices/{practice.pk}/"
    token = Token.objects.create(user=get_user_model().objects.create_user("partner"))
    assert client.get(path).json()["title"] == "Wombattoken drill"
    # A change without signals (no new content version): the cache still has the old answer.
    Practice.objects.filter(pk=practice.pk).update(title="Wombattoken exercise")
    assert client.get(path).json()["title"] == "Wombattoken drill"
    answer = client.get(path, headers={"authorization": f"Token {token.key}"})
    assert answer.json()["title"] == "Wombattoken exercise"


def test_the_cache_can_be_turned_off(client, settings, views_called):
    settings.RESPONSE_CACHE_SECONDS = 0
    client.get(SEARCH)
    client.get(SEARCH)
    assert len(views_called) == 2
