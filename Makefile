# The two commands: `make demo` and `make test`. Everything they need is installed from this repository.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)
DEMO_ENV := GUICHET_DEMO=1 DEBUG=1

.PHONY: demo test lint typecheck pytest install bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev,build-data]'
	rm -f $(VENV)/.installed-* && touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	mkdir -p var
	$(DEMO_ENV) $(BIN)/guichet manage migrate --noinput
	$(DEMO_ENV) $(BIN)/guichet data load
	$(DEMO_ENV) $(BIN)/guichet demo
	$(DEMO_ENV) $(BIN)/guichet manage runserver 127.0.0.1:8000

lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

typecheck: $(STAMP)
	$(BIN)/mypy src

pytest: $(STAMP)
	$(BIN)/pytest

test: lint typecheck pytest

bench: $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[dev,bench]'
	for b in bench/bench_*.py; do $(BIN)/python $$b || exit 1; done

clean:
	rm -rf $(VENV) var build *.egg-info
