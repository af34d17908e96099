# Paperstreak — `make run` starts everything on the embedded defaults, `make test` runs lint and
# the whole suite. uv is bootstrapped with pip when missing (`pip install --user` puts it in
# ~/.local/bin, often not on PATH), so every target calls it as `python3 -m uv`.
SHELL := /bin/bash
PYTHON ?= python3
UV := $(PYTHON) -m uv
HOST ?= 127.0.0.1
PORT ?= 8000
export UV_LINK_MODE ?= copy

.PHONY: uv sync run web worker migrate demo shell test test-fast lint fmt bench chromium a11y-tools

uv:
	@$(UV) --version >/dev/null 2>&1 || $(PYTHON) -m pip install --quiet --user uv || $(PYTHON) -m pip install --quiet uv

sync: uv
	@$(UV) sync --frozen --quiet

migrate: sync
	@DEBUG=$${DEBUG-1} $(UV) run python manage.py migrate --noinput

# A verified demo user (password printed) with YEARS of realistic activity.
EMAIL ?= demo@example.com
YEARS ?= 2
demo: migrate
	@DEBUG=$${DEBUG-1} $(UV) run python manage.py seed_demo --email "$(EMAIL)" --years $(YEARS)

shell: migrate
	@DEBUG=$${DEBUG-1} $(UV) run python manage.py shell

# Web server, Celery worker and beat in one terminal (Ctrl-C stops all three).
# SITE_URL (links in emails) follows HOST/PORT unless set. Both run in the background
# (the worker in its own session, so Ctrl-C does not reach it directly); the shell waits,
# and on Ctrl-C or TERM its trap clears itself, sends each one TERM once and waits. (`trap 'kill 0' …` re-entered itself: kill 0 signals the
# trapping shell too, which ran the trap again — thousands of "Warm shutdown" lines.)
run: migrate
	@mkdir -p var
	@site="$${SITE_URL:-http://$(HOST):$(PORT)}"; \
	  if [ -n "$$SMTP_URL" ]; then mail="sent through the SMTP server $$(printf %s "$$SMTP_URL" | sed -E 's#^[a-z]+://([^@/]*@)?##; s#[/?].*##') (SMTP_URL)"; \
	  elif [ -n "$$EMAIL_FILE_DIR" ]; then mail="written as files to $$EMAIL_FILE_DIR (EMAIL_FILE_DIR)"; \
	  else mail="printed to this console (set SMTP_URL or EMAIL_FILE_DIR to change)"; fi; \
	  if [ -n "$$REMINDER_SMTP_URL" ]; then mail="$$mail; reminders through $$(printf %s "$$REMINDER_SMTP_URL" | sed -E 's#^[a-z]+://([^@/]*@)?##; s#[/?].*##')"; fi; \
	  echo ""; \
	  echo "  Paperstreak is starting at http://$(HOST):$(PORT)/ (links in emails: $$site)"; \
	  echo "  Web (runserver), Celery worker and beat run here; Ctrl-C stops them all."; \
	  echo "  Emails (verification links, reminders) are $$mail."; \
	  echo ""
	@export DEBUG=$${DEBUG-1} SITE_URL="$${SITE_URL:-http://$(HOST):$(PORT)}"; \
	  setsid $(UV) run celery -A tracker worker --beat --loglevel=INFO --concurrency=2 & worker=$$!; \
	  $(UV) run python manage.py runserver $(HOST):$(PORT) & web=$$!; \
	  stop() { trap - INT TERM EXIT; kill -TERM $$web $$worker 2>/dev/null; wait $$web $$worker 2>/dev/null; exit 0; }; \
	  trap stop INT TERM EXIT; \
	  wait $$web

# Accessibility and HTML checkers the browser/markup tests use: axe-core and the Nu HTML
# checker (vnu-jar) from npm under var/node, and a headless JRE from Debian to run vnu.jar.
a11y-tools:
	@command -v java >/dev/null 2>&1 || (apt-get update -qq && apt-get install -y -qq default-jre-headless)
	@test -f var/node/node_modules/axe-core/axe.min.js -a -f var/node/node_modules/vnu-jar/build/dist/vnu.jar || \
	  npm install --prefix var/node --no-audit --no-fund --ignore-scripts axe-core vnu-jar

lint: sync
	$(UV) run ruff check .
	$(UV) run ruff format --check .
	DEBUG=1 $(UV) run mypy tracker accounts

fmt: sync
	$(UV) run ruff format .
	$(UV) run ruff check --fix .

# The whole suite: lint first, then pytest (browser and integration tests included).
test: lint
	$(UV) run pytest -q $(PYTEST_ARGS)

# Lint, then everything but the browser and integration tests (no Chromium, Redis or workers).
# pytest-xdist is installed: `make test-fast PYTEST_ARGS="-n 2"` spreads it over two processes.
# `make test` stays in one process: the browser and integration tests start servers and workers.
test-fast: lint
	$(UV) run pytest -q -m "not browser and not integration" $(PYTEST_ARGS)

# Every bench with its realistic defaults (bench_dashboard: 50 users; see each docstring),
# each one's wall time printed; the whole run is meant to stay under 15 minutes.
bench: sync
	@start=$$(date +%s); for b in bench/bench_*.py; do echo "== $$b"; t=$$(date +%s); \
	  $(UV) run python $$b || exit 1; echo "== $$b took $$(( $$(date +%s) - t )) s"; done; \
	  echo "== make bench took $$(( $$(date +%s) - start )) s"

chromium:
	@command -v chromium >/dev/null 2>&1 || (apt-get update -qq && apt-get install -y -qq chromium)
