"""The security baseline: hashing, throttling, sessions, CSP, deploy checks, demo refusal."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from reunify.cases.tests.factories import PASSWORD

ROOT = Path(__file__).resolve().parent.parent


def test_passwords_are_hashed_with_argon2_outside_tests():
    from django.contrib.auth.hashers import Argon2PasswordHasher

    from config.settings import base

    assert base.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    assert (
        Argon2PasswordHasher()
        .encode("a passphrase", Argon2PasswordHasher().salt())
        .startswith("argon2$argon2id$")
    )


def test_sessions_expire_after_30_idle_minutes():
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST is True


def test_production_settings_pass_deploy_checks():
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.prod",
        "SECRET_KEY": "x" * 64 + "-not-a-real-secret-only-for-check",
    }
    env.pop("DATABASE_URL", None)
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set for Playwright in tests; never in deployment
    result = subprocess.run(
        [sys.executable, "-m", "reunify.cli", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_settings_need_a_secret_from_the_environment():
    env = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "DATABASE_URL")}
    env["DJANGO_SETTINGS_MODULE"] = "config.settings.prod"
    result = subprocess.run(
        [sys.executable, "-m", "reunify.cli", "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


@pytest.mark.django_db
def test_pages_carry_a_nonce_csp_without_unsafe_inline(client):
    response = client.get(reverse("accounts:login"))
    policy = response.headers["Content-Security-Policy"]
    assert "'nonce-" in policy
    assert "unsafe-inline" not in policy
    assert "unsafe-eval" not in policy
    nonce = policy.split("'nonce-")[1].split("'")[0]
    html = response.content.decode()
    assert html.count("<script") == html.count(f'nonce="{nonce}"')
    assert "style=" not in html


@pytest.mark.django_db
def test_repeated_failed_sign_ins_lock_the_account_with_a_clear_message(client, caseworker):
    url = reverse("accounts:login")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(url, {"username": caseworker.username, "password": "wrong-password"})
    response = client.post(url, {"username": caseworker.username, "password": PASSWORD})
    assert response.status_code == 429
    assert "Too many failed sign-in attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_sign_in_and_sign_out_are_audited(client, caseworker):
    from reunify.core.models import AuditEvent

    response = client.post(
        reverse("accounts:login"), {"username": caseworker.username, "password": PASSWORD}
    )
    assert response.status_code == 302
    assert AuditEvent.objects.filter(action="auth.signed_in", actor=caseworker).exists()
    assert client.get(reverse("accounts:logout")).status_code == 405  # sign-out is POST only
    client.post(reverse("accounts:logout"))
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_demo_data_refuses_production_settings(settings):
    settings.REUNIFY_DEMO_ALLOWED = False
    with pytest.raises(CommandError, match="production"):
        call_command("demo-data", "--cases", "1")


def test_no_debug_by_default():
    from config.settings import base

    assert os.environ.get("REUNIFY_DEBUG") or base.DEBUG is False
