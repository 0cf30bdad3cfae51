# Two commands: `make run` and `make test` (see README.md).
SHELL := /bin/bash
.DEFAULT_GOAL := help
PORT ?= 8000
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip

# The first interpreter >= 3.12 found: python3.13, python3.12, pyenv's, then python3.
PYTHON_CANDIDATES := python3.13 python3.12 \
	$(sort $(wildcard $(HOME)/.pyenv/versions/3.1[3-9]*/bin/python)) \
	$(sort $(wildcard $(HOME)/.pyenv/versions/3.12*/bin/python)) python3

# Local defaults for running without DJANGO_DEBUG: a generated key, loopback hosts.
LOCAL_ENV = DJANGO_SECRET_KEY="$${DJANGO_SECRET_KEY:-$$(cat .secret-key)}" \
	DJANGO_ALLOWED_HOSTS="$${DJANGO_ALLOWED_HOSTS:-127.0.0.1,localhost}"

.PHONY: help run serve test setup lint format clean

help:
	@echo "make run   - set up and serve the site on http://127.0.0.1:$(PORT)/"
	@echo "make serve - set up and serve with gunicorn (production server; README.md)"
	@echo "make test  - set up and run the whole test suite"
	@echo "make lint  - ruff check and format check"

$(VENV)/.installed: pyproject.toml
	@py=""; for c in $(PYTHON_CANDIDATES); do \
	  if command -v "$$c" >/dev/null 2>&1 && "$$c" -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then py="$$c"; break; fi; \
	done; \
	if [ -z "$$py" ]; then \
	  echo "error: Python 3.12 or newer is required (Django 6.1). Install python3.12 or python3.13, or a pyenv version, and run make again." >&2; exit 1; \
	fi; \
	if [ ! -x $(PY) ] || ! $(PY) -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then \
	  echo "Creating $(VENV) with $$py ($$($$py --version))"; rm -rf $(VENV); "$$py" -m venv $(VENV) || exit 1; \
	fi
	$(PIP) install --quiet --disable-pip-version-check --upgrade pip
	$(PIP) install --quiet --disable-pip-version-check -e .
	@touch $@

# The test and lint tools (pytest, Playwright, schemathesis, ruff): `make test`, `make lint`.
$(VENV)/.installed-dev: $(VENV)/.installed
	$(PIP) install --quiet --disable-pip-version-check -e '.[dev]'
	@touch $@

.secret-key:
	@$(PY) -c 'import secrets; print(secrets.token_urlsafe(50))' > $@
	@chmod 600 $@

setup: $(VENV)/.installed .secret-key
	@command -v msgfmt >/dev/null 2>&1 || { echo "error: msgfmt not found: install gettext (Debian: apt-get install gettext)" >&2; exit 1; }
	$(LOCAL_ENV) $(PY) manage.py compilemessages --ignore .venv --ignore staticfiles --ignore node_modules --verbosity 0
	$(LOCAL_ENV) $(PY) manage.py migrate --no-input
	$(LOCAL_ENV) $(PY) manage.py load_micic
	$(LOCAL_ENV) $(PY) manage.py publish_dataset
	$(LOCAL_ENV) $(PY) manage.py collectstatic --no-input --verbosity 0

# The task worker (e-mails; docs/deploy.md, "E-mail") runs beside the web server and
# stops with it. Links in e-mails point at the address the server answers on, unless
# DJANGO_SITE_URL says.
WORKER = $(LOCAL_ENV) $(PY) manage.py db_worker --no-reload --queue-name '*' & \
	worker=$$!; trap 'kill $$worker 2>/dev/null' EXIT;

run: setup
	@echo "Serving on http://127.0.0.1:$(PORT)/ (with the task worker)"
	export DJANGO_SITE_URL="$${DJANGO_SITE_URL:-http://127.0.0.1:$(PORT)}" ; \
	  $(WORKER) $(LOCAL_ENV) $(PY) manage.py runserver --nostatic 127.0.0.1:$(PORT)

# gunicorn, configured by gunicorn.conf.py from the environment; whitenoise serves the
# compressed, hashed static files that `setup` collected.
serve: setup
	@echo "Serving with gunicorn on http://$${GUNICORN_BIND:-127.0.0.1:$(PORT)}/ (with the task worker)"
	export DJANGO_SITE_URL="$${DJANGO_SITE_URL:-http://$${GUNICORN_BIND:-127.0.0.1:$(PORT)}}" ; \
	  $(WORKER) PORT=$(PORT) $(LOCAL_ENV) $(VENV)/bin/gunicorn --config gunicorn.conf.py

test: $(VENV)/.installed-dev setup
	$(VENV)/bin/ruff check .
	$(PY) -m pytest $(PYTEST_ARGS)

lint: $(VENV)/.installed-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(VENV)/.installed-dev
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache
