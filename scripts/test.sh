#!/usr/bin/env bash
# The whole test gate: lint, types, architecture contracts, migrations, then the suite on
# SQLite and on PostgreSQL. Run through `make test`, which sets everything up first.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/.venv/bin:$PATH"
export DJANGO_SETTINGS_MODULE=egov.config.settings.test
step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

step "ruff"
ruff check .
ruff format --check .
step "mypy"
mypy
step "import-linter"
lint-imports
step "migrations are current"
egov makemigrations --check --dry-run
step "translations complete"
python scripts/check_translations.py

PYTEST_ARGS=(-n "${EGOV_TEST_WORKERS:-2}" -p no:cacheprovider "$@")

step "tests on SQLite"
DATABASE_URL="sqlite:///$PWD/var/test.sqlite3" pytest "${PYTEST_ARGS[@]}"

PG_URL=${EGOV_TEST_PG_URL:-postgres://postgres@127.0.0.1:5432/egov}
step "tests on PostgreSQL ($PG_URL)"
if python scripts/pg_ready.py "$PG_URL"; then
  DATABASE_URL="$PG_URL" pytest "${PYTEST_ARGS[@]}"
elif [ "${CI:-}" = "true" ] || [ "${EGOV_REQUIRE_PG:-}" = "1" ]; then
  echo "PostgreSQL is required here and cannot be reached at $PG_URL" >&2
  exit 1
else
  echo "PostgreSQL pass SKIPPED: no server answers at $PG_URL (set EGOV_TEST_PG_URL to point at one)."
fi
