"""A database outage, for real: a throwaway PostgreSQL cluster is stopped and started under a
running gunicorn. Pages answer a friendly 503 and the API a JSON 503 within 2 seconds, with no
traceback; /healthz says 503; when the database is back, the same processes serve again.
"""

import contextlib
import glob
import json
import os
import pwd
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from .conftest import ROOT, app_env, free_port, wait_for_port


def find_pg_bin() -> str | None:
    """The newest installed PostgreSQL's programs (Debian layout), else initdb on PATH."""
    found = sorted(
        (p for p in glob.glob("/usr/lib/postgresql/*/bin") if Path(p, "initdb").exists()),
        key=lambda p: [int(part) for part in Path(p).parent.name.split(".") if part.isdigit()],
    )
    if found:
        return found[-1]
    initdb = shutil.which("initdb")
    return str(Path(initdb).parent) if initdb else None


def postgres_user():
    try:
        return pwd.getpwnam("postgres")
    except KeyError:
        return None


PG_BIN = find_pg_bin()

pytestmark = [
    pytest.mark.skipif(
        PG_BIN is None, reason="PostgreSQL's initdb is not installed (apt-get install postgresql)"
    ),
    pytest.mark.skipif(
        os.geteuid() == 0 and postgres_user() is None,
        reason="running as root, and there is no `postgres` user to run PostgreSQL as",
    ),
]


class Cluster:
    """A PostgreSQL cluster in a temporary directory, on a free port, trust authentication.

    PostgreSQL refuses to run as root, so as root its commands run as the `postgres` user.
    """

    def __init__(self):
        self.port = free_port()
        self.dir = Path(tempfile.mkdtemp(prefix="micic-pg-"))
        self.data = self.dir / "data"
        self.user = None
        if os.geteuid() == 0:
            self.user = postgres_user()
            os.chown(self.dir, self.user.pw_uid, self.user.pw_gid)
        self.url = f"postgres://postgres@127.0.0.1:{self.port}/postgres"

    def run(self, *command):
        prefix = ["runuser", "-u", "postgres", "--"] if self.user else []
        return subprocess.run(
            [*prefix, *command], capture_output=True, text=True, timeout=120, check=True
        )

    def init(self):
        self.run(
            f"{PG_BIN}/initdb", "--pgdata", str(self.data), "--username", "postgres",
            "--auth", "trust", "--encoding", "UTF8", "--locale", "C", "--no-sync",
        )  # fmt: skip

    def start(self):
        options = (
            f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off"
            " -c full_page_writes=off"
        )
        self.run(
            f"{PG_BIN}/pg_ctl", "--pgdata", str(self.data), "--options", options,
            "--log", str(self.dir / "server.log"), "--wait", "start",
        )  # fmt: skip
        wait_for_port(self.port, timeout=30)

    def stop(self, mode="fast"):
        self.run(f"{PG_BIN}/pg_ctl", "--pgdata", str(self.data), "--mode", mode, "--wait", "stop")

    def destroy(self):
        if (self.data / "postmaster.pid").exists():
            with contextlib.suppress(subprocess.CalledProcessError):
                self.stop(mode="immediate")
        shutil.rmtree(self.dir, ignore_errors=True)


@pytest.fixture(scope="module")
def cluster():
    cluster = Cluster()
    try:
        cluster.init()
        cluster.start()
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "--no-input", "--verbosity", "0"],
            cwd=ROOT,
            env=app_env(DATABASE_URL=cluster.url),
            check=True,
            capture_output=True,
            timeout=300,
        )
        yield cluster
    finally:
        cluster.destroy()


def get(url, headers=None):
    """(status, headers, body, seconds); an HTTP error status is an answer too."""
    started = time.monotonic()
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            answer = response.status, response.headers, response.read().decode()
    except urllib.error.HTTPError as error:
        answer = error.code, error.headers, error.read().decode()
    return *answer, time.monotonic() - started


def assert_fast_and_clean(seconds, body):
    assert seconds < 2, f"answered in {seconds:.2f} s"
    assert "Traceback" not in body
    assert "psycopg" not in body
    assert "127.0.0.1" not in body


MODES = {
    "persistent connections": {"DJANGO_CONN_MAX_AGE": "60"},
    "connection pool": {"DJANGO_DB_POOL": "1"},
}


@pytest.mark.parametrize("mode", MODES)
def test_outage_is_a_friendly_503_and_recovery_needs_no_restart(
    mode, cluster, gunicorn, static_root
):
    base, process, log = gunicorn(
        app_env(
            DATABASE_URL=cluster.url,
            DJANGO_STATIC_ROOT=str(static_root),
            # Every request below asks the views, not answers cached before the outage
            # (micic/response_cache.py serves those whatever the database's state).
            DJANGO_RESPONSE_CACHE_SECONDS="0",
            **MODES[mode],
        )
    )
    status, _, body, _ = get(f"{base}/healthz")
    assert (status, json.loads(body)) == (200, {"status": "ok"})
    assert get(f"{base}/")[0] == 200
    assert get(f"{base}/api/v1/phases/")[0] == 200

    cluster.stop()
    try:
        status, headers, body, seconds = get(f"{base}/healthz")
        assert (status, json.loads(body)) == (503, {"status": "unavailable"})
        assert_fast_and_clean(seconds, body)

        # (What a worker already holds — the facet index of an unchanged content version —
        # is not asked of the database again; a search is.)
        for path in ("/", "/practices/?q=evacuation", "/guidelines/1/"):
            status, headers, body, seconds = get(base + path)
            assert status == 503, path
            assert headers["Content-Type"].startswith("text/html")
            assert "<h1>Temporarily unavailable</h1>" in body
            assert headers["Retry-After"] == "30"
            assert_fast_and_clean(seconds, body)

        # (The API root, /api/v1/, lists links and needs no database: it still answers.)
        for path in ("/api/v1/phases/", "/api/v1/practices/?phase=emergency"):
            status, headers, body, seconds = get(base + path)
            assert status == 503, path
            assert headers["Content-Type"] == "application/json"
            assert list(json.loads(body)["errors"]) == ["database"]
            assert headers["Retry-After"] == "30"
            assert_fast_and_clean(seconds, body)
    finally:
        cluster.start()

    # The same server process, without a restart.
    status, _, body, _ = get(f"{base}/healthz")
    assert (status, json.loads(body)) == (200, {"status": "ok"})
    assert get(f"{base}/")[0] == 200
    assert get(f"{base}/api/v1/phases/")[0] == 200
    assert process.poll() is None
    assert "Traceback" not in log.read_text(errors="replace")
