"""Reads for case screens. Every function starts from a queryset already limited by
`cases.permissions`, and issues a fixed number of queries whatever the caseload size."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.core.paginator import Page, Paginator
from django.db.models import Count, Exists, Min, OuterRef, Prefetch, Q, QuerySet

from reunify.accounts.models import Role, Unit, User
from reunify.cases import rules
from reunify.cases.models import (
    CaseAssignment,
    CaseParticipant,
    FamilyCase,
    IntakeReport,
    ParticipantRole,
    PermanencyGoal,
    Placement,
    ReentryReview,
    RemovalEpisode,
    TransitionSummary,
)
from reunify.clocks.dates import add_months
from reunify.clocks.models import ClockSnapshot
from reunify.clocks.selectors import case_clocks, due_counts_by_case
from reunify.core.models import AuditEvent
from reunify.people.models import Person, Relationship

SORTS = {
    "name": ("name", "id"),
    "-name": ("-name", "-id"),
    "opened": ("opened_on", "id"),
    "-opened": ("-opened_on", "-id"),
    "longest": ("first_removed_on", "id"),
    "shortest": ("-first_removed_on", "-id"),
    "worker": ("worker__last_name", "worker__first_name", "name"),
}


@dataclass(frozen=True)
class ChildRow:
    person: Person
    age: int | None
    days_in_care: int | None
    setting: str
    goals: list[str]


@dataclass(frozen=True)
class CaseRow:
    case: FamilyCase
    children: list[ChildRow]
    overdue: int = 0
    due_soon: int = 0


def _open_episodes(lookup: str, episodes: QuerySet[RemovalEpisode]) -> Prefetch:
    """Open episodes as `open_episodes`, each with its current placement and current goals."""
    return Prefetch(
        lookup,
        queryset=episodes.filter(discharged_on__isnull=True).prefetch_related(
            Prefetch(
                "placements",
                queryset=Placement.objects.filter(ended_on__isnull=True),
                to_attr="current_placements",
            ),
            Prefetch(
                "goals",
                queryset=PermanencyGoal.objects.filter(ended_on__isnull=True),
                to_attr="current_goals",
            ),
        ),
        to_attr="open_episodes",
    )


def caseload_page(
    *,
    cases: QuerySet[FamilyCase],
    search: str = "",
    sort: str = "name",
    page: int | str = 1,
    today: dt.date,
    per_page: int = 25,
) -> Page[CaseRow]:
    """Open cases, searchable by family or child name, sortable, one page of rows."""
    queryset = cases.filter(status=FamilyCase.Status.OPEN).select_related("worker")
    if search := search.strip():
        matching_people = CaseParticipant.objects.filter(
            Q(person__first_name__icontains=search) | Q(person__last_name__icontains=search)
        ).values("case_id")
        queryset = queryset.filter(
            Q(name__icontains=search) | Q(number__icontains=search) | Q(pk__in=matching_people)
        )
    queryset = queryset.annotate(
        first_removed_on=Min("episodes__removed_on", filter=Q(episodes__discharged_on__isnull=True))
    ).order_by(*SORTS.get(sort, SORTS["name"]))
    paginator = Paginator(queryset, per_page)
    page_obj = paginator.get_page(page)
    case_list = list(page_obj.object_list)
    children = (
        CaseParticipant.objects.filter(case__in=case_list, role=ParticipantRole.CHILD)
        .select_related("person")
        .prefetch_related(
            _open_episodes("person__episodes", RemovalEpisode.objects.filter(case__in=case_list))
        )
        .order_by("person__date_of_birth", "person_id")
    )
    by_case: dict[int, list[ChildRow]] = {}
    for participant in children:
        by_case.setdefault(participant.case_id, []).append(_child_row(participant.person, today))
    due = due_counts_by_case(c.pk for c in case_list)
    page_obj.object_list = [
        CaseRow(
            case=c,
            children=by_case.get(c.pk, []),
            overdue=due[c.pk]["overdue"],
            due_soon=due[c.pk]["due_soon"],
        )
        for c in case_list
    ]
    return page_obj


def _child_row(person: Person, today: dt.date) -> ChildRow:
    age = rules.age_in_years(born=person.date_of_birth, on=today) if person.date_of_birth else None
    episode = person.open_episodes[0] if person.open_episodes else None
    if episode is None:
        return ChildRow(person=person, age=age, days_in_care=None, setting="", goals=[])
    placement = episode.current_placements[0] if episode.current_placements else None
    goals = sorted(episode.current_goals, key=lambda g: g.is_concurrent)
    return ChildRow(
        person=person,
        age=age,
        days_in_care=rules.days_in_care(
            removed_on=episode.removed_on, discharged_on=None, today=today
        ),
        setting=placement.get_setting_display() if placement else "",
        goals=[str(g) for g in goals],
    )


@dataclass
class EpisodeView:
    episode: RemovalEpisode
    placements: list[Placement]
    goals: list[PermanencyGoal]
    days_in_care: int
    placement_count: int
    current_placement: Placement | None


@dataclass
class ChildView:
    person: Person
    age: int | None
    episodes: list[EpisodeView] = field(default_factory=list)
    clocks: list[ClockSnapshot] = field(default_factory=list)

    @property
    def open_episode(self) -> EpisodeView | None:
        return next((e for e in self.episodes if e.episode.is_open), None)


@dataclass
class CaseDetail:
    case: FamilyCase
    participants: list[CaseParticipant]
    relationships: list[Relationship]
    children: list[ChildView]
    assignments: list[CaseAssignment]
    activity: list[AuditEvent]
    intake_report: IntakeReport | None = None

    @property
    def reassignments(self) -> int:
        """Continuity of worker: how many times the case changed hands."""
        return max(len(self.assignments) - 1, 0)


def case_detail(*, case: FamilyCase, today: dt.date, activity_limit: int = 30) -> CaseDetail:
    participants = list(
        case.participants.select_related("person").order_by("role", "person__date_of_birth", "id")
    )
    person_ids = [p.person_id for p in participants]
    relationships = list(
        Relationship.objects.filter(from_person_id__in=person_ids, to_person_id__in=person_ids)
        .select_related("from_person", "to_person")
        .order_by("to_person__date_of_birth", "kind", "from_person__last_name")
    )
    episodes = (
        case.episodes.select_related("child", "previous_episode", "reentry_review")
        .prefetch_related(
            Prefetch(
                "placements",
                queryset=Placement.objects.select_related("provider").order_by("started_on", "id"),
            ),
            Prefetch(
                "goals",
                queryset=PermanencyGoal.objects.select_related("set_by").order_by(
                    "is_concurrent", "-started_on", "-id"
                ),
            ),
        )
        .order_by("removed_on", "id")
    )
    children = {
        p.person_id: ChildView(
            person=p.person,
            age=rules.age_in_years(born=p.person.date_of_birth, on=today)
            if p.person.date_of_birth
            else None,
        )
        for p in participants
        if p.role == ParticipantRole.CHILD
    }
    for episode in episodes:
        placements = list(episode.placements.all())
        view = EpisodeView(
            episode=episode,
            placements=placements,
            goals=list(episode.goals.all()),
            days_in_care=rules.days_in_care(
                removed_on=episode.removed_on, discharged_on=episode.discharged_on, today=today
            ),
            placement_count=rules.placement_count(p.setting for p in placements),
            current_placement=next((p for p in placements if p.ended_on is None), None),
        )
        if episode.child_id in children:
            children[episode.child_id].episodes.append(view)
    assignments = list(
        case.assignments.select_related("worker", "assigned_by").order_by("-started_on", "-id")
    )
    handovers = {t.assignment_id: t for t in TransitionSummary.objects.filter(case=case)}
    for assignment in assignments:
        assignment.handover = handovers.get(assignment.pk)  # type: ignore[attr-defined]
    activity = list(
        AuditEvent.objects.for_case(case.pk)
        .filter(kind=AuditEvent.Kind.CHANGE)
        .order_by("-id")[:activity_limit]
    )
    clocks = case_clocks(case=case)
    for child in children.values():
        child.clocks = clocks.get(child.person.pk, [])
    return CaseDetail(
        case=case,
        participants=participants,
        relationships=relationships,
        children=list(children.values()),
        assignments=assignments,
        activity=activity,
        intake_report=IntakeReport.objects.filter(case=case).first(),
    )


def workers_with_open_cases(workers: QuerySet[User]) -> QuerySet[User]:
    return workers.annotate(
        open_cases=Count("cases", filter=Q(cases__status=FamilyCase.Status.OPEN), distinct=True)
    ).order_by("last_name", "first_name")


@dataclass(frozen=True)
class WorkerLoad:
    worker: User
    open_cases: int
    children_in_care: int


def unit_caseloads(*, unit: Unit) -> list[WorkerLoad]:
    """Per-worker open cases and children in care, for a supervisor's view of the unit."""
    workers = (
        User.objects.filter(unit=unit, is_active=True, role__in=[Role.CASEWORKER, Role.SUPERVISOR])
        .annotate(
            open_cases=Count(
                "cases", filter=Q(cases__status=FamilyCase.Status.OPEN), distinct=True
            ),
            children_in_care=Count(
                "cases__episodes",
                filter=Q(
                    cases__status=FamilyCase.Status.OPEN,
                    cases__episodes__discharged_on__isnull=True,
                ),
                distinct=True,
            ),
        )
        .order_by("last_name", "first_name")
    )
    return [
        WorkerLoad(worker=w, open_cases=w.open_cases, children_in_care=w.children_in_care)
        for w in workers
    ]


def recent_reentries(*, cases: QuerySet[FamilyCase], today: dt.date) -> list[RemovalEpisode]:
    """Children of open `cases` who re-entered care within 12 months of going home, removed in
    the last 12 months, newest first; `reviewed` says whether the team recorded what
    contributed. For a supervisor's view."""
    since = add_months(today, -12)
    return list(
        RemovalEpisode.objects.filter(
            case__in=cases.filter(status=FamilyCase.Status.OPEN),
            reentry_within_12_months=True,
            removed_on__gt=since,
        )
        .select_related("case", "child", "previous_episode")
        .annotate(reviewed=Exists(ReentryReview.objects.filter(episode=OuterRef("pk"))))
        .order_by("-removed_on", "-id")
    )
