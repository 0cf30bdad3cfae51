import pytest

from repository.content import load_content


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The real MICIC content (fixtures/) is in the test database for every test."""
    with django_db_blocker.unblock():
        load_content()


@pytest.fixture(autouse=True)
def _plain_static_storage(settings):
    # Hashed names need `collectstatic`; tests render templates without running it.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
