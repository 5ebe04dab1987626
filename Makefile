# Social Protection Portal: `make run` serves it, `make test` checks everything.
SHELL := /bin/bash
.DEFAULT_GOAL := help
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 5000
CHROMIUM := /usr/bin/chromium

.PHONY: help run test lint format translations compile-translations install browser-deps \
        demo-data bench bench-deps clean

help:
	@echo "make run           set up, add demo data, serve http://127.0.0.1:$(PORT)"
	@echo "make test          lint and the whole test suite"
	@echo "make translations  extract, update and compile the message catalogues"
	@echo "make bench         throughput against bare Flask, page weights, eligibility engine, registry"

# Python environment: rebuilt when pyproject.toml changes.
$(BIN)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

install: $(BIN)/.installed

# Compiled catalogues (.mo) are build products, made from the committed .po files.
compile-translations: install
	$(BIN)/pybabel compile -d translations --statistics

translations: install
	$(BIN)/pybabel extract -F translations/babel.cfg -k _l -k lazy_gettext \
	  --no-location --no-wrap --sort-output -o translations/messages.pot .
	$(BIN)/pybabel update -i translations/messages.pot -d translations --no-wrap --no-fuzzy-matching \
	  --ignore-obsolete
	$(BIN)/pybabel compile -d translations --statistics

demo-data: install
	$(BIN)/flask --app portal seed-demo

# The development server, and one outbox worker beside it (stopped with it).
run: install compile-translations demo-data
	export PORTAL_ENV=$${PORTAL_ENV:-development}; \
	$(BIN)/flask --app portal outbox work & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(BIN)/flask --app portal run --host 127.0.0.1 --port $(PORT)

# What the browser tests need: Debian's Chromium (installed when missing and
# running as root) and the npm packages in package.json (axe-core, oidc-provider).
browser-deps:
	@if [ ! -x $(CHROMIUM) ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-khmeros; \
	  else echo "Chromium is missing: install Debian's chromium package (as root)"; fi; \
	fi
	@if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then \
	  npm ci --no-audit --no-fund --loglevel=error; fi

lint: install
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

test: install browser-deps compile-translations lint
	$(BIN)/pytest -n 2 --timeout=300

# wrk, the load generator of bench/throughput.py: Debian's package, installed when missing.
bench-deps:
	@if ! command -v wrk >/dev/null; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk; \
	  else echo "wrk is missing: install Debian's wrk package (as root)"; exit 1; fi; \
	fi

bench: install compile-translations bench-deps
	$(BIN)/python bench/throughput.py
	$(BIN)/python bench/page_weight.py
	$(BIN)/python bench/eligibility_bench.py
	$(BIN)/python bench/registry_bench.py --database-url $${PORTAL_TEST_DATABASE_URL:-postgresql+psycopg://postgres@127.0.0.1:5432/test}

clean:
	rm -rf $(VENV) node_modules instance translations/*/LC_MESSAGES/*.mo
