"""The Makefile: `make run` installs what serving needs and no test tool; `make test` adds the
test extras; e-mail links follow the port `make run` serves on. Read with `make -n -B`, which
prints every command a clean checkout would run, running none."""

import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.skipif(not shutil.which("make"), reason="make is not installed")


def dry_run(*args: str) -> str:
    result = subprocess.run(
        ["make", "-n", "-B", *args], cwd=ROOT, capture_output=True, text=True, check=True
    )
    return result.stdout


def installs(commands: str) -> list[str]:
    return re.findall(r"pip install .*", commands)


def test_make_run_installs_the_runtime_dependencies_only():
    commands = dry_run("run")
    assert any(line.endswith("-e .") for line in installs(commands))
    assert "[dev]" not in commands
    assert "runserver" in commands


def test_make_test_and_lint_add_the_test_extras():
    for target in ("test", "lint"):
        assert any(line.endswith("-e '.[dev]'") for line in installs(dry_run(target))), target


def test_make_run_and_serve_give_e_mails_the_address_they_serve_on():
    run = dry_run("run", "PORT=9123")
    assert 'DJANGO_SITE_URL="${DJANGO_SITE_URL:-http://127.0.0.1:9123}"' in run
    assert "runserver --nostatic 127.0.0.1:9123" in run
    serve = dry_run("serve", "PORT=9124")
    assert "DJANGO_SITE_URL=" in serve and "127.0.0.1:9124" in serve
    # The variable itself, when set, wins: ${DJANGO_SITE_URL:-…} in both.
    assert serve.count("${DJANGO_SITE_URL:-") == 1


def test_the_expanded_site_address_is_what_the_shell_sees():
    line = next(
        part for part in dry_run("run", "PORT=9125").split() if part.startswith("DJANGO_SITE_URL=")
    )
    echo = f"{line}; echo $DJANGO_SITE_URL"
    unset = subprocess.run(["bash", "-c", echo], capture_output=True, text=True, env={})
    assert unset.stdout.strip() == "http://127.0.0.1:9125"
    given = subprocess.run(
        ["bash", "-c", echo],
        capture_output=True,
        text=True,
        env={"DJANGO_SITE_URL": "https://micic.example.org"},
    )
    assert given.stdout.strip() == "https://micic.example.org"
