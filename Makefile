# OBCMS Work — the two commands: `make run` and `make test`.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMPS := .make
MANAGE := cd src && ../$(PY) manage.py
# PostgreSQL used by `make test` when DATABASE_URL does not already point at one.
TEST_POSTGRES_URL ?= postgresql://postgres@127.0.0.1:5432/postgres
# The port `make run` serves on: `make run PORT=8080`.
PORT ?= 8000

.PHONY: help run test test-sqlite test-postgres drill lint install assets browser bench clean

help:
	@echo "make run    - set up everything, load demo data, serve on http://127.0.0.1:8000"
	@echo "              (another port: make run PORT=8080)"
	@echo "make test   - lint, then the whole test suite on SQLite and PostgreSQL"
	@echo "make bench  - benchmarks (see bench/README.md)"

$(PY):
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else "Python 3.12+ is required (.python-version asks pyenv for 3.13); found " + sys.version)'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(STAMPS)/python: $(PY) requirements/base.txt requirements/production.txt requirements/dev.txt
	$(PY) -m pip install --quiet -r requirements/dev.txt
	$(PY) -m pip check
	@mkdir -p $(STAMPS) && touch $@

install: $(STAMPS)/python .env

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund
	@touch $@

# Tailwind CSS and FullCalendar into src/static/build/ (git-ignored); takes about a second.
assets: node_modules/.package-lock.json
	npm run --silent build

# Debian tools the tests and the drill run, installed when missing (never a downloaded browser
# build): chromium for the browser tests; jq, curl and the PostgreSQL client for the checklist's
# own commands (curl … | jq, pg_dump, psql); pango and fonts for the PDF project report (WeasyPrint).
browser:
	@missing=""; \
	for pair in chromium:chromium jq:jq curl:curl psql:postgresql-client pg_dump:postgresql-client; do \
	  command -v "$${pair%%:*}" >/dev/null 2>&1 || missing="$$missing $${pair#*:}"; \
	done; \
	for pkg in libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core; do \
	  dpkg-query -W -f='$${Status}' "$$pkg" 2>/dev/null | grep -q "ok installed" || missing="$$missing $$pkg"; \
	done; \
	if [ -n "$$missing" ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; fi

.env:
	@echo "Writing a development .env (DEBUG=1, SQLite, a fresh SECRET_KEY)"
	@{ echo "DEBUG=1"; \
	   echo "SECRET_KEY=$$($(PYTHON) -c 'import secrets; print(secrets.token_urlsafe(50))')"; \
	   echo "DATABASE_URL=sqlite:///$(CURDIR)/src/db.sqlite3"; \
	   echo "ALLOWED_HOSTS=127.0.0.1,localhost"; } > .env

run: install assets .env
	$(MANAGE) migrate --noinput
	$(MANAGE) seed_demo
	$(MANAGE) ensure_admin
	@echo "Serving on http://127.0.0.1:$(PORT) (Ctrl+C stops; e-mails are written to var/mail/)"
	@# Links in e-mails point at this port unless SITE_URL is set (environment or .env).
	@grep -q '^SITE_URL=' .env || export SITE_URL="$${SITE_URL:-http://127.0.0.1:$(PORT)}"; \
	$(MANAGE) runserver 127.0.0.1:$(PORT)

lint: install
	$(PY) tools/check_pins.py
	$(VENV)/bin/ruff check src bench tools
	PYTHONPATH=src $(VENV)/bin/lint-imports --no-cache
	cd src && DEBUG=1 ../$(PY) manage.py makemigrations --check --dry-run > /dev/null

# Each run records its results in test-results/ (JUnit XML), which `deployment_check` reads.
test-sqlite: install assets
	@rm -rf test-results && mkdir -p test-results
	DATABASE_URL=sqlite:///:memory: $(VENV)/bin/pytest -q --junitxml=test-results/sqlite.xml

test-postgres: install assets
	@url="$${DATABASE_URL:-}"; case "$$url" in postgres*) ;; *) url="$(TEST_POSTGRES_URL)";; esac; \
	if $(PY) -c 'import sys, psycopg; psycopg.connect(sys.argv[1], connect_timeout=3).close()' "$$url" 2>/dev/null; then \
	  echo "== PostgreSQL: $$url"; DATABASE_URL="$$url" $(VENV)/bin/pytest -q --junitxml=test-results/postgresql.xml && \
	  echo "== Deployment checklist drill" && TEST_POSTGRES_URL="$$url" $(PY) tools/checklist_drill.py; \
	else echo "== PostgreSQL not reachable at $$url: PostgreSQL run and checklist drill skipped"; fi

test: lint browser test-sqlite test-postgres

# The deployment checklist's commands, in order, against a scratch PostgreSQL database.
drill: install assets
	$(PY) tools/checklist_drill.py --postgres "$(TEST_POSTGRES_URL)"

# Sizes, engines (sqlite|postgres|both) and suites of `make bench`; each suite run is capped at
# BENCH_TIMEOUT seconds (the defaults take well under an hour on 2 shared cores).
BENCH_SIZES ?= 10000,100000
BENCH_DB ?= both
BENCH_SUITES ?= core,pages,feed,throughput
BENCH_TIMEOUT ?= 1800

bench: install
	@case "$(BENCH_DB)" in both) engines=sqlite,postgres;; sqlite|postgres) engines=$(BENCH_DB);; \
	  *) echo "BENCH_DB is sqlite, postgres or both"; exit 2;; esac; \
	for suite in $$(echo "$(BENCH_SUITES)" | tr ',' ' '); do \
	  echo "== $$suite on $$engines at $(BENCH_SIZES)"; \
	  timeout $(BENCH_TIMEOUT) $(PY) bench/run.py --suite $$suite --engines $$engines \
	    --sizes $(BENCH_SIZES) || { echo "== $$suite failed or ran past $(BENCH_TIMEOUT) s"; exit 1; }; \
	done

clean:
	rm -rf $(VENV) $(STAMPS) node_modules src/static/build staticfiles
