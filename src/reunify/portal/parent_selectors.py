"""Reads for the birth-parent and youth pages of the portal. Each takes the account and the case
the view has already checked with `permissions.sections`, and, where a page is about children,
keeps only the children the policy allows for that section (a termination of parental rights or
a no-contact order can name one child). What never leaves here: a resource family's name, home,
phone or school, a confidential or protected place, investigation narratives, hearing notes, the
worker's evidence notes and the other parent's tasks and referrals."""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from reunify.assessments import selectors as assessment_selectors
from reunify.assessments.models import ConditionForReturn, ConditionStatus
from reunify.case_plans import document as plan_document
from reunify.case_plans import selectors as plan_selectors
from reunify.case_plans.models import ServiceAttendance
from reunify.cases.models import FamilyCase, ParticipantRole
from reunify.core import clock
from reunify.court.models import Hearing, HearingStatus
from reunify.family_time import schedule
from reunify.family_time.calendar_feeds import Event
from reunify.family_time.models import (
    FamilyTimePlan,
    FamilyTimeSession,
    LocationType,
    SessionStatus,
)
from reunify.people.models import Person
from reunify.portal import access, permissions
from reunify.portal.models import Kind, PortalAccount, SessionAnswer
from reunify.referrals.models import Referral
from reunify.referrals.models import Status as ReferralStatus

UPCOMING_SESSIONS = 12
UPCOMING_HEARINGS = 10
OPEN_TASK = ("not_started", "in_progress")
LIVE_REFERRALS = (ReferralStatus.SENT, ReferralStatus.ACCEPTED, ReferralStatus.IN_SERVICE)


def children(case: FamilyCase) -> list[Person]:
    return [
        p.person
        for p in case.participants.select_related("person")
        .filter(role=ParticipantRole.CHILD)
        .order_by("person__date_of_birth", "person_id")
    ]


def allowed_children(
    user: Any, account: PortalAccount, case: FamilyCase, section: str
) -> list[Person]:
    """The children of the case the account may see `section` of, asked child by child."""
    if account.kind == Kind.YOUTH:
        candidates = [account.person] if account.person else []
    else:
        candidates = children(case)
    return [c for c in candidates if section in permissions.sections(user, case, c)]


def place(plan: FamilyTimePlan) -> str:
    """Where family time happens, as a parent may read it: a confidential place and a resource
    family's home are "Arranged by the agency"; a parent's home is named without its address (it
    may be the other parent's, and that address may be protected)."""
    label = schedule.location_label(plan)
    if plan.location_type == LocationType.PARENT_HOME and not plan.location_confidential:
        return str(plan.get_location_type_display())
    return label


def first_name(person: Person) -> str:
    return person.first_name


# ---- the road home ---------------------------------------------------------------------------


@dataclass
class ConditionLine:
    question: str
    what_must_exist: str
    status: str
    met: bool
    child: str  # the child's first name, or "" for the whole household


@dataclass
class GoalLine:
    change: str
    rating: int | None
    rating_label: str
    met: bool
    attended: int = 0
    scheduled: int = 0


@dataclass
class ServiceLine:
    name: str
    organization: str
    status: str
    status_label: str
    address: str = ""
    phone: str = ""
    hours: str = ""
    sessions_attended: int = 0


@dataclass
class SessionLine:
    session: FamilyTimeSession
    child: str
    place: str
    answer: str = ""
    note: str = ""
    can_answer: bool = False


@dataclass
class HearingLine:
    kind: str
    on: dt.date
    at: dt.time | None


@dataclass
class RoadHome:
    case: FamilyCase
    sections: frozenset[str]
    conditions: list[ConditionLine] = field(default_factory=list)
    goals: list[GoalLine] = field(default_factory=list)
    goals_met: list[GoalLine] = field(default_factory=list)
    done_services: list[ServiceLine] = field(default_factory=list)
    tasks_done: list[dict[str, Any]] = field(default_factory=list)
    next_session: SessionLine | None = None
    next_hearing: HearingLine | None = None
    tasks_due: list[dict[str, Any]] = field(default_factory=list)
    youth_words: str = ""
    has_plan: bool = False


def _conditions(case: FamilyCase, kids: list[Person], youth: bool) -> list[ConditionLine]:
    found = assessment_selectors.conditions(case=case)
    names = {k.pk: k.first_name for k in kids}
    lines = []
    for c in found:
        if c.status == ConditionStatus.WITHDRAWN:
            continue
        if c.child_id is not None and c.child_id not in names:
            continue
        if youth and c.child_id is None and not _covers(c, names):
            continue
        lines.append(
            ConditionLine(
                question=c.question,
                what_must_exist=c.what_must_exist,
                status=str(c.get_status_display()),
                met=c.status == ConditionStatus.MET,
                child=names.get(c.child_id, "") if c.child_id else "",
            )
        )
    return lines


def _covers(condition: ConditionForReturn, names: dict[int, str]) -> bool:
    """A household condition reaches a youth only when the response covered them."""
    return condition.response.covered.filter(child_id__in=list(names)).exists()


def is_parents_task(task: dict[str, Any], person: Person | None) -> bool:
    """A task the plan gives to this parent: owned by "parent", and named for them when the plan
    names a parent (the other parent's tasks are theirs)."""
    if task.get("owner") != "parent" or person is None:
        return False
    named = _tokens(task.get("owner_name") or "")
    if not named:
        return True
    own = _tokens(f"{person.first_name} {getattr(person, 'middle_name', '')} {person.last_name}")
    return set(named) <= set(own)


def _tokens(text: str) -> list[str]:
    """Words of a name, ignoring case, accents and punctuation ("Rosa", "ROSA M." and "Rósa
    Mensah" all name Rosa Mensah)."""
    plain = "".join(
        c for c in unicodedata.normalize("NFKD", text.casefold()) if not unicodedata.combining(c)
    )
    return [w for w in "".join(c if c.isalnum() else " " for c in plain).split() if len(w) > 1]


def _task(task: dict[str, Any]) -> dict[str, Any]:
    """A task as the parent reads it: its words, its due date (a date), its status."""
    due = task.get("due_on") or ""
    try:
        when = dt.date.fromisoformat(due) if due else None
    except ValueError:
        when = None
    return {"text": task.get("text", ""), "due": when, "status": task.get("status", "")}


def _parents_tasks(
    page: plan_selectors.PlanPage | None, person: Person | None
) -> list[dict[str, Any]]:
    return [_task(t) for t in (page.tasks if page else []) if is_parents_task(t, person)]


def plan_in_force(case: FamilyCase, today: dt.date) -> plan_selectors.PlanPage | None:
    """The plan page of the version in force (never a draft), or None."""
    page = plan_selectors.plan_page(case=case, today=today)
    if page.in_force is None:
        return None
    if page.version is not None and page.version.pk == page.in_force.pk:
        return page
    return plan_selectors.plan_page(case=case, today=today, number=page.in_force.number)


def _goal_lines(page: plan_selectors.PlanPage) -> list[GoalLine]:
    lines = []
    for g in page.goals:
        rating = g.latest.rating if g.latest else None
        attendance: list[ServiceAttendance] = g.attendance
        lines.append(
            GoalLine(
                change=g.goal.get("change", ""),
                rating=rating,
                rating_label=_(plan_document.RATINGS[rating]) if rating else _("Not rated yet"),
                met=g.met,
                attended=sum(a.sessions_attended for a in attendance),
                scheduled=sum(a.sessions_scheduled for a in attendance),
            )
        )
    return lines


def road_home(
    *, user: Any, account: PortalAccount, case: FamilyCase, allowed: frozenset[str]
) -> RoadHome:
    """What must change before the child comes home, the progress made, what the parent has done
    and what comes next; for a youth, their own conditions and their part of the plan."""
    today = clock.today()
    youth = account.kind == Kind.YOUTH
    kids = allowed_children(user, account, case, access.ROAD_HOME)
    result = RoadHome(case=case, sections=allowed)
    result.conditions = _conditions(case, kids, youth)
    page = plan_in_force(case, today)
    if page is not None:
        result.has_plan = True
        if youth:
            section = next(
                (
                    c.section
                    for c in page.children
                    if account.person and c.person.pk == account.person.pk
                ),
                {},
            )
            result.youth_words = (section.get("youth") or {}).get("own_words", "")
        else:
            goals = _goal_lines(page)
            result.goals = [g for g in goals if not g.met]
            result.goals_met = [g for g in goals if g.met]
            mine = _parents_tasks(page, account.person)
            result.tasks_due = [t for t in mine if t.get("status") in OPEN_TASK]
            result.tasks_done = [t for t in mine if t.get("status") == "done"]
    if not youth:
        result.done_services = [
            s for s in services_for(account, case) if s.status == ReferralStatus.COMPLETED
        ]
    if access.FAMILY_TIME in allowed:
        upcoming = sessions_for(user=user, account=account, case=case, limit=1)
        result.next_session = upcoming[0] if upcoming else None
    if access.COURT_DATES in allowed:
        hearings = hearings_for(case, limit=1)
        result.next_hearing = hearings[0] if hearings else None
    return result


# ---- family time and court dates -------------------------------------------------------------


def _sessions(user: Any, account: PortalAccount, case: FamilyCase) -> Any:
    kids = allowed_children(user, account, case, access.FAMILY_TIME)
    sessions = FamilyTimeSession.objects.filter(
        plan__episode__case=case,
        plan__episode__child__in=kids,
        plan__episode__discharged_on__isnull=True,
    )
    if account.kind == Kind.PARENT:
        sessions = sessions.filter(plan__participants=account.person)
    return sessions.select_related("plan__episode__child").distinct()


def sessions_for(
    *, user: Any, account: PortalAccount, case: FamilyCase, limit: int = UPCOMING_SESSIONS
) -> list[SessionLine]:
    """The next sessions (scheduled, not yet started) of the children the account may see, in
    plans the parent takes part in, with the parent's answer."""
    now = clock.now()
    found = list(
        _sessions(user, account, case)
        .filter(status=SessionStatus.SCHEDULED, starts_at__gt=now)
        .order_by("starts_at", "id")[:limit]
    )
    answers = {
        a.session_id: a
        for a in SessionAnswer.objects.filter(account=account, session__in=[s.pk for s in found])
    }
    return [
        SessionLine(
            session=s,
            child=first_name(s.plan.episode.child),
            place=place(s.plan),
            answer=answers[s.pk].answer if s.pk in answers else "",
            note=answers[s.pk].note if s.pk in answers else "",
            can_answer=account.kind == Kind.PARENT,
        )
        for s in found
    ]


def session_for(
    *, user: Any, account: PortalAccount, case: FamilyCase, pk: int
) -> FamilyTimeSession | None:
    return _sessions(user, account, case).filter(pk=pk).first()


def hearings_for(case: FamilyCase, *, limit: int = UPCOMING_HEARINGS) -> list[HearingLine]:
    """Scheduled hearings from today: kind, date and time only (never the notes)."""
    hearings = Hearing.objects.filter(
        case=case, status=HearingStatus.SCHEDULED, scheduled_for__gte=clock.today()
    ).order_by("scheduled_for", "scheduled_time", "id")[:limit]
    return [
        HearingLine(str(h.get_kind_display()), h.scheduled_for, h.scheduled_time) for h in hearings
    ]


# ---- tasks and services ----------------------------------------------------------------------


def services_for(account: PortalAccount, case: FamilyCase) -> list[ServiceLine]:
    """The parent's own referrals (never the other parent's) that were sent, with the
    directory's address, phone and hours."""
    referrals = list(
        Referral.objects.filter(case=case, person=account.person)
        .exclude(status__in=[ReferralStatus.DRAFT, ReferralStatus.WITHDRAWN])
        .select_related("service__organization")
        .prefetch_related("attendance")
        .order_by("-created_at", "-pk")
    )
    details = plan_selectors.directory_details({r.service_id for r in referrals}, case.agency_id)
    lines = []
    for r in referrals:
        found = details.get(r.service_id, plan_selectors.ServiceDetails())
        lines.append(
            ServiceLine(
                name=r.service.name,
                organization=r.service.organization.name if r.service.organization_id else "",
                status=r.status,
                status_label=str(r.get_status_display()),
                address=found.address,
                phone=found.phone,
                hours=found.hours,
                sessions_attended=sum(1 for a in r.attendance.all() if a.attended),
            )
        )
    return lines


@dataclass
class TasksPage:
    tasks_due: list[dict[str, Any]]
    tasks_done: list[dict[str, Any]]
    services: list[ServiceLine]


def tasks_for(account: PortalAccount, case: FamilyCase) -> TasksPage:
    page = plan_in_force(case, clock.today())
    mine = _parents_tasks(page, account.person)
    return TasksPage(
        tasks_due=[t for t in mine if t.get("status") in OPEN_TASK],
        tasks_done=[t for t in mine if t.get("status") == "done"],
        services=services_for(account, case),
    )


# ---- the calendar feed -----------------------------------------------------------------------


def feed_events(*, account: PortalAccount, absolute: Callable[[str], str]) -> list[Event]:
    """The account's own family time and court dates, in every case it reaches now, policy
    checked at this moment; places as `place` gives them."""
    from django.urls import reverse

    from reunify.family_time.schedule import FEED_AHEAD, FEED_PAST, HEARING_LENGTH, child_label
    from reunify.portal import selectors

    user = account.user
    now = clock.now()
    zone = clock.agency_zone()
    events: list[Event] = []
    _account, rows = selectors.home(user)
    for row in rows:
        case = row.case
        if access.FAMILY_TIME in row.sections:
            sessions = (
                _sessions(user, account, case)
                .filter(starts_at__gte=now - FEED_PAST, starts_at__lt=now + FEED_AHEAD)
                .order_by("starts_at", "id")
            )
            url = absolute(reverse("portal:family-time", args=[case.pk]))
            for s in sessions:
                events.append(
                    Event(
                        uid=f"portal-family-time-{s.pk}@reunify",
                        summary=_("Family time: %(child)s")
                        % {"child": child_label(s.plan.episode.child)},
                        starts_at=s.starts_at,
                        ends_at=s.ends_at,
                        location=place(s.plan),
                        url=url,
                        cancelled=s.status == SessionStatus.CANCELLED,
                    )
                )
        if access.COURT_DATES in row.sections:
            url = absolute(reverse("portal:court-dates", args=[case.pk]))
            today = now.astimezone(zone).date()
            hearings = Hearing.objects.filter(
                case=case,
                status=HearingStatus.SCHEDULED,
                scheduled_for__gte=today - FEED_PAST,
                scheduled_for__lt=today + FEED_AHEAD,
            ).order_by("scheduled_for", "id")
            for h in hearings:
                if h.scheduled_time:
                    starts: dt.datetime | dt.date = dt.datetime.combine(
                        h.scheduled_for, h.scheduled_time, tzinfo=zone
                    )
                    ends: dt.datetime | dt.date = starts + HEARING_LENGTH
                else:
                    starts, ends = h.scheduled_for, h.scheduled_for + dt.timedelta(days=1)
                events.append(
                    Event(
                        uid=f"portal-hearing-{h.pk}@reunify",
                        summary=_("Court: %(hearing)s") % {"hearing": h.get_kind_display()},
                        starts_at=starts,
                        ends_at=ends,
                        url=url,
                    )
                )
    return events


def answers_for_sessions(session_ids: list[int]) -> dict[int, list[SessionAnswer]]:
    """For the worker's family-time page: each session's answers given in the portal (one
    query), to show beside the answers to reminders."""
    found: dict[int, list[SessionAnswer]] = {}
    for a in SessionAnswer.objects.filter(session_id__in=session_ids).select_related(
        "account__person"
    ):
        found.setdefault(a.session_id, []).append(a)
    return found
