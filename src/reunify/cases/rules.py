"""Pure date and distance rules for cases, episodes and placements. No Django imports: every
function takes the dates it needs (DESIGN §4.1, events stored and dates derived)."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from reunify.core.marks import gettext_noop

# Settings that AFCARS does not count as a placement (cfsr.md §11).
NOT_COUNTED_AS_PLACEMENT = frozenset({"runaway", "trial_home_visit", "respite"})
# Exits the re-entry indicator follows (cfsr.md §11).
PERMANENCY_EXITS = frozenset({"reunification", "living_with_relative", "adoption", "guardianship"})

EARTH_RADIUS_MILES = 3958.7613


def age_in_years(*, born: date, on: date) -> int:
    """Completed years on `on` (cfsr.md §11: age is completed years on the date in question)."""
    years = on.year - born.year
    if (on.month, on.day) < (born.month, born.day):
        years -= 1
    return years


def days_in_care(*, removed_on: date, discharged_on: date | None, today: date) -> int:
    """Days from removal to discharge, or to today while still in care (cfsr.md §11: length of
    stay = end - start; a child removed and discharged the same day has 0 days)."""
    end = discharged_on if discharged_on is not None else today
    return max((end - removed_on).days, 0)


def miles_between(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine), rounded to a tenth of a mile."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return round(2 * EARTH_RADIUS_MILES * math.asin(math.sqrt(a)), 1)


@dataclass(frozen=True)
class Span:
    """A half-open date interval [start, end); end None means still open."""

    start: date
    end: date | None

    def overlaps(self, other: Span) -> bool:
        self_end = self.end or date.max
        other_end = other.end or date.max
        return self.start < other_end and other.start < self_end


# Error messages are constants so services, forms and tests share them.
REMOVAL_BEFORE_BIRTH = gettext_noop("A removal cannot be dated before the child's birth.")
REMOVAL_IN_FUTURE = gettext_noop("A removal cannot be dated in the future.")
PLACEMENT_BEFORE_REMOVAL = gettext_noop("A placement cannot start before the removal.")
PLACEMENT_AFTER_DISCHARGE = gettext_noop(
    "A placement cannot start after the child's discharge from care."
)
PLACEMENT_OVERLAP = gettext_noop("This placement overlaps another placement in the same episode.")
PLACEMENT_END_BEFORE_START = gettext_noop("A placement cannot end before it starts.")
DISCHARGE_BEFORE_REMOVAL = gettext_noop("A discharge cannot be dated before the removal.")
DISCHARGE_BEFORE_PLACEMENT = gettext_noop(
    "A discharge cannot be dated before the current placement began."
)
EPISODE_OVERLAP = gettext_noop("The child already has an open removal episode.")
DATE_IN_FUTURE = gettext_noop("This date is in the future; record events once they have happened.")


def removal_date_problem(*, removed_on: date, born: date | None, today: date) -> str | None:
    if removed_on > today:
        return REMOVAL_IN_FUTURE
    if born is not None and removed_on < born:
        return REMOVAL_BEFORE_BIRTH
    return None


def placement_problem(
    *,
    start: date,
    end: date | None,
    removed_on: date,
    discharged_on: date | None,
    others: Iterable[Span],
    today: date,
) -> str | None:
    """Why a placement [start, end) cannot sit in its episode, or None when it can."""
    if start < removed_on:
        return PLACEMENT_BEFORE_REMOVAL
    if start > today or (end is not None and end > today):
        return DATE_IN_FUTURE
    if discharged_on is not None and start > discharged_on:
        return PLACEMENT_AFTER_DISCHARGE
    if end is not None and end < start:
        return PLACEMENT_END_BEFORE_START
    span = Span(start, end)
    if any(span.overlaps(other) for other in others):
        return PLACEMENT_OVERLAP
    return None


def discharge_problem(
    *, discharged_on: date, removed_on: date, last_placement_start: date | None, today: date
) -> str | None:
    if discharged_on > today:
        return DATE_IN_FUTURE
    if discharged_on < removed_on:
        return DISCHARGE_BEFORE_REMOVAL
    if last_placement_start is not None and discharged_on < last_placement_start:
        return DISCHARGE_BEFORE_PLACEMENT
    return None


def placement_count(settings_in_order: Iterable[str]) -> int:
    """Placements AFCARS counts: trial home visits, runaway and respite are not placements."""
    return sum(1 for s in settings_in_order if s not in NOT_COUNTED_AS_PLACEMENT)
