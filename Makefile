# Tamyr: `make run` serves the site with demo content on embedded SQLite; `make test` runs the suite.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
# make test runs on SQLite, then on PostgreSQL too when DATABASE_URL names one.
TEST_DATABASES ?= sqlite $(if $(findstring postgres,$(DATABASE_URL)),postgres)
PYTEST_ARGS ?=

.PHONY: run test lint format bench compile install install-test system-packages messages clean

$(VENV)/.installed-run: pyproject.toml setup.py
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed")'
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed-run pyproject.toml
	$(PY) -m pip install --quiet -e '.[test]'
	touch $@

install: $(VENV)/.installed-run

install-test: $(VENV)/.installed-test

run: install
	mkdir -p var
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo
	$(PY) manage.py ensure_admin
	HOST=$(HOST) PORT=$(PORT) PY=$(PY) bash site/deploy/dev-server.sh

system-packages:
	bash site/deploy/system-packages.sh

# Browser tests run in a session of their own: they flush the database around each test and
# drive a live server thread, and share no process state with the thousands of others.
test: install-test system-packages
	@set -e; for db in $(TEST_DATABASES); do \
	  echo "== tests on $$db =="; \
	  if [ "$$db" = sqlite ]; then run="env -u DATABASE_URL"; else run=""; fi; \
	  $$run $(PY) -m pytest -m "not browser" $(PYTEST_ARGS); \
	  $$run $(PY) -m pytest -m browser $(PYTEST_ARGS); \
	done

lint: install-test
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install-test
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# Compiles the importer's modules again when one was edited since (tamyr/compiled.py).
compile: install
	@$(PY) -c 'import sys; from tamyr.compiled import not_compiled; sys.exit(bool(not_compiled()))' \
	  || $(PY) -m pip install --quiet --no-deps -e .

bench: install-test compile
	$(PY) -m bench

# Regenerate the catalogues after changing interface strings, then translate and `make messages` again.
messages: install-test
	$(PY) manage.py makemessages --no-location --no-obsolete -l kk -l ru -l en -i '.venv/*' -i 'var/*'
	$(PY) manage.py compilemessages -i .venv

clean:
	rm -rf $(VENV) var/test-media .pytest_cache
