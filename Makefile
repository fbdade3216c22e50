# The two commands of the README: `make dashboard` (set up, build, serve) and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8866

.PHONY: dashboard setup build serve test test-fast lint bench clean

dashboard: build serve

setup: $(VENV)/.installed

# Reinstall when the project's dependencies change.
$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

build: setup
	$(BIN)/bestbits build

serve: setup
	$(BIN)/bestbits serve --host $(HOST) --port $(PORT)

# lint-imports checks the layer contract in pyproject.toml (README, "Layers").
test: setup
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	$(BIN)/pytest

# The edit-run loop: no browser, no loopback servers, no module marked slow (tests/conftest.py).
test-fast: setup
	$(BIN)/ruff check .
	$(BIN)/pytest -q -m "not browser and not network and not slow"

lint: setup
	$(BIN)/ruff check .
	$(BIN)/lint-imports

bench: setup
	$(BIN)/python benchmarks/bench_build_and_queries.py

clean:
	rm -rf $(VENV) data/bestbits.duckdb data/bestbits.duckdb.wal tests/artifacts
