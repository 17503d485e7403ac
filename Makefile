# The two commands: `make demo` and `make test`. Everything they need is installed from this repository.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml requirements/pip.txt requirements/dev.txt | cksum | cut -d' ' -f1)
# The demo runs as production does (DEBUG off: the site's own error pages, no debug page), with a secret key
# and a signing key (the audit chain's, docs/audit.md) of its own, made at the first run under var/. Its
# agency is invented, and says so wherever its contact is shown (page footers, error pages, dossier).
DEMO_KEY := var/demo-secret-key
DEMO_SIGNING_KEY := var/demo-signing-key.pem
DEMO_ENV := GUICHET_DEMO=1 SECRET_KEY="$$(cat $(DEMO_KEY))" GUICHET_SIGNING_KEY_FILE=$(DEMO_SIGNING_KEY) \
	GUICHET_AGENCY_NAME="Agence régionale de développement (DEMO)" GUICHET_AGENCY_EMAIL=guichet@agence-demo.example

.PHONY: demo test lint typecheck pytest install bench clean lock lock-upgrade

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Installs come from the lock files in requirements/: exact versions with their SHA-256 hashes, so that two
# machines run the same code. pyproject.toml holds the compatible ranges the lock is resolved from.
#   requirements/pip.txt    the installer itself, installed first: the pip a fresh `python -m venv` ships can
#                           be older than the lock's format (pip 23.2 misreads a pinned package's extras)
#   requirements/prod.txt   the application with the `prod` extra (gunicorn, redis): what a server installs
#   requirements/dev.txt    + the `dev` and `build-data` extras: what `make demo` and `make test` install
#   requirements/bench.txt  + the `bench` extra: what `make bench` adds
# After changing a dependency in pyproject.toml, run `make lock` (keeps every other pin) and commit the four
# files; `make lock-upgrade` moves every pin to the newest release the ranges allow.
PIP_COMPILE := $(BIN)/pip-compile --quiet --generate-hashes --allow-unsafe --strip-extras \
	--no-emit-index-url --no-emit-find-links $(LOCK_FLAGS)
LOCK := $(PIP_COMPILE) --all-build-deps
$(STAMP): $(BIN)/python pyproject.toml requirements/pip.txt requirements/dev.txt
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements/pip.txt
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements/dev.txt
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	rm -f $(VENV)/.installed-* && touch $(STAMP)

install: $(STAMP)

lock: $(STAMP)
	$(LOCK) --extra prod -o requirements/prod.txt pyproject.toml
	$(LOCK) --extra prod --extra dev --extra build-data -c requirements/prod.txt -o requirements/dev.txt pyproject.toml
	$(LOCK) --extra prod --extra dev --extra build-data --extra bench -c requirements/dev.txt \
		-o requirements/bench.txt pyproject.toml
	$(PIP_COMPILE) -c requirements/dev.txt -o requirements/pip.txt requirements/pip.in

lock-upgrade:
	$(MAKE) lock LOCK_FLAGS=--upgrade

# The server and the background worker (imports run as jobs) start together and stop together: Ctrl-C
# reaches both, and the worker is ended by its process id when the server exits for any other reason.
$(DEMO_KEY):
	mkdir -p var
	umask 077 && $(PYTHON) -c "import secrets; print(secrets.token_urlsafe(50))" > $@

$(DEMO_SIGNING_KEY): | $(STAMP)  # order-only: a key that signed heads is never replaced
	mkdir -p var
	$(BIN)/guichet audit generate-key $@ >/dev/null

demo: $(STAMP) $(DEMO_KEY) $(DEMO_SIGNING_KEY)
	mkdir -p var/static  # WhiteNoise's root: the demo serves static files through the finders
	$(DEMO_ENV) $(BIN)/guichet manage migrate --noinput
	$(DEMO_ENV) $(BIN)/guichet data load
	$(DEMO_ENV) $(BIN)/guichet demo
	$(DEMO_ENV) $(BIN)/guichet manage db_worker --no-reload --no-startup-delay & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	$(DEMO_ENV) $(BIN)/guichet manage runserver 127.0.0.1:8000

lint: $(STAMP)
	$(BIN)/ruff check src tests bench deploy
	$(BIN)/ruff format --check src tests bench deploy

typecheck: $(STAMP)
	$(BIN)/mypy src

pytest: $(STAMP)
	$(BIN)/pytest

test: lint typecheck pytest

bench: $(STAMP)
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements/bench.txt
	for b in bench/bench_*.py; do $(BIN)/python $$b || exit 1; done

clean:
	rm -rf $(VENV) var build *.egg-info
