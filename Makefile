# Reunify: one command to run it (make demo), one to test it (make test).
SHELL := /bin/bash
PYTHON ?= python3
UV_VERSION := 0.13.9
VENV := .venv
BIN := $(VENV)/bin
UV := $(BIN)/uv
DEMO_CASES ?= 60
DEMO_SEED ?= 20261122
export UV_PROJECT_ENVIRONMENT := $(CURDIR)/$(VENV)

.PHONY: install demo serve test test-fast test-browser lint format bench messages vendor clean

# A .venv in the repo root, uv bootstrapped inside it, every package from uv.lock.
$(BIN)/reunify: pyproject.toml uv.lock
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@test -x $(UV) || $(BIN)/python -m pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)
	$(UV) sync --frozen --quiet
	@touch $@

install: $(BIN)/reunify

# Migrate the SQLite database in var/, load the demo agency once, then serve on 127.0.0.1:8000.
demo: install
	@mkdir -p var
	$(BIN)/reunify migrate --noinput -v 0
	@if [ ! -f var/demo-loaded ]; then \
		$(BIN)/reunify demo-data --cases $(DEMO_CASES) --seed $(DEMO_SEED) && touch var/demo-loaded; \
	fi
	@$(BIN)/reunify demo-accounts
	REUNIFY_DEBUG=1 $(BIN)/reunify serve

serve: install
	$(BIN)/reunify serve

# On every core (pytest-xdist; each worker has its own test database).
test: install
	$(BIN)/pytest -q -n auto

test-browser: install
	$(BIN)/pytest -q -m browser tests/browser

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/mypy

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# make bench runs every benchmark; make bench BENCH=indicators only the named ones.
bench: install
	$(BIN)/python benchmarks/run.py $(BENCH)

# Regenerate the Spanish catalogue after changing strings (needs gettext's msgfmt).
messages: install
	cd src/reunify && ../../$(BIN)/reunify makemessages -l es --no-obsolete --no-location
	cd src/reunify && ../../$(BIN)/reunify compilemessages

# Refresh the vendored front-end files from the npm registry (versions pinned in package.json).
vendor:
	npm ci --silent
	bash scripts/vendor.sh

clean:
	rm -rf $(VENV) var
