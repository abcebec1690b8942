# Two commands: `make run` (serve the portal with demo data) and `make test` (the whole suite).
# Both work on a machine that has only Python 3.11+; they install everything else themselves.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
# The links in the e-mails lead to the address `make run` serves.
PORTAIL_URL ?= http://$(HOST):$(PORT)
PIP_COMPILE := $(VENV)/bin/pip-compile --quiet --strip-extras --generate-hashes --allow-unsafe \
	--no-emit-index-url --no-emit-find-links

.PHONY: run test install install-dev system-deps system-deps-run lint migrate demo lock worker beat bench bench-pages clean

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(VENV)/.base-installed: requirements/base.txt | $(PY)
	$(PY) -m pip install --quiet --require-hashes -r requirements/base.txt
	touch $@

$(VENV)/.dev-installed: requirements/dev.txt | $(PY)
	$(PY) -m pip install --quiet --require-hashes -r requirements/dev.txt
	touch $@ $(VENV)/.base-installed

install: $(VENV)/.base-installed system-deps-run

install-dev: $(VENV)/.dev-installed system-deps tools/node_modules/.package-lock.json

# The W3C Nu Html Checker (vnu.jar) that the end-to-end tests run, pinned by tools/package-lock.json;
# its install script (a Java download) is skipped: bin/system-deps installs Java.
tools/node_modules/.package-lock.json: tools/package-lock.json | system-deps
	npm ci --prefix tools --ignore-scripts --no-audit --no-fund

# Debian packages: WeasyPrint's Pango/HarfBuzz libraries, and Chromium for the browser tests.
system-deps-run:
	@bin/system-deps run

system-deps:
	@bin/system-deps test

migrate: install
	$(PY) manage.py migrate --noinput

demo: migrate
	$(PY) manage.py charger_referentiels
	$(PY) manage.py charger_demo
	$(PY) manage.py charger_demo_candidatures
	$(PY) manage.py charger_demo_marches
	$(PY) manage.py charger_demo_livrables

run: demo
	PORTAIL_URL=$(PORTAIL_URL) $(PY) manage.py runserver $(HOST):$(PORT)

# Foreground commands: in production a supervisor restarts them if they exit (README, Docker).
worker: install
	$(VENV)/bin/celery -A config worker -Q celery,pdf --loglevel=info

beat: install
	$(VENV)/bin/celery -A config beat --loglevel=info --schedule /tmp/celerybeat-schedule

# mypy checks the files listed in pyproject.toml ([tool.mypy]); services and selectors are fully
# annotated. Its cache is .mypy_cache/.
lint: install-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy

test: install-dev lint
	$(PY) manage.py makemigrations --check --dry-run
	$(VENV)/bin/pytest $(PYTEST_ARGS)

# Speed and memory of the PDF pipeline against the raw weasyprint command (benchmarks/README.md).
bench: install
	$(PY) benchmarks/pdf_pipeline.py

# Every main page against the admin changelist at 10 000 ateliers; needs a PostgreSQL
# DATABASE_URL of its own (the data is built there once, then reused).
bench-pages: install
	$(PY) benchmarks/pages.py

lock: | $(PY)
	$(PY) -m pip install --quiet pip-tools==7.6.2
	$(PIP_COMPILE) -o requirements/base.txt pyproject.toml
	$(PIP_COMPILE) --extra dev -o requirements/dev.txt pyproject.toml

clean:
	rm -rf $(VENV) .pytest_cache db.sqlite3 media
