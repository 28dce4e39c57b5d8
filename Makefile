# Two commands for a newcomer: `make run` and `make test`. Everything else is for maintainers.
SHELL := /bin/bash
PYTHON_WANTED := $(shell cat .python-version 2>/dev/null || echo 3.12)
PYTHON ?= $(shell command -v python$(PYTHON_WANTED) 2>/dev/null || command -v python3 2>/dev/null)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint messages bench check-python clean browser-tools bench-reminders chaos-reminders

check-python:
	@if [ -z "$(PYTHON)" ] || ! "$(PYTHON)" -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then \
		echo "This project needs Python 3.12 or newer (Django 6.1 requires it)."; \
		echo "Found: $$($(PYTHON) --version 2>&1 || echo 'no python3 on PATH')."; \
		echo "Install one, for example 'pyenv install $(PYTHON_WANTED)' or 'uv python install $(PYTHON_WANTED)',"; \
		echo "or point make at it: make PYTHON=/path/to/python3.12 run"; \
		exit 1; \
	fi

$(BIN)/python: | check-python
	"$(PYTHON)" -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $(STAMP)

## make run: install, migrate, load the demo series, serve http://127.0.0.1:8000/ and send reminders
run: $(STAMP)
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py createcachetable
	$(BIN)/python manage.py seed_demo
	$(BIN)/python manage.py serve_local 127.0.0.1:8000

## make test: install and run the whole suite (PostgreSQL/Redis when DATABASE_URL/REDIS_URL are set),
## then the in-process tests again with the clock pinned at an awkward moment (tests/conftest.py)
PINNED_CLOCK ?= 2027-03-14T05:30
test: $(STAMP)
	$(BIN)/python manage.py check
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/python -m pytest
	@echo "Pinned-clock pass: the clock starts at $(PINNED_CLOCK) in Chicago (a Sunday, clocks go forward)"
	OUTREACH_TEST_CLOCK=$(PINNED_CLOCK) $(BIN)/python -m pytest -q

## make browser-tools: the W3C Nu HTML checker that tests/browser runs (needs npm; .ci/run calls it;
## Chromium and Java come from Debian: apt-get install chromium default-jre-headless)
VNU_JAR := .cache/node/node_modules/vnu-jar/build/dist/vnu.jar
browser-tools: $(VNU_JAR)

$(VNU_JAR):
	npm install --prefix .cache/node --no-audit --no-fund --silent vnu-jar

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

## make messages: refresh locale/es after changing strings (needs GNU gettext, a maintainer tool only)
messages: $(STAMP)
	$(BIN)/python manage.py makemessages -l es --no-location --no-obsolete --ignore=.venv --ignore=tests --ignore=bench
	$(BIN)/python manage.py compile_translations

## make bench: page weight (demo data), then gunicorn + PostgreSQL + Redis with 200 meetings:
## req/s against the Django floor (wrk), first-visit weight and requests, Lighthouse (bench/run.py)
bench: $(STAMP)
	$(BIN)/python bench/page_weight.py
	$(BIN)/python bench/run.py

## make bench-reminders: 100,000 subscribers on PostgreSQL (DATABASE_URL): plan + one dispatcher
## pass (wall time, peak memory), then sends per second through 2 worker processes (REDIS_URL)
bench-reminders: $(STAMP)
	$(BIN)/python bench/reminders.py

## make chaos-reminders: 2,000 texts on a production-like stack (2 workers, beat, PostgreSQL at
## DATABASE_URL, Redis): workers killed, a provider that times out; counts duplicates and losses
chaos-reminders: $(STAMP)
	$(BIN)/python bench/chaos_reminders.py $(CHAOS_ARGS)

clean:
	rm -rf $(VENV) data
