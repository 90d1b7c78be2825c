# Two commands on a fresh machine: `make run` and `make test` (see README).
VENV ?= .venv
PYTHON ?= python3
PY := $(VENV)/bin/python
PORT ?= 8000
STAMP := $(VENV)/.installed
LOADTEST_STAMP := $(VENV)/.installed-loadtest

.PHONY: install run test test-e2e quality demo backup bench loadtest loadtest-failover attack

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

# locust and its gevent stack, for make loadtest only (never make run or make test).
$(LOADTEST_STAMP): $(STAMP)
	$(PY) -m pip install --quiet -e '.[dev,loadtest]'
	touch $(LOADTEST_STAMP)

# Development: DEBUG on, and the dev tools (load_demo, the national dataset, the
# benchmark) installed; a production server has neither (README « Architecture »).
DEV_ENV = DEBUG=true DEVTOOLS=true

run: install
	$(DEV_ENV) $(PY) manage.py migrate --noinput
	$(DEV_ENV) $(PY) manage.py load_demo
	@echo "Serveur : http://127.0.0.1:$(PORT)/"
	$(DEV_ENV) $(PY) manage.py runserver 127.0.0.1:$(PORT)

demo: install
	$(DEV_ENV) $(PY) manage.py migrate --noinput
	$(DEV_ENV) $(PY) manage.py load_demo

# One test process per core (pytest-xdist), each given the next tests in the suite's order
# as it finishes (--dist load): pytest-django puts the transactional tests last, and a
# process must never run a test that reads the migrations' rows (the grid of indicators,
# the content types) after a transactional one emptied its database — which work stealing
# did, once, under worksteal. TEST_WORKERS=0 runs the suite in this process.
TEST_WORKERS ?= auto

# The test of a Celery worker on the real Redis runs after the others, in a process of its
# own: in the middle of the suite it missed its task (tests/jobs/test_worker.py).
test: install
	$(VENV)/bin/pytest -n $(TEST_WORKERS) --dist load -m "not broker" $(PYTEST_ARGS)
	$(VENV)/bin/pytest -m broker

test-e2e: install
	$(VENV)/bin/pytest -n $(TEST_WORKERS) --dist load -m e2e $(PYTEST_ARGS)

quality: install
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports --no-cache
	DEBUG=true $(PY) manage.py makemigrations --check --dry-run
	$(PY) .ci/audit_dependencies.py

backup: install
	$(PY) manage.py backup_database

# The benchmark (README, « Performances ») runs as in production (DEBUG off) on the
# configured database; it loads the national dataset first when it is absent.
# The API's endpoints are measured 22 times each with one key: no per-key limit here.
BENCH_ENV = DEBUG=false DEVTOOLS=true SECRET_KEY=$${SECRET_KEY:-bench-only-not-a-production-key} \
	API_READ_RATE=1000000/min

bench: install
	$(BENCH_ENV) $(PY) manage.py migrate --noinput
	$(BENCH_ENV) $(PY) manage.py load_national_dataset --if-absent
	$(BENCH_ENV) $(PY) manage.py bench

# Production mode on PostgreSQL, 50 simulated users for 60 s (see loadtest/run).
loadtest: $(LOADTEST_STAMP)
	VENV=$(VENV) loadtest/run

# The same mix through HAProxy in front of two gunicorn instances sharing PostgreSQL,
# Redis and an S3 server (moto), one of them stopped in the middle (see loadtest/failover).
loadtest-failover: $(LOADTEST_STAMP)
	VENV=$(VENV) loadtest/failover

# The attack list of issue #16 in production mode on PostgreSQL (see loadtest/attack):
# about 5 minutes, never part of make test.
attack: install
	VENV=$(VENV) loadtest/attack
