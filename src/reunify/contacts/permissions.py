"""Who may see and record caseworker contacts, and who sees compliance. Deny by default.

Contacts follow their case (cases.permissions): the assigned worker and the unit's supervisor
record them, the agency administrator reads them. A unit's compliance is seen by its supervisor
and the agency administrator; the agency's by the administrator."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from reunify.accounts import permissions as account_permissions
from reunify.accounts.models import Role, Unit
from reunify.cases import permissions as case_permissions
from reunify.cases.models import FamilyCase
from reunify.contacts.models import CaseworkerContact


def contacts_visible_to(user: Any) -> QuerySet[CaseworkerContact]:
    return CaseworkerContact.objects.filter(case__in=case_permissions.cases_visible_to(user))


def can_view_contacts(user: Any, case: FamilyCase) -> bool:
    return case_permissions.can_view_case(user, case)


def can_record_contact(user: Any, case: FamilyCase) -> bool:
    return case_permissions.can_edit_case(user, case)


def can_view_unit_compliance(user: Any, unit: Unit) -> bool:
    return account_permissions.can_view_unit_caseloads(user, unit)


def can_view_agency_compliance(user: Any) -> bool:
    return bool(
        getattr(user, "is_authenticated", False)
        and user.is_active
        and user.agency_id
        and user.role == Role.AGENCY_ADMIN
    )
