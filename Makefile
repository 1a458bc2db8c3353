# Centre-Ville en ligne — `make run` serves the demo town, `make test` runs the whole suite.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
PG_URL ?= postgres://postgres@127.0.0.1:5432/test
REDIS_TEST_URL ?= redis://127.0.0.1:6379/0
PYTEST_WORKERS ?= 2
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
export DJANGO_SETTINGS_MODULE ?= config.settings.local

.PHONY: help setup run test lint test-sqlite test-postgresql test-clocks bench system-packages messages clean

help:
	@echo "make run    — install, load the demo town and serve it on http://$(HOST):$(PORT)/"
	@echo "make test   — install, lint and run the whole test suite (SQLite, then PostgreSQL + Redis if reachable)"
	@echo "make bench  — run the benchmarks (SQLite, and PostgreSQL if reachable)"
	@echo "make lint   — ruff, mypy and Django's checks"

$(VENV)/.installed: pyproject.toml
	@$(PYTHON) -c 'import sys; assert sys.version_info[:2] == (3, 11), "Python 3.11 is required"'
	@$(PYTHON) -m venv --help >/dev/null 2>&1 && $(PYTHON) -c 'import ensurepip' 2>/dev/null \
		|| ($(SUDO) apt-get update -q && $(SUDO) apt-get install -y -q python3.11-venv)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e ".[dev]"
	@touch $@

setup: $(VENV)/.installed

# Debian packages the test suite needs: Chromium for browser tests, gettext for the catalogue check,
# faketime to run the date logic under fixed clocks, the PostgreSQL client (pg_dump, pg_restore) for backups.
system-packages:
	@if [ ! -x /usr/bin/chromium ] || ! command -v msgfmt >/dev/null || ! command -v faketime >/dev/null \
		|| ! command -v pg_dump >/dev/null; then \
		$(SUDO) apt-get update -q && $(SUDO) apt-get install -y -q chromium gettext faketime postgresql-client; fi

# Links in messages and QR codes point to the address the demo is served on.
run: export PUBLIC_BASE_URL ?= http://$(HOST):$(PORT)
# The server's workers, the task worker and the scheduler add their metrics up there (emptied at each start).
run: export PROMETHEUS_MULTIPROC_DIR ?= $(CURDIR)/var/metrics
run: setup
	rm -f "$$PROMETHEUS_MULTIPROC_DIR"/*.db
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py demo_load
	$(BIN)/python manage.py collectstatic --noinput -v0
	@echo "Centre-Ville en ligne : http://$(HOST):$(PORT)/  (Ctrl-C pour arrêter)"
	@# The task worker (messages, payments), the scheduler (expiry, reminders) and the demo's car park feed
	@# (a reading every five minutes) stop with the server.
	@trap 'kill $$(jobs -p) 2>/dev/null' EXIT; \
	$(BIN)/python manage.py run_worker & \
	$(BIN)/python manage.py run_scheduler & \
	$(BIN)/python manage.py demo_live & \
	$(BIN)/gunicorn config.wsgi --bind $(HOST):$(PORT) --workers 3 --access-logfile - --forwarded-allow-ips=""

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy .
	$(BIN)/lint-imports
	DJANGO_SETTINGS_MODULE=config.settings.test $(BIN)/python manage.py check
	DJANGO_SETTINGS_MODULE=config.settings.test $(BIN)/python manage.py makemigrations --check --dry-run
	@# The production profile as a real deployment sets it: a mail server, an SMS operator's class (named,
	@# never loaded here), a metrics token and directory, or the deployment checks refuse it.
	DJANGO_SETTINGS_MODULE=config.settings.production SECRET_KEY="$$($(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(50))')" \
		ALLOWED_HOSTS=centreville.example PUBLIC_BASE_URL=https://centreville.example \
		EMAIL_URL=smtp+tls://centreville:secret@smtp.centreville.example:587 SMS_BACKEND=sms_operator.SmsBackend \
		METRICS_TOKEN="$$($(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(32))')" \
		PROMETHEUS_MULTIPROC_DIR="$$(mktemp -d)" \
		$(BIN)/python manage.py check --deploy --fail-level WARNING

# Every pytest run keeps compiled and assertion-rewritten modules under var/ (even where the environment
# turns bytecode off), so that the 11 runs below compile the suite once instead of once per process.
PYTEST := env -u PYTHONDONTWRITEBYTECODE PYTHONPYCACHEPREFIX=$(CURDIR)/var/pycache $(BIN)/pytest

test-sqlite: setup system-packages
	env -u DATABASE_URL -u REDIS_URL DJANGO_SETTINGS_MODULE=config.settings.test \
		$(PYTEST) -n $(PYTEST_WORKERS) --dist loadfile

test-postgresql: setup system-packages
	@status=0; $(BIN)/python scripts/check_services.py || status=$$?; \
	if [ $$status = 0 ]; then \
		echo "== Same suite on PostgreSQL with Redis =="; \
		DJANGO_SETTINGS_MODULE=config.settings.test DATABASE_URL=$(PG_URL) REDIS_URL=$(REDIS_TEST_URL) \
			$(PYTEST) -n $(PYTEST_WORKERS) --dist loadfile; \
	elif [ $$status = 2 ]; then exit 2; fi

# Date logic under fixed clocks (the machine's clock is UTC): every day of a week late at night, Sunday
# to Monday's midnight in Paris, and the nights the clocks go forward and back.
CLOCKS := "2026-12-07 22:30:00" "2026-12-08 23:30:00" "2026-12-09 12:00:00" "2026-12-10 06:45:00" \
	"2026-12-11 17:00:00" "2026-12-12 23:30:00" "2026-12-13 23:15:00" "2027-03-28 00:30:00" \
	"2026-10-25 01:30:00"
DATE_TESTS := centreville/shops/tests/test_opening.py centreville/shops/tests/test_seo.py \
	centreville/shops/tests/test_public_selectors.py centreville/shops/tests/test_ordering.py \
	centreville/shops/tests/test_weekly_hours.py centreville/fulfilment centreville/baskets \
	centreville/orders/tests/test_checkout.py centreville/orders/tests/test_expiry.py \
	centreville/orders/tests/test_customer_views.py centreville/orders/tests/test_customer_selectors.py \
	centreville/notifications/tests/test_messages.py centreville/observatory \
	centreville/showcase centreville/footfall centreville/premises centreville/opendata \
	centreville/support/tests/test_coaching_quiet_hours.py centreville/support/tests/test_training_reminders.py \
	centreville/support/tests/test_training_calendar.py centreville/support/tests/test_followup.py \
	centreville/support/tests/test_diagnostic_followup.py centreville/support/tests/test_shop_signals.py \
	centreville/agenda centreville/parking centreville/news centreville/wholesale centreville/lots \
	centreville/invoicing centreville/vouchers/tests/test_ledger.py centreville/vouchers/tests/test_issue.py \
	centreville/vouchers/tests/test_manage_services.py centreville/vouchers/tests/test_views_public.py \
	centreville/vouchers/tests/test_views_merchant.py centreville/vouchers/tests/test_retention.py

# One process per clock (a second worker would only build its own test database again), PYTEST_WORKERS
# clocks at a time; each clock's output (kept in var/clocks/) is printed whole when it ends, and any failing
# clock fails the stage. The test database is migrated once, under the real clock, and each clock runs on
# its own copy of it.
test-clocks: setup system-packages
	@mkdir -p var/clocks
	@rm -f var/clocks/*.sqlite3*
	env -u REDIS_URL DJANGO_SETTINGS_MODULE=config.settings.test DATABASE_URL=sqlite:///$(CURDIR)/var/clocks/migrated.sqlite3 \
		$(BIN)/python manage.py migrate --noinput -v 0
	@printf '%s\n' $(CLOCKS) | xargs -P $(if $(filter auto logical,$(PYTEST_WORKERS)),$$(nproc),$(PYTEST_WORKERS)) -I{} bash -c 'name="var/clocks/$${0// /_}"; \
		cp var/clocks/migrated.sqlite3 "$$name.sqlite3"; \
		env -u DATABASE_URL -u REDIS_URL DJANGO_SETTINGS_MODULE=config.settings.test TEST_SQLITE_FILE="$$name.sqlite3" \
			faketime "$$0" $(PYTEST) -q -n 0 -m "not browser and not postgresql" $(DATE_TESTS) >"$$name.log" 2>&1; \
		status=$$?; echo "== Date logic at $$0 (UTC) =="; cat "$$name.log"; exit $$status' {}

test: lint test-sqlite test-postgresql test-clocks

# Every figure the issues ask for, each printed as a last line of key=value pairs.
bench: setup system-packages
	$(BIN)/python -m bench.run
	$(BIN)/python -m bench.page_weight
	$(BIN)/python -m bench.lcp
	$(BIN)/python -m bench.search --db sqlite --products 100000
	$(BIN)/python -m bench.checkout_queries --db sqlite
	$(BIN)/python -m bench.import_osm --features 10000
	@if $(BIN)/python scripts/check_services.py; then \
		$(BIN)/python -m bench.search --db postgresql --products 1000000 && \
		$(BIN)/python -m bench.oversell && \
		$(BIN)/python -m bench.checkout_queries --db postgresql && \
		$(BIN)/python -m bench.checkout && \
		$(BIN)/python -m bench.dashboard --db postgresql && \
		$(BIN)/python -m bench.vacancy && \
		$(BIN)/python -m bench.support_signals && \
		$(BIN)/python -m bench.adviser_page && \
		$(BIN)/python -m bench.agenda && \
		$(BIN)/python -m bench.parking_ingest && \
		$(BIN)/python -m bench.newsletter && \
		$(BIN)/python -m bench.footfall_import && \
		$(BIN)/python -m bench.backup && \
		$(BIN)/python -m bench.scaleout && \
		$(BIN)/python -m bench.market_day && \
		$(BIN)/python -m bench.lots_search && \
		$(BIN)/python -m bench.producer_page && \
		$(BIN)/python -m bench.lot_oversell && \
		$(BIN)/python -m bench.invoice_numbers && \
		$(BIN)/python -m bench.voucher_spend && \
		$(BIN)/python -m bench.voucher_counter && \
		$(BIN)/python -m bench.voucher_ledger; fi

# Refresh the English catalogue after changing French strings, then translate the empty entries.
# French is the source language; its own catalogue repeats every string (msgen) so that counts follow French
# plural rules ("0 commerce", "1 commerce", "2 commerces") instead of gettext's default, which is English's.
FRENCH_CATALOGUE := centreville/locale/fr/LC_MESSAGES/django.po
messages: setup
	rm -f $(FRENCH_CATALOGUE)
	$(BIN)/python manage.py makemessages -l en -l fr --no-obsolete --no-location --ignore=bench --ignore=var --ignore=tests --ignore=scripts
	msgen --no-wrap -o $(FRENCH_CATALOGUE) $(FRENCH_CATALOGUE)
	$(BIN)/python manage.py compilemessages -l en -l fr --ignore=.venv --ignore=var

clean:
	rm -rf $(VENV) var
