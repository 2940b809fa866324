"""Who may see and change family-time reminders. They follow family time (family_time.permissions):

- whoever sees the child's family time sees the reminders and the answers (the agency admin reads);
- whoever may edit family time for the case records and stops consent to reminders;
- a recipient answers through the secret link of their own reminder only (no sign-in);
- nobody sees another agency's data.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from reunify.cases import permissions as case_permissions
from reunify.cases.models import FamilyCase
from reunify.family_time import permissions as family_time_permissions
from reunify.reminders.models import Subscription


def subscriptions_visible_to(user: Any) -> QuerySet[Subscription]:
    return Subscription.objects.filter(episode__case__in=case_permissions.cases_visible_to(user))


def can_view_reminders(user: Any, case: FamilyCase) -> bool:
    return case_permissions.can_view_case(user, case)


def can_manage_reminders(user: Any, case: FamilyCase) -> bool:
    return family_time_permissions.can_edit_family_time(user, case)
