"""The test suite: SQLite in memory unless DATABASE_URL names another database."""

from __future__ import annotations

import os

from config.settings.base import *  # noqa: F403
from config.settings.base import DATABASES

SECRET_KEY = "test-only-not-secret"  # noqa: S105
DEBUG = False
if "DATABASE_URL" not in os.environ:
    DATABASES["default"] = {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
REUNIFY_SMS_BACKEND = "reunify.reminders.sms.LocmemBackend"
REUNIFY_BASE_URL = "http://testserver"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
AXES_FAILURE_LIMIT = 5
REUNIFY_DEMO_ALLOWED = True
