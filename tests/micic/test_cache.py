"""The cache of settings.py: Redis (Django's RedisCache) when REDIS_URL is set, so that API
throttles and the submission rate limit are shared by every app server; else local memory.

CI runs the suite with REDIS_URL against a real Redis server (.ci/run).
"""

import os
import subprocess
import sys

import pytest
from django.core.cache import cache, caches

from .conftest import ROOT, app_env

REDIS_URL = os.environ.get("REDIS_URL")
needs_redis = pytest.mark.skipif(
    not REDIS_URL, reason="REDIS_URL is not set (CI sets it; see .ci/run)"
)


@pytest.mark.skipif(bool(REDIS_URL), reason="REDIS_URL is set: the cache is Redis")
def test_without_redis_url_the_cache_is_local_memory():
    assert type(caches["default"]).__name__ == "LocMemCache"


@needs_redis
def test_with_redis_url_the_cache_is_redis():
    assert type(caches["default"]).__module__ == "django.core.cache.backends.redis"
    assert type(caches["default"]).__name__ == "RedisCache"


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
