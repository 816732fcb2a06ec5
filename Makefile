# Weerbaar task runner. The README shows the same commands.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: demo test lint types bench serve clean messages screenshots lock upgrade

LOCK := requirements.lock
# One command writes the lock: every package (test tools and installers included) pinned
# with the hashes of all its files, for every platform and Python >= 3.11.
COMPILE = $(BIN)/uv pip compile pyproject.toml requirements-tools.in --extra test --universal \
	--python-version 3.11 --generate-hashes --quiet -o $(LOCK)

# Installs exactly what the lock names (hash-checked); the project itself without resolving.
$(STAMP): pyproject.toml $(LOCK)
	@$(PYTHON) -c 'import sys; sys.exit("Python 3.11 or newer is required") if sys.version_info < (3, 11) else None'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --require-hashes --no-deps -r $(LOCK)
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	$(BIN)/python -m pip check
	touch $(STAMP)

## make demo: set up, load the framework library and the demo region, serve on 127.0.0.1:8000
demo: $(STAMP)
	mkdir -p var
	WEERBAAR_DEMO=1 $(BIN)/weerbaar migrate --no-input
	WEERBAAR_DEMO=1 $(BIN)/weerbaar demo
	WEERBAAR_DEMO=1 WEERBAAR_DEBUG=0 $(BIN)/weerbaar serve --bind $(HOST):$(PORT)

## make test: set up and run everything (lint, types, migrations check, unit, browser)
test: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy
	$(BIN)/weerbaar makemigrations --check --dry-run --no-input
	$(BIN)/weerbaar framework validate
	$(BIN)/pytest

lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

types: $(STAMP)
	$(BIN)/mypy

## make bench: every benchmark on SQLite, then on PostgreSQL when it answers; writes
## bench/results.json and bench/RESULTS.md, and fails when a target is missed
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/weerbaar_bench
BENCHES := run saves regional rounds imports scenario
bench: $(STAMP)
	rm -f bench/results.json
	@status=0; \
	for script in $(BENCHES); do echo "== $$script (SQLite)"; $(BIN)/python bench/$$script.py || status=1; done; \
	if $(BIN)/python bench/postgres.py "$(BENCH_DATABASE_URL)"; then \
	  for script in $(BENCHES); do echo "== $$script (PostgreSQL)"; \
	    DATABASE_URL="$(BENCH_DATABASE_URL)" $(BIN)/python bench/$$script.py || status=1; done; \
	else echo "PostgreSQL not reachable: SQLite only"; fi; \
	$(BIN)/python bench/report.py > /dev/null || status=1; \
	echo "== bench/RESULTS.md"; cat bench/RESULTS.md; exit $$status

messages: $(STAMP)
	cd src/weerbaar && ../../$(BIN)/weerbaar makemessages -l en --no-obsolete
	cd src/weerbaar && ../../$(BIN)/weerbaar compilemessages -l en

screenshots: $(STAMP)
	WEERBAAR_SCREENSHOTS=docs/screenshots $(BIN)/pytest tests/browser

## make lock: write requirements.lock again after a change in pyproject.toml (keeps versions)
lock: $(STAMP)
	$(COMPILE)
	rm -f $(STAMP)

## make upgrade: every package to its newest release the ranges in pyproject.toml allow
upgrade: $(STAMP)
	$(COMPILE) --upgrade
	rm -f $(STAMP)

clean:
	rm -rf $(VENV) var/*.sqlite3* var/static
