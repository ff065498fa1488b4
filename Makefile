# Village: the two commands of the README. Each does its own set-up on a fresh Debian machine.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
UV_VERSION := 0.13.9
# Tests run on the real services: PostgreSQL and Redis on their standard local ports.
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/village
TEST_REDIS_URL ?= redis://127.0.0.1:6379/15
PYTEST_ARGS ?= -n 2

.PHONY: run test setup system-packages services messages lint check-migrations

$(VENV)/.installed: requirements.lock
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install -q --disable-pip-version-check uv==$(UV_VERSION)
	$(VENV)/bin/uv pip install -q -p $(PY) -r requirements.lock
	touch $@

setup: system-packages $(VENV)/.installed messages

system-packages:
	@scripts/system-packages.sh

messages: $(VENV)/.installed
	$(PY) manage.py compilemessages --ignore=.venv -v0

run: setup
	$(PY) manage.py migrate --noinput -v0
	$(PY) manage.py seed_demo
	@echo ""
	@echo "Village runs on http://127.0.0.1:8000/"
	@echo "Demo logins (password: $${DEMO_PASSWORD:-village-demo}):"
	@echo "  bridge@demo.village       bridge figure"
	@echo "  partner@demo.village      partner worker"
	@echo "  school@demo.village       school care coordinator"
	@echo "  coordinator@demo.village  network coordinator"
	@echo "  admin@demo.village        administrator"
	@echo ""
	$(PY) manage.py runserver 127.0.0.1:8000

services:
	@scripts/test-services.sh

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

check-migrations: $(VENV)/.installed
	$(PY) manage.py makemigrations --check --dry-run

test: setup services lint check-migrations
	DATABASE_URL=$(TEST_DATABASE_URL) REDIS_URL= VILLAGE_TEST_REDIS_URL=$(TEST_REDIS_URL) \
		$(PY) -m pytest $(PYTEST_ARGS)
