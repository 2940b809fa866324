"""Who may see and change parent-partner records. Deny by default; nobody sees another agency's.

Staff:
- the coordinator of a parent's participation is whoever edits the case (its worker and the
  unit's supervisor): refers, records the consent, offers, records the answer, confirms the
  match, closes; whoever sees the case (the agency administrator too) reads it;
- any staff member of the agency sees the mentor list with capacity (to talk with families);
- an agency administrator or a supervisor adds mentors, records their eligibility evidence and
  edits them.

The mentor (role parent_partner, through the portal): only the participations they are matched
with in open cases, and of those only while the parent's consent is on file, not revoked and not
expired (portal.access.partner_sections decides, from facts read fresh on every request: AZ-8).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, QuerySet

from reunify.accounts.models import Role
from reunify.accounts.permissions import is_portal_user, is_staff_member
from reunify.cases import permissions as case_permissions
from reunify.cases.models import FamilyCase
from reunify.core import clock
from reunify.partners.models import (
    Mentor,
    Participation,
    PartnerConsent,
    Status,
    consent_current_q,
)
from reunify.portal import access

# ---- staff ---------------------------------------------------------------------------------


def can_view_participation(user: Any, case: FamilyCase) -> bool:
    return case_permissions.can_view_case(user, case)


def can_coordinate(user: Any, case: FamilyCase) -> bool:
    """The coordinator: case editors (the assigned worker) and the unit's supervisor."""
    return case_permissions.can_edit_case(user, case)


def participations_visible_to(user: Any) -> QuerySet[Participation]:
    return Participation.objects.filter(case__in=case_permissions.cases_visible_to(user))


def can_view_mentors(user: Any) -> bool:
    return is_staff_member(user)


def can_manage_mentors(user: Any) -> bool:
    return is_staff_member(user) and user.role in (Role.AGENCY_ADMIN, Role.SUPERVISOR)


def mentors_visible_to(user: Any) -> QuerySet[Mentor]:
    if not can_view_mentors(user):
        return Mentor.objects.none()
    return Mentor.objects.filter(agency_id=user.agency_id)


# ---- the mentor ------------------------------------------------------------------------------


def mentor_of(user: Any) -> Mentor | None:
    """The active mentor record of a signed-in parent-partner account, else None."""
    if not is_portal_user(user) or user.role != Role.PARENT_PARTNER:
        return None
    return Mentor.objects.filter(user=user, is_active=True, agency_id=user.agency_id).first()


def partner_sections(user: Any, participation: Participation) -> frozenset[str]:
    """What `user` may see of `participation` as its mentor (empty: nothing; pages answer 404)."""
    mentor = mentor_of(user)
    if mentor is None or participation.case.agency_id != mentor.agency_id:
        return frozenset()
    consents = PartnerConsent.objects.filter(participation=participation, revoked_at__isnull=True)
    today = clock.today()
    return access.partner_sections(
        matched=participation.status == Status.ACTIVE
        and participation.mentor_id == mentor.pk
        and participation.case.status == FamilyCase.Status.OPEN,
        consent_on_file=consents.exists(),
        consent_current=consents.filter(consent_current_q(today)).exists(),
    )


def can_see_parent(user: Any, participation: Participation) -> bool:
    return access.PARTNER in partner_sections(user, participation)


def participations_for_mentor(user: Any) -> QuerySet[Participation]:
    """The mentor's matched participations with consent in force today (the same rule as
    `partner_sections`, as a query)."""
    mentor = mentor_of(user)
    if mentor is None:
        return Participation.objects.none()
    in_force = PartnerConsent.objects.filter(
        consent_current_q(clock.today()), participation=OuterRef("pk")
    )
    return Participation.objects.filter(
        Exists(in_force),
        mentor=mentor,
        status=Status.ACTIVE,
        case__agency_id=mentor.agency_id,
        case__status=FamilyCase.Status.OPEN,
    )
