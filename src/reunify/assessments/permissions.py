"""Who may see and record assessments. They follow their case (cases.permissions); deny by
default:

- whoever sees the case reads its assessments, conditions for return and the readiness page of
  each child (the agency administrator reads them);
- whoever edits the case (the assigned worker, the unit's supervisor) records assessments and
  reviews conditions for return; the administrator's writes are refused;
- the licensed wording of instruments is set by the agency's administrators, each for their
  own agency only; other roles are refused;
- nobody sees another agency's data.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from reunify.accounts import permissions as account_permissions
from reunify.assessments.models import ConditionForReturn, Response
from reunify.cases import permissions as case_permissions
from reunify.cases.models import FamilyCase, RemovalEpisode


def responses_visible_to(user: Any) -> QuerySet[Response]:
    return Response.objects.filter(case__in=case_permissions.cases_visible_to(user))


def conditions_visible_to(user: Any) -> QuerySet[ConditionForReturn]:
    return ConditionForReturn.objects.filter(case__in=case_permissions.cases_visible_to(user))


def episodes_visible_to(user: Any) -> QuerySet[RemovalEpisode]:
    return RemovalEpisode.objects.filter(case__in=case_permissions.cases_visible_to(user))


def can_view_assessments(user: Any, case: FamilyCase) -> bool:
    return case_permissions.can_view_case(user, case)


def can_record_assessments(user: Any, case: FamilyCase) -> bool:
    return case_permissions.can_edit_case(user, case)


def can_manage_wording(user: Any) -> bool:
    """The agency administrator sets the agency's licensed wording (scoped to `user.agency`)."""
    return account_permissions.can_manage_staff(user)
