"""Test settings: base plus a fast hasher and quiet logs. The database comes from DATABASE_URL,
so the same suite runs on SQLite and on PostgreSQL."""

import os

os.environ.setdefault("EGOV_DEBUG", "1")
os.environ.setdefault("EGOV_DEMO", "1")
os.environ.setdefault("EGOV_LOG_FORMAT", "text")
os.environ.setdefault("EGOV_LOG_LEVEL", "WARNING")
os.environ.setdefault("EGOV_DEMO_DOSSIERS", "40")  # a small demo year: seed-demo runs in several tests

from egov.config.settings.base import *  # noqa: F403
from egov.config.settings.base import DATA_DIR, REST_FRAMEWORK

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # speed; argon2 has its own test
MEDIA_ROOT = DATA_DIR / "test-media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
REST_FRAMEWORK = {**REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"auth_token": "1000/min", "anon": "10000/min"}}
AXES_ENABLED = True

# Tasks run inline in tests; tests of the worker switch to the database backend themselves.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
