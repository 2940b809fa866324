"""Settings every environment shares. Environment modules (dev, test, prod) import this."""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(os.environ.get("REUNIFY_VAR_DIR", BASE_DIR / "var"))


def env_flag(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


DEBUG = env_flag("REUNIFY_DEBUG")
ALLOWED_HOSTS = [
    h for h in os.environ.get("REUNIFY_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h
]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "template_partials",
    "simple_history",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "reunify.core",
    "reunify.accounts",
    "reunify.people",
    "reunify.cases",
    "reunify.court",
    "reunify.case_plans",
    "reunify.contacts",
    "reunify.family_time",
    "reunify.clocks",
    "reunify.reminders",
    "reunify.services",
    "reunify.referrals",
    "reunify.assessments",
    "reunify.road_home",
    "reunify.portal",
    "reunify.messaging",
    "reunify.outcomes",
    "reunify.partners",
    "reunify.tracing",
    "django_tasks",
    "django_tasks_db",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "reunify.core.request_context.RequestContextMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "reunify.accounts.middleware.SecondFactorMiddleware",
    "reunify.portal.middleware.PortalBoundaryMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "reunify.core.context_processors.navigation",
            ],
        },
    }
]

# SQLite under var/ is the embedded default; DATABASE_URL (e.g. postgres://...) switches engines.
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'reunify.sqlite3'}"),
        conn_max_age=60,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {"timeout": 20, "transaction_mode": "IMMEDIATE"}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "cases:caseload"
LOGOUT_REDIRECT_URL = "accounts:login"

# Sessions end after 30 minutes idle (the expiry is pushed forward on every request).
SESSION_COOKIE_AGE = 30 * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"

# django-axes: lock an account and address after repeated failures; the lockout page explains it.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 0.5  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_RESET_ON_SUCCESS = True

# django-csp 4: a nonce policy, no 'unsafe-inline' anywhere.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("es", _("Spanish"))]
LOCALE_PATHS = [BASE_DIR / "src" / "reunify" / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "UTC"
# Statutory dates are dates in the agency's time zone (core/clock.py reads it).
REUNIFY_AGENCY_TIME_ZONE = os.environ.get("REUNIFY_AGENCY_TIME_ZONE", "America/Chicago")

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True

EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = "Reunify <no-reply@reunify.invalid>"

SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}

REUNIFY_PAGE_SIZE = 25

# Background work: django-tasks with the database backend (no broker). `reunify db_worker` runs
# tasks; `reunify scheduler` (or cron) enqueues the nightly clock refresh and digests.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
FORM_RENDERER = "reunify.core.forms.UswdsRenderer"

# Family-time reminders (reunify.reminders; docs/reminders.md). Text messages go through the
# backend named here (console in development; a gateway backend in production).
REUNIFY_SMS_BACKEND = os.environ.get("REUNIFY_SMS_BACKEND", "reunify.reminders.sms.ConsoleBackend")
REUNIFY_REMINDER_LEAD_HOURS = 24  # a reminder goes out this long before the session starts
REUNIFY_QUIET_HOURS = (21, 8)  # nothing is sent from 21:00 to 08:00, agency time
REUNIFY_REFERRAL_LINK_DAYS = 30  # a provider link works this many days after sending
REUNIFY_REFERRAL_RESPONSE_DAYS = 7  # an unanswered referral is overdue after this many days
# Family portal (issue 7). Families always sign in with a second factor; staff when their agency
# says so, or, when it has not, as this default says (production settings turn it on).
REUNIFY_STAFF_SECOND_FACTOR = False
REUNIFY_INVITATION_DAYS = 7  # an invitation link works this many days
# Documents shared with families: a private directory, never served as static or media files
# (portal/document_storage.py streams them through a view that checks the policy).
REUNIFY_PORTAL_FILES_DIR = Path(
    os.environ.get("REUNIFY_PORTAL_FILES_DIR", VAR_DIR / "portal_files")
)
OTP_TOTP_ISSUER = "Reunify"
# The address of the site as recipients reach it, for the answer link in reminders.
REUNIFY_BASE_URL = os.environ.get("REUNIFY_BASE_URL", "http://127.0.0.1:8000")
