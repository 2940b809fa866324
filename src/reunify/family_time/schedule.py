"""Reads for a worker's week and the calendar feeds, from querysets already limited by the policy,
in a fixed number of queries however large the caseload."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from reunify.cases import permissions as case_permissions
from reunify.cases.models import FamilyCase, RemovalEpisode
from reunify.court.models import Hearing, HearingStatus
from reunify.family_time.calendar_feeds import Event
from reunify.family_time.models import FamilyTimePlan, FamilyTimeSession, LocationType

FEED_PAST = dt.timedelta(days=90)
FEED_AHEAD = dt.timedelta(days=400)
HEARING_LENGTH = dt.timedelta(hours=1)  # hearings have a start time only


def monday_of(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def _local_midnight(day: dt.date, tz: ZoneInfo) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), tzinfo=tz)


def child_label(child) -> str:
    """How a child is named outside Reunify (calendar apps): first name and last initial."""
    return f"{child.first_name} {child.last_name[:1]}.".strip()


def location_label(plan: FamilyTimePlan) -> str:
    """Where the session is, unless it is confidential: then only that the agency arranges it."""
    if plan.location_confidential or plan.location_type == LocationType.RESOURCE_HOME:
        return _("Arranged by the agency")
    kind = plan.get_location_type_display()
    return f"{kind}: {plan.address}" if plan.address else str(kind)


def _sessions(cases: QuerySet[FamilyCase]) -> QuerySet[FamilyTimeSession]:
    return (
        FamilyTimeSession.objects.filter(plan__episode__case__in=cases)
        .select_related("plan__episode__child")
        .order_by("starts_at", "id")
    )


def _hearings(cases: QuerySet[FamilyCase]) -> QuerySet[Hearing]:
    return (
        Hearing.objects.filter(case__in=cases)
        .select_related("case")
        .order_by("scheduled_for", "scheduled_time", "id")
    )


# ---- the week ---------------------------------------------------------------------------------


@dataclass
class WeekItem:
    kind: str  # "session" or "hearing"
    sort_key: tuple
    starts_at: dt.datetime | None  # local time; None for a hearing without a time
    ends_at: dt.datetime | None
    title: str
    detail: str
    status: str
    url: str


@dataclass
class WeekDay:
    date: dt.date
    items: list[WeekItem] = field(default_factory=list)


@dataclass
class Week:
    start: dt.date
    days: list[WeekDay]
    previous: dt.date
    next: dt.date

    @property
    def end(self) -> dt.date:
        return self.start + dt.timedelta(days=6)

    @property
    def count(self) -> int:
        return sum(len(day.items) for day in self.days)


def week_of(*, user, start: dt.date, tz: ZoneInfo) -> Week:
    """The user's family-time sessions and hearings from Monday `start` to Sunday, by local day:
    two queries."""
    start = monday_of(start)
    days = [WeekDay(start + dt.timedelta(days=i)) for i in range(7)]
    by_date = {day.date: day for day in days}
    cases = case_permissions.cases_visible_to(user)
    begins = _local_midnight(start, tz)
    ends = _local_midnight(start + dt.timedelta(days=7), tz)
    for s in _sessions(cases).filter(starts_at__gte=begins, starts_at__lt=ends):
        local = s.starts_at.astimezone(tz)
        episode = s.plan.episode
        by_date[local.date()].items.append(
            WeekItem(
                kind="session",
                sort_key=(local.time(), 0, s.pk),
                starts_at=local,
                ends_at=s.ends_at.astimezone(tz),
                title=_("Family time: %(child)s") % {"child": episode.child.full_name},
                detail=location_label(s.plan),
                status=s.get_status_display(),
                url=reverse("family_time:child", args=[episode.pk]),
            )
        )
    for h in _hearings(cases).filter(scheduled_for__gte=start, scheduled_for__lte=days[-1].date):
        at = (
            dt.datetime.combine(h.scheduled_for, h.scheduled_time, tzinfo=tz)
            if h.scheduled_time
            else None
        )
        by_date[h.scheduled_for].items.append(
            WeekItem(
                kind="hearing",
                sort_key=(h.scheduled_time or dt.time(), 1, h.pk),
                starts_at=at,
                ends_at=None,
                title=str(h.get_kind_display()),
                detail=f"{h.case.name} ({h.case.number})",
                status=h.get_status_display(),
                url=reverse("cases:case-detail", args=[h.case_id]) + "#court",
            )
        )
    for day in days:
        day.items.sort(key=lambda item: item.sort_key)
    return Week(
        start=start,
        days=days,
        previous=start - dt.timedelta(days=7),
        next=start + dt.timedelta(days=7),
    )


# ---- the feeds --------------------------------------------------------------------------------


def _session_events(
    sessions: QuerySet[FamilyTimeSession], absolute: Callable[[str], str]
) -> list[Event]:
    return [
        Event(
            uid=f"family-time-session-{s.pk}@reunify",
            summary=_("Family time: %(child)s") % {"child": child_label(s.plan.episode.child)},
            starts_at=s.starts_at,
            ends_at=s.ends_at,
            location=location_label(s.plan),
            url=absolute(reverse("family_time:child", args=[s.plan.episode_id])),
            cancelled=s.status == "cancelled",
        )
        for s in sessions
    ]


def worker_feed(*, user, now: dt.datetime, tz: ZoneInfo, absolute: Callable[[str], str]):
    """Every family-time session and scheduled hearing of the cases the user may see now, from
    90 days back: two queries."""
    cases = case_permissions.cases_visible_to(user)
    sessions = _sessions(cases).filter(
        starts_at__gte=now - FEED_PAST, starts_at__lt=now + FEED_AHEAD
    )
    events = _session_events(sessions, absolute)
    today = now.astimezone(tz).date()
    hearings = _hearings(cases).filter(
        status=HearingStatus.SCHEDULED,
        scheduled_for__gte=today - FEED_PAST,
        scheduled_for__lt=today + FEED_AHEAD,
    )
    for h in hearings:
        if h.scheduled_time:
            starts: dt.datetime | dt.date = dt.datetime.combine(
                h.scheduled_for, h.scheduled_time, tzinfo=tz
            )
            ends: dt.datetime | dt.date = starts + HEARING_LENGTH
        else:
            starts, ends = h.scheduled_for, h.scheduled_for + dt.timedelta(days=1)
        events.append(
            Event(
                uid=f"court-hearing-{h.pk}@reunify",
                summary=_("%(hearing)s, case %(number)s")
                % {"hearing": h.get_kind_display(), "number": h.case.number},
                starts_at=starts,
                ends_at=ends,
                url=absolute(reverse("cases:case-detail", args=[h.case_id])),
            )
        )
    return events


def child_feed(*, episode: RemovalEpisode, now: dt.datetime, absolute: Callable[[str], str]):
    """The child's family-time sessions, from 90 days back: one query."""
    sessions = _sessions(FamilyCase.objects.filter(pk=episode.case_id)).filter(
        plan__episode=episode, starts_at__gte=now - FEED_PAST, starts_at__lt=now + FEED_AHEAD
    )
    return _session_events(sessions, absolute)
