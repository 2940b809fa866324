"""Reads for the parent-partner pages: the ranking's facts, a case's participations, the mentor
list with capacity, the mentor's view of a parent (the parent-shared field set only) and the
mentor's monthly activity."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet

from reunify.cases.models import FamilyCase, ParticipantRole
from reunify.core import clock
from reunify.court.models import Hearing, HearingStatus
from reunify.family_time.models import FamilyTimeSession, SessionStatus
from reunify.partners import display, matching
from reunify.partners.models import (
    Mentor,
    Participation,
    PartnerConsent,
    PartnerContact,
    Status,
    consent_current_q,
)
from reunify.people.models import Person
from reunify.portal import access
from reunify.portal import permissions as portal_permissions


def with_active_counts(mentors: QuerySet[Mentor]) -> QuerySet[Mentor]:
    return mentors.annotate(
        active_matches=Count("participations", filter=Q(participations__status=Status.ACTIVE))
    )


def mentor_facts(mentor: Any) -> matching.MentorFacts:
    return matching.MentorFacts(
        mentor_id=mentor.pk,
        name=mentor.name,
        experiences=frozenset(mentor.experiences),
        languages=frozenset(mentor.languages),
        counties=frozenset(mentor.counties),
        zip_codes=frozenset(mentor.zip_codes),
        capacity=mentor.capacity,
        active_matches=mentor.active_matches,
        is_active=mentor.is_active,
    )


def parent_facts(participation: Participation) -> matching.ParentFacts:
    return matching.ParentFacts(
        experiences=frozenset(participation.experiences),
        language=participation.language,
        county=participation.county,
        zip_code=participation.zip_code,
    )


@dataclass(frozen=True)
class Candidate:
    mentor: Mentor
    ranked: matching.Ranked
    reasons: list[str]


def candidates(participation: Participation) -> list[Candidate]:
    """The agency's available mentors ranked for this parent, with the reasons."""
    mentors = {
        m.pk: m
        for m in with_active_counts(Mentor.objects.filter(agency_id=participation.case.agency_id))
    }
    ranked = matching.rank([mentor_facts(m) for m in mentors.values()], parent_facts(participation))
    return [Candidate(mentors[r.mentor_id], r, display.reasons(r)) for r in ranked]


def case_parents(case: FamilyCase) -> list[Person]:
    return [
        p.person
        for p in case.participants.filter(role=ParticipantRole.PARENT).select_related("person")
    ]


def case_participations(case: FamilyCase) -> list[Participation]:
    return list(
        Participation.objects.filter(case=case)
        .select_related("parent", "mentor")
        .prefetch_related("consents")
    )


def consent_in_force(participation: Participation) -> PartnerConsent | None:
    return participation.consents.filter(consent_current_q(clock.today())).first()


def unrevoked_consent(participation: Participation) -> PartnerConsent | None:
    return participation.consents.filter(revoked_at__isnull=True).first()


def mentor_list(mentors: QuerySet[Mentor]) -> list[Mentor]:
    return list(with_active_counts(mentors).order_by("-is_active", "name", "id"))


# ---- the mentor's view -----------------------------------------------------------------------


@dataclass(frozen=True)
class ParentCard:
    """The parent-shared field set: nothing else of the record ever reaches the mentor."""

    participation_id: int
    first_name: str
    language: str
    phone: str  # only when the parent consented to share it
    next_court_date: dt.date | None
    next_family_time_date: dt.date | None  # the date only, never the place
    goals: str


def parent_card(participation: Participation) -> ParentCard:
    """What the mentor sees of one parent. The court and family-time dates follow what the parent
    sees in their own portal (a no-contact order hides family time, and so on), never more."""
    consent = consent_in_force(participation)
    parent = participation.parent
    case = participation.case
    today = clock.today()
    sections = access.parent_sections(
        portal_permissions.parent_standing(parent, case, None, today),
        portal_permissions.profile_rules(case),
    )
    court = None
    if access.COURT_DATES in sections:
        court = (
            Hearing.objects.filter(
                case=case, status=HearingStatus.SCHEDULED, scheduled_for__gte=today
            )
            .order_by("scheduled_for")
            .values_list("scheduled_for", flat=True)
            .first()
        )
    family_time = None
    if access.FAMILY_TIME in sections:
        starts = (
            FamilyTimeSession.objects.filter(
                plan__episode__case=case,
                plan__episode__discharged_on__isnull=True,
                plan__participants=parent,
                status=SessionStatus.SCHEDULED,
                starts_at__gt=clock.now(),
            )
            .order_by("starts_at")
            .values_list("starts_at", flat=True)
            .first()
        )
        family_time = starts.astimezone(clock.agency_zone()).date() if starts else None
    return ParentCard(
        participation_id=participation.pk,
        first_name=parent.first_name,
        language=participation.language or parent.primary_language,
        phone=parent.phone if consent is not None and consent.share_phone else "",
        next_court_date=court,
        next_family_time_date=family_time,
        goals=participation.goals,
    )


def mentor_contacts(mentor: Mentor, participation: Participation) -> QuerySet[PartnerContact]:
    return PartnerContact.objects.filter(mentor=mentor, participation=participation)


@dataclass(frozen=True)
class MonthLine:
    month: dt.date  # the first day of the month
    parent: str  # the parent's first name
    contacts: int


def monthly_activity(mentor: Mentor, *, months: int = 6) -> list[MonthLine]:
    """Contacts per parent per month, the last `months` months, newest first. The mentor's own
    log, so it stays when a consent ends; only first names are shown."""
    today = clock.today()
    start = today.replace(day=1)
    for _i in range(months - 1):
        start = (start - dt.timedelta(days=1)).replace(day=1)
    counts: Counter[tuple[dt.date, int, str]] = Counter()
    for on, pk, first in PartnerContact.objects.filter(mentor=mentor, on__gte=start).values_list(
        "on", "participation_id", "participation__parent__first_name"
    ):
        counts[(on.replace(day=1), pk, first)] += 1
    return [
        MonthLine(month=month, parent=first, contacts=n)
        for (month, _pk, first), n in sorted(
            counts.items(), key=lambda i: (-i[0][0].toordinal(), i[0][2])
        )
    ]
