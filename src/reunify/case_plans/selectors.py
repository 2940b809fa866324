"""Reads for the case-plan pages and the printed plan, in a fixed number of queries."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from reunify.case_plans import document as doc
from reunify.case_plans.models import (
    FamilyPlan,
    GoalProgress,
    PlanningMeeting,
    PlanVersion,
    ServiceAttendance,
    Signature,
    VersionStatus,
)
from reunify.cases.models import FamilyCase
from reunify.cases.rules import age_in_years
from reunify.clocks.models import ClockSnapshot
from reunify.family_time import schedule
from reunify.family_time import selectors as family_time_selectors
from reunify.family_time.models import FamilyTimePlan
from reunify.people.models import Person
from reunify.services.models import Service
from reunify.services.templatetags.services_tags import hours as schedule_hours

PLAN_CLOCKS = ("case_plan", "case_plan_update")


@dataclass
class GoalView:
    goal: dict[str, Any]
    number: int
    progress: list[GoalProgress]
    attendance: list[ServiceAttendance]

    @property
    def latest(self) -> GoalProgress | None:
        return self.progress[0] if self.progress else None

    @property
    def met(self) -> bool:
        """Met only on a behavioural rating of change sustained, never on attendance."""
        return doc.goal_met(self.latest.rating if self.latest else None)


@dataclass
class ChildView:
    person: Person
    age: int | None
    section: dict[str, Any]
    clocks: list[ClockSnapshot] = field(default_factory=list)

    @property
    def needs_by_area(self) -> list[tuple[str, list[dict[str, Any]]]]:
        needs = self.section.get("needs", [])
        return [(a, [n for n in needs if n.get("area") == a]) for a in doc.NEED_AREAS]

    @property
    def is_youth(self) -> bool:
        return self.age is not None and self.age >= doc.YOUTH_AGE


@dataclass
class FamilyTimeLine:
    child: Person
    plan: FamilyTimePlan
    place: str
    level: str  # the agency's name for the plan's level


@dataclass
class PlanPage:
    case: FamilyCase
    plan: FamilyPlan | None
    version: PlanVersion | None  # the version shown
    in_force: PlanVersion | None  # the latest final version
    draft: PlanVersion | None
    children: list[ChildView]
    goals: list[GoalView]
    tasks: list[dict[str, Any]]
    conditions: list[dict[str, Any]]
    meetings: list[PlanningMeeting]
    signatures: list[Signature]
    family_time: list[FamilyTimeLine]
    versions: list[PlanVersion]

    @property
    def is_current(self) -> bool:
        return self.version is not None and self.version.status != VersionStatus.SUPERSEDED


def _people(ids: list[int]) -> dict[int, Person]:
    return Person.objects.in_bulk(ids)


def family_time_lines(case: FamilyCase) -> list[FamilyTimeLine]:
    """The current family-time plans of the children in care; places through `location_label`,
    so a confidential place reads "Arranged by the agency"."""
    plans = (
        FamilyTimePlan.objects.filter(
            episode__case=case, episode__discharged_on__isnull=True, effective_to__isnull=True
        )
        .select_related("episode__child")
        .order_by("episode__child__date_of_birth", "kind", "pk")
    )
    names = family_time_selectors.level_names(case.agency_id)
    return [
        FamilyTimeLine(p.episode.child, p, schedule.location_label(p), names[p.level])
        for p in plans
    ]


def plan_page(*, case: FamilyCase, today: dt.date, number: int | None = None) -> PlanPage:
    """The plan as it stands (the draft if there is one, else the version in force), or the
    version `number`; with goals and their progress, tasks by due date, each child's section and
    plan clocks, the meetings of the version and the family-time schedule."""
    plan = FamilyPlan.objects.filter(case=case).first()
    versions = list(plan.versions.select_related("created_by", "finalized_by")) if plan else []
    draft = next((v for v in versions if v.status == VersionStatus.DRAFT), None)
    in_force = next((v for v in versions if v.status == VersionStatus.FINAL), None)
    shown = draft or in_force
    if number is not None:
        shown = next((v for v in versions if v.number == number), shown)
    content = shown.document if shown else {}
    sections = content.get("children", [])
    people = _people([c["person_id"] for c in sections])
    clocks: dict[int, list[ClockSnapshot]] = defaultdict(list)
    for snapshot in ClockSnapshot.objects.filter(
        case=case, key__in=PLAN_CLOCKS, episode__discharged_on__isnull=True
    ).order_by("key"):
        clocks[snapshot.child_id].append(snapshot)
    children = [
        ChildView(
            person=people[c["person_id"]],
            age=age_in_years(born=people[c["person_id"]].date_of_birth, on=today)
            if people[c["person_id"]].date_of_birth
            else None,
            section=c,
            clocks=clocks.get(c["person_id"], []),
        )
        for c in sections
        if c["person_id"] in people
    ]
    progress: dict[str, list[GoalProgress]] = defaultdict(list)
    attendance: dict[str, list[ServiceAttendance]] = defaultdict(list)
    if plan is not None:
        for p in plan.progress.select_related("recorded_by"):
            progress[p.goal_key].append(p)
        for a in plan.attendance.all():
            attendance[a.goal_key].append(a)
    goals = [
        GoalView(g, i, progress.get(g["key"], []), attendance.get(g["key"], []))
        for i, g in enumerate(content.get("goals", []), start=1)
    ]
    meetings = (
        list(shown.meetings.prefetch_related("parents__person").select_related("recorded_by"))
        if shown
        else []
    )
    return PlanPage(
        case=case,
        plan=plan,
        version=shown,
        in_force=in_force,
        draft=draft,
        children=children,
        goals=goals,
        tasks=sorted(content.get("tasks", []), key=lambda t: (t.get("due_on", ""), t["text"])),
        conditions=content.get("conditions_for_return", []),
        meetings=meetings,
        signatures=list(shown.signatures.select_related("signer")) if shown else [],
        family_time=family_time_lines(case),
        versions=versions,
    )


@dataclass
class Comparison:
    older: PlanVersion
    newer: PlanVersion
    changes: list[doc.Change]
    people: dict[int, Person]


def compare(
    *, plan: FamilyPlan, older: int | None = None, newer: int | None = None
) -> Comparison | None:
    """The differences between two versions (by default the latest and the one before it)."""
    versions = {v.number: v for v in plan.versions.all()}
    if len(versions) < 2:
        return None
    numbers = sorted(versions)
    new = versions.get(newer) if newer in versions else versions[numbers[-1]]
    old = versions.get(older) if older in versions else None
    if old is None:
        earlier = [n for n in numbers if n < new.number]
        old = versions[earlier[-1]] if earlier else versions[numbers[0]]
    changes = doc.diff(old.document, new.document)
    ids = {c.person_id for c in changes if c.person_id is not None}
    return Comparison(old, new, changes, Person.objects.in_bulk(ids))


@dataclass(frozen=True)
class ServiceDetails:
    address: str = ""
    phone: str = ""
    hours: str = ""


def directory_details(service_ids: set[int], agency_id: int) -> dict[int, ServiceDetails]:
    """Address, phone and hours of the directory's services (`reunify.services`), the hours
    written as the directory's own pages write them."""
    if not service_ids:
        return {}
    found: dict[int, ServiceDetails] = {}
    services = Service.objects.filter(pk__in=service_ids, agency_id=agency_id).prefetch_related(
        "service_locations__location", "phones", "schedules"
    )
    for service in services:
        located = [sl.location for sl in service.service_locations.all()]
        phones = [p.number for p in service.phones.all()]
        hours = [schedule_hours(s) for s in service.schedules.all()]
        found[service.pk] = ServiceDetails(
            address=located[0].address if located else "",
            phone=phones[0] if phones else "",
            hours="; ".join(h for h in hours if h),
        )
    return found
