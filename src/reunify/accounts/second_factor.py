"""Second factor (TOTP through django-otp, with one-time recovery codes).

Family and partner accounts always sign in with a second factor; staff do when their agency
asks (`Agency.staff_second_factor`), or, when the agency has not said, as the deployment's
`REUNIFY_STAFF_SECOND_FACTOR` says (on in production settings, off in development and tests).

A user who needs a second factor and has not passed it in this session reaches nothing but the
setup or check page and sign-out (`SecondFactorMiddleware`)."""

from __future__ import annotations

import secrets
from typing import Any

import segno
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from reunify.accounts.models import PORTAL_ROLES, User
from reunify.core import audit

RECOVERY_CODES = 10
ISSUER = "Reunify"


def required_for(user: Any) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    if user.role in PORTAL_ROLES:
        return True
    agency = user.agency
    if agency is not None and agency.staff_second_factor is not None:
        return bool(agency.staff_second_factor)
    return bool(getattr(settings, "REUNIFY_STAFF_SECOND_FACTOR", False))


def confirmed_totp(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def pending_totp(user: User) -> TOTPDevice:
    """The authenticator being set up: one unconfirmed device per user, made on first visit."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)
    return device


def setup_qr_svg(device: TOTPDevice) -> str:
    """The otpauth:// address as an inline SVG QR code (no image file, nothing external)."""
    return segno.make(device.config_url, error="m").svg_inline(
        scale=4, dark="#1b1b1b", light="#ffffff"
    )


def secret_for_typing(device: TOTPDevice) -> str:
    """The key in base32, in groups of four, for people who type it into their app."""
    from base64 import b32encode

    key = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


@transaction.atomic
def confirm_setup(*, request: Any, user: User, token: str) -> list[str]:
    """Confirm the authenticator with a code from it; returns the recovery codes, shown once."""
    device = pending_totp(user)
    if not device.verify_token(token.strip().replace(" ", "")):
        raise ValidationError(
            {
                "token": _(
                    "That code does not match. Check the time on your phone and try the newest code."
                )
            }
        )
    TOTPDevice.objects.filter(user=user, confirmed=True).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    StaticDevice.objects.filter(user=user).delete()
    static = StaticDevice.objects.create(user=user, name="recovery codes", confirmed=True)
    codes = [f"{secrets.randbelow(10**8):08d}" for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=static, token=c) for c in codes)
    otp_login(request, device)
    audit.record(
        actor=user,
        action="auth.second_factor_set_up",
        kind=audit.AuditEvent.Kind.AUTH,
        obj=user,
        summary="Second factor set up",
    )
    return codes


def verify(*, request: Any, user: User, code: str) -> None:
    """Pass the second factor with a code from the authenticator or an unused recovery code."""
    code = code.strip().replace(" ", "")
    device = confirmed_totp(user)
    if device is not None and device.verify_token(code):
        otp_login(request, device)
        used = "authenticator"
    else:
        static = StaticDevice.objects.filter(user=user, confirmed=True).first()
        if static is None or not static.verify_token(code):
            audit.record(
                actor=user,
                action="auth.second_factor_failed",
                kind=audit.AuditEvent.Kind.AUTH,
                obj=user,
                summary="Second factor refused",
            )
            raise ValidationError(
                {
                    "code": _(
                        "That code is not right. Try the newest code from your app, or a recovery code."
                    )
                }
            )
        otp_login(request, static)
        used = "recovery code"
    audit.record(
        actor=user,
        action="auth.second_factor_passed",
        kind=audit.AuditEvent.Kind.AUTH,
        obj=user,
        summary=f"Second factor passed ({used})",
    )
