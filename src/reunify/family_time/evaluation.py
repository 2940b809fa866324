"""How family time has gone: the visitation evaluation of a child's recent sessions, and the
monthly family-time rates of a unit or agency (CFSR Round 2 item 13, Round 3 item 8).

Pure: plain values in, results out; no Django (import-linter).

The evaluation reads the sessions of the child's plans with the parents over a period (90 days
by default), counting only sessions whose time has come:

- *scheduled* is every such session; *completed* those held.
- *attendance* is completed / (completed + no-shows + cancelled by the parent). Sessions the
  agency, a provider, the resource family or the child cancelled are not held against the
  parent; they are counted and shown by cause instead.
- the *rating*: "consistent" at 90% attendance or more, "mostly consistent" from 75%,
  "inconsistent" below; "too few" while fewer than `MIN_SESSIONS` sessions count. These
  thresholds are Reunify's defaults (ADR 0006), not a federal standard.
- *quality* is the mean rating (1 to 4) of the held sessions that were rated, with the number
  rated; safety incidents are counted.

The rates count full calendar months in care (as the caseworker-visit measure does,
`contacts.compliance.full_months`): a month counts for parent visits when at least one session
with the parents was held in it, for sibling visits when at least one session with siblings was
held, and a month is in the sibling denominator only when the child had a sibling in care placed
apart from them at the end of that month.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

# Plan kinds and session statuses, as stored (family_time.models).
PARENT = "parent"
SIBLING = "sibling"
HELD = "held"
CANCELLED = "cancelled"
NO_SHOW = "no_show"
SCHEDULED = "scheduled"
BY_PARENT = "parent"

CONSISTENT = "consistent"
MOSTLY_CONSISTENT = "mostly_consistent"
INCONSISTENT = "inconsistent"
TOO_FEW = "too_few"

CONSISTENT_PERCENT = 90
MOSTLY_PERCENT = 75
MIN_SESSIONS = 4
PERIOD_DAYS = 90


@dataclass(frozen=True)
class Session:
    starts_at: dt.datetime
    status: str
    cancelled_by: str = ""
    quality: int | None = None
    incident: bool = False


@dataclass(frozen=True)
class Evaluation:
    start: dt.date
    end: dt.date
    scheduled: int = 0
    completed: int = 0
    no_shows: int = 0
    not_recorded: int = 0
    cancelled: dict[str, int] = field(default_factory=dict)  # cause -> count
    quality_total: int = 0
    quality_rated: int = 0
    incidents: int = 0

    @property
    def counted(self) -> int:
        """The sessions the parent's attendance is judged on."""
        return self.completed + self.no_shows + self.cancelled.get(BY_PARENT, 0)

    @property
    def attendance_percent(self) -> int | None:
        if self.counted == 0:
            return None
        return round(100 * self.completed / self.counted)

    @property
    def completion_percent(self) -> int | None:
        if self.scheduled == 0:
            return None
        return round(100 * self.completed / self.scheduled)

    @property
    def rating(self) -> str:
        if self.counted < MIN_SESSIONS:
            return TOO_FEW
        held = self.completed * 100
        if held >= CONSISTENT_PERCENT * self.counted:
            return CONSISTENT
        if held >= MOSTLY_PERCENT * self.counted:
            return MOSTLY_CONSISTENT
        return INCONSISTENT

    @property
    def quality_average(self) -> float | None:
        if self.quality_rated == 0:
            return None
        return round(self.quality_total / self.quality_rated, 1)


def evaluate(
    sessions: Iterable[Session], *, now: dt.datetime, start: dt.date, end: dt.date
) -> Evaluation:
    """The evaluation of the sessions that started before `now`, from `start` to `end` (dates of
    the sessions' start, both included; the caller gives them in the agency's zone)."""
    scheduled = completed = no_shows = not_recorded = quality_total = rated = incidents = 0
    cancelled: Counter[str] = Counter()
    for s in sessions:
        if s.starts_at >= now or not start <= s.starts_at.date() <= end:
            continue
        scheduled += 1
        if s.status == HELD:
            completed += 1
            if s.quality is not None:
                quality_total += s.quality
                rated += 1
            incidents += s.incident
        elif s.status == NO_SHOW:
            no_shows += 1
        elif s.status == CANCELLED:
            cancelled[s.cancelled_by] += 1
        elif s.status == SCHEDULED:
            not_recorded += 1
    return Evaluation(
        start=start,
        end=end,
        scheduled=scheduled,
        completed=completed,
        no_shows=no_shows,
        not_recorded=not_recorded,
        cancelled=dict(cancelled.most_common()),
        quality_total=quality_total,
        quality_rated=rated,
        incidents=incidents,
    )


# ---- monthly rates ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Rates:
    """Child-month counts; add them to aggregate children."""

    months: int = 0
    parent_visited: int = 0
    sibling_months: int = 0  # months with a sibling in care placed apart
    sibling_visited: int = 0

    def __add__(self, other: Rates) -> Rates:
        return Rates(
            self.months + other.months,
            self.parent_visited + other.parent_visited,
            self.sibling_months + other.sibling_months,
            self.sibling_visited + other.sibling_visited,
        )

    @property
    def parent_rate(self) -> float | None:
        return _rate(self.parent_visited, self.months)

    @property
    def sibling_rate(self) -> float | None:
        return _rate(self.sibling_visited, self.sibling_months)


def _rate(part: int, whole: int) -> float | None:
    return None if whole == 0 else round(100 * part / whole, 1)


def child_rates(
    *,
    months: Iterable[dt.date],
    held: Iterable[tuple[dt.date, str]],
    apart_months: Iterable[dt.date],
) -> Rates:
    """`months`: first days of the child's full months in care in the period; `held`: (local
    date, plan kind) of each held session; `apart_months`: months with a sibling in care placed
    apart (first days)."""
    wanted = set(months)
    apart = wanted & set(apart_months)
    parent: set[dt.date] = set()
    sibling: set[dt.date] = set()
    for on, kind in held:
        month = on.replace(day=1)
        if kind == PARENT:
            parent.add(month)
        elif kind == SIBLING:
            sibling.add(month)
    return Rates(
        months=len(wanted),
        parent_visited=len(wanted & parent),
        sibling_months=len(apart),
        sibling_visited=len(apart & sibling),
    )
