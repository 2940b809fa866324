"""Who may see and record court events. Court records belong to a case, so the case policy
decides (`cases.permissions`); deny by default.

- Court records are visible to whoever sees the case: the assigned caseworker, the unit's
  supervisor, the agency administrator (read only).
- They are recorded by whoever may edit the case: the assigned caseworker and the unit's
  supervisor.
- Nobody sees another agency's court records.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from reunify.cases import permissions as case_permissions
from reunify.cases.models import FamilyCase
from reunify.court.models import Hearing


def hearings_visible_to(user: Any) -> QuerySet[Hearing]:
    return Hearing.objects.filter(case__in=case_permissions.cases_visible_to(user))


def can_view_court(user: Any, case: FamilyCase) -> bool:
    return case_permissions.can_view_case(user, case)


def can_edit_court(user: Any, case: FamilyCase) -> bool:
    """Schedule hearings and record their outcome, findings, orders and petitions."""
    return case_permissions.can_edit_case(user, case)


def can_edit_hearing(user: Any, hearing: Hearing) -> bool:
    return can_edit_court(user, hearing.case)
