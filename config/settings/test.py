"""The test suite: SQLite in memory unless DATABASE_URL names another database."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

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
STORAGES["messaging"] = {"BACKEND": "django.core.files.storage.InMemoryStorage"}
# Shared family documents go to a throw-away directory, never the checkout's var/.
REUNIFY_PORTAL_FILES_DIR = Path(tempfile.mkdtemp(prefix="reunify-test-portal-files-"))
AXES_FAILURE_LIMIT = 5
REUNIFY_DEMO_ALLOWED = True
