"""Family-time test data, built through the real services."""

from __future__ import annotations

import datetime as dt

from reunify.cases.models import FamilyCase, ParticipantRole
from reunify.cases.tests.factories import open_case
from reunify.court import services as court_services
from reunify.court.models import CourtOrder, OrderKind
from reunify.family_time import services
from reunify.family_time.models import FamilyTimePlan, Level, LocationType

TODAY = dt.date(2026, 3, 2)  # a Monday, a week before clocks go forward in America/Chicago


def episode_of(case: FamilyCase):
    """The case's episode (the first child's, when the case has more than one)."""
    return case.episodes.select_related("case", "child").order_by("pk").first()


def parents_of(case: FamilyCase):
    return [p.person for p in case.participants.filter(role=ParticipantRole.PARENT)]


def visitation_order(case: FamilyCase, actor, issued_on=dt.date(2026, 2, 16)) -> CourtOrder:
    return court_services.order_record(
        actor=actor,
        case=case,
        kind=OrderKind.VISITATION_CONDITIONS,
        issued_on=issued_on,
        text="Visits supervised by the agency.",
        today=TODAY,
    )


def make_plan(*, worker, case: FamilyCase | None = None, **overrides) -> FamilyTimePlan:
    case = case or open_case(worker=worker)
    episode = episode_of(case)
    data = {
        "level": Level.SUPERVISED,
        "weekdays": [2],
        "start_time": dt.time(17, 0),
        "duration_minutes": 60,
        "location_type": LocationType.AGENCY_ROOM,
        "effective_from": TODAY,
        "participants": parents_of(case),
        "today": TODAY,
        **overrides,
    }
    return services.plan_create(actor=worker, episode=episode, **data)
