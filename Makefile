# Redress: `make run` starts the whole stack, `make test` runs every check.
# Everything runs from the project's own virtualenv (.venv); nothing is installed globally.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PACKAGES := core domain workflows activities api store worker.py

# Tests start `temporal` and `temporal-test-server` from the virtualenv.
export PATH := $(CURDIR)/$(BIN):$(PATH)

.PHONY: venv run test lint fmt clean

venv: $(STAMP)

# Reinstalls whenever pyproject.toml changes.
$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

run: venv
	$(BIN)/python -m core.stack

lint: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy $(PACKAGES)

# The store's PostgreSQL tests run on a real server that scripts/postgres-for-tests starts
# (installing Debian's package when it can); without one they skip and say why.
test: lint
	REDRESS_TEST_POSTGRES_URL="$${REDRESS_TEST_POSTGRES_URL:-$$(scripts/postgres-for-tests)}" \
		$(BIN)/python -m pytest

fmt: venv
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Keeps var/ (the stack's data: every complaint); delete it by hand to start afresh.
clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache *.egg-info
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
