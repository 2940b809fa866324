"""Who may see and act on family time. It follows the case policy (`cases.permissions`):

- whoever sees the case sees its family time (worker, unit supervisor, agency admin read only);
- whoever edits the case creates plans, records sessions, proposes changes and restricts at once;
- only the supervisor of the case's unit approves or rejects a proposed change of level;
- nobody sees another agency's data.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from reunify.accounts.models import Role
from reunify.cases import permissions as case_permissions
from reunify.cases.models import FamilyCase, RemovalEpisode
from reunify.family_time.models import FamilyTimePlan, FamilyTimeSession


def episodes_visible_to(user: Any) -> QuerySet[RemovalEpisode]:
    return RemovalEpisode.objects.filter(case__in=case_permissions.cases_visible_to(user))


def plans_visible_to(user: Any) -> QuerySet[FamilyTimePlan]:
    return FamilyTimePlan.objects.filter(episode__case__in=case_permissions.cases_visible_to(user))


def sessions_visible_to(user: Any) -> QuerySet[FamilyTimeSession]:
    return FamilyTimeSession.objects.filter(
        plan__episode__case__in=case_permissions.cases_visible_to(user)
    )


def can_edit_family_time(user: Any, case: FamilyCase) -> bool:
    return case_permissions.can_edit_case(user, case)


def can_decide_level(user: Any, case: FamilyCase) -> bool:
    """Approve or reject a proposed change of level: the supervisor of the case's unit only."""
    return bool(
        getattr(user, "is_authenticated", False)
        and user.is_active
        and user.role == Role.SUPERVISOR
        and user.agency_id == case.agency_id
        and user.unit_id == case.unit_id
    )


def can_name_levels(user: Any) -> bool:
    """Rename the ladder's levels for the agency: its administrators."""
    return bool(
        getattr(user, "is_authenticated", False)
        and user.is_active
        and user.role == Role.AGENCY_ADMIN
    )
