"""micic/settings.py: configuration comes from the environment, safely."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def run_check(**env):
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))}
    return subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_refuses_to_start_without_secret_key_when_not_debugging():
    result = run_check(DJANGO_ALLOWED_HOSTS="example.org")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


def test_refuses_to_start_without_allowed_hosts_when_not_debugging():
    result = run_check(DJANGO_SECRET_KEY="x" * 50)
    assert result.returncode != 0
    assert "DJANGO_ALLOWED_HOSTS must be set" in result.stderr


def test_starts_with_key_and_hosts():
    result = run_check(DJANGO_SECRET_KEY="x" * 50, DJANGO_ALLOWED_HOSTS="example.org")
    assert result.returncode == 0, result.stderr


def test_debug_is_off_unless_set_to_1():
    result = run_check(DJANGO_DEBUG="1")
    assert result.returncode == 0, result.stderr
    code = "from django.conf import settings; print(settings.DEBUG)"
    clean = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    for value, expected in (("0", "False"), ("", "False"), ("1", "True")):
        env = {**clean, "DJANGO_SECRET_KEY": "x" * 50, "DJANGO_ALLOWED_HOSTS": "a"}
        env["DJANGO_DEBUG"] = value
        out = subprocess.run(
            [sys.executable, "manage.py", "shell", "--verbosity", "0", "-c", code],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert out.stdout.strip() == expected, (value, out.stderr)


def test_database_url_selects_the_database():
    code = (
        "import json; from django.conf import settings; db = settings.DATABASES['default'];"
        "print(json.dumps([db['ENGINE'], db['OPTIONS'], db['CALL_TIMEOUTS']]))"
    )
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))}
    env = {**clean, "DJANGO_DEBUG": "1", "DATABASE_URL": "postgres://u@localhost:5432/x"}
    out = subprocess.run(
        [sys.executable, "manage.py", "shell", "--verbosity", "0", "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    engine, options, timeouts = json.loads(out.stdout)
    # Django's PostgreSQL backend with time limits on every call (micic/postgresql).
    assert engine == "micic.postgresql", out.stderr
    assert options == {
        "connect_timeout": 2,
        "keepalives": 1,
        "keepalives_idle": 10,
        "keepalives_interval": 3,
        "keepalives_count": 3,
        "tcp_user_timeout": 20000,
    }
    assert timeouts == {"query": None, "health_check": 0.5}
    # Under gunicorn (gunicorn.conf.py), a statement timeout and a client-side limit 2 s longer.
    env["DJANGO_DB_STATEMENT_TIMEOUT"] = "10"
    out = subprocess.run(
        [sys.executable, "manage.py", "shell", "--verbosity", "0", "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    engine, options, timeouts = json.loads(out.stdout)
    assert options["options"] == "-c statement_timeout=10000"
    assert timeouts == {"query": 12.0, "health_check": 0.5}


@pytest.mark.django_db
def test_debug_is_off_in_tests_and_errors_show_no_traceback(client):
    from django.conf import settings

    assert settings.DEBUG is False
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert b"Traceback" not in response.content


# Production ---------------------------------------------------------------------------------


def documented_production_env() -> dict[str, str]:
    """The environment listed in README.md, section "Production", with a real secret key."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("\n## Production\n", 1)[1].split("\n## ", 1)[0]
    block = re.search(r"\n\n((?:    .*\n)+)", section).group(1)
    env = {}
    for line in block.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            name, value = line.split("=", 1)
            env[name] = value.strip('"')
    assert env["DJANGO_SECRET_KEY"] == "CHANGE-ME"
    env["DJANGO_SECRET_KEY"] = "kR7v-0pQ2wXz_9LmN4bT6yHc8JdF1sGaE3uIoP5qVr7WtYx0ZbCn2MeKlJhGfDsA"
    return env


PRODUCTION_ENV = documented_production_env()


def clean_env(**env):
    clean = {
        k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_", "REDIS_"))
    }
    return {**clean, **env}


def run_deploy_check(**env):
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=clean_env(**env),
        capture_output=True,
        text=True,
        timeout=120,
    )


def read_settings(*names, **env):
    """Settings as a fresh process reads them from this environment (no app is loaded)."""
    code = (
        "import json, os; os.environ['DJANGO_SETTINGS_MODULE'] = 'micic.settings'; "
        "from django.conf import settings; "
        f"print(json.dumps({{n: getattr(settings, n, None) for n in {list(names)!r}}}, "
        "default=str))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=clean_env(**env),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)


def test_deploy_check_is_clean_with_the_production_environment():
    assert {"DJANGO_PRODUCTION", "DATABASE_URL", "REDIS_URL", "DJANGO_EMAIL_HOST"} <= set(
        PRODUCTION_ENV
    )
    result = run_deploy_check(**PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout
    assert "WARNING" not in result.stdout + result.stderr


def test_deploy_check_warns_without_the_production_environment():
    env = {
        k: v
        for k, v in PRODUCTION_ENV.items()
        if k not in {"DJANGO_PRODUCTION", "DJANGO_EMAIL_HOST"}
    }
    result = run_deploy_check(**env)
    assert result.returncode != 0
    # HSTS, SSL redirect, both cookies; e-mail only printed to the console.
    for check in ("security.W004", "security.W008", "security.W012", "security.W016", "mail.E001"):
        assert check in result.stderr, check


def test_production_turns_on_every_tls_setting():
    names = (
        "SECURE_SSL_REDIRECT",
        "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE",
        "SECURE_HSTS_SECONDS",
        "SECURE_HSTS_INCLUDE_SUBDOMAINS",
        "SECURE_HSTS_PRELOAD",
        "SECURE_PROXY_SSL_HEADER",
    )
    on = read_settings(*names, **PRODUCTION_ENV)
    assert on == {
        "SECURE_SSL_REDIRECT": True,
        "SESSION_COOKIE_SECURE": True,
        "CSRF_COOKIE_SECURE": True,
        "SECURE_HSTS_SECONDS": 31536000,
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
        "SECURE_HSTS_PRELOAD": True,
        "SECURE_PROXY_SSL_HEADER": ["HTTP_X_FORWARDED_PROTO", "https"],
    }
    local = read_settings(*names, DJANGO_DEBUG="1")
    assert local == dict.fromkeys(names, False) | {
        "SECURE_HSTS_SECONDS": 0,
        "SECURE_PROXY_SSL_HEADER": None,
    }


def test_each_tls_setting_can_be_turned_off_in_production():
    off = read_settings(
        "SECURE_HSTS_SECONDS",
        "SECURE_HSTS_PRELOAD",
        "SECURE_PROXY_SSL_HEADER",
        **PRODUCTION_ENV,
        DJANGO_SECURE_HSTS_SECONDS="3600",
        DJANGO_SECURE_HSTS_PRELOAD="0",
        DJANGO_BEHIND_TLS_PROXY="0",
    )
    assert off == {
        "SECURE_HSTS_SECONDS": 3600,
        "SECURE_HSTS_PRELOAD": False,
        "SECURE_PROXY_SSL_HEADER": None,
    }


# Databases and cache ------------------------------------------------------------------------


def test_postgresql_notices_an_unreachable_server_within_2_seconds():
    databases = read_settings("DATABASES", DJANGO_DEBUG="1", DATABASE_URL=PRODUCTION_ENV[
        "DATABASE_URL"])["DATABASES"]  # fmt: skip
    assert databases["default"]["OPTIONS"]["connect_timeout"] == 2
    assert databases["default"]["CONN_HEALTH_CHECKS"] is True
    assert "pool" not in databases["default"]["OPTIONS"]


def test_persistent_connections_from_the_environment():
    databases = read_settings(
        "DATABASES",
        DJANGO_DEBUG="1",
        DATABASE_URL=PRODUCTION_ENV["DATABASE_URL"],
        DJANGO_CONN_MAX_AGE="60",
    )["DATABASES"]
    assert databases["default"]["CONN_MAX_AGE"] == 60


def test_db_pool_switch_configures_psycopg_pool():
    databases = read_settings(
        "DATABASES",
        DJANGO_DEBUG="1",
        DATABASE_URL=PRODUCTION_ENV["DATABASE_URL"],
        DJANGO_CONN_MAX_AGE="60",
        DJANGO_DB_POOL="1",
        DJANGO_DB_POOL_MIN_SIZE="2",
        DJANGO_DB_POOL_MAX_SIZE="8",
    )["DATABASES"]
    default = databases["default"]
    assert default["CONN_MAX_AGE"] == 0, "the pool replaces persistent connections"
    assert default["OPTIONS"]["pool"] == {
        "min_size": 2,
        "max_size": 8,
        "timeout": 1.0,
        "reconnect_timeout": 0,
    }


def test_replica_url_adds_a_replica_and_its_router():
    found = read_settings(
        "DATABASES",
        "DATABASE_ROUTERS",
        DJANGO_DEBUG="1",
        DATABASE_URL=PRODUCTION_ENV["DATABASE_URL"],
        DATABASE_REPLICA_URL="postgres://micic:secret@replica.internal:5432/micic",
    )
    replica = found["DATABASES"]["replica"]
    assert replica["HOST"] == "replica.internal"
    assert replica["OPTIONS"]["connect_timeout"] == 2
    assert replica["TEST"]["MIRROR"] == "default"
    assert found["DATABASE_ROUTERS"] == ["micic.db_router.ReplicaRouter"]
    assert read_settings("DATABASE_ROUTERS", DJANGO_DEBUG="1") == {"DATABASE_ROUTERS": []}


def test_redis_url_switches_the_cache_to_redis():
    caches = read_settings("CACHES", DJANGO_DEBUG="1", REDIS_URL="redis://cache.internal:6379/0")
    assert caches["CACHES"]["default"]["BACKEND"] == "micic.cache.FailSoftRedisCache"
    assert caches["CACHES"]["default"]["LOCATION"] == "redis://cache.internal:6379/0"
    assert caches["CACHES"]["default"]["OPTIONS"]["socket_timeout"] == 0.5
    caches = read_settings(
        "CACHES", DJANGO_DEBUG="1", REDIS_URL="redis://cache:6379/0", DJANGO_REDIS_TIMEOUT="2"
    )
    assert caches["CACHES"]["default"]["OPTIONS"]["socket_connect_timeout"] == 2.0
    caches = read_settings("CACHES", DJANGO_DEBUG="1")
    assert caches["CACHES"]["default"]["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache"
