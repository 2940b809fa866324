"""Who sees the Outcomes dashboard, at what scope, and who sees the children behind a number.
Deny by default.

- A supervisor sees their own unit: the numbers computed from that unit's cases only, and the
  children in them.
- An agency administrator (the agency's leader) sees the whole agency, or any one of its units.
- Caseworkers, family and partner accounts and anonymous visitors see nothing: the dashboard and
  its child lists do not exist for them (404, as an invisible object does elsewhere).

The child lists follow the same scope: they are built from the same scoped data as the numbers,
so a list can never name a child outside the scope.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from reunify.accounts import permissions as account_permissions
from reunify.accounts.models import Role, Unit

DASHBOARD_ROLES = frozenset({Role.SUPERVISOR, Role.AGENCY_ADMIN})


@dataclass(frozen=True)
class Scope:
    """The data a viewer's numbers come from: one agency, and one unit of it or all of them."""

    agency_id: int
    unit_id: int | None  # None: the whole agency


def can_view_dashboard(user: Any) -> bool:
    return account_permissions.is_staff_member(user) and user.role in DASHBOARD_ROLES


def can_view_child_lists(user: Any) -> bool:
    """The names behind the numbers: the same viewers, within the same scope (a supervisor reads
    their unit's cases, the administrator every case of the agency)."""
    return can_view_dashboard(user)


def can_choose_unit(user: Any) -> bool:
    """The administrator picks the whole agency or one unit; a supervisor's scope is fixed."""
    return can_view_dashboard(user) and user.role == Role.AGENCY_ADMIN


def dashboard_units_visible_to(user: Any) -> QuerySet[Unit]:
    """The units whose numbers `user` may see, for the unit filter."""
    if not can_view_dashboard(user):
        return Unit.objects.none()
    return account_permissions.units_visible_to(user).order_by("name")


def dashboard_scope(user: Any, *, unit_id: int | None = None) -> Scope | None:
    """The scope `user` sees when asking for `unit_id` (None: their default); None when `user`
    may not see the dashboard or may not see that unit. A supervisor's scope is always their
    own unit; an administrator's is the agency unless a unit of it is asked for."""
    if not can_view_dashboard(user):
        return None
    if user.role == Role.SUPERVISOR:
        if unit_id is not None and unit_id != user.unit_id:
            return None
        return Scope(agency_id=user.agency_id, unit_id=user.unit_id)
    if unit_id is None:
        return Scope(agency_id=user.agency_id, unit_id=None)
    if not dashboard_units_visible_to(user).filter(pk=unit_id).exists():
        return None
    return Scope(agency_id=user.agency_id, unit_id=unit_id)
