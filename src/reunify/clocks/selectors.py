"""Reads for clocks: gather each child's events for a batch of cases into `rules.ChildEvents`
(fetch, then compute: a fixed number of queries per batch whatever its size), and the lists
people look at (What's due, the unit's clocks)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from reunify.case_plans.models import CasePlan
from reunify.cases.models import (
    ConcurrentPlanningReview,
    FamilyCase,
    PermanencyGoal,
    Placement,
    RelativeNotice,
    RemovalEpisode,
)
from reunify.clocks import rules
from reunify.clocks.models import ClockException, ClockSnapshot, ClockStatus
from reunify.contacts.models import CaseworkerContact
from reunify.court.models import CourtOrder, Finding, Hearing, HearingStatus, Petition

# Discharged episodes keep a clock (the post-reunification window) this long after discharge.
RECENTLY_DISCHARGED_DAYS = 15 * 31


@dataclass(frozen=True)
class EpisodeEvents:
    episode_id: int
    case_id: int
    child_id: int
    events: rules.ChildEvents


def episodes_to_compute(case_ids: Iterable[int], today: dt.date) -> QuerySet[RemovalEpisode]:
    """Open episodes, and episodes discharged recently enough to still have a running clock."""
    recent = today - dt.timedelta(days=RECENTLY_DISCHARGED_DAYS)
    return RemovalEpisode.objects.filter(case_id__in=list(case_ids)).filter(
        Q(discharged_on__isnull=True) | Q(discharged_on__gte=recent)
    )


def child_events(case_ids: Iterable[int], today: dt.date) -> list[EpisodeEvents]:
    case_ids = list(case_ids)
    targets = list(episodes_to_compute(case_ids, today).values_list("id", "case_id", "child_id"))
    if not targets:
        return []
    child_ids = {child for _, _, child in targets}
    episode_rows = list(
        RemovalEpisode.objects.filter(child_id__in=child_ids).values_list(
            "id", "child_id", "removed_on", "discharged_on", "discharge_reason"
        )
    )
    episode_ids = [row[0] for row in episode_rows]
    placements: dict[int, list[rules.Placement]] = defaultdict(list)
    for episode_id, start, end, setting in Placement.objects.filter(
        episode_id__in=episode_ids
    ).values_list("episode_id", "started_on", "ended_on", "setting"):
        placements[episode_id].append(rules.Placement(start, end, setting))
    episodes = {
        eid: (child, rules.Episode(removed, discharged, reason, tuple(placements[eid])))
        for eid, child, removed, discharged, reason in episode_rows
    }
    by_child: dict[int, list[int]] = defaultdict(list)
    for eid, (child, _episode) in episodes.items():
        by_child[child].append(eid)

    held: dict[int, list[rules.Dated]] = defaultdict(list)
    for case_id, kind, held_on in Hearing.objects.filter(
        case_id__in=case_ids, status=HearingStatus.HELD
    ).values_list("case_id", "kind", "held_on"):
        held[case_id].append(rules.Dated(kind, held_on))
    findings: dict[int, list[rules.Dated]] = defaultdict(list)
    for child_id, kind, made_on in Finding.objects.filter(child_id__in=child_ids).values_list(
        "child_id", "kind", "made_on"
    ):
        findings[child_id].append(rules.Dated(kind, made_on))
    orders: dict[tuple[int, int | None], list[rules.Dated]] = defaultdict(list)
    for case_id, child_id, kind, issued, until in CourtOrder.objects.filter(
        case_id__in=case_ids
    ).values_list("case_id", "child_id", "kind", "issued_on", "effective_until"):
        orders[(case_id, child_id)].append(rules.Dated(kind, issued, until))
    petitions: dict[tuple[int, int | None], list[rules.Dated]] = defaultdict(list)
    for case_id, child_id, kind, filed in Petition.objects.filter(case_id__in=case_ids).values_list(
        "case_id", "child_id", "kind", "filed_on"
    ):
        petitions[(case_id, child_id)].append(rules.Dated(kind, filed))
    plans: dict[int, list[dt.date]] = defaultdict(list)
    for episode_id, completed in CasePlan.objects.filter(episode_id__in=episode_ids).values_list(
        "episode_id", "completed_on"
    ):
        plans[episode_id].append(completed)
    notices: dict[int, dt.date] = {}
    for episode_id, sent in (
        RelativeNotice.objects.filter(episode_id__in=episode_ids)
        .values_list("episode_id", "sent_on")
        .order_by("sent_on")
    ):
        notices.setdefault(episode_id, sent)
    visits: dict[int, list[dt.date]] = defaultdict(list)
    for child_id, on in CaseworkerContact.objects.filter(
        child_id__in=child_ids, face_to_face=True, seen="child"
    ).values_list("child_id", "occurred_on"):
        visits[child_id].append(on)
    reviews: dict[int, list[rules.Dated]] = defaultdict(list)
    for episode_id, on, likely in ConcurrentPlanningReview.objects.filter(
        episode_id__in=episode_ids
    ).values_list("episode_id", "reviewed_on", "reunification_likely"):
        reviews[episode_id].append(rules.Dated("likely" if likely else "unlikely", on))
    concurrent: dict[int, dt.date] = dict(
        PermanencyGoal.objects.filter(
            episode_id__in=episode_ids, is_concurrent=True, ended_on__isnull=True
        ).values_list("episode_id", "started_on")
    )
    exceptions: dict[int, list[rules.Dated]] = defaultdict(list)
    for episode_id, key, reason, on in ClockException.objects.filter(
        episode_id__in=episode_ids
    ).values_list("episode_id", "clock_key", "reason", "recorded_on"):
        exceptions[episode_id].append(rules.Dated(f"{key}:{reason}", on))

    result = []
    for episode_id, case_id, child_id in targets:
        _child, episode = episodes[episode_id]
        result.append(
            EpisodeEvents(
                episode_id=episode_id,
                case_id=case_id,
                child_id=child_id,
                events=rules.ChildEvents(
                    episode=episode,
                    other_episodes=tuple(
                        episodes[e][1] for e in by_child[child_id] if e != episode_id
                    ),
                    hearings_held=tuple(held[case_id]),
                    findings=tuple(findings[child_id]),
                    orders=tuple(orders[(case_id, child_id)] + orders[(case_id, None)]),
                    petitions=tuple(petitions[(case_id, child_id)] + petitions[(case_id, None)]),
                    case_plans=tuple(plans[episode_id]),
                    relative_notice_on=notices.get(episode_id),
                    visits=tuple(visits[child_id]),
                    concurrent_reviews=tuple(reviews[episode_id]),
                    concurrent_goal_since=concurrent.get(episode_id),
                    exceptions=tuple(exceptions[episode_id]),
                ),
            )
        )
    return result


ATTENTION = (ClockStatus.OVERDUE, ClockStatus.DUE_SOON)


def due_list(
    *, cases: QuerySet[FamilyCase], today: dt.date, within_days: int = 14
) -> QuerySet[ClockSnapshot]:
    """What's due: overdue first, then due within `within_days`, for the cases given."""
    horizon = today + dt.timedelta(days=within_days)
    return (
        ClockSnapshot.objects.filter(case__in=cases, case__status=FamilyCase.Status.OPEN)
        .filter(
            Q(status=ClockStatus.OVERDUE)
            | Q(status__in=[ClockStatus.DUE_SOON, ClockStatus.RUNNING], due__lte=horizon)
        )
        .select_related("case", "child", "case__worker")
        .order_by("due", "case__name", "child__first_name", "key")
    )


def case_clocks(*, case: FamilyCase) -> dict[int, list[ClockSnapshot]]:
    """The case's clocks by child, overdue first."""
    rank = {
        s: i
        for i, s in enumerate(
            [
                ClockStatus.OVERDUE,
                ClockStatus.DUE_SOON,
                ClockStatus.RUNNING,
                ClockStatus.NOT_STARTED,
                ClockStatus.MET,
                ClockStatus.EXCEPTED,
                ClockStatus.NOT_APPLICABLE,
            ]
        )
    }
    by_child: dict[int, list[ClockSnapshot]] = defaultdict(list)
    for snapshot in ClockSnapshot.objects.filter(case=case):
        by_child[snapshot.child_id].append(snapshot)
    for snapshots in by_child.values():
        snapshots.sort(key=lambda s: (rank[s.status], s.due or dt.date.max, s.key))
    return by_child


def due_counts_by_case(case_ids: Iterable[int]) -> dict[int, dict[str, int]]:
    """{case_id: {"overdue": n, "due_soon": n}} for a caseload page."""
    counts: dict[int, dict[str, int]] = defaultdict(lambda: {"overdue": 0, "due_soon": 0})
    rows = ClockSnapshot.objects.filter(
        case_id__in=list(case_ids), status__in=ATTENTION
    ).values_list("case_id", "status")
    for case_id, status in rows:
        counts[case_id][status] += 1
    return counts


@dataclass(frozen=True)
class Compliance:
    key: str
    name: str
    due: int
    on_time: int

    @property
    def rate(self) -> int | None:
        return round(100 * self.on_time / self.due) if self.due else None


COMPLIANCE_NAMES = {
    "permanency_hearing": "Permanency hearing",
    "periodic_review": "Periodic review",
    "re_finalize": "Finding: reasonable efforts to finalize the permanency plan",
    "relative_notice": "Relative identification and notice",
    "case_plan": "Initial case plan",
    "re_prevent_removal": "Finding: reasonable efforts to prevent removal",
    "shelter_hearing": "Shelter care hearing",
}


def due_occurrences(
    *,
    cases: QuerySet[FamilyCase],
    start: dt.date,
    end: dt.date,
    today: dt.date,
    profile: rules.Profile,
) -> Iterator[tuple[EpisodeEvents, rules.Occurrence]]:
    """Every time a clock of these cases came due in [start, end] (and by today), with its
    episode: what the compliance rates count."""
    case_ids = list(cases.values_list("id", flat=True))
    for batch_start in range(0, len(case_ids), 1000):
        for item in child_events(case_ids[batch_start : batch_start + 1000], today):
            for occurrence in rules.occurrences(item.events, profile=profile):
                if start <= occurrence.due <= end and occurrence.due <= today:
                    yield item, occurrence


def unit_compliance(
    *,
    cases: QuerySet[FamilyCase],
    start: dt.date,
    end: dt.date,
    today: dt.date,
    profile: rules.Profile,
) -> list[Compliance]:
    """For each clock, how many came due in [start, end] and how many were met on time."""
    due: dict[str, int] = defaultdict(int)
    on_time: dict[str, int] = defaultdict(int)
    for _item, occurrence in due_occurrences(
        cases=cases, start=start, end=end, today=today, profile=profile
    ):
        due[occurrence.key] += 1
        on_time[occurrence.key] += 1 if occurrence.on_time(today) else 0
    return [
        Compliance(k, name, due[k], on_time[k]) for k, name in COMPLIANCE_NAMES.items() if k in due
    ]


@dataclass(frozen=True)
class WorkerClocks:
    worker_name: str
    overdue: int
    due_soon: int


def unit_clock_counts(*, cases: QuerySet[FamilyCase]) -> list[WorkerClocks]:
    counts: dict[str, dict[str, int]] = defaultdict(lambda: {"overdue": 0, "due_soon": 0})
    rows = ClockSnapshot.objects.filter(
        case__in=cases, case__status=FamilyCase.Status.OPEN, status__in=ATTENTION
    ).values_list("case__worker__first_name", "case__worker__last_name", "status")
    for first, last, status in rows:
        counts[f"{first} {last}".strip()][status] += 1
    return sorted(
        (WorkerClocks(name, c["overdue"], c["due_soon"]) for name, c in counts.items()),
        key=lambda w: (-w.overdue, -w.due_soon, w.worker_name),
    )
