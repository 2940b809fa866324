"""The portal's one policy: which cases and children a family account reaches, and which
sections of them, read fresh from the record on every call (portal/access.py decides)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q, QuerySet

from reunify.accounts.models import Role
from reunify.accounts.permissions import is_portal_user
from reunify.cases.models import FamilyCase, ParticipantRole, Placement
from reunify.cases.permissions import can_edit_case
from reunify.cases.rules import age_in_years
from reunify.clocks import profiles
from reunify.core import clock
from reunify.court.models import CourtOrder, OrderKind
from reunify.people.models import Person
from reunify.portal import access
from reunify.portal.models import Kind, PortalAccount


def account_of(user: Any) -> PortalAccount | None:
    if not is_portal_user(user):
        return None
    return PortalAccount.objects.select_related("person", "provider").filter(user=user).first()


def profile_rules(case: FamilyCase) -> access.Rules:
    """The jurisdiction profile's portal rules for the case's agency."""
    profile = profiles.get(case.agency.clock_profile)
    return access.Rules(
        after_tpr_court_dates=profile.portal_after_tpr_court_dates,
        after_closure_case_plan=profile.portal_after_closure_case_plan,
    )


def _in_force(today: dt.date) -> Q:
    return Q(issued_on__lte=today) & (
        Q(effective_until__isnull=True) | Q(effective_until__gt=today)
    )


def parent_standing(
    person: Person, case: FamilyCase, child: Person | None = None, today: dt.date | None = None
) -> access.ParentStanding:
    """A parent's standing in `case` (for `child`, or for every child when None)."""
    today = today or clock.today()
    orders = CourtOrder.objects.filter(case=case, parent=person)
    about = Q(child__isnull=True) | Q(child=child) if child is not None else Q()
    tpr = orders.filter(about, kind=OrderKind.TPR, issued_on__lte=today)
    if child is None:
        # For the case as a whole the rights are gone when an order covers every child.
        children = set(
            case.participants.filter(role=ParticipantRole.CHILD).values_list("person_id", flat=True)
        )
        covered = set(tpr.exclude(child__isnull=True).values_list("child_id", flat=True))
        terminated = tpr.filter(child__isnull=True).exists() or (
            bool(children) and children <= covered
        )
    else:
        terminated = tpr.exists()
    no_contact = orders.filter(about, _in_force(today), kind=OrderKind.NO_CONTACT).exists()
    return access.ParentStanding(
        case_open=case.status == FamilyCase.Status.OPEN,
        parental_rights_terminated=terminated,
        no_contact_order=no_contact,
    )


def parent_cases(account: PortalAccount) -> QuerySet[FamilyCase]:
    return FamilyCase.objects.filter(
        participants__person=account.person, participants__role=ParticipantRole.PARENT
    ).distinct()


def current_placements(account: PortalAccount) -> QuerySet[Placement]:
    """The placements with this resource family that are running now, in open cases."""
    return Placement.objects.filter(
        provider=account.provider,
        ended_on__isnull=True,
        episode__discharged_on__isnull=True,
        episode__case__status=FamilyCase.Status.OPEN,
    ).select_related("episode__child", "episode__case")


def sections(user: Any, case: FamilyCase, child: Person | None = None) -> frozenset[str]:
    """What `user` may see of `case` (or of `child` in it). Empty: nothing (the pages answer 404)."""
    account = account_of(user)
    if account is None or case.agency_id != user.agency_id:
        return frozenset()
    if account.kind == Kind.PARENT and user.role == Role.PARENT:
        if not parent_cases(account).filter(pk=case.pk).exists():
            return frozenset()
        return access.parent_sections(
            parent_standing(account.person, case, child), profile_rules(case)
        )
    if account.kind == Kind.RESOURCE_PARENT and user.role == Role.RESOURCE_PARENT:
        placed = current_placements(account).filter(episode__case=case)
        if child is not None:
            placed = placed.filter(episode__child=child)
        return access.resource_sections(placed_now=placed.exists(), case_open=True)
    if account.kind == Kind.YOUTH and user.role == Role.YOUTH:
        person = account.person
        in_case = case.participants.filter(person=person, role=ParticipantRole.CHILD).exists()
        if not in_case or (child is not None and child.pk != person.pk):
            return frozenset()
        age = (
            age_in_years(born=person.date_of_birth, on=clock.today())
            if person.date_of_birth
            else None
        )
        return access.youth_sections(age=age, case_open=case.status == FamilyCase.Status.OPEN)
    return frozenset()


def can_invite(user: Any, case: FamilyCase) -> bool:
    """Who sends invitations: whoever edits the case (its worker and the unit's supervisor)."""
    return can_edit_case(user, case)


def youth_can_be_invited(person: Person, today: dt.date | None = None) -> bool:
    if person.date_of_birth is None:
        return False
    return (
        age_in_years(born=person.date_of_birth, on=today or clock.today()) >= access.YOUTH_MIN_AGE
    )
