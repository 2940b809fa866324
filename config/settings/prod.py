"""Production: every secret from the environment, HTTPS-only cookies, HSTS, no demo data."""

from __future__ import annotations

import os

from config.settings.base import *  # noqa: F403

SECRET_KEY = os.environ["SECRET_KEY"]
DEBUG = False
REUNIFY_DEMO_ALLOWED = False

SECURE_SSL_REDIRECT = True
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_NAME = "__Host-sessionid"
CSRF_COOKIE_NAME = "__Host-csrftoken"
SECURE_HSTS_SECONDS = 63072000
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
# Never the console in production (it would log numbers and answer links): refuse until set.
REUNIFY_SMS_BACKEND = os.environ.get("REUNIFY_SMS_BACKEND", "reunify.reminders.sms.DisabledBackend")
REUNIFY_BASE_URL = os.environ.get("REUNIFY_BASE_URL", "")
REUNIFY_STAFF_SECOND_FACTOR = True  # an agency may turn it off for its staff (Agency setting)
EMAIL_BACKEND = os.environ.get(
    "REUNIFY_EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend"
)
