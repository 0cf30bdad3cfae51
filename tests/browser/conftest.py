"""Browser tests: Debian's Chromium, driven by Playwright, against pytest-django's live_server.

Nothing downloads a browser: Playwright launches the system's Chromium through
``executable_path``. The flags keep it from calling home (this machine has no internet),
and every test checks that its pages asked nothing of any host but the live server.

live_server tests are transactional: the database is flushed after each one. Each test
therefore starts from what the migrations made (serialized rollback) and loads the
guidelines and taxonomies (``site``; ``micic_content`` adds the curated practices). Once
the last browser test is done the database is put back as the session set it up, so the
tests that run after these find the MICIC content. The browser lives as long as this
package, not the whole session (see ``_browser_tests_environment``).
"""

import os
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from playwright.sync_api import sync_playwright

from repository import search
from repository.content import FIXTURES_DIR, load_content

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    # Debian's launcher gives Chromium Google API keys, and it still looks up Google hosts
    # (accounts, update) despite the flags above: let it resolve no name at all. The live
    # server is addressed by IP.
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
]


@pytest.fixture(scope="package", autouse=True)
def _browser_tests_environment(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        # The first test starts where the others do: from what the migrations left.
        _flush()
    with pytest.MonkeyPatch.context() as patch:
        # While the browser is open, Playwright's sync API keeps an asyncio loop in this
        # thread. The ORM calls made meanwhile (factories, content, the flush) are plain
        # synchronous code, so Django's guard against ORM calls in async code stands aside
        # for these tests only.
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        yield
        with django_db_blocker.unblock():
            # Put back what django_db_setup made (tests/conftest.py): what the migrations
            # left (the moderators group, too), then the MICIC content and its index.
            _flush()
            connection.creation.deserialize_db_from_string(connection._test_serialized_contents)
            load_content()
            search.reindex()  # also drops the index rows of the practices flushed away


def _flush():
    # As a transactional test with serialized rollback does: post_migrate would recreate
    # content types and permissions that the serialized data brings back with their keys.
    call_command(
        "flush", verbosity=0, interactive=False, reset_sequences=False, inhibit_post_migrate=True
    )


@pytest.fixture(scope="package")
def browser(_browser_tests_environment):
    """One headless Chromium for all the browser tests."""
    if not Path(CHROMIUM).is_file():
        pytest.fail(
            f"Chromium not found at {CHROMIUM}. The browser tests drive the system's Chromium: "
            "install it with `apt-get install chromium` (.ci/run does), or point CHROMIUM_PATH "
            "at another Chromium binary. Never `playwright install`.",
            pytrace=False,
        )
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture(scope="package")
def _taxonomy_only(tmp_path_factory):
    """The MICIC fixtures without the curated practices: quick to load for every test."""
    folder = tmp_path_factory.mktemp("micic-taxonomy")
    for name in ("micic.json", "taxonomy.json", "regions.json"):
        (folder / name).symlink_to(FIXTURES_DIR / name)
    (folder / "practices").mkdir()
    return folder


@pytest.fixture(autouse=True)
def site(live_server, django_db_serialized_rollback, _taxonomy_only):
    """The live server, with phases, principles, guidelines and taxonomies but no practice.

    The previous test's flush emptied the database, and serialized rollback restored what
    the migrations made; tests make the practices they need.
    """
    load_content(fixtures_dir=_taxonomy_only)
    return live_server


@pytest.fixture
def micic_content(site):
    """The curated MICIC practices as well, for pages that should look as they do live."""
    load_content()


@pytest.fixture
def new_page(browser, site):
    """Open a page in a fresh context (``new_page(java_script_enabled=False)``, ...).

    Every request any page makes is recorded; at the end of the test all of them must
    have gone to the live server, and no script may have thrown.
    """
    contexts, requested, errors = [], [], []

    def open_page(**context_options):
        context = browser.new_context(base_url=site.url, **context_options)
        context.set_default_timeout(10_000)
        context.on("request", lambda request: requested.append(request.url))
        contexts.append(context)
        page = context.new_page()
        page.on("pageerror", lambda error: errors.append(f"{page.url}: {error}"))
        return page

    yield open_page
    for context in contexts:
        context.close()
    elsewhere = [url for url in requested if not url.startswith(f"{site.url}/")]
    assert not elsewhere, f"pages asked hosts other than the live server: {elsewhere}"
    assert not errors, f"scripts failed: {errors}"


@pytest.fixture
def page(new_page):
    return new_page()
