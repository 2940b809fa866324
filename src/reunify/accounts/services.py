"""Writes for units and staff accounts. Only agency administrators reach these (views check
`accounts.permissions`); each write is audited."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from reunify.accounts.models import STAFF_ROLES, Agency, Role, Unit, User
from reunify.core import audit
from reunify.core.actor import write
from reunify.core.concurrency import lock_for_edit

STAFF_FIELDS = ("first_name", "last_name", "email", "role", "unit", "is_active")


@write
def unit_create(*, actor: User, agency: Agency, name: str) -> Unit:
    unit = Unit(agency=agency, name=name.strip())
    unit.full_clean()
    unit.save()
    audit.record(
        actor=actor,
        action="unit.created",
        obj=unit,
        agency_id=agency.pk,
        summary=f"Created unit {unit.name}",
    )
    return unit


@write
def unit_rename(*, actor: User, unit: Unit, expected_version: int, name: str) -> Unit:
    current = lock_for_edit(Unit, pk=unit.pk, expected_version=expected_version)
    old = current.name
    current.name = name.strip()
    current.version += 1
    current.full_clean()
    current.save()
    audit.record(
        actor=actor,
        action="unit.renamed",
        obj=current,
        agency_id=current.agency_id,
        summary=f"Renamed unit {old} to {current.name}",
        changes={"name": [old, current.name]},
    )
    return current


def _check_unit(agency: Agency, role: str, unit: Unit | None) -> None:
    if role not in STAFF_ROLES:  # family and partner accounts are made by invitation only
        raise ValidationError({"role": _("Choose a staff role.")})
    if unit is not None and unit.agency_id != agency.pk:
        raise ValidationError({"unit": _("Choose a unit of this agency.")})
    if role in (Role.CASEWORKER, Role.SUPERVISOR) and unit is None:
        raise ValidationError({"unit": _("Caseworkers and supervisors belong to a unit.")})


@write
def staff_create(
    *,
    actor: User,
    agency: Agency,
    username: str,
    password: str,
    first_name: str,
    last_name: str,
    email: str,
    role: str,
    unit: Unit | None,
) -> User:
    """Create a staff account. There is no self-registration: only administrators create staff."""
    _check_unit(agency, role, unit)
    user = User(
        agency=agency,
        username=username.strip(),
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        email=email.strip(),
        role=role,
        unit=unit,
    )
    try:
        validate_password(password, user)
    except ValidationError as error:
        raise ValidationError({"password": error.messages}) from error
    user.set_password(password)
    user.full_clean()
    user.save()
    audit.record(
        actor=actor,
        action="staff.created",
        obj=user,
        agency_id=agency.pk,
        summary=f"Created account {user.username} ({user.get_role_display()})",
    )
    return user


@write
def staff_update(*, actor: User, staff: User, expected_version: int, **fields: Any) -> User:
    current = lock_for_edit(User, pk=staff.pk, expected_version=expected_version)
    _check_unit(current.agency, fields["role"], fields["unit"])
    if current.pk == actor.pk and (fields["role"] != current.role or not fields["is_active"]):
        raise ValidationError(_("You cannot change your own role or deactivate your own account."))
    before = {f: getattr(current, f) for f in STAFF_FIELDS}
    for name in STAFF_FIELDS:
        setattr(current, name, fields[name])
    current.version += 1
    current.full_clean(exclude=["password"])
    current.save()
    changes = audit.field_changes(before, {f: getattr(current, f) for f in STAFF_FIELDS})
    audit.record(
        actor=actor,
        action="staff.updated",
        obj=current,
        agency_id=current.agency_id,
        summary=f"Edited account {current.username}: {', '.join(changes) or 'no field changed'}",
        changes=changes,
    )
    return current


def sign_in_recorded(*, user: User) -> None:
    audit.record(
        actor=user,
        action="auth.signed_in",
        kind=audit.AuditEvent.Kind.AUTH,
        obj=user,
        summary="Signed in",
    )


def sign_in_failed(*, username: str) -> None:
    audit.record(
        actor=None,
        action="auth.sign_in_failed",
        kind=audit.AuditEvent.Kind.AUTH,
        summary=f"Failed sign-in for {username[:100]}",
    )
