# egov — one task runner. `make help` lists the targets.
SHELL := /bin/bash
.DEFAULT_GOAL := help
VENV := .venv/bin
RUN_ENV := EGOV_DEBUG=1 EGOV_DEMO=1
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: help setup run worker test lint fmt typecheck arch migrations-check seed demo-users messages schema bench clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-18s %s\n", $$1, $$2}'

setup: ## install everything (Debian packages, Python deps from uv.lock, npm assets, translations)
	@scripts/setup.sh

run: setup ## set up, migrate, load the Thái Bình demo, start the worker and serve on http://127.0.0.1:8000
	$(RUN_ENV) HOST=$(HOST) PORT=$(PORT) scripts/run.sh

worker: ## run the background worker and periodic scheduler alone (make run starts one)
	$(RUN_ENV) $(VENV)/egov worker

test: setup ## set up and run the whole gate: lint, types, contracts, migrations, SQLite + PostgreSQL suites
	@scripts/test.sh

lint: ## ruff, import contracts
	$(VENV)/ruff check .
	$(VENV)/ruff format --check .
	$(VENV)/lint-imports

fmt: ## format and fix what ruff can
	$(VENV)/ruff check --fix .
	$(VENV)/ruff format .

typecheck: ## mypy with django-stubs
	$(VENV)/mypy

arch: ## import-linter contracts only
	$(VENV)/lint-imports

migrations-check: ## fail if a model change has no migration
	EGOV_DEBUG=1 $(VENV)/egov makemigrations --check --dry-run

seed: ## load (or refresh) the demo data
	$(RUN_ENV) $(VENV)/egov seed-demo

demo-users: ## list the demo accounts
	@$(RUN_ENV) $(VENV)/egov demo-users --table

messages: ## refresh the Vietnamese catalogues of every app (then translate the new entries)
	cd src/egov && for d in */; do [ -d "$$d/locale" ] && (cd $$d && ../../../$(VENV)/egov makemessages -l vi --settings=egov.config.settings.test -v 0); done; true

schema: ## regenerate the committed OpenAPI schema (docs/api/openapi.yaml)
	@mkdir -p docs/api
	DATABASE_URL=sqlite:///$(CURDIR)/var/schema.sqlite3 EGOV_DEBUG=1 $(VENV)/egov spectacular --validate --fail-on-warn --lang en --settings=egov.config.settings.test > docs/api/openapi.yaml

bench: ## run the benchmarks (each prints its figures)
	@for b in bench/bench_*.py; do echo "== $$b"; EGOV_DEBUG=1 $(VENV)/python $$b; done

clean: ## remove the local data folder (database, uploads) — not the virtualenv
	rm -rf var
