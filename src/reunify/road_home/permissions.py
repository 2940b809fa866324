"""Who may see and change the road home (trial home visits, safety plans, aftercare, closure).
It follows the case (cases.permissions); deny by default:

- whoever sees the case sees all of it (the agency administrator reads it);
- whoever edits the case (the assigned worker, the unit's supervisor) prepares, starts and ends
  trial home visits, keeps safety plans and aftercare plans, and asks for the case to close;
  the administrator's writes are refused;
- only a supervisor of the case's unit decides on a closure request (and the service refuses
  one who made the request themselves);
- nobody sees another agency's data.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from reunify.accounts.models import Role
from reunify.accounts.permissions import is_staff_member
from reunify.cases import permissions as case_permissions
from reunify.cases.models import FamilyCase
from reunify.road_home.models import AftercarePlan, ClosureRequest, SafetyPlan, TrialHomeVisit


def cases_visible_to(user: Any) -> QuerySet[FamilyCase]:
    return case_permissions.cases_visible_to(user)


def visits_visible_to(user: Any) -> QuerySet[TrialHomeVisit]:
    return TrialHomeVisit.objects.filter(episode__case__in=cases_visible_to(user))


def safety_plans_visible_to(user: Any) -> QuerySet[SafetyPlan]:
    return SafetyPlan.objects.filter(case__in=cases_visible_to(user))


def aftercare_plans_visible_to(user: Any) -> QuerySet[AftercarePlan]:
    return AftercarePlan.objects.filter(case__in=cases_visible_to(user))


def closure_requests_visible_to(user: Any) -> QuerySet[ClosureRequest]:
    return ClosureRequest.objects.filter(case__in=cases_visible_to(user))


def can_view_road_home(user: Any, case: FamilyCase) -> bool:
    return case_permissions.can_view_case(user, case)


def can_manage_road_home(user: Any, case: FamilyCase) -> bool:
    return case_permissions.can_edit_case(user, case)


def can_decide_closure(user: Any, case: FamilyCase) -> bool:
    return (
        is_staff_member(user)
        and user.role == Role.SUPERVISOR
        and case.agency_id == user.agency_id
        and case.unit_id == user.unit_id
    )
