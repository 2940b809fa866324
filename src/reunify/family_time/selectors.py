"""Reads for the child's family-time page, in a fixed number of queries however many sessions
the plan has held."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.db.models import Count, F, Prefetch

from reunify.cases.models import RemovalEpisode
from reunify.family_time.models import (
    CancelledBy,
    ChangeStatus,
    FamilyTimePlan,
    FamilyTimeSession,
    LevelChange,
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
class ChildFamilyTime:
    episode: RemovalEpisode
    plan: FamilyTimePlan | None
    upcoming: list[FamilyTimeSession]
    recent: list[FamilyTimeSession]
    changes: list[LevelChange]
    pending: LevelChange | None
    month: MonthSummary
    month_start: dt.date
    cancellations: list[tuple[str, int]] = field(default_factory=list)
    no_shows: int = 0


def _month_bounds(today: dt.date, tz: ZoneInfo) -> tuple[dt.datetime, dt.datetime]:
    first = today.replace(day=1)
    following = (first + dt.timedelta(days=32)).replace(day=1)
    return (
        dt.datetime.combine(first, dt.time(), tzinfo=tz),
        dt.datetime.combine(following, dt.time(), tzinfo=tz),
    )


def child_family_time(
    *, episode: RemovalEpisode, now: dt.datetime, tz: ZoneInfo
) -> ChildFamilyTime:
    today = now.astimezone(tz).date()
    plan = (
        FamilyTimePlan.objects.filter(episode=episode)
        .select_related("court_order", "created_by")
        .prefetch_related(
            Prefetch("participants", queryset=Person.objects.order_by("last_name", "first_name"))
        )
        .order_by(
            F("effective_to").asc(nulls_first=True), "-effective_from", "-id"
        )  # the current plan (no end) first
        .first()
    )
    sessions = FamilyTimeSession.objects.filter(plan__episode=episode)
    upcoming = list(
        sessions.filter(starts_at__gte=now, status=SessionStatus.SCHEDULED).order_by("starts_at")[
            :UPCOMING
        ]
    )
    recent = list(
        sessions.filter(starts_at__lt=now)
        .select_related("recorded_by")
        .order_by("-starts_at", "-id")[:RECENT]
    )
    changes = list(
        LevelChange.objects.filter(plan__episode=episode)
        .select_related("proposed_by", "decided_by")
        .order_by("-proposed_at", "-id")[:CHANGES]
    )
    pending = next((c for c in changes if c.status == ChangeStatus.PROPOSED), None)
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
    return ChildFamilyTime(
        episode=episode,
        plan=plan,
        upcoming=upcoming,
        recent=recent,
        changes=changes,
        pending=pending,
        month=MonthSummary(
            planned=month.planned,
            held=month.held,
            planned_hours=round(month.planned_hours, 1),
            held_hours=round(month.held_hours, 1),
        ),
        month_start=start.date(),
        cancellations=[(str(labels.get(c, c)), n) for c, n in by_cause.most_common()],
        no_shows=no_shows,
    )
