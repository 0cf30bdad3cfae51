"""The cache of settings.py: Redis when REDIS_URL is set, so that API throttles and the
submission rate limit are shared by every app server; else local memory. The Redis backend is
micic/cache.py, Django's RedisCache failing soft: a Redis that is down is an empty cache.

CI runs the suite with REDIS_URL against a real Redis server (.ci/run); the outage tests need
no Redis: they point the cache at a port where nothing listens.
"""

import json
import logging
import os
import socket
import subprocess
import sys
import time

import pytest
from django.core.cache import cache, caches
from django.test import override_settings

from micic.cache import FailSoftRedisCache
from repository.models import Practice
from tests.repository.test_views_submit import started, valid_data

from .conftest import ROOT, app_env

REDIS_URL = os.environ.get("REDIS_URL")
needs_redis = pytest.mark.skipif(
    not REDIS_URL, reason="REDIS_URL is not set (CI sets it; see .ci/run)"
)


@pytest.mark.skipif(bool(REDIS_URL), reason="REDIS_URL is set: the cache is Redis")
def test_without_redis_url_the_cache_is_local_memory():
    assert type(caches["default"]).__name__ == "LocMemCache"


@needs_redis
def test_with_redis_url_the_cache_is_redis_failing_soft():
    assert type(caches["default"]) is FailSoftRedisCache
    assert caches["default"]._options == {"socket_connect_timeout": 0.5, "socket_timeout": 0.5}


@needs_redis
def test_redis_cache_sets_gets_and_counts():
    cache.set("probe", {"a": [1, 2]}, 30)
    assert cache.get("probe") == {"a": [1, 2]}
    assert cache.add("counter", 0, 30) is True
    assert cache.add("counter", 5, 30) is False
    assert [cache.incr("counter") for _ in range(3)] == [1, 2, 3]
    with pytest.raises(ValueError):
        cache.incr("missing")
    cache.delete("probe")
    assert cache.get("probe") is None


@needs_redis
def test_redis_cache_is_shared_between_processes():
    """What one app server counts, another sees: the submission rate limit is per site."""
    cache.set("shared-counter", 41, 30)
    code = (
        "import django; django.setup(); from django.core.cache import cache; "
        "print(cache.incr('shared-counter'))"
    )
    env = app_env(REDIS_URL=REDIS_URL, DJANGO_SETTINGS_MODULE="micic.settings")
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert out.stdout.strip() == "42", out.stderr
    assert cache.get("shared-counter") == 42


@needs_redis
@pytest.mark.django_db
def test_api_throttle_counts_in_redis(client, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "2/min", "user": "2/min"},
    }
    assert [client.get("/api/v1/phases/").status_code for _ in range(3)] == [200, 200, 429]
    import redis

    assert redis.Redis.from_url(REDIS_URL).keys("micic:*throttle*"), "the history is in Redis"


@needs_redis
def test_every_operation_works_through_the_fail_soft_backend(caplog):
    assert type(caches["default"]) is FailSoftRedisCache
    with caplog.at_level(logging.WARNING, logger="micic.cache"):
        assert cache.set_many({"a": 1, "b": [2]}, 30) == []
        assert cache.get_many(["a", "b", "c"]) == {"a": 1, "b": [2]}
        assert cache.has_key("a") and not cache.has_key("c")
        assert cache.touch("a", 60) is True
        assert cache.incr("a", 4) == 5
        assert cache.decr("a") == 4
        assert cache.get_or_set("c", "made", 30) == "made"
        assert cache.delete("c") is True
        cache.delete_many(["a", "b"])
        assert cache.get_many(["a", "b", "c"]) == {}
        assert cache.clear() is True
    assert not caplog.records


# A Redis outage ------------------------------------------------------------------------------

# Port 1 on the loopback: nothing listens there (it would need root), so every connection is
# refused at once, as when the Redis server is down.
DEAD_REDIS_URL = "redis://127.0.0.1:1/0"


def redis_cache_settings(location: str, timeout: float = 0.5) -> dict:
    return {
        "default": {
            "BACKEND": "micic.cache.FailSoftRedisCache",
            "LOCATION": location,
            "KEY_PREFIX": "micic",
            "OPTIONS": {"socket_connect_timeout": timeout, "socket_timeout": timeout},
        }
    }


@pytest.fixture
def redis_down():
    """The default cache is Redis, and Redis is down. Django closes and forgets its cache
    connections when CACHES changes (setting_changed), so `cache` is the new backend."""
    with override_settings(CACHES=redis_cache_settings(DEAD_REDIS_URL)):
        assert type(caches["default"]) is FailSoftRedisCache
        yield cache


def warnings_of(caplog) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.name == "micic.cache" and r.levelno == logging.WARNING]


def test_an_unreachable_redis_is_an_empty_cache(redis_down, caplog):
    with caplog.at_level(logging.WARNING, logger="micic.cache"):
        assert redis_down.get("key") is None
        assert redis_down.get("key", "fallback") == "fallback"
        assert redis_down.get_many(["a", "b"]) == {}
        assert redis_down.has_key("key") is False
        assert redis_down.add("key", 1, 30) is False
        assert redis_down.set("key", 1, 30) is None
        assert redis_down.set_many({"a": 1, "b": 2}, 30) == ["a", "b"]
        assert redis_down.touch("key", 30) is False
        assert redis_down.delete("key") is False
        redis_down.delete_many(["a", "b"])
        assert redis_down.clear() is False
        assert redis_down.get_or_set("key", "computed", 30) == "computed"
        with pytest.raises(ValueError):
            redis_down.incr("key")
        with pytest.raises(ValueError):
            redis_down.decr("key")


def test_an_outage_is_one_warning_line_without_traceback(redis_down, caplog):
    with caplog.at_level(logging.WARNING, logger="micic.cache"):
        for _ in range(10):
            redis_down.get("key")
            redis_down.set("key", 1, 30)
    [record] = warnings_of(caplog)
    message = record.getMessage()
    assert message.startswith("Redis cache unavailable, running without it for 5 s: get failed")
    assert "ConnectionError" in message and "\n" not in message
    assert record.exc_info is None


def test_redis_is_tried_again_after_a_pause(redis_down, caplog, monkeypatch):
    monkeypatch.setattr("micic.cache.RETRY_SECONDS", 0)
    with caplog.at_level(logging.WARNING, logger="micic.cache"):
        redis_down.get("key")
        redis_down.get("key")
    assert len(warnings_of(caplog)) == 2


def test_a_stalled_redis_costs_one_timeout_not_one_per_call(caplog):
    """A server that accepts connections and never answers: the first call waits for the
    socket timeout, the following ones skip Redis."""
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)
        port = silent.getsockname()[1]
        location = f"redis://127.0.0.1:{port}/0"
        with (
            override_settings(CACHES=redis_cache_settings(location, timeout=0.2)),
            caplog.at_level(logging.WARNING, logger="micic.cache"),
        ):
            begin = time.monotonic()
            assert [cache.get("key", i) for i in range(20)] == list(range(20))
            elapsed = time.monotonic() - begin
    assert 0.2 <= elapsed < 1.0
    [record] = warnings_of(caplog)
    assert "TimeoutError" in record.getMessage()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/practices/",
        "/practices/?q=x&phase=emergency",
        "/guidelines/",
        "/api/v1/practices/?facets=all",
        "/api/v1/practices/?q=x&facets=all",
    ],
)
def test_pages_and_api_answer_while_redis_is_down(redis_down, client, path, caplog):
    with caplog.at_level(logging.WARNING, logger="micic.cache"):
        response = client.get(path)
    assert response.status_code == 200
    if path.startswith("/practices/"):
        assert response.context["facets"]
    if "facets=all" in path:
        assert json.loads(response.content)["facets"]
    if "facets" in path or path.startswith("/practices/"):
        assert warnings_of(caplog), "facets go through the cache, and the outage is logged"


@pytest.mark.django_db
def test_api_throttles_let_requests_through_while_redis_is_down(redis_down, client, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "1/min", "user": "1/min"},
    }
    assert [client.get("/api/v1/phases/").status_code for _ in range(3)] == [200, 200, 200]


@pytest.mark.django_db
def test_submission_limit_lets_submissions_through_but_the_form_checks_stay(
    redis_down, client, settings
):
    settings.SUBMISSION_RATE_LIMIT = 1
    for title in ("First", "Second"):
        response = client.post("/practices/submit/", valid_data(title=title))
        assert response.status_code == 302, response.content
    assert Practice.objects.filter(title__in=["First", "Second"]).count() == 2
    bot = client.post("/practices/submit/", valid_data(title="Bot", website="http://spam.example"))
    fast = client.post("/practices/submit/", valid_data(title="Fast", started=started(0)))
    assert (bot.status_code, fast.status_code) == (200, 200)
    assert b"The form could not be accepted." in bot.content
    assert b"That was very fast." in fast.content
    assert not Practice.objects.filter(title__in=["Bot", "Fast"]).exists()
