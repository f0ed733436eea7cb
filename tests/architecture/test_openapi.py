"""The committed OpenAPI schema (docs/api/openapi.yaml) is the one the code produces, and valid.

Regenerate with `make schema` after an API change, and review the diff like code."""

from io import StringIO
from pathlib import Path

from django.core.management import call_command

SCHEMA = Path(__file__).resolve().parents[2] / "docs" / "api" / "openapi.yaml"


def _generate() -> str:
    out = StringIO()
    call_command("spectacular", "--validate", "--fail-on-warn", "--lang", "en", stdout=out)
    return out.getvalue()


def test_committed_schema_is_current():
    assert SCHEMA.exists(), "docs/api/openapi.yaml is missing: run `make schema`"
    assert _generate() == SCHEMA.read_text(encoding="utf-8"), "the API changed: run `make schema` and commit"
