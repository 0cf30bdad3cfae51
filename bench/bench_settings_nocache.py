"""The project's settings with a dummy cache: every request computes its facets.

repository.search caches facet counts per query string and content version. A benchmark
that repeats one query string would measure only cache hits, so the uncached cost (a
query not seen before) is measured with these settings; the servers with the project's
own settings show the cached case next to it.
"""

from micic.settings import *  # noqa: F403

CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
