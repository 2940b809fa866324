"""Reads for the child's family-time page, in a fixed number of queries however many sessions
the plan has held."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils.translation import get_language

from reunify.cases.models import FamilyCase, Placement, RemovalEpisode
from reunify.contacts import compliance
from reunify.family_time import evaluation, rules
from reunify.family_time.models import (
    CancelledBy,
    ChangeStatus,
    FamilyTimePlan,
    FamilyTimeSession,
    Level,
    LevelChange,
    LevelName,
    PlanKind,
    SessionStatus,
)
from reunify.people.models import Person

UPCOMING = 10
RECENT = 10
CHANGES = 20


@dataclass
class MonthSummary:
    planned: int = 0
    held: int = 0
    planned_hours: float = 0.0
    held_hours: float = 0.0


@dataclass
class PlanView:
    plan: FamilyTimePlan
    pending: LevelChange | None


@dataclass
class ChildFamilyTime:
    episode: RemovalEpisode
    plans: list[PlanView]
    missing_kinds: list[tuple[str, str]]
    upcoming: list[FamilyTimeSession]
    recent: list[FamilyTimeSession]
    changes: list[LevelChange]
    month: MonthSummary
    month_start: dt.date
    evaluation: evaluation.Evaluation
    cancellations: list[tuple[str, int]] = field(default_factory=list)
    no_shows: int = 0

    @property
    def plan(self) -> FamilyTimePlan | None:
        """The plan with the parents, or else the first current plan."""
        return self.plans[0].plan if self.plans else None


def _month_bounds(today: dt.date, tz: ZoneInfo) -> tuple[dt.datetime, dt.datetime]:
    first = today.replace(day=1)
    following = (first + dt.timedelta(days=32)).replace(day=1)
    return (
        dt.datetime.combine(first, dt.time(), tzinfo=tz),
        dt.datetime.combine(following, dt.time(), tzinfo=tz),
    )


KIND_ORDER = {kind: index for index, kind in enumerate(PlanKind.values)}


def child_family_time(
    *, episode: RemovalEpisode, now: dt.datetime, tz: ZoneInfo
) -> ChildFamilyTime:
    """The child's current plans (parents first), sessions to come and past, this month's
    count, the level history and the visitation evaluation of the last 90 days: a fixed number
    of queries however many sessions there are."""
    today = now.astimezone(tz).date()
    current = sorted(
        FamilyTimePlan.objects.filter(episode=episode, effective_to__isnull=True)
        .select_related("court_order", "created_by")
        .prefetch_related(
            Prefetch("participants", queryset=Person.objects.order_by("last_name", "first_name"))
        ),
        key=lambda p: (KIND_ORDER.get(p.kind, 99), p.pk),
    )
    sessions = FamilyTimeSession.objects.filter(plan__episode=episode)
    upcoming = list(
        sessions.filter(starts_at__gte=now, status=SessionStatus.SCHEDULED)
        .select_related("plan")
        .order_by("starts_at")[:UPCOMING]
    )
    recent = list(
        sessions.filter(starts_at__lt=now)
        .select_related("recorded_by", "plan")
        .order_by("-starts_at", "-id")[:RECENT]
    )
    changes = list(
        LevelChange.objects.filter(plan__episode=episode)
        .select_related("proposed_by", "decided_by", "plan")
        .order_by("-proposed_at", "-id")[:CHANGES]
    )
    pending = {c.plan_id: c for c in changes if c.status == ChangeStatus.PROPOSED}
    start, end = _month_bounds(today, tz)
    month = MonthSummary()
    for starts_at, ends_at, status, minutes in sessions.filter(
        starts_at__gte=start, starts_at__lt=end
    ).values_list("starts_at", "ends_at", "status", "actual_minutes"):
        planned = (ends_at - starts_at).total_seconds() / 3600
        month.planned += 1
        month.planned_hours += planned
        if status == SessionStatus.HELD:
            month.held += 1
            month.held_hours += minutes / 60 if minutes is not None else planned
    by_cause: Counter[str] = Counter()
    no_shows = 0
    for status, cause, count in (
        sessions.filter(status__in=[SessionStatus.CANCELLED, SessionStatus.NO_SHOW])
        .values_list("status", "cancelled_by")
        .annotate(n=Count("id"))
        .order_by()
    ):
        if status == SessionStatus.NO_SHOW:
            no_shows += count
        else:
            by_cause[cause] += count
    labels = dict(CancelledBy.choices)
    kinds = {p.kind for p in current}
    return ChildFamilyTime(
        episode=episode,
        plans=[PlanView(plan=p, pending=pending.get(p.pk)) for p in current],
        missing_kinds=[(k, str(label)) for k, label in PlanKind.choices if k not in kinds],
        upcoming=upcoming,
        recent=recent,
        changes=changes,
        month=MonthSummary(
            planned=month.planned,
            held=month.held,
            planned_hours=round(month.planned_hours, 1),
            held_hours=round(month.held_hours, 1),
        ),
        month_start=start.date(),
        evaluation=visitation_evaluation(episode=episode, now=now, tz=tz),
        cancellations=[(str(labels.get(c, c)), n) for c, n in by_cause.most_common()],
        no_shows=no_shows,
    )


def visitation_evaluation(
    *,
    episode: RemovalEpisode,
    now: dt.datetime,
    tz: ZoneInfo,
    days: int = evaluation.PERIOD_DAYS,
) -> evaluation.Evaluation:
    """How family time with the parents went in the last `days` days (scheduled against
    completed, attendance rating, quality, incidents): what the reunification assessment reads.
    One query."""
    today = now.astimezone(tz).date()
    start = today - dt.timedelta(days=days - 1)
    rows = FamilyTimeSession.objects.filter(
        plan__episode=episode,
        plan__kind=PlanKind.PARENT,
        starts_at__gte=dt.datetime.combine(start, dt.time(), tzinfo=tz),
        starts_at__lt=now,
    ).values_list("starts_at", "status", "cancelled_by", "quality", "safety_incident")
    return evaluation.evaluate(
        (
            evaluation.Session(
                starts_at=at.astimezone(tz),
                status=status,
                cancelled_by=cause,
                quality=quality,
                incident=incident,
            )
            for at, status, cause, quality, incident in rows
        ),
        now=now,
        start=start,
        end=today,
    )


# ---- the agency's names for the levels ---------------------------------------------------------


def level_names(agency_id: int) -> dict[str, str]:
    """Every level's name in the active language: the agency's own where it set one, else the
    default. One query."""
    names = {value: str(label) for value, label in Level.choices}
    column = "name_es" if (get_language() or "en").startswith("es") else "name_en"
    for level, name in LevelName.objects.filter(agency_id=agency_id).values_list("level", column):
        if name:
            names[level] = name
    return names


def level_choices(agency_id: int) -> list[tuple[str, str]]:
    names = level_names(agency_id)
    return [(level, names[level]) for level in rules.LEVELS]


# ---- unit and agency rates --------------------------------------------------------------------


@dataclass
class FamilyTimeRates:
    start: dt.date
    end: dt.date
    rates: evaluation.Rates = field(default_factory=evaluation.Rates)
    workers: list[tuple[Any, evaluation.Rates]] = field(default_factory=list)
    # Each episode with at least one full month in the period, and its counts: the children
    # behind the totals (the outcomes page lists them).
    children: list[tuple[RemovalEpisode, evaluation.Rates]] = field(default_factory=list)


def _provider_on(placements: list[tuple], day: dt.date) -> tuple | None:
    """Where the child was on `day`: (provider id, setting) of the placement covering it."""
    for start, end, provider_id, setting in placements:
        if start <= day and (end is None or end > day):
            return (provider_id, setting)
    return None


def family_time_rates(
    *, cases: QuerySet[FamilyCase], start: dt.date, end: dt.date, today: dt.date, tz: ZoneInfo
) -> FamilyTimeRates:
    """Full child-months in care from the month of `start` to the month of `end` for the
    children removed in `cases`, with family time held with the parents, and with siblings
    for children whose sibling in care lived elsewhere: totals and per worker. Three queries."""
    first = compliance.month_start(start)
    last = compliance.month_end(compliance.month_start(end))
    episodes = list(
        RemovalEpisode.objects.filter(case__in=cases, removed_on__lte=last)
        .filter(Q(discharged_on__isnull=True) | Q(discharged_on__gt=first))
        .select_related("case__worker")
        .only(
            "id",
            "case_id",
            "child_id",
            "removed_on",
            "discharged_on",
            "case__worker__first_name",
            "case__worker__last_name",
            "case__worker__username",
        )
    )
    placements: dict[int, list[tuple]] = defaultdict(list)
    for episode_id, p_start, p_end, provider_id, setting in (
        Placement.objects.filter(episode__in=[e.pk for e in episodes])
        .order_by("started_on")
        .values_list("episode_id", "started_on", "ended_on", "provider_id", "setting")
    ):
        placements[episode_id].append((p_start, p_end, provider_id, setting))
    held: dict[int, list[tuple[dt.date, str]]] = defaultdict(list)
    for episode_id, starts_at, kind in FamilyTimeSession.objects.filter(
        plan__episode__in=[e.pk for e in episodes],
        status=SessionStatus.HELD,
        starts_at__gte=dt.datetime.combine(first, dt.time(), tzinfo=tz),
        starts_at__lt=dt.datetime.combine(last + dt.timedelta(days=1), dt.time(), tzinfo=tz),
    ).values_list("plan__episode_id", "starts_at", "plan__kind"):
        held[episode_id].append((starts_at.astimezone(tz).date(), kind))
    by_case: dict[int, list[RemovalEpisode]] = defaultdict(list)
    for e in episodes:
        by_case[e.case_id].append(e)
    result = FamilyTimeRates(start=start, end=end)
    workers: dict[int, tuple[Any, evaluation.Rates]] = {}
    for e in episodes:
        months = [
            m
            for m in compliance.full_months(
                [compliance.Interval(e.removed_on, e.discharged_on)], today=today
            )
            if first <= m <= last
        ]
        if not months:
            continue
        apart = []
        for m in months:
            month_last = compliance.month_end(m)
            mine = _provider_on(placements[e.pk], month_last)
            for sibling in by_case[e.case_id]:
                if sibling.child_id == e.child_id or not (
                    sibling.removed_on <= month_last
                    and (sibling.discharged_on is None or sibling.discharged_on > month_last)
                ):
                    continue
                theirs = _provider_on(placements[sibling.pk], month_last)
                if mine is None or theirs is None or mine[0] is None or mine[0] != theirs[0]:
                    apart.append(m)
                    break
        rates = evaluation.child_rates(months=months, held=held[e.pk], apart_months=apart)
        result.rates += rates
        result.children.append((e, rates))
        worker = e.case.worker
        before = workers.get(worker.pk, (worker, evaluation.Rates()))[1]
        workers[worker.pk] = (worker, before + rates)
    result.workers = sorted(
        workers.values(), key=lambda w: (w[0].last_name, w[0].first_name, w[0].pk)
    )
    return result
