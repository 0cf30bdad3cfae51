import pytest

from repository.content import load_content


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The real MICIC content (fixtures/) is in the test database for every test."""
    with django_db_blocker.unblock():
        load_content()


@pytest.fixture(autouse=True)
def _empty_cache():
    # Rate limits and throttles count in the cache: each test starts from zero.
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _no_response_cache(settings):
    # Whole responses are cached for anonymous GETs (micic/response_cache.py): tests of the
    # views see each view's own answer; tests/micic/test_response_cache.py turns it on.
    settings.RESPONSE_CACHE_SECONDS = 0


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # The production hasher is slow on purpose; tests only need a working one.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _plain_static_storage(settings):
    # Hashed names need `collectstatic`; tests render templates without running it.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
