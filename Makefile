# Two commands for a newcomer: `make run` and `make test`. Everything else is for maintainers.
SHELL := /bin/bash
PYTHON_WANTED := $(shell cat .python-version 2>/dev/null || echo 3.12)
PYTHON ?= $(shell command -v python$(PYTHON_WANTED) 2>/dev/null || command -v python3 2>/dev/null)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test test-languages lint messages bench profile check-python clean browser-tools bench-reminders chaos-reminders

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
	$(MAKE) test-languages

## make test-languages: the site with four languages (LANGUAGES=$(MORE_LANGUAGES)): the same
## migrations fit, the in-process tests (not the slow ones), and the browser checks of one
## Vietnamese and one Arabic page (axe, Nu)
MORE_LANGUAGES ?= es,en,vi,ar
test-languages: $(STAMP)
	@echo "Languages pass: LANGUAGES=$(MORE_LANGUAGES)"
	LANGUAGES=$(MORE_LANGUAGES) $(BIN)/python manage.py check
	LANGUAGES=$(MORE_LANGUAGES) $(BIN)/python manage.py makemigrations --check --dry-run
	LANGUAGES=$(MORE_LANGUAGES) $(BIN)/python -m pytest -q --ignore=tests/browser -m "not slow"
	LANGUAGES=$(MORE_LANGUAGES) $(BIN)/python -m pytest -q tests/browser/test_languages.py

## make browser-tools: the W3C Nu HTML checker that tests/browser runs (needs npm; .ci/run calls it;
## Chromium and Java come from Debian: apt-get install chromium default-jre-headless)
VNU_JAR := .cache/node/node_modules/vnu-jar/build/dist/vnu.jar
browser-tools: $(VNU_JAR)

$(VNU_JAR):
	npm install --prefix .cache/node --no-audit --no-fund --silent vnu-jar

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

## make messages: refresh locale/es, vi and ar after changing strings (needs GNU gettext, a maintainer tool only)
messages: $(STAMP)
	$(BIN)/python manage.py makemessages -l es -l vi -l ar --no-location --no-obsolete --no-wrap --ignore=.venv --ignore=tests --ignore=bench
	$(BIN)/python manage.py compile_translations

## make bench: page weight (demo data), then req/s and CPU per request against a vanilla Django
## floor (bench/vanilla/floor.py, same gunicorn), cached and cold: PostgreSQL + Redis with 50 and
## 500 upcoming meetings, then the embedded default; first-visit weight, Lighthouse (bench/run.py)
bench: $(STAMP)
	$(BIN)/python bench/page_weight.py
	$(BIN)/python bench/run.py

## make profile: pyinstrument call trees of a cold render and a cached hit of the public pages
## (SQLite in a temporary folder; BENCH_UPCOMING meetings to come, default 50)
profile: $(STAMP)
	$(BIN)/python bench/profile.py

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
