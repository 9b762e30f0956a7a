# Accountable: the commands a person (and CI) runs. `make demo` and `make test` are the two the
# README starts with; every target sets up what it needs first and is quick when that is done.

SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
PORT ?= 8000
VENV := .venv
BIN := $(VENV)/bin
# Reinstall only when the dependencies change.
STAMP := $(VENV)/.installed-$(shell cksum < pyproject.toml | cut -d' ' -f1)
PYTEST ?= $(BIN)/pytest
# The database `make test-postgres` runs on (.ci/run creates this role and database).
TEST_DATABASE_URL ?= postgres://accountable:accountable@127.0.0.1:5432/accountable
BENCH_ARGS ?=
LOAD_ARGS ?=
FUZZ_EXAMPLES ?= 300
# The load test's extra packages (locust), installed only by `make load`.
LOAD_STAMP := $(VENV)/.installed-load-$(shell cksum < pyproject.toml | cut -d' ' -f1)

.PHONY: help setup demo serve test test-postgres test-browser bench bench-assignment lint load fuzz

help:
	@echo "make demo            set up, load the demo programme and serve it on http://127.0.0.1:$(PORT)/"
	@echo "make test            set up, then ruff, mypy, checks and the whole test suite on SQLite"
	@echo "make test-postgres   the test suite on PostgreSQL (TEST_DATABASE_URL=$(TEST_DATABASE_URL))"
	@echo "make test-browser    the browser smoke test in Chromium (/usr/bin/chromium)"
	@echo "make bench           the benchmark: 100,000 accounts on SQLite and PostgreSQL (BENCH_ARGS=...)"
	@echo "make bench-assignment  the KAM assignment optimiser: 2,000 accounts, 200 KAMs"
	@echo "make load            load test: 100 users for 5 minutes, 4 gunicorn processes on PostgreSQL (LOAD_ARGS=...)"
	@echo "make fuzz            the API fuzzer with $(FUZZ_EXAMPLES) examples per operation (FUZZ_EXAMPLES=...)"
	@echo "make lint            ruff and mypy only"
	@echo "make setup           the virtualenv (.venv), dependencies and front-end assets"

$(STAMP):
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null || { \
		echo "Accountable needs Python 3.11 or newer; '$(PYTHON)' is:" \
		"$$($(PYTHON) --version 2>&1 || echo 'not installed')." \
		"Install one and run, for example: make PYTHON=python3.12 $(MAKECMDGOALS)" >&2; exit 1; }
	@if [ -x $(BIN)/python ] && ! $(BIN)/python -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then \
		echo "Replacing $(VENV), made with an older Python." && rm -rf $(VENV); fi
	@[ -x $(BIN)/python ] || { echo "Creating $(VENV) with $$($(PYTHON) --version)"; $(PYTHON) -m venv $(VENV); }
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	@rm -f $(VENV)/.installed-* && touch $@

setup: $(STAMP)
	@$(BIN)/python tools/vendor_assets.py

demo: setup
	@$(BIN)/accountable migrate --no-input -v 0
	@$(BIN)/accountable demo
	@$(MAKE) --no-print-directory serve

# Plain HTTP on this machine, so the session cookie cannot be marked secure; logs as plain text
# for a person at the terminal (production logs JSON).
serve: setup
	@echo "Open http://127.0.0.1:$(PORT)/ and sign in as director (or kam1, member1, executive," \
		"outsider) with the password accountable-demo. Ctrl+C stops the server."
	@SECURE_COOKIES=false LOG_FORMAT=plain $(BIN)/accountable serve --port $(PORT)

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy .

test: lint
	$(BIN)/accountable check
	$(BIN)/accountable makemigrations --check --dry-run
	$(PYTEST) -n 2 --dist loadgroup -m "not browser"

test-postgres: setup
	TEST_DATABASE_URL=$(TEST_DATABASE_URL) $(PYTEST) -n 2 --dist loadgroup -m "not browser"

test-browser: setup
	$(PYTEST) -n 0 -m browser

bench-assignment: setup
	$(BIN)/python bench/assignment.py

bench: setup
	$(BIN)/python bench/run.py $(BENCH_ARGS)

$(LOAD_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev,load]'
	@rm -f $(VENV)/.installed-load-* && touch $@

# On loopback only; its own database (LOAD_POSTGRES_URL, default accountable_load).
load: setup $(LOAD_STAMP)
	$(BIN)/python bench/load_run.py $(LOAD_ARGS)

fuzz: setup
	FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) $(PYTEST) -n 2 -q tests/api/test_fuzz.py
