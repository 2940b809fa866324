"""The family-time ladder and the visit schedule, as pure functions (no Django).

The ladder runs from the most restrictive level to the least: a move up the list is toward more
supervision, a move down toward less. The default level names are fixed here; per-agency labels
("renamable per agency", DOMAIN.md) are not built yet.

The court floor. A court order on visitation sets the *least restrictive* level the agency may
use: any level less restrictive than the floor is refused, and any level at or more restrictive
than it is allowed. (It is a floor of supervision: the family may not go below that much
supervision.) Restricting further after a safety incident is always allowed by the floor.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from zoneinfo import ZoneInfo

# Most restrictive first.
LEVELS: tuple[str, ...] = (
    "suspended",
    "therapeutic_supervised",
    "supervised",
    "monitored",
    "unsupervised_day",
    "unsupervised_overnight",
    "extended",
    "trial_home_visit",
)
_RANK = {level: index for index, level in enumerate(LEVELS)}

# Messages the services raise and the tests check (English source; translated where shown).
UNKNOWN_LEVEL = "Choose a family-time level."
SAME_LEVEL = "The plan is already at this level."
NOT_A_RESTRICTION = "An immediate restriction must move to a more restrictive level."
NO_WEEKDAYS = "Choose at least one day of the week."
BAD_DURATION = "A session lasts between 15 minutes and 24 hours."
ENDS_BEFORE_START = "The end date cannot come before the start date."
BAD_ONE_OFF_LENGTH = "A session added once lasts between 15 minutes and 14 days."

# A session added once (a transition visit: a day, a night, a weekend or a longer stay at home)
# may run past midnight, up to two weeks; the weekly schedule stays within a day.
ONE_OFF_SHORTEST = dt.timedelta(minutes=15)
ONE_OFF_LONGEST = dt.timedelta(days=14)


def rank(level: str) -> int:
    """0 for the most restrictive level; higher is less restrictive. Unknown levels raise."""
    try:
        return _RANK[level]
    except KeyError:
        raise ValueError(f"unknown family-time level: {level!r}") from None


def is_level(level: str) -> bool:
    return level in _RANK


def is_less_restrictive(a: str, b: str) -> bool:
    """Whether level `a` gives the family less supervision than level `b`."""
    return rank(a) > rank(b)


def needs_supervisor_approval(from_level: str, to_level: str) -> bool:
    """Any move toward less supervision needs the supervisor; a move toward more does not."""
    return is_less_restrictive(to_level, from_level)


def crosses_floor(to_level: str, floor: str | None) -> bool:
    """Whether `to_level` is less restrictive than the court-ordered floor (see the module doc)."""
    if not floor:
        return False
    return is_less_restrictive(to_level, floor)


# ---- the schedule ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Occurrence:
    start: dt.datetime
    end: dt.datetime


def weekdays_problem(weekdays: Iterable[int]) -> str | None:
    days = list(weekdays)
    if not days or any(not 0 <= d <= 6 for d in days):
        return NO_WEEKDAYS
    return None


def duration_problem(minutes: int) -> str | None:
    return None if 15 <= minutes <= 24 * 60 else BAD_DURATION


def one_off_length_problem(starts_at: dt.datetime, ends_at: dt.datetime) -> str | None:
    return (
        None if ONE_OFF_SHORTEST <= ends_at - starts_at <= ONE_OFF_LONGEST else BAD_ONE_OFF_LENGTH
    )


def overlaps(
    start: dt.datetime, end: dt.datetime, other_start: dt.datetime, other_end: dt.datetime
) -> bool:
    """Whether two sessions share any time (one ending as the other begins does not)."""
    return start < other_end and other_start < end


def _local(day: dt.date, at: dt.time, tz: ZoneInfo) -> dt.datetime:
    """The wall-clock time `at` on `day` in `tz`. A time skipped by a spring-forward change moves
    forward by the gap (02:30 becomes 03:30); a time repeated in the autumn is the first one."""
    naive = dt.datetime.combine(day, at.replace(tzinfo=None, fold=0))
    aware = naive.replace(tzinfo=tz)
    return aware.astimezone(dt.UTC).astimezone(tz)


def occurrences(
    start_date: dt.date,
    end_date: dt.date,
    weekdays: Iterable[int],
    start_time: dt.time,
    duration: dt.timedelta,
    tz: ZoneInfo,
) -> list[Occurrence]:
    """Every session from `start_date` to `end_date` (both included) on the given weekdays
    (Monday 0 … Sunday 6), starting at `start_time` local time in `tz`. Each session keeps its
    local start time across daylight-saving changes; its end is `duration` of elapsed time later.
    """
    days = frozenset(weekdays)
    result: list[Occurrence] = []
    day = start_date
    while day <= end_date:
        if day.weekday() in days:
            start = _local(day, start_time, tz)
            end = (start.astimezone(dt.UTC) + duration).astimezone(tz)
            result.append(Occurrence(start=start, end=end))
        day += dt.timedelta(days=1)
    return result


def parse_weekdays(text: str) -> list[int]:
    """ "0,3" -> [0, 3] (the stored form); blanks and repeats ignored, sorted."""
    return sorted({int(part) for part in text.split(",") if part.strip()})


def format_weekdays(days: Iterable[int]) -> str:
    return ",".join(str(d) for d in sorted(set(days)))
