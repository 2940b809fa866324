"""Who may see and change case plans. The plan follows its case (`cases.permissions`); deny by
default:

- whoever sees the case sees its plan, versions, comparisons and printed plan (the assigned
  worker, the unit's supervisor, the agency administrator read only);
- whoever edits the case writes the plan: starts it, edits the draft, records meetings,
  progress and attendance, makes a version final and records signatures;
- nobody outside the agency sees anything of it.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from reunify.case_plans.models import FamilyPlan
from reunify.cases import permissions as case_permissions
from reunify.cases.models import FamilyCase


def cases_visible_to(user: Any) -> QuerySet[FamilyCase]:
    return case_permissions.cases_visible_to(user)


def plans_visible_to(user: Any) -> QuerySet[FamilyPlan]:
    return FamilyPlan.objects.filter(case__in=case_permissions.cases_visible_to(user))


def can_view_plan(user: Any, case: FamilyCase) -> bool:
    return case_permissions.can_view_case(user, case)


def can_edit_plan(user: Any, case: FamilyCase) -> bool:
    return case_permissions.can_edit_case(user, case)
