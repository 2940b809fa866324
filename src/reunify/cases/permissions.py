"""Who may see and act on family cases. One policy for pages, API and exports; deny by default.

- A caseworker sees and edits the cases assigned to them.
- A supervisor sees and edits their unit's cases, and is the only one who reassigns them.
- An agency administrator sees every case in the agency (read only).
- Nobody sees another agency's data.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from reunify.accounts.models import Role
from reunify.accounts.permissions import is_staff_member
from reunify.cases.models import FamilyCase


def cases_visible_to(user: Any) -> QuerySet[FamilyCase]:
    if not is_staff_member(user):
        return FamilyCase.objects.none()
    in_agency = FamilyCase.objects.filter(agency_id=user.agency_id)
    if user.role == Role.AGENCY_ADMIN:
        return in_agency
    if user.role == Role.SUPERVISOR:
        return in_agency.filter(unit_id=user.unit_id)
    if user.role == Role.CASEWORKER:
        return in_agency.filter(worker_id=user.pk)
    return FamilyCase.objects.none()


def can_view_case(user: Any, case: FamilyCase) -> bool:
    if not is_staff_member(user) or case.agency_id != user.agency_id:
        return False
    if user.role == Role.AGENCY_ADMIN:
        return True
    if user.role == Role.SUPERVISOR:
        return case.unit_id == user.unit_id
    return user.role == Role.CASEWORKER and case.worker_id == user.pk


def can_edit_case(user: Any, case: FamilyCase) -> bool:
    """Record placements, discharges and goals, and edit the people in the case."""
    if not is_staff_member(user) or case.agency_id != user.agency_id:
        return False
    if user.role == Role.SUPERVISOR:
        return case.unit_id == user.unit_id
    return user.role == Role.CASEWORKER and case.worker_id == user.pk


def can_reassign_case(user: Any, case: FamilyCase) -> bool:
    return (
        is_staff_member(user)
        and user.role == Role.SUPERVISOR
        and case.agency_id == user.agency_id
        and case.unit_id == user.unit_id
    )


def can_open_case(user: Any) -> bool:
    return (
        is_staff_member(user)
        and user.role in (Role.CASEWORKER, Role.SUPERVISOR)
        and user.unit_id is not None
    )


def can_acknowledge_handover(user: Any, summary: Any) -> bool:
    """Only the worker the case was handed to, while it is still theirs to acknowledge."""
    return (
        bool(user.is_authenticated)
        and summary.assignment.worker_id == user.pk
        and summary.acknowledged_at is None
    )
