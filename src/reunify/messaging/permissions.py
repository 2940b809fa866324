"""Who may read and write message threads. Deny by default; asked again on every request, so a
change of standing takes effect from the very next one.

- Family side: the account of the thread, while the portal's one policy
  (`portal.permissions.sections`) gives it MESSAGES in the thread's case. Termination of parental
  rights or the case's closure takes messages away; a no-contact order does not (messages with
  the worker stay). Another family's thread does not exist for them (404).
- Staff side follows the case (cases.permissions): whoever sees the case reads its threads (the
  agency administrator included); whoever edits the case (its worker, the unit's supervisor)
  writes, starts threads and leaves read receipts; the administrator reads only.
- Attachments follow their thread.
- Unit response times: as the unit's caseloads (its supervisor, the agency administrator).
- A parent partner is not a participant yet (issue 7 adds them when matched).
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from reunify.accounts import permissions as account_permissions
from reunify.accounts.models import Unit
from reunify.cases import permissions as case_permissions
from reunify.cases.models import FamilyCase
from reunify.messaging.models import Attachment, Thread
from reunify.portal import access
from reunify.portal import permissions as portal_permissions


def family_may_message(user: Any, case: FamilyCase) -> bool:
    return access.MESSAGES in portal_permissions.sections(user, case)


def threads_visible_to(user: Any) -> QuerySet[Thread]:
    """Staff: the threads of the cases they see. Family: their own account's threads (each still
    to be checked with `can_view_thread`, because standing is per case)."""
    if account_permissions.is_staff_member(user):
        return Thread.objects.filter(case__in=case_permissions.cases_visible_to(user))
    if account_permissions.is_portal_user(user):
        return Thread.objects.filter(account__user=user)
    return Thread.objects.none()


def can_view_thread(user: Any, thread: Thread) -> bool:
    if account_permissions.is_staff_member(user):
        return case_permissions.can_view_case(user, thread.case)
    if account_permissions.is_portal_user(user):
        return thread.account.user_id == user.pk and family_may_message(user, thread.case)
    return False


def can_write_thread(user: Any, thread: Thread) -> bool:
    if account_permissions.is_staff_member(user):
        return case_permissions.can_edit_case(user, thread.case)
    return can_view_thread(user, thread)


def can_view_case_threads(user: Any, case: FamilyCase) -> bool:
    return case_permissions.can_view_case(user, case)


def can_start_thread(user: Any, case: FamilyCase) -> bool:
    if account_permissions.is_staff_member(user):
        return case_permissions.can_edit_case(user, case)
    return family_may_message(user, case)


def can_view_attachment(user: Any, attachment: Attachment) -> bool:
    return can_view_thread(user, attachment.message.thread)


def can_view_response_times(user: Any, unit: Unit) -> bool:
    return account_permissions.can_view_unit_caseloads(user, unit)
