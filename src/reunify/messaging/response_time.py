"""How long the family waited for the worker's first reply, in business hours. Pure; no Django.

Readings (issue 7: "the caseworker's response time is measured (first reply, business hours)"):

- Business hours are Monday to Friday, 09:00 to 17:00 on the agency's clock. The zone is an
  argument; the services pass `core.clock.agency_zone()` (settings.REUNIFY_AGENCY_TIME_ZONE, the
  agency's zone; settings.TIME_ZONE is UTC, the storage zone). Public holidays are not taken out:
  there is no holiday calendar yet, so a holiday counts as a working day.
- A *request* opens with a family message that waits for no earlier one: the first family
  message of the thread, or the first after a staff message. Later family messages before the
  reply belong to the same request. The first staff message after it answers it, and whoever
  sent that message answered it.
- The response time is the business time between the request and the answer. A message sent
  outside business hours starts waiting when the office opens, so a message sent on Friday at
  20:00 and answered on Monday at 10:00 waited one business hour.
- "Within one business day" means within 8 business hours: by the same time on the next business
  day.
- A request still unanswered counts against that share once it has waited longer than one
  business day; until then it is undecided and left out. Medians are over answered requests.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from zoneinfo import ZoneInfo

OPENS = dt.time(9, 0)
CLOSES = dt.time(17, 0)
BUSINESS_DAY = dt.timedelta(hours=8)
BUSINESS_WEEK = 5 * BUSINESS_DAY
ZERO = dt.timedelta(0)
_UTC = dt.UTC


def business_time(start: dt.datetime, end: dt.datetime, zone: ZoneInfo) -> dt.timedelta:
    """The part of [start, end) that falls in business hours in `zone`. Zero if end <= start.
    Both instants must be timezone-aware."""
    if end <= start:
        return ZERO
    first = start.astimezone(zone).date()
    last = end.astimezone(zone).date()
    start_utc, end_utc = start.astimezone(_UTC), end.astimezone(_UTC)
    total = ZERO
    day = first
    while day <= last:
        if day > first and day.weekday() == 0:
            # Whole weeks strictly between the first and the last day are 40 hours each.
            weeks = (last - day).days // 7
            if weeks:
                total += weeks * BUSINESS_WEEK
                day += dt.timedelta(weeks=weeks)
                continue
        if day.weekday() < 5:
            opens = dt.datetime.combine(day, OPENS, tzinfo=zone).astimezone(_UTC)
            closes = dt.datetime.combine(day, CLOSES, tzinfo=zone).astimezone(_UTC)
            low, high = max(opens, start_utc), min(closes, end_utc)
            if high > low:
                total += high - low
        day += dt.timedelta(days=1)
    return total


def hours(span: dt.timedelta) -> float:
    return span.total_seconds() / 3600


@dataclass(frozen=True, slots=True)
class Post:
    """One message of a thread: when, whether the family sent it, and who sent it."""

    at: dt.datetime
    from_family: bool
    sender: int | None = None


@dataclass(frozen=True, slots=True)
class Request:
    asked_at: dt.datetime
    answered_at: dt.datetime | None = None
    answered_by: int | None = None


def requests(posts: Iterable[Post]) -> list[Request]:
    """The requests of one thread, from its messages (in any order)."""
    found: list[Request] = []
    waiting: dt.datetime | None = None
    for post in sorted(posts, key=lambda p: p.at):
        if post.from_family:
            if waiting is None:
                waiting = post.at
        elif waiting is not None:
            found.append(Request(waiting, post.at, post.sender))
            waiting = None
    if waiting is not None:
        found.append(Request(waiting))
    return found


@dataclass(frozen=True, slots=True)
class Summary:
    requests: int
    answered: int
    median: dt.timedelta | None  # over answered requests
    within_a_day: int  # answered within one business day
    decided: int  # answered, or unanswered for longer than one business day

    @property
    def share_within_a_day(self) -> float | None:
        return self.within_a_day / self.decided if self.decided else None


def _median(values: Sequence[dt.timedelta]) -> dt.timedelta | None:
    if not values:
        return None
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    return (ordered[middle - 1] + ordered[middle]) / 2


def summarise(found: Sequence[Request], *, zone: ZoneInfo, now: dt.datetime) -> Summary:
    waits = [
        business_time(r.asked_at, r.answered_at, zone) for r in found if r.answered_at is not None
    ]
    late_open = sum(
        1
        for r in found
        if r.answered_at is None and business_time(r.asked_at, now, zone) > BUSINESS_DAY
    )
    return Summary(
        requests=len(found),
        answered=len(waits),
        median=_median(waits),
        within_a_day=sum(1 for w in waits if w <= BUSINESS_DAY),
        decided=len(waits) + late_open,
    )
