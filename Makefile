# Paperstreak — `make run` starts everything on the embedded defaults, `make test` runs lint and
# the whole suite. uv is bootstrapped with pip when missing.
SHELL := /bin/bash
PYTHON ?= python3
UV := $(PYTHON) -m uv
HOST ?= 127.0.0.1
PORT ?= 8000
export UV_LINK_MODE ?= copy

.PHONY: uv sync run web worker migrate test lint fmt bench chromium

uv:
	@$(UV) --version >/dev/null 2>&1 || $(PYTHON) -m pip install --quiet --user uv || $(PYTHON) -m pip install --quiet uv

sync: uv
	@$(UV) sync --frozen --quiet

migrate: sync
	@DEBUG=$${DEBUG-1} $(UV) run python manage.py migrate --noinput

# Web server, Celery worker and beat in one terminal (Ctrl-C stops all three).
run: migrate
	@mkdir -p var
	@echo ""
	@echo "  Paperstreak is starting at http://$(HOST):$(PORT)/"
	@echo "  Web (runserver), Celery worker and beat run here; Ctrl-C stops them all."
	@echo "  Emails (verification links, reminders) are printed to this console."
	@echo ""
	@export DEBUG=$${DEBUG-1}; trap 'kill 0' INT TERM EXIT; \
	  $(UV) run celery -A tracker worker --beat --loglevel=INFO --concurrency=2 & \
	  $(UV) run python manage.py runserver $(HOST):$(PORT)

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

bench: sync
	@for b in bench/bench_*.py; do echo "== $$b"; $(UV) run python $$b || exit 1; done

chromium:
	@command -v chromium >/dev/null 2>&1 || (apt-get update -qq && apt-get install -y -qq chromium)
