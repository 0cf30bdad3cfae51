"""The Redis cache of settings.py, failing soft: while Redis is unreachable the site runs as
if the cache were empty.

The cache holds nothing that is not elsewhere: facet counts are recomputed from the
database, and API throttle and submission counters merely start again. So a Redis error
(refused, timed out, read-only, out of memory: any redis.exceptions.RedisError) is logged
as one WARNING line on the "micic.cache" logger and answered as a miss: get() returns the
default, get_many() {}, add() and has_key() False, set() nothing, incr() and decr() raise
ValueError as for a missing key. Throttles and the submission rate limit therefore let
requests through while Redis is down (docs/deploy.md, "Redis").

After an error this instance (Django keeps one per thread) leaves Redis alone for
RETRY_SECONDS: a page makes a few dozen cache calls (facet keys each read the content
version), and a stalled Redis must cost it one socket timeout, not one per call, and the
log one line per thread every RETRY_SECONDS, not one per call.
"""

import logging
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

RETRY_SECONDS = 5.0

_FAILED = object()


class FailSoftRedisCache(RedisCache):
    """Django's RedisCache, with Redis errors logged and answered as cache misses."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self._down_until = 0.0

    def _fail_soft(self, method, fallback, *args):
        if time.monotonic() < self._down_until:
            return fallback
        try:
            return method(*args)
        except RedisError as error:
            self._down_until = time.monotonic() + RETRY_SECONDS
            logger.warning(
                "Redis cache unavailable, running without it for %g s: %s failed with %s: %s",
                RETRY_SECONDS,
                method.__name__,
                type(error).__name__,
                error,
            )
            return fallback

    def unavailable(self) -> bool:
        """Whether Redis failed within the last RETRY_SECONDS (calls are answered as misses)."""
        return time.monotonic() < self._down_until

    def get(self, key, default=None, version=None):
        return self._fail_soft(super().get, default, key, default, version)

    def get_many(self, keys, version=None):
        return self._fail_soft(super().get_many, {}, keys, version)

    def has_key(self, key, version=None):
        return self._fail_soft(super().has_key, False, key, version)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._fail_soft(super().add, False, key, value, timeout, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        self._fail_soft(super().set, None, key, value, timeout, version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        # Django's contract: the keys that could not be stored.
        return self._fail_soft(super().set_many, list(data), data, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._fail_soft(super().touch, False, key, timeout, version)

    def delete(self, key, version=None):
        return self._fail_soft(super().delete, False, key, version)

    def delete_many(self, keys, version=None):
        self._fail_soft(super().delete_many, None, keys, version)

    def clear(self):
        return self._fail_soft(super().clear, False)

    def incr(self, key, delta=1, version=None):
        # decr() is incr() with -delta (BaseCache), so it fails the same way.
        value = self._fail_soft(super().incr, _FAILED, key, delta, version)
        if value is _FAILED:
            raise ValueError(f"Key {key!r} not found: the cache is unavailable.")
        return value
