"""Reads for the resource family's page about a child placed with it now: the family-time
schedule, court dates, the school, health and well-being needs the plan asks it to support, and
how to reach the caseworker. The view has already checked CHILD_NEEDS (or FAMILY_TIME) for the
child with `permissions.sections`.

What never leaves here: the parents' addresses and anything about the parents (their goals,
tasks, conditions for return, services), a place the agency keeps confidential, another family's
home, session notes, transport and supervision notes (free text that may name a parent's home),
hearing notes, and the youth's own words in the plan."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from reunify.cases.models import FamilyCase, Placement
from reunify.core import clock
from reunify.court.models import Hearing, HearingStatus
from reunify.family_time.models import (
    FamilyTimePlan,
    FamilyTimeSession,
    LocationType,
    SessionStatus,
)
from reunify.people.models import Person
from reunify.portal import access, parent_selectors

UPCOMING_SESSIONS = 12
UPCOMING_HEARINGS = 6


def area_labels() -> dict[str, str]:
    return {"health": _("Health"), "education": _("School"), "well_being": _("Well-being")}


@dataclass
class SessionLine:
    session: FamilyTimeSession
    with_whom: str
    place: str


@dataclass
class NeedLine:
    need: str
    who_meets_it: str


@dataclass
class Contact:
    name: str
    email: str
    agency: str


@dataclass
class ChildPage:
    child: Person
    sections: frozenset[str]
    sessions: list[SessionLine] = field(default_factory=list)
    hearings: list[dt.date] = field(default_factory=list)
    needs: list[tuple[str, list[NeedLine]]] = field(default_factory=list)
    contact: Contact | None = None
    school: str = ""


def place(plan: FamilyTimePlan) -> str:
    """Where family time happens, as the resource family may read it: a resource family's home
    by its kind only (their own they know; another family's is never given), a parent's home
    without its address, a confidential place as "Arranged by the agency"."""
    if plan.location_type in (LocationType.RESOURCE_HOME, LocationType.PARENT_HOME):
        return str(plan.get_location_type_display())
    if plan.location_confidential:
        return _("Arranged by the agency")
    kind = plan.get_location_type_display()
    return f"{kind}: {plan.address}" if plan.address else str(kind)


def sessions_for(case: FamilyCase, child: Person) -> list[SessionLine]:
    """The child's next scheduled sessions, of every kind of family time (parents, siblings,
    relatives), in the child's current episode."""
    found = (
        FamilyTimeSession.objects.filter(
            plan__episode__case=case,
            plan__episode__child=child,
            plan__episode__discharged_on__isnull=True,
            status=SessionStatus.SCHEDULED,
            starts_at__gt=clock.now(),
        )
        .select_related("plan")
        .order_by("starts_at", "id")[:UPCOMING_SESSIONS]
    )
    return [SessionLine(s, str(s.plan.get_kind_display()), place(s.plan)) for s in found]


def hearings_for(case: FamilyCase) -> list[dt.date]:
    """The dates of the scheduled court hearings (a hearing concerns every child of the case);
    only the dates."""
    return list(
        Hearing.objects.filter(
            case=case, status=HearingStatus.SCHEDULED, scheduled_for__gte=clock.today()
        )
        .order_by("scheduled_for")
        .values_list("scheduled_for", flat=True)
        .distinct()[:UPCOMING_HEARINGS]
    )


def needs_for(case: FamilyCase, child: Person) -> list[tuple[str, list[NeedLine]]]:
    """The child's needs by area from the plan in force (never a draft); only the child's own
    section of the plan."""
    page = parent_selectors.plan_in_force(case, clock.today())
    if page is None:
        return []
    section: dict[str, Any] = next(
        (c.section for c in page.children if c.person.pk == child.pk), {}
    )
    labels = area_labels()
    grouped: list[tuple[str, list[NeedLine]]] = []
    for area, label in labels.items():
        lines = [
            NeedLine(n.get("need", ""), n.get("who_meets_it", ""))
            for n in section.get("needs", [])
            if n.get("area") == area and n.get("need")
        ]
        if lines:
            grouped.append((label, lines))
    return grouped


def contact_for(case: FamilyCase) -> Contact | None:
    worker = case.worker
    if worker is None:
        return None
    return Contact(
        name=worker.get_full_name() or worker.username,
        email=worker.email,
        agency=case.agency.name,
    )


def child_page(*, case: FamilyCase, child: Person, allowed: frozenset[str]) -> ChildPage:
    page = ChildPage(child=child, sections=allowed)
    if access.FAMILY_TIME in allowed:
        page.sessions = sessions_for(case, child)
        page.hearings = hearings_for(case)
    if access.CHILD_NEEDS in allowed:
        page.needs = needs_for(case, child)
        # The school the child attends from this (their current) placement.
        page.school = (
            Placement.objects.filter(
                episode__case=case, episode__child=child, ended_on__isnull=True
            )
            .values_list("school", flat=True)
            .first()
            or ""
        )
    if access.CASEWORKER_CONTACT in allowed:
        page.contact = contact_for(case)
    return page
