"""Demo road home: among the open cases with one child in care, a few children on a trial home
visit with safety and crisis plans (one near its six-month limit), a few converted to
reunification with an aftercare plan and follow-up contacts (some held, some missed, some
overdue), and, where the record allows it, a closure requested and one approved by another
supervisor of the unit.

Everything goes through the services, dated from `as_of`, so the rules users meet hold for the
demo too. The in-home safety analysis that lets a visit start is recorded here when the case has
none ("yes" to the five questions); a case whose record refuses a step is skipped, so the demo
never fails for want of assessments."""

from __future__ import annotations

import datetime as dt
import logging
import random

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from reunify.accounts.models import Agency, Role, User
from reunify.assessments import selectors as assessment_selectors
from reunify.assessments import services as assessment_services
from reunify.assessments.instruments import builtin
from reunify.cases.models import FamilyCase, RemovalEpisode
from reunify.core import clock
from reunify.core.concurrency import StaleEditError
from reunify.court import services as court_services
from reunify.court.models import OrderKind
from reunify.family_time import services as family_time_services
from reunify.family_time.models import FamilyTimePlan, Level, LocationType, PlanKind
from reunify.road_home import selectors, services
from reunify.road_home.models import ContactStatus, TrialHomeVisit

logger = logging.getLogger(__name__)

ON_VISIT = 4  # children on a trial home visit
REUNIFIED = 4  # children home for good, with aftercare
# Days before `as_of` each visit began: the first is near the six-month limit.
VISIT_AGES = (170, 95, 40, 12)
IN_HOME_SAFETY = "in_home_safety_analysis"
CLOSING_SAFETY = "closing_safety_assessment"


def _at(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(15, 0)))


def _candidates(agency: Agency, as_of: dt.date) -> list[RemovalEpisode]:
    """Open episodes, one per case, removed at least 8 months ago, not already on a visit."""
    episodes = (
        RemovalEpisode.objects.filter(
            case__agency=agency,
            case__status=FamilyCase.Status.OPEN,
            discharged_on__isnull=True,
            removed_on__lte=as_of - dt.timedelta(days=240),
        )
        .exclude(trial_home_visits__isnull=False)
        .select_related("case__agency", "case__worker", "child")
        .order_by("case_id", "pk")
    )
    seen: set[int] = set()
    found = []
    for episode in episodes:
        open_here = episode.case.episodes.filter(discharged_on__isnull=True).count()
        if episode.case_id in seen or open_here != 1:
            continue
        seen.add(episode.case_id)
        found.append(episode)
    return found


def _prepare(episode: RemovalEpisode, *, start: dt.date, as_of: dt.date) -> TrialHomeVisit:
    worker = episode.case.worker
    case, child = episode.case, episode.child
    if not assessment_selectors.conditions_met(case=case, child=child):
        answers = dict.fromkeys(builtin(IN_HOME_SAFETY).items, "yes")
        assessment_services.response_record(
            actor=worker,
            case=case,
            instrument_key=IN_HOME_SAFETY,
            answers=answers,
            children=[child],
            recorded_on=start - dt.timedelta(days=14),
        )
    if selectors.profile_for(case).thv_requires_court_authorization:
        court_services.order_record(
            actor=worker,
            case=case,
            child=child,
            kind=OrderKind.THV_AUTHORIZATION,
            issued_on=start - dt.timedelta(days=7),
            text="The child may return home on a trial basis.",
            today=as_of,
        )
    thv = services.thv_plan(
        actor=worker,
        episode=episode,
        returning_to="The parents' home",
        planned_start=start,
        today=start - dt.timedelta(days=21),
    )
    services.household_adult_add(
        actor=worker,
        thv=thv,
        name="Grandmother living in the home",
        relationship="Maternal grandmother",
        background_check="cleared",
        checked_on=start - dt.timedelta(days=10),
        today=as_of,
    )
    for action, who, how in (
        ("No alcohol in the home", "Mother", "Unannounced weekly home visit"),
        ("Children in bed by 8 pm with an adult at home", "Grandmother", "Asked at each visit"),
    ):
        services.safety_action_add(
            actor=worker,
            plan=thv.safety_plan,
            action=action,
            responsible_adult=who,
            how_checked=how,
        )
    thv.refresh_from_db()
    services.thv_crisis_plan_set(
        actor=worker,
        thv=thv,
        expected_version=thv.version,
        who_to_call="Aunt (kin), then the agency's after-hours line",
        phone="555-0142",
        what_happens="The aunt comes over or takes the children; the on-call worker visits "
        "within 24 hours.",
    )
    _transition_visits(thv, start=start)
    thv.refresh_from_db()
    return services.thv_start(
        actor=worker, thv=thv, expected_version=thv.version, started_on=start, today=as_of
    )


# Days before the start, kind, and the stay: (start hour, days later, end hour).
TRANSITION_VISITS = (
    (14, "day", (10, 0, 16)),
    (7, "overnight", (18, 1, 10)),
    (3, "weekend", (18, 2, 16)),
)


def _transition_visits(thv: TrialHomeVisit, *, start: dt.date) -> None:
    """A day, a night and a weekend at home as sessions of the child's family-time plan with
    the parents (one is made when the child has none); a visit that would overlap a session
    already there is left out."""
    episode, worker = thv.episode, thv.episode.case.worker
    if not FamilyTimePlan.objects.filter(
        episode=episode, kind=PlanKind.PARENT, effective_to__isnull=True
    ).exists():
        first = start - dt.timedelta(days=28)
        family_time_services.plan_create(
            actor=worker,
            episode=episode,
            level=Level.UNSUPERVISED_DAY,
            weekdays=[2],
            start_time=dt.time(16, 0),
            duration_minutes=120,
            location_type=LocationType.PARENT_HOME,
            effective_from=first,
            today=first,
        )
    zone = clock.agency_zone()
    for days, kind, (begins, nights, ends) in TRANSITION_VISITS:
        day = start - dt.timedelta(days=days)
        try:
            with transaction.atomic():
                services.transition_visit_add(
                    actor=worker,
                    thv=thv,
                    starts_at=dt.datetime.combine(day, dt.time(begins), tzinfo=zone),
                    ends_at=dt.datetime.combine(
                        day + dt.timedelta(days=nights), dt.time(ends), tzinfo=zone
                    ),
                    kind=kind,
                )
        except ValidationError:
            continue
    thv.refresh_from_db()


def _aftercare(
    thv: TrialHomeVisit, *, home_on: dt.date, as_of: dt.date, rng: random.Random
) -> None:
    case = thv.episode.case
    worker = case.worker
    thv = services.thv_end(
        actor=worker,
        thv=thv,
        expected_version=thv.version,
        outcome=services.CONVERTED,
        ended_on=home_on,
        reason="The visit went well; the court returned custody to the parents.",
        close_safety_plan=True,
        today=as_of,
    )
    plan = services.aftercare_plan_create(
        actor=worker,
        case=case,
        services="Parenting group weekly for three months; outpatient counselling twice a month.",
        informal_supports="The aunt (Sunday dinners, school pick-up on Wednesdays); a neighbour.",
        relapse_plan="If the mother drinks, she calls the aunt, who takes the children; the "
        "worker visits the next day.",
        crisis_who_to_call="The aunt",
        crisis_phone="555-0142",
        now=_at(as_of),
    )
    for contact in plan.contacts.filter(due_on__lt=as_of).order_by("due_on"):
        roll = rng.random()
        if roll < 0.7:
            services.aftercare_contact_record(
                actor=worker,
                contact=contact,
                status=ContactStatus.HELD,
                held_on=contact.due_on,
                how="home_visit",
                who_seen="Mother and the children",
                note="Home calm; routines kept.",
                now=_at(as_of),
            )
        elif roll < 0.8:
            services.aftercare_contact_record(
                actor=worker,
                contact=contact,
                status=ContactStatus.MISSED,
                note="The family was away; rescheduled.",
                now=_at(as_of),
            )
        # else: left planned, so it shows overdue


def _closure(case: FamilyCase, *, as_of: dt.date, approve: bool) -> None:
    """Ask for closure where the record allows it (a closing safety assessment is recorded
    here), and have another supervisor of the unit approve one."""
    worker = case.worker
    try:
        answers = {
            item: "absent"
            for item in builtin(CLOSING_SAFETY).items
            if builtin(CLOSING_SAFETY).section_of(item).id == "threats"
        }
        answers["safety_decision"] = "safe"
        assessment_services.response_record(
            actor=worker, case=case, instrument_key=CLOSING_SAFETY, answers=answers, children=[]
        )
        case.refresh_from_db()
        request = services.closure_request(
            actor=worker, case=case, expected_version=case.version, now=_at(as_of)
        )
    except (ValidationError, StaleEditError) as error:
        logger.info("demo: case %s not ready to close: %s", case.number, error)
        return
    supervisor = (
        User.objects.filter(unit_id=case.unit_id, role=Role.SUPERVISOR, is_active=True)
        .exclude(pk=worker.pk)
        .first()
    )
    if approve and supervisor is not None:
        services.closure_approve(actor=supervisor, request=request, now=_at(as_of))


def demo_road_home(*, agency: Agency, as_of: dt.date, rng: random.Random) -> int:
    """Add the demo road home; returns how many trial home visits were started."""
    started = 0
    episodes = _candidates(agency, as_of)
    rng.shuffle(episodes)
    reunified: list[FamilyCase] = []
    for index, episode in enumerate(episodes[: ON_VISIT + REUNIFIED]):
        on_visit = index < ON_VISIT
        age = VISIT_AGES[index % len(VISIT_AGES)] if on_visit else rng.randint(150, 200)
        start = as_of - dt.timedelta(days=age)
        current = episode.placements.filter(ended_on__isnull=True).first()
        if current is not None and start < current.started_on:
            continue
        try:
            with transaction.atomic():  # a case the record refuses is left as it was
                thv = _prepare(episode, start=start, as_of=as_of)
                if not on_visit:
                    home_on = start + dt.timedelta(days=rng.randint(60, 120))
                    _aftercare(thv, home_on=min(home_on, as_of), as_of=as_of, rng=rng)
            started += 1
            if not on_visit:
                reunified.append(episode.case)
        except (ValidationError, StaleEditError) as error:
            logger.info("demo: road home skipped for case %s: %s", episode.case.number, error)
    for index, case in enumerate(reunified[:2]):
        _closure(case, as_of=as_of, approve=index == 0)
    return started
