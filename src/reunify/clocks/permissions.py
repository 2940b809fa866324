"""Who sees clocks and records exceptions: the case policy decides (clocks are derived from the
case's events); agency profile choice is an administrator's."""

from __future__ import annotations

from typing import Any

from reunify.accounts.permissions import can_manage_staff
from reunify.cases import permissions as case_permissions
from reunify.cases.models import FamilyCase


def can_record_clock_exception(user: Any, case: FamilyCase) -> bool:
    return case_permissions.can_edit_case(user, case)


def can_choose_clock_profile(user: Any) -> bool:
    return can_manage_staff(user)
