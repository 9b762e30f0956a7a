"""Test settings: the production module with the few things tests must change.

TEST_DATABASE_URL chooses the database (SQLite in memory by default, PostgreSQL in CI's second run).
"""

import os

import dj_database_url

from accountable.config.settings import *  # noqa: F403
from accountable.config.settings import DATABASES
from accountable.ops.logging import logging_config

DEBUG = False
SECRET_KEY = "test-only-secret-key-not-for-production-0123456789abcdefghij"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # speed only, tests only
SECURE_COOKIES = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
# live_server cannot serve manifest-hashed names that were never collected.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

_test_url = os.environ.get("TEST_DATABASE_URL", "")
if _test_url:
    DATABASES = {"default": dj_database_url.parse(_test_url)}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": ":memory:",
            "OPTIONS": DATABASES["default"].get("OPTIONS", {}),
            "TEST": {"NAME": ":memory:"},
        }
    }

# Tests print warnings and errors only (a failing test's output is then its assertion, not
# hundreds of request lines); tests of the request log raise their logger's level themselves.
LOGGING = logging_config(level=os.environ.get("TEST_LOG_LEVEL", "WARNING"), fmt="plain")
