"""Who may manage staff and units, and who may see a unit's caseloads. Deny by default."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from reunify.accounts.models import PORTAL_ROLES, STAFF_ROLES, Role, Unit, User


def is_staff_member(user: Any) -> bool:
    """Signed in, active, belonging to an agency, and holding a staff role: the precondition of
    every staff policy. A family or partner account is never staff, whatever else it has."""
    return bool(
        getattr(user, "is_authenticated", False)
        and user.is_active
        and user.agency_id
        and user.role in STAFF_ROLES
    )


def is_portal_user(user: Any) -> bool:
    return bool(
        getattr(user, "is_authenticated", False) and user.is_active and user.role in PORTAL_ROLES
    )


def can_manage_staff(user: Any) -> bool:
    return is_staff_member(user) and user.role == Role.AGENCY_ADMIN


def can_manage_unit(user: Any, unit: Unit) -> bool:
    return can_manage_staff(user) and unit.agency_id == user.agency_id


def can_edit_staff(user: Any, staff: User) -> bool:
    return can_manage_staff(user) and staff.agency_id == user.agency_id


def can_view_unit_caseloads(user: Any, unit: Unit) -> bool:
    if not is_staff_member(user) or unit.agency_id != user.agency_id:
        return False
    if user.role == Role.AGENCY_ADMIN:
        return True
    return user.role == Role.SUPERVISOR and unit.pk == user.unit_id


def units_visible_to(user: Any) -> QuerySet[Unit]:
    if not is_staff_member(user):
        return Unit.objects.none()
    if user.role == Role.AGENCY_ADMIN:
        return Unit.objects.filter(agency_id=user.agency_id)
    if user.role == Role.SUPERVISOR:
        return Unit.objects.filter(pk=user.unit_id)
    return Unit.objects.none()


def staff_visible_to(user: Any) -> QuerySet[User]:
    if not can_manage_staff(user):
        return User.objects.none()
    return User.objects.filter(agency_id=user.agency_id, role__in=STAFF_ROLES)


def assignable_workers(user: Any) -> QuerySet[User]:
    """Workers a supervisor may assign cases to: active caseworkers and supervisors of the unit."""
    if not is_staff_member(user) or user.role != Role.SUPERVISOR:
        return User.objects.none()
    return User.objects.filter(
        agency_id=user.agency_id,
        unit_id=user.unit_id,
        is_active=True,
        role__in=[Role.CASEWORKER, Role.SUPERVISOR],
    )
