# The two commands a new user needs: `make build` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
NOTES ?= notes
OUT ?= build

.PHONY: build test lint bench clean

$(BIN)/studydeck: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e .
	touch $@

$(VENV)/.test-deps: pyproject.toml $(BIN)/studydeck
	$(BIN)/python -m pip install -q -e '.[test]'
	touch $@

build: $(BIN)/studydeck
	$(BIN)/studydeck build $(NOTES) -o $(OUT)

test: $(VENV)/.test-deps
	$(BIN)/python -m pytest -q

lint: $(VENV)/.test-deps
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

bench: $(BIN)/studydeck
	$(BIN)/python bench/build_bench.py

clean:
	rm -rf $(OUT)
