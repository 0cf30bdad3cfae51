"""Helpers for tests that run the app as a real server: collected static files, free ports,
gunicorn started with the project's gunicorn.conf.py (what `make serve` runs).
"""

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
GUNICORN = Path(sys.executable).with_name("gunicorn")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port: int, timeout: float, process=None) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise TimeoutError(f"nothing listens on 127.0.0.1:{port} after {timeout} s")


def app_env(**extra) -> dict[str, str]:
    """The environment of a production-like app process: no debug, no inherited database,
    cache or TLS settings; the caller adds what it tests."""
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "DATABASE_", "REDIS_", "GUNICORN_"))
        and k not in {"PORT", "WEB_CONCURRENCY", "FORWARDED_ALLOW_IPS"}
    }
    return {
        **clean,
        "DJANGO_SECRET_KEY": "test-only-not-secret-" + "x" * 40,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        **extra,
    }


@pytest.fixture(scope="session")
def static_root(tmp_path_factory):
    """Static files collected as `make serve` collects them: hashed names, compressed copies."""
    root = tmp_path_factory.mktemp("staticfiles")
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--no-input", "--verbosity", "0"],
        cwd=ROOT,
        env=app_env(DJANGO_STATIC_ROOT=str(root)),
        check=True,
        timeout=300,
    )
    return root


@pytest.fixture
def gunicorn(tmp_path):
    """Start gunicorn (the project's gunicorn.conf.py) with an environment; stopped after the
    test. Returns (base URL, process, log path)."""
    if not GUNICORN.exists():
        pytest.skip(f"gunicorn is not installed in {GUNICORN.parent} (pip install -e .)")
    started = []

    def start(env: dict[str, str]):
        port = free_port()
        log = tmp_path / f"gunicorn-{port}.log"
        env = {
            "GUNICORN_BIND": f"127.0.0.1:{port}",
            "WEB_CONCURRENCY": "1",
            "GUNICORN_THREADS": "2",
            **env,
        }
        with log.open("wb") as out:
            process = subprocess.Popen(
                [str(GUNICORN), "--config", "gunicorn.conf.py"],
                cwd=ROOT,
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        started.append(process)
        try:
            wait_for_port(port, timeout=60, process=process)
        except Exception:
            raise RuntimeError(log.read_text(errors="replace")) from None
        return f"http://127.0.0.1:{port}", process, log

    yield start
    for process in started:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
