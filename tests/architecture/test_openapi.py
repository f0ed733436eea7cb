"""The committed OpenAPI schema (docs/api/openapi.yaml) is the one the code produces, and valid.

Regenerate with `make schema` after an API change, and review the diff like code."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection

SCHEMA = Path(__file__).resolve().parents[2] / "docs" / "api" / "openapi.yaml"


def _generate() -> str:
    out = StringIO()
    call_command("spectacular", "--validate", "--fail-on-warn", "--lang", "en", stdout=out)
    return out.getvalue()


def test_committed_schema_is_current():
    if connection.vendor != "sqlite":
        pytest.skip("integer bounds in the schema follow the database; the file is generated on SQLite")
    assert SCHEMA.exists(), "docs/api/openapi.yaml is missing: run `make schema`"
    assert _generate() == SCHEMA.read_text(encoding="utf-8"), "the API changed: run `make schema` and commit"
