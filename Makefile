# Hearth: the single entry point. `make demo` to run it, `make test` to test it.
SHELL := /bin/bash
PY := .venv/bin/python
export DJANGO_SETTINGS_MODULE ?= hearth.settings.dev
SIZE ?= medium
SEED ?= 1
# The suite runs on every core (pytest-xdist); each worker has its own database.
TEST_WORKERS ?= $(shell nproc 2>/dev/null || echo 2)

.PHONY: demo setup setup-test frontend migrate seed serve test test-sqlite test-postgres lint bench reset clean

## First command: a fresh machine to a running Hearth with a synthetic council and demo logins.
demo: setup migrate seed serve

setup:
	bash scripts/setup-system.sh run
	bash scripts/setup-python.sh
	bash scripts/build-frontend.sh

migrate:
	@mkdir -p var
	$(PY) manage.py migrate --noinput -v 0

seed:
	$(PY) manage.py seed_demo --size $(SIZE) --seed $(SEED) --if-empty

serve:
	@echo "Hearth is running on http://127.0.0.1:8000 (Ctrl+C to stop)"
	@# Background jobs (duplicate checks, returns) run in a worker beside the web server.
	$(PY) manage.py db_worker --queue-name default >var/worker.log 2>&1 & trap "kill $$!" EXIT; \
	$(PY) manage.py runserver 127.0.0.1:8000

## Second command: the whole test suite on SQLite, then again on a real PostgreSQL server.
test: setup-test lint test-sqlite test-postgres

setup-test:
	bash scripts/setup-system.sh test
	bash scripts/setup-python.sh
	bash scripts/build-frontend.sh

lint:
	.venv/bin/ruff check .
	.venv/bin/mypy hearth tests bench
	DJANGO_SETTINGS_MODULE=hearth.settings.test .venv/bin/python manage.py makemigrations --check --dry-run

test-sqlite:
	@mkdir -p var
	DJANGO_SETTINGS_MODULE=hearth.settings.test $(PY) -m pytest -q -n $(TEST_WORKERS)

# Every test but the browser journeys runs again on PostgreSQL: the journeys drive the same views and services
# the integration tests already cover on both databases, and each flushes and reloads the whole database
# (benchmark tables included) between tests, which is slow on PostgreSQL and keeps the suite near 20 minutes.
# `make test-postgres PG_MARKERS=` runs the journeys there too.
PG_MARKERS ?= not e2e
test-postgres:
	DJANGO_SETTINGS_MODULE=hearth.settings.test bash scripts/with-postgres.sh $(PY) -m pytest -q -n $(TEST_WORKERS) $(if $(PG_MARKERS),-m "$(PG_MARKERS)")

bench:
	@mkdir -p var
	bash bench/run_all.sh

reset:
	rm -f var/hearth.sqlite3 var/hearth.sqlite3-wal var/hearth.sqlite3-shm

clean: reset
	rm -rf .venv node_modules build var
