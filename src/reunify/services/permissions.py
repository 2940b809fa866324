"""Who may search the community service directory and who may import it. Deny by default.

- Every active staff member of an agency searches that agency's directory and reads its
  services; nobody sees another agency's directory.
- Only the agency administrator imports (replaces) the directory.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from reunify.accounts.models import Role
from reunify.accounts.permissions import is_staff_member
from reunify.services.models import Service


def can_search_directory(user: Any) -> bool:
    return is_staff_member(user)


def services_visible_to(user: Any) -> QuerySet[Service]:
    if not can_search_directory(user):
        return Service.objects.none()
    return Service.objects.filter(agency_id=user.agency_id)


def can_import_directory(user: Any) -> bool:
    return is_staff_member(user) and user.role == Role.AGENCY_ADMIN
