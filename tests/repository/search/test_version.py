"""repository/search/version.py: facet counts are cached, and any change is visible at once."""

import pytest
from django.contrib.auth.models import User
from django.http import QueryDict

from repository import workflow
from repository.filters import PracticeFilterSet
from repository.models import Practice, Status
from repository.search import PracticeSearch
from repository.search.version import content_version
from tests.factories import make_practice

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_other_practices(db):
    Practice.objects.all().delete()


def phase_counts(query="q=drill"):
    filterset = PracticeFilterSet(QueryDict(query), queryset=Practice.objects.published())
    assert filterset.is_valid()
    facets = PracticeSearch(filterset).facets(["phase", "stakeholder"])
    return {item["value"]: item["count"] for item in facets["phase"]}


def test_second_computation_is_served_from_the_cache(django_assert_num_queries):
    make_practice(title="Ferry drill", phases=["emergency"])
    first = phase_counts()
    with django_assert_num_queries(0):
        assert phase_counts() == first
    # The same filters in another order share the entry.
    with django_assert_num_queries(0):
        phase_counts("q=drill&facets=phase")


def test_publish_edit_and_withdraw_show_at_once():
    moderator = User.objects.create_superuser("root", "root@example.org", "pw")
    make_practice(title="Ferry drill", phases=["emergency"])
    assert phase_counts() == {"emergency": 1}
    submitted = make_practice(title="Bus drill", phases=["preparedness"], status=Status.SUBMITTED)
    assert phase_counts() == {"emergency": 1}
    workflow.decide(practice=submitted, decision="approve", actor=moderator)
    assert phase_counts() == {"emergency": 1, "preparedness": 1}
    workflow.edit(practice=submitted, fields={}, tags={"phases": []}, actor=moderator)
    submitted.phases.add(1, 2, 3)
    assert phase_counts() == {"emergency": 2, "preparedness": 1, "post-crisis": 1}
    workflow.withdraw(practice=submitted, actor=moderator)
    assert phase_counts() == {"emergency": 1}


def test_any_change_to_published_content_bumps_the_version():
    version = content_version()
    practice = make_practice()
    assert content_version() > version
    version = content_version()
    practice.phases.clear()
    assert content_version() > version
    version = content_version()
    practice.delete()
    assert content_version() > version


def test_a_withdrawal_bumps_the_version():
    moderator = User.objects.create_superuser("root", "root@example.org", "pw")
    practice = Practice.objects.get(pk=make_practice().pk)  # as loaded from the database
    version = content_version()
    workflow.withdraw(practice=practice, actor=moderator)
    assert content_version() > version


def test_changes_the_public_cannot_see_keep_the_cache():
    version = content_version()
    submitted = make_practice(status=Status.SUBMITTED, phases=["emergency"])
    submitted.title = "Edited while pending"
    submitted.save()
    submitted.phases.add(2)
    Practice.objects.get(pk=submitted.pk).delete()
    assert content_version() == version


def test_a_taxonomy_change_bumps_the_version():
    from guidelines.models import Phase

    make_practice(phases=["emergency"])
    version = content_version()
    phase = Phase.objects.get(slug="emergency")
    phase.name = "Emergency phase"
    phase.save()
    assert content_version() > version
    assert {item["label"] for item in facet("phase")} >= {"Emergency phase"}


def test_after_a_flush_the_version_is_the_committed_one_from_the_database():
    from django.core.cache import cache

    from repository.models import ContentVersion

    cache.clear()
    version = content_version()
    assert version == ContentVersion.objects.get().version
    cache.clear()
    # The same content, the same version: what processes hold under it stays right.
    assert content_version() == version


def test_a_committed_change_is_written_to_the_database(django_capture_on_commit_callbacks):
    from repository.models import ContentVersion

    before = ContentVersion.objects.get().version
    with django_capture_on_commit_callbacks(execute=True):
        make_practice()
    after = ContentVersion.objects.get().version
    assert after > before
    assert content_version() == after


@pytest.fixture
def cache_down(monkeypatch):
    """The shared cache is unreachable: every call is a miss (micic.cache)."""
    from repository.search import version as repository_cache

    store = {}

    class DownCache:
        def get(self, key, default=None):
            return default

        def add(self, *args, **kwargs):
            return False

        def set(self, key, value, timeout=None):
            store[key] = value  # what would have been written, had Redis been up

        def incr(self, key, delta=1):
            raise ValueError(key)

        def unavailable(self):
            return True

    monkeypatch.setattr(repository_cache, "cache", DownCache())
    monkeypatch.setattr(
        repository_cache, "_state", {"version": None, "read_at": 0.0, "was_down": False}
    )
    return store


def test_while_the_cache_is_down_every_process_reads_the_version_from_the_database(
    cache_down, monkeypatch
):
    from repository.models import ContentVersion
    from repository.search import version as repository_cache

    version = content_version()
    assert version == ContentVersion.objects.get().version
    # Another process commits a publication: it writes the database only.
    ContentVersion.objects.update(version=version + 1)
    # Within DATABASE_READ_SECONDS this process may still use its copy; after it, never.
    monkeypatch.setattr(repository_cache, "DATABASE_READ_SECONDS", 0)
    assert content_version() == version + 1


def test_when_the_cache_is_back_it_learns_the_changes_committed_meanwhile(cache_down, monkeypatch):
    from django.core.cache import cache

    from repository.models import ContentVersion
    from repository.search import version as repository_cache

    cache.set(repository_cache.VERSION_KEY, 5, None)  # what Redis held before it went down
    during = content_version()  # down: from the database
    ContentVersion.objects.update(version=during + 1)  # committed during the outage
    monkeypatch.setattr(repository_cache, "cache", cache)  # Redis is back, still saying 5
    assert content_version() == during + 1
    assert cache.get(repository_cache.VERSION_KEY) == during + 1


def facet(name):
    filterset = PracticeFilterSet(QueryDict(""), queryset=Practice.objects.published())
    assert filterset.is_valid()
    return PracticeSearch(filterset).facets([name])[name]


# get_or_build: one process builds, the others wait for it ---------------------------------


def counted(value):
    calls = []

    def build():
        calls.append(1)
        return value

    return build, calls


def later(seconds, action):
    import threading

    timer = threading.Timer(seconds, action)
    timer.start()
    return timer


def test_a_value_is_built_once_then_read():
    from repository.search.version import get_or_build

    build, calls = counted({"built": 1})
    assert get_or_build("test:value", build) == {"built": 1}
    assert get_or_build("test:value", build) == {"built": 1}
    assert calls == [1]


def test_while_another_process_builds_it_the_value_is_awaited_not_rebuilt():
    from django.core.cache import cache

    from repository.search.version import get_or_build

    cache.add("test:value:building", 1, 30)  # another worker is building it
    timer = later(0.2, lambda: cache.set("test:value", "theirs"))
    build, calls = counted("mine")
    assert get_or_build("test:value", build) == "theirs"
    assert calls == []
    timer.join()


def test_a_builder_that_gives_up_lets_the_next_one_build():
    from django.core.cache import cache

    from repository.search.version import get_or_build

    cache.add("test:value:building", 1, 30)
    timer = later(0.2, lambda: cache.delete("test:value:building"))  # it failed
    build, calls = counted("mine")
    assert get_or_build("test:value", build) == "mine"
    assert calls == [1]
    assert cache.get("test:value:building") is None
    timer.join()


def test_nobody_waits_longer_than_the_limit(monkeypatch):
    import time

    from django.core.cache import cache

    from repository.search import version as repository_cache

    monkeypatch.setattr(repository_cache, "BUILD_WAIT", 0.3)
    cache.add("test:value:building", 1, 30)  # held, and never released
    build, calls = counted("mine")
    started = time.monotonic()
    assert repository_cache.get_or_build("test:value", build) == "mine"
    assert 0.3 <= time.monotonic() - started < 2
    assert calls == [1]
