# Ruche: `make help` lists the targets.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
MANAGE := $(PY) manage.py
PORT ?= 8000
export PORT

.DEFAULT_GOAL := help

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F ':.*## ' '{printf "  %-12s %s\n", $$1, $$2}'

$(VENV)/.installed: requirements.lock
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.lock
	@# platform/ is a folder of apps, not a package: put it and the repo root on the path.
	$(PY) -c "import site, pathlib; pathlib.Path(site.getsitepackages()[0], 'ruche.pth').write_text('$(CURDIR)/platform\n$(CURDIR)\n')"
	touch $@

install: $(VENV)/.installed ## Create .venv and install the locked dependencies

messages: install ## Compile the French catalogues (.po -> .mo)
	$(MANAGE) compilemessages --ignore=.venv --verbosity 0

makemessages: install ## Refresh the French catalogues from the source (scripts take their words from the templates)
	$(MANAGE) makemessages --locale fr --ignore=.venv --ignore=tests --ignore=bench --no-obsolete

migrate: install ## Apply database migrations
	$(MANAGE) migrate --noinput

run: install messages migrate ## Run Ruche with demo data: web (ASGI), Celery worker and beat
	$(MANAGE) seed_demo --if-empty
	@echo "Ruche is starting on http://127.0.0.1:$(PORT)/ (Ctrl-C stops web, worker and beat)"
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/honcho --procfile Procfile.dev --app-root . start

lint: install ## ruff lint and format check
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install ## Format the code with ruff
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Modules type-checked: the write path (every services, selectors, permissions, consumers and
# tasks module: strict, see [[tool.mypy.overrides]] in pyproject.toml) and the modules typed
# before it (STYLE.md: tightened module by module).
WRITE_PATH := $(wildcard platform/*/services.py platform/*/selectors.py platform/*/permissions.py \
	platform/*/consumers.py platform/*/tasks.py blogs/services.py blogs/selectors.py \
	blogs/permissions.py blogs/tasks.py communities/services.py communities/selectors.py \
	communities/permissions.py communities/consumers.py metrics/services.py \
	metrics/permissions.py metrics/tasks.py privacy/services.py privacy/permissions.py \
	privacy/tasks.py announcements/services.py announcements/selectors.py \
	announcements/permissions.py announcements/tasks.py roi/services.py roi/selectors.py \
	roi/permissions.py ama/services.py ama/selectors.py ama/permissions.py ama/consumers.py)
TYPED := $(WRITE_PATH) platform/core/health.py platform/core/views.py platform/core/types.py \
	platform/core/content.py platform/core/refusals.py platform/core/http.py \
	platform/core/exports.py platform/core/measures.py platform/ruche/navigation.py \
	platform/people/presence.py platform/people/middleware.py platform/people/views.py \
	platform/twofactor/middleware.py platform/twofactor/views.py platform/twofactor/qr.py \
	platform/twofactor/demo.py platform/twofactor/websocket.py \
	metrics/definitions.py metrics/rollups.py metrics/objectives.py blogs/content.py \
	communities/content.py announcements/content.py roi/figures.py roi/worksheet.py \
	roi/history.py ama/content.py ama/live.py \
	platform/interactions/content.py platform/core/media.py platform/core/wagtail_hooks.py \
	platform/people/photos.py platform/core/middleware.py platform/core/csp.py \
	platform/core/versions.py platform/core/rendering.py platform/ruche/header.py \
	platform/people/directory_import.py platform/console/views/directory.py \
	platform/people/ldap.py \
	$(wildcard operations/*.py) $(filter-out $(WRITE_PATH),$(wildcard platform/search/*.py))

typecheck: install ## mypy (django-stubs) on the modules typed so far
	$(BIN)/mypy $(TYPED)

imports: install ## The layers between apps (import-linter contracts in pyproject.toml)
	PYTHONPATH=platform:. $(BIN)/lint-imports --no-cache

check: lint imports typecheck ## Lint, layers, types, missing migrations, Django checks, docker-compose.yml validation
	$(MANAGE) makemigrations --check --dry-run
	$(MANAGE) check
	@if command -v docker-compose >/dev/null; then \
		DJANGO_SECRET_KEY=compose-check DJANGO_ALLOWED_HOSTS=intranet.example.com \
		POSTGRES_PASSWORD=compose-check docker-compose -f docker-compose.yml config -q \
		&& echo "docker-compose.yml: valid"; \
	else echo "docker-compose not installed: docker-compose.yml not validated"; fi

test: check messages ## Lint, checks, then the whole test suite (unit, websocket, Celery, browser)
	$(BIN)/pytest $(PYTEST_ARGS)

clean: ## Remove the virtualenv and local data (SQLite database, media, Celery queue)
	rm -rf $(VENV) var media static_collected

.PHONY: help install messages makemessages migrate run lint format imports typecheck check test clean
