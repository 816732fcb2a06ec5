# Weerbaar task runner. The README shows the same commands.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: demo test lint types bench serve clean messages screenshots

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit("Python 3.11 or newer is required") if sys.version_info < (3, 11) else None'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

## make demo: set up, load the framework library and the demo region, serve on 127.0.0.1:8000
demo: $(STAMP)
	mkdir -p var
	WEERBAAR_DEMO=1 $(BIN)/weerbaar migrate --no-input
	WEERBAAR_DEMO=1 $(BIN)/weerbaar demo
	WEERBAAR_DEMO=1 $(BIN)/weerbaar runserver $(HOST):$(PORT)

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

bench: $(STAMP)
	$(BIN)/python bench/run.py
	$(BIN)/python bench/saves.py
	$(BIN)/python bench/regional.py

messages: $(STAMP)
	cd src/weerbaar && ../../$(BIN)/weerbaar makemessages -l en --no-obsolete
	cd src/weerbaar && ../../$(BIN)/weerbaar compilemessages -l en

screenshots: $(STAMP)
	WEERBAAR_SCREENSHOTS=docs/screenshots $(BIN)/pytest tests/browser

clean:
	rm -rf $(VENV) var/*.sqlite3* var/static
