"""Who may see and change referrals. They follow their case (cases.permissions); deny by default:

- whoever sees the case sees its referrals, their timeline, consent and barriers (the agency
  administrator reads them);
- whoever edits the case writes referrals: drafts, consent, sending, each step, attendance and
  barriers (the administrator's writes are refused);
- the provider acts through the secret link of one referral only (no sign-in; the link is not a
  user and is checked in `selectors.provider_link_for`, never here);
- the barrier summary: a supervisor for their own unit, the agency administrator for the agency
  or any of its units; caseworkers do not see it;
- nobody sees another agency's data.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from reunify.accounts.models import Role, Unit
from reunify.accounts.permissions import is_staff_member
from reunify.cases import permissions as case_permissions
from reunify.cases.models import FamilyCase
from reunify.referrals.models import Referral


def referrals_visible_to(user: Any) -> QuerySet[Referral]:
    return Referral.objects.filter(case__in=case_permissions.cases_visible_to(user))


def can_view_referrals(user: Any, case: FamilyCase) -> bool:
    return case_permissions.can_view_case(user, case)


def can_manage_referrals(user: Any, case: FamilyCase) -> bool:
    return case_permissions.can_edit_case(user, case)


def can_view_barrier_summary(user: Any) -> bool:
    return is_staff_member(user) and user.role in (Role.SUPERVISOR, Role.AGENCY_ADMIN)


def summary_units(user: Any) -> QuerySet[Unit]:
    """The units whose barriers the user may see (an administrator also sees the agency)."""
    if not can_view_barrier_summary(user):
        return Unit.objects.none()
    if user.role == Role.AGENCY_ADMIN:
        return Unit.objects.filter(agency_id=user.agency_id)
    return Unit.objects.filter(pk=user.unit_id, agency_id=user.agency_id)
