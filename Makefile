# Accord — everyday commands. Needs Python ≥ 3.11, make and network access to PyPI.
#
#   make demo     environment, demo data, server on http://127.0.0.1:8000 (prints the login)
#   make test     the test suite (SQLite; PostgreSQL when DATABASE_URL points there)
#   make lint     ruff check, ruff format --check, mypy, migrations up to date
#   make format   ruff format + ruff check --fix
#   make bench    benchmark at its default size (see bench/README.md for S and M)
#   make bench-io imports, mail capture and exports at the sizes of issue 3
#   make bench-pipeline  board, forecast and reports at 100,000 opportunities
#   make bench-business  purchasing, contracts, cases, orders and portal pages on the demo data
#   make lock     recompile requirements.lock from pyproject.toml

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
# The environment is (re)installed only when the lock file changes.
STAMP := $(VENV)/.installed-from-lock

PYTEST_ARGS ?=
BENCH_ARGS ?=
# mypy checks the code that holds the rules: services, selectors and the analysis engine.
MYPY_ALL := $(wildcard accord/*/services.py accord/*/services accord/*/selectors.py \
	accord/*/selectors accord/dataio/*/services.py accord/dataio/*/services \
	accord/dataio/*/selectors.py accord/core/jobs.py accord/intelligence/engine)
# Files with type errors still to fix: remove a file from this list once mypy passes on it.
MYPY_PENDING ?=
MYPY_PATHS ?= $(filter-out $(MYPY_PENDING),$(MYPY_ALL))

.DEFAULT_GOAL := help
.PHONY: help env demo serve test lint format bench bench-io bench-pipeline bench-business lock

help:
	@sed -n '1p;3,12p' Makefile | sed 's/^# \{0,1\}//'

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null || { \
		echo "Accord needs Python 3.11 or newer; '$(PYTHON)' is older or missing."; \
		echo "Run for example: make $(MAKECMDGOALS) PYTHON=python3.12"; exit 1; }
	$(PYTHON) -m venv $(VENV)

$(STAMP): requirements.lock | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	@touch $@

env: $(STAMP)

demo: $(STAMP)
	$(BIN)/accord demo

serve: $(STAMP)
	$(BIN)/accord serve

test: $(STAMP)
	$(BIN)/pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy --follow-imports=silent $(MYPY_PATHS)
	env -u DATABASE_URL DJANGO_SETTINGS_MODULE=accord.settings.test \
		$(BIN)/python manage.py makemigrations --check --dry-run

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: $(STAMP)
	$(BIN)/python bench/run.py $(BENCH_ARGS)

# Data in and out at the sizes issue 3 names: 100,000 CSV rows, a 10,000-message mbox,
# 50,000 people exported to CSV and XLSX (several minutes).
bench-io: $(STAMP)
	$(BIN)/python bench/import_bench.py
	$(BIN)/python bench/mail_bench.py
	$(BIN)/python bench/export_bench.py

# The pipeline pages (board, forecast, reports) at 100,000 opportunities on SQLite.
bench-pipeline: $(STAMP)
	$(BIN)/python bench/pipeline_bench.py $(BENCH_ARGS)

# The pages of purchasing, contracts, community, cases, commerce and the portal on the demo data.
bench-business: $(STAMP)
	$(BIN)/python bench/business_bench.py $(BENCH_ARGS)

lock: | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check uv
	$(BIN)/uv pip compile pyproject.toml --extra dev -o requirements.lock --python-version 3.11
