"""Road-home test data, built through the real services (the matrix's objects excepted)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from reunify.accounts.models import User
from reunify.assessments.tests.factories import record_safety
from reunify.cases import services as case_services
from reunify.cases.models import DischargeReason, FamilyCase, RemovalEpisode
from reunify.core import clock
from reunify.court import services as court_services
from reunify.court.models import OrderKind
from reunify.family_time import services as family_time_services
from reunify.family_time.models import FamilyTimePlan, Level, LocationType
from reunify.family_time.tests.factories import parents_of
from reunify.road_home import services
from reunify.road_home.models import (
    AftercareContact,
    AftercarePlan,
    ClosureRequest,
    TransitionVisit,
    TrialHomeVisit,
)

START = dt.date(2026, 10, 1)


def episode_of(case: FamilyCase) -> RemovalEpisode:
    return case.episodes.select_related("case__agency", "child").get()


def authorize_thv(*, worker: User, case: FamilyCase, on: dt.date = START, until=None) -> None:
    court_services.order_record(
        actor=worker,
        case=case,
        kind=OrderKind.THV_AUTHORIZATION,
        issued_on=on,
        text="Trial home visit authorized",
        effective_until=until,
    )


def family_time_plan(*, worker: User, case: FamilyCase) -> FamilyTimePlan:
    """Supervised family time with the parents on Wednesdays at 5 p.m. from 1 September (90
    minutes, eight weeks scheduled)."""
    return family_time_services.plan_create(
        actor=worker,
        episode=episode_of(case),
        level=Level.SUPERVISED,
        weekdays=[2],
        start_time=dt.time(17, 0),
        duration_minutes=90,
        location_type=LocationType.AGENCY_ROOM,
        participants=parents_of(case),
        effective_from=dt.date(2026, 9, 1),
        today=dt.date(2026, 9, 1),
    )


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    """`hour` o'clock on `day` in the agency's zone."""
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=clock.agency_zone())


def transition_visit(
    *,
    worker: User,
    thv: TrialHomeVisit,
    starts_at: dt.datetime | None = None,
    ends_at: dt.datetime | None = None,
    kind: str = "overnight",
    note: str = "",
) -> TransitionVisit:
    """By default an overnight at home from Sunday 27 September, 5 p.m., to Monday, 10 a.m."""
    return services.transition_visit_add(
        actor=worker,
        thv=thv,
        starts_at=starts_at or at(dt.date(2026, 9, 27), 17),
        ends_at=ends_at or at(dt.date(2026, 9, 28), 10),
        kind=kind,
        note=note,
    )


def prepared_thv(
    *,
    worker: User,
    case: FamilyCase,
    conditions_met: bool = True,
    court: bool = True,
    adults: bool = True,
    action: bool = True,
    crisis: bool = True,
    visit: bool = True,
    parent_plan: bool = True,
) -> TrialHomeVisit:
    """A trial home visit with everything it needs to start (each part may be left out)."""
    episode = episode_of(case)
    if conditions_met:
        record_safety(actor=worker, case=case, recorded_on=dt.date(2026, 9, 20))
    if court:
        authorize_thv(worker=worker, case=case, on=dt.date(2026, 9, 25))
    thv = services.thv_plan(
        actor=worker, episode=episode, returning_to="Rosa (mother)", planned_start=START
    )
    if adults:
        services.household_adult_add(
            actor=worker,
            thv=thv,
            name="Luis Ortega",
            relationship="Mother's partner",
            background_check="cleared",
            checked_on=dt.date(2026, 9, 15),
        )
    if action:
        services.safety_action_add(
            actor=worker,
            plan=thv.safety_plan,
            action="No drinking at home",
            responsible_adult="Rosa",
            how_checked="Weekly unannounced visit",
        )
    if crisis:
        thv.refresh_from_db()
        services.thv_crisis_plan_set(
            actor=worker,
            thv=thv,
            expected_version=thv.version,
            who_to_call="Aunt Marta",
            phone="555-0100",
            what_happens="Marta takes the children for the night; the on-call worker visits.",
        )
    if visit:
        if parent_plan:
            family_time_plan(worker=worker, case=case)
        transition_visit(worker=worker, thv=thv)
    thv.refresh_from_db()
    return thv


def started_thv(*, worker: User, case: FamilyCase, on: dt.date = START) -> TrialHomeVisit:
    thv = prepared_thv(worker=worker, case=case)
    return services.thv_start(actor=worker, thv=thv, expected_version=thv.version, started_on=on)


def reunified(*, worker: User, case: FamilyCase, on: dt.date = dt.date(2026, 10, 20)) -> None:
    """The case's only child discharged home (reunification)."""
    episode = episode_of(case)
    case_services.episode_discharge(
        actor=worker,
        episode=episode,
        expected_version=episode.version,
        discharged_on=on,
        reason=DischargeReason.REUNIFICATION,
    )


def aftercare(*, worker: User, case: FamilyCase) -> AftercarePlan:
    return services.aftercare_plan_create(
        actor=worker,
        case=case,
        services="Parenting group weekly; outpatient counselling",
        informal_supports="Aunt Marta (Sundays), neighbour Ana (school runs)",
        relapse_plan="If Rosa drinks, she calls Marta and the children stay with her.",
        crisis_who_to_call="Aunt Marta",
        crisis_phone="555-0100",
    )


def road_home_for_matrix(*, worker: User, case: FamilyCase) -> dict[str, Any]:
    """The matrix's objects without changing the case's episode: a trial home visit being
    prepared (through the service) with an adult of the household and a safety action, and, planted straight in the tables as test set-up, an
    aftercare plan with contacts and a closure request waiting for the supervisor."""
    episode = episode_of(case)
    thv = services.thv_plan(
        actor=worker, episode=episode, returning_to="Rosa (mother)", planned_start=case.opened_on
    )
    plan = AftercarePlan.objects.create(
        case=case,
        returned_on=case.opened_on,
        months=6,
        services="Parenting group",
        informal_supports="Aunt Marta",
        relapse_plan="Call Marta",
        crisis_who_to_call="Aunt Marta",
        created_by=worker,
        created_at=timezone.now(),
    )
    adult = services.household_adult_add(
        actor=worker,
        thv=thv,
        name="Luis Ortega",
        relationship="Mother's partner",
        background_check="pending",
    )
    action = services.safety_action_add(
        actor=worker, plan=thv.safety_plan, action="No drinking at home"
    )
    thv.refresh_from_db()
    plan.children.set([episode.child])
    AftercareContact.objects.create(plan=plan, due_on=case.opened_on + dt.timedelta(days=7))
    closure = ClosureRequest.objects.create(
        case=case, requested_by=worker, requested_at=timezone.now(), checklist=[]
    )
    return {
        "thv": thv,
        "safety_plan": thv.safety_plan,
        "household_adult": adult,
        "safety_action": action,
        "aftercare": plan,
        "closure": closure,
    }
