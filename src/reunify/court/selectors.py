"""Reads for court screens. Every function starts from a case or a queryset already limited by
the policy (`court.permissions`), and issues a fixed number of queries whatever the number of
hearings."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet

from reunify.cases.models import FamilyCase
from reunify.court.models import CourtOrder, Finding, Hearing, HearingStatus, Petition


@dataclass
class HearingView:
    hearing: Hearing
    findings: list[Finding] = field(default_factory=list)
    orders: list[CourtOrder] = field(default_factory=list)
    continued_from: Hearing | None = None
    awaiting_outcome: bool = False  # dated before today and still "scheduled"


@dataclass
class CourtPanel:
    """A case's court process: its petitions, the hearings in date order with the findings and
    orders made at each, and the findings and orders made without a hearing."""

    petitions: list[Petition]
    hearings: list[HearingView]
    other_findings: list[Finding]
    other_orders: list[CourtOrder]
    next_hearing: Hearing | None

    @property
    def is_empty(self) -> bool:
        return not (self.petitions or self.hearings or self.other_findings or self.other_orders)


def case_court(*, case: FamilyCase, today: dt.date) -> CourtPanel:
    """Four queries: petitions, hearings, findings, orders."""
    petitions = list(case.petitions.select_related("child").order_by("filed_on", "id"))
    hearings = list(
        case.hearings.select_related("continued_to").order_by(
            "scheduled_for", "scheduled_time", "id"
        )
    )
    views = {
        h.pk: HearingView(hearing=h, awaiting_outcome=h.is_scheduled and h.scheduled_for < today)
        for h in hearings
    }
    for hearing in hearings:
        if hearing.continued_to_id in views:
            views[hearing.continued_to_id].continued_from = hearing
    other_findings: list[Finding] = []
    for finding in case.findings.select_related("child").order_by("made_on", "id"):
        target = views.get(finding.hearing_id) if finding.hearing_id else None
        (target.findings if target else other_findings).append(finding)
    other_orders: list[CourtOrder] = []
    for order in case.court_orders.select_related("child").order_by("issued_on", "id"):
        target = views.get(order.hearing_id) if order.hearing_id else None
        (target.orders if target else other_orders).append(order)
    return CourtPanel(
        petitions=petitions,
        hearings=list(views.values()),
        other_findings=other_findings,
        other_orders=other_orders,
        next_hearing=next(
            (h for h in hearings if h.is_scheduled and h.scheduled_for >= today), None
        ),
    )


CALENDAR_VIEWS = ("upcoming", "recent")


def calendar_page(
    *,
    hearings: QuerySet[Hearing],
    when: str,
    today: dt.date,
    page: int | str = 1,
    per_page: int = 25,
) -> Page[Hearing]:
    """Upcoming: hearings still scheduled from today on, soonest first. Recent: hearings dated
    before today, latest first, whatever their status (a past hearing still "scheduled" is
    waiting for its outcome to be recorded)."""
    queryset = hearings.select_related("case", "case__worker", "continued_to")
    if when == "recent":
        queryset = queryset.filter(scheduled_for__lt=today).order_by(
            "-scheduled_for", "-scheduled_time", "-id"
        )
    else:
        queryset = queryset.filter(
            scheduled_for__gte=today, status=HearingStatus.SCHEDULED
        ).order_by("scheduled_for", "scheduled_time", "id")
    return Paginator(queryset, per_page).get_page(page)


def awaiting_outcome_count(*, hearings: QuerySet[Hearing], today: dt.date) -> int:
    """Past hearings whose outcome (held, continued, vacated) has not been recorded."""
    return hearings.filter(scheduled_for__lt=today, status=HearingStatus.SCHEDULED).count()
