import pytest

from repository.content import load_content


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The real MICIC content (fixtures/) is in the test database for every test."""
    with django_db_blocker.unblock():
        load_content()


@pytest.fixture(autouse=True)
def _empty_cache():
    # Rate limits and throttles count in the cache: each test starts from zero. So does this
    # process's copy of the facet index: the content version comes from the database, whose
    # changes each test rolls back, so a version may repeat from one test to the next.
    from django.core.cache import cache

    from repository.search import index as facets

    cache.clear()
    facets._local = ("", None)
    yield
    cache.clear()
    facets._local = ("", None)


@pytest.fixture(autouse=True)
def _english_unless_asked():
    # A request in another language leaves it active in the thread: each test starts in
    # the default language.
    from django.utils import translation

    translation.activate("en")
    yield
    translation.activate("en")


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


def run_tasks(max_tasks: int | None = None) -> int:
    """Run the tasks that are due, as `manage.py db_worker --batch` would; the number run.

    Like Django's test client, it leaves the test's connection open (the worker closes
    connections between tasks, which would end the test's transaction on PostgreSQL).
    """
    from unittest import mock

    from django_tasks_db.management.commands import db_worker
    from django_tasks_db.management.commands.db_worker import Worker

    worker = Worker(
        queue_names=["*"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=max_tasks,
        worker_id="test-worker",
        excluded_queue_names=[],
    )
    with mock.patch.object(db_worker, "close_old_connections", lambda: None):
        worker.run()
    return worker._run_tasks


@pytest.fixture
def tasks_worker():
    """Call it to run the queued tasks (e-mails) now."""
    return run_tasks
