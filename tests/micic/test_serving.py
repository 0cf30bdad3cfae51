"""gunicorn.conf.py and `make serve`: gunicorn with whitenoise serving compressed, hashed static
files, and the production environment's TLS behaviour behind a proxy.
"""

import re
import runpy
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from .conftest import ROOT, app_env

CONF = ROOT / "gunicorn.conf.py"


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


OPENER = urllib.request.build_opener(NoRedirect)


def fetch(url, headers=None):
    """(status, headers, body) without following redirects; errors are answers too."""
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with OPENER.open(request, timeout=10) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def read_conf(monkeypatch, **env):
    for name in (
        "DJANGO_DB_STATEMENT_TIMEOUT",
        "PORT",
        "GUNICORN_BIND",
        "WEB_CONCURRENCY",
        "GUNICORN_THREADS",
        "FORWARDED_ALLOW_IPS",
    ):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(CONF))


def test_gunicorn_listens_on_the_loopback_port_8000_by_default(monkeypatch):
    conf = read_conf(monkeypatch)
    assert conf["bind"] == ["127.0.0.1:8000"]
    assert conf["wsgi_app"] == "micic.wsgi:application"
    assert conf["workers"] >= 1
    assert conf["threads"] == 4
    assert conf["forwarded_allow_ips"] == "127.0.0.1,::1"
    assert conf["control_socket_disable"] is True
    # gunicorn's maximum request line, so that the API's own JSON 414 answers long queries.
    assert conf["limit_request_line"] == 8190
    # Web processes have a statement timeout (management commands do not).
    assert conf["os"].environ["DJANGO_DB_STATEMENT_TIMEOUT"] == "10"


def test_gunicorn_takes_port_and_concurrency_from_the_environment(monkeypatch):
    conf = read_conf(monkeypatch, PORT="9001", WEB_CONCURRENCY="3", GUNICORN_THREADS="8")
    assert conf["bind"] == ["127.0.0.1:9001"]
    assert (conf["workers"], conf["threads"]) == (3, 8)
    conf = read_conf(monkeypatch, GUNICORN_BIND="0.0.0.0:8080", PORT="9001")
    assert conf["bind"] == ["0.0.0.0:8080"]


def test_make_serve_runs_gunicorn_after_setup():
    makefile = (ROOT / "Makefile").read_text()
    target = re.search(r"^serve: setup\n((?:\t.*\n)+)", makefile, re.MULTILINE)
    assert target, "a `serve: setup` target"
    assert "gunicorn --config gunicorn.conf.py" in target.group(1)
    # The e-mail worker runs beside the web server, in `make run` as in `make serve`.
    worker = re.search(r"^WORKER = (.*\n(?:\t.*\n)*)", makefile, re.MULTILINE).group(1)
    assert "manage.py db_worker" in worker
    assert "trap" in worker and "kill" in worker
    assert "$(WORKER)" in target.group(1)
    run = re.search(r"^run: setup\n((?:\t.*\n)+)", makefile, re.MULTILINE).group(1)
    assert "$(WORKER)" in run and "runserver" in run
    assert "collectstatic" in re.search(r"^setup:.*\n((?:\t.*\n)+)", makefile, re.M).group(1)


@pytest.fixture
def sqlite_url(tmp_path):
    return f"sqlite:///{tmp_path / 'serving.sqlite3'}"


@pytest.mark.system
def test_whitenoise_serves_compressed_hashed_static_files(gunicorn, static_root, sqlite_url):
    base, _, _ = gunicorn(app_env(DJANGO_STATIC_ROOT=str(static_root), DATABASE_URL=sqlite_url))
    # The 404 page has the site layout and needs no table.
    status, _, body = fetch(f"{base}/no-such-page/")
    assert status == 404
    stylesheet = re.search(rb'href="(/static/css/site\.[0-9a-f]{12}\.css)"', body)
    assert stylesheet, "the layout links the hashed stylesheet"

    status, headers, body = fetch(base + stylesheet.group(1).decode(), {"Accept-Encoding": "gzip"})
    assert status == 200
    assert headers["Content-Encoding"] == "gzip"
    assert headers["Content-Type"].startswith("text/css")
    assert "immutable" in headers["Cache-Control"]
    assert "max-age=315360000" in headers["Cache-Control"]
    assert Path(static_root, stylesheet.group(1).decode().removeprefix("/static/") + ".gz").exists()


@pytest.mark.system
def test_production_redirects_to_https_and_trusts_the_proxy(gunicorn, static_root, sqlite_url):
    base, _, _ = gunicorn(
        app_env(
            DJANGO_PRODUCTION="1",
            DJANGO_STATIC_ROOT=str(static_root),
            DATABASE_URL=sqlite_url,
        )
    )
    status, headers, _ = fetch(f"{base}/robots.txt")
    assert status == 301
    assert headers["Location"] == base.replace("http://", "https://") + "/robots.txt"

    status, headers, body = fetch(f"{base}/robots.txt", {"X-Forwarded-Proto": "https"})
    assert status == 200
    assert headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert b"Sitemap: https://" in body

    # Load balancers probe over plain HTTP.
    status, headers, body = fetch(f"{base}/healthz")
    assert (status, body) == (200, b'{"status": "ok"}')
