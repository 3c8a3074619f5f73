# Redress: `make run` starts the whole stack, `make test` runs every check.
# Everything runs from the project's own virtualenv (.venv); nothing is installed globally.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# Two installs, each stamped and done again whenever pyproject.toml changes: what running
# Redress needs (the runtime and Temporal's dev server, the `stack` extra), and everything
# the checks and benchmarks need on top (the `dev` extra: test servers, linters, fuzzers,
# the browser driver...). Tracing's exporter (the `otel` extra) comes with `dev` only: a
# stack that should export traces needs `.venv/bin/pip install -e '.[stack,otel]'`.
RUN_STAMP := $(VENV)/.installed-run
DEV_STAMP := $(VENV)/.installed-dev
PACKAGES := core domain workflows activities api store inbound benchmarks chaos evaluation worker.py

# Tests start `temporal` and `temporal-test-server` from the virtualenv.
export PATH := $(CURDIR)/$(BIN):$(PATH)

.PHONY: venv venv-run run test lint fmt clean chaos bench

# Everything, for the checks; `venv-run` for running Redress alone.
venv: $(DEV_STAMP)
venv-run: $(RUN_STAMP)

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(RUN_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[stack]'
	touch $@

# `dev` includes `stack`, so this install is the runtime's too.
$(DEV_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(RUN_STAMP) $@

run: venv-run
	$(BIN)/python -m core.stack

# The full chaos run (docs/reliability.md): its own stack in a temporary directory, 500
# cases under worker kills and restarts; CHAOS_ARGS="--cases 50" for a shorter one.
chaos: venv-run
	$(BIN)/python -m chaos $(CHAOS_ARGS)

lint: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy $(PACKAGES)

# The store's PostgreSQL tests run on a real server that scripts/postgres-for-tests starts
# (installing Debian's package when it can); the compose file is checked by the
# `docker-compose` that scripts/debian-tool-for-tests finds or installs (no Docker engine
# needed); the console's browser test drives the Chromium that scripts/chromium-for-tests
# finds or installs (Debian's package, never a download) and checks pages with the
# axe-core that scripts/axe-for-tests installs from npm once; the alerting rules are checked
# by Prometheus, and the proxy's configuration by nginx, both found or installed the same
# way as docker-compose (Debian's packages); the mail gateway's IMAP poller reads a real
# Dovecot (Debian's dovecot-imapd, found or installed the same way; each test runs its own
# with a throwaway configuration, tests/imap_server.py). Without any of them, those tests
# skip and say why. The tests run in one process per core (pytest-xdist), each test file
# whole in one process so that its module-scoped servers start once; `PYTEST_ARGS=-n0`
# runs them in this process instead.
PYTEST_ARGS ?= -n auto --dist loadfile
test: lint
	REDRESS_TEST_POSTGRES_URL="$${REDRESS_TEST_POSTGRES_URL:-$$(scripts/postgres-for-tests)}" \
	REDRESS_TEST_DOCKER_COMPOSE="$${REDRESS_TEST_DOCKER_COMPOSE:-$$(scripts/debian-tool-for-tests docker-compose docker-compose)}" \
	REDRESS_TEST_CHROMIUM="$${REDRESS_TEST_CHROMIUM:-$$(scripts/chromium-for-tests)}" \
	REDRESS_TEST_AXE="$${REDRESS_TEST_AXE:-$$(scripts/axe-for-tests)}" \
	REDRESS_TEST_PROMETHEUS="$${REDRESS_TEST_PROMETHEUS:-$$(scripts/debian-tool-for-tests prometheus prometheus promtool)}" \
	REDRESS_TEST_NGINX="$${REDRESS_TEST_NGINX:-$$(scripts/debian-tool-for-tests nginx nginx)}" \
	REDRESS_TEST_DOVECOT="$${REDRESS_TEST_DOVECOT:-$$(scripts/debian-tool-for-tests dovecot-imapd dovecot)}" \
		$(BIN)/python -m pytest $(PYTEST_ARGS)

fmt: venv
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Keeps var/ (the stack's data: every complaint); delete it by hand to start afresh.
clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache *.egg-info
	find . -name __pycache__ -type d -prune -exec rm -rf {} +

# Benchmarks (their tables and CPU readings need the dev tools).
bench: venv
	$(BIN)/python -m benchmarks
