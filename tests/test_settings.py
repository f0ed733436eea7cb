"""Settings come from the environment and refuse unsafe combinations at start-up."""

import os
import subprocess
import sys

import pytest


def _start(**env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("EGOV_") and k != "DJANGO_SETTINGS_MODULE"}
    clean.update(env, DJANGO_SETTINGS_MODULE="egov.config.settings.base")
    code = "import django; django.setup(); from django.conf import settings; print(settings.LANGUAGE_CODE, settings.TIME_ZONE)"
    return subprocess.run([sys.executable, "-c", code], env=clean, capture_output=True, text=True, timeout=60)


@pytest.mark.parametrize(
    ("_case", "env", "message"),
    [
        ("demo without debug", {"EGOV_SECRET_KEY": "k" * 50, "EGOV_DEMO": "1"}, "EGOV_DEMO_ALLOW_PRODUCTION"),
        ("no secret without debug", {}, "EGOV_SECRET_KEY"),
        ("unparsable boolean", {"EGOV_DEBUG": "maybe"}, "EGOV_DEBUG must be a boolean"),
    ],
)
def test_unsafe_configuration_is_refused(_case, env, message, tmp_path):
    result = _start(EGOV_DATA_DIR=str(tmp_path), **env)
    assert result.returncode != 0
    assert message in result.stderr


def test_production_like_configuration_starts_in_vietnamese_and_local_time(tmp_path):
    result = _start(EGOV_DATA_DIR=str(tmp_path), EGOV_SECRET_KEY="k" * 50)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["vi", "Asia/Ho_Chi_Minh"]


def test_demo_in_production_only_when_asked_for_explicitly(tmp_path):
    result = _start(
        EGOV_DATA_DIR=str(tmp_path), EGOV_SECRET_KEY="k" * 50, EGOV_DEMO="1", EGOV_DEMO_ALLOW_PRODUCTION="1"
    )
    assert result.returncode == 0, result.stderr
