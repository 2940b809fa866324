"""Monthly caseworker-visit compliance, as the federal measure counts it (SSA 424(e), 422(b)(17)).

Pure: dates and plain values in, results out; no Django (import-linter).

- Only FULL calendar months in care count: the child was in care on every day of the month. A
  removal on the 2nd or a discharge before the month is over makes the month partial, and it is
  left out. The discharge day itself is not a day in care (the child left that day); for a child
  still in care, a month counts once it is over (its last day is before `today`).
- A month is visited when the child was seen face to face at least once in it; a month with only
  phone or video contacts is not.
- The residence rule: the majority (more than half) of the visited months had a face-to-face
  visit in the child's residence.
- Parents: a month counts for a parent when that parent was seen face to face in it. For the
  unit and agency rates of visits with the mother and with the father (CFSR Round 3 item 15),
  a child-month is in the mother's (father's) denominator when the child's case has a mother
  (father) taking part; there is no federal percentage target for these.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

# The "seen" roles, as stored on a contact (contacts.models.Seen).
CHILD = "child"
MOTHER = "mother"
FATHER = "father"

TARGET_PERCENT = 95
"""The federal target for the share of child-months with a face-to-face visit."""


@dataclass(frozen=True)
class Interval:
    """One stay in care: removal date to discharge date (None: still in care)."""

    start: dt.date
    end: dt.date | None = None


@dataclass(frozen=True)
class Contact:
    on: dt.date
    seen: str
    face_to_face: bool
    in_residence: bool
    person_id: int | None = None


@dataclass(frozen=True)
class Month:
    """One full calendar month in care and what happened in it."""

    month: dt.date  # the first day of the month
    visited: bool
    in_residence: bool
    mother_seen: bool
    father_seen: bool
    parents_seen: frozenset[int] = frozenset()


@dataclass(frozen=True)
class Tally:
    """Counts over child-months; add tallies to aggregate children."""

    months: int = 0
    visited: int = 0
    in_residence: int = 0
    mother_months: int = 0
    mother_visited: int = 0
    father_months: int = 0
    father_visited: int = 0

    def __add__(self, other: Tally) -> Tally:
        return Tally(
            self.months + other.months,
            self.visited + other.visited,
            self.in_residence + other.in_residence,
            self.mother_months + other.mother_months,
            self.mother_visited + other.mother_visited,
            self.father_months + other.father_months,
            self.father_visited + other.father_visited,
        )

    @property
    def mother_rate(self) -> float | None:
        return rate(self.mother_visited, self.mother_months)

    @property
    def father_rate(self) -> float | None:
        return rate(self.father_visited, self.father_months)

    @property
    def visited_rate(self) -> float | None:
        return rate(self.visited, self.months)

    @property
    def residence_rate(self) -> float | None:
        """Share of visited months with a visit in the child's residence."""
        return rate(self.in_residence, self.visited)

    @property
    def meets_target(self) -> bool | None:
        return meets(self.visited, self.months, TARGET_PERCENT)

    @property
    def residence_majority(self) -> bool | None:
        return None if self.visited == 0 else self.in_residence * 2 > self.visited


@dataclass(frozen=True)
class ChildCompliance:
    months: list[Month] = field(default_factory=list)
    has_mother: bool = True
    has_father: bool = True

    @property
    def tally(self) -> Tally:
        count = len(self.months)
        return Tally(
            months=count,
            visited=sum(m.visited for m in self.months),
            in_residence=sum(m.in_residence for m in self.months),
            mother_months=count if self.has_mother else 0,
            mother_visited=sum(m.mother_seen for m in self.months) if self.has_mother else 0,
            father_months=count if self.has_father else 0,
            father_visited=sum(m.father_seen for m in self.months) if self.has_father else 0,
        )

    @property
    def missed(self) -> list[dt.date]:
        return [m.month for m in self.months if not m.visited]

    def parent_months(self, person_id: int) -> int:
        """Full months in care in which this parent was seen face to face."""
        return sum(person_id in m.parents_seen for m in self.months)


def rate(part: int, whole: int) -> float | None:
    """A percentage with one decimal, or None when there is nothing to count."""
    return None if whole == 0 else round(100 * part / whole, 1)


def meets(part: int, whole: int, target_percent: int) -> bool | None:
    """Exact comparison (no rounding: 94.96% does not meet 95%)."""
    return None if whole == 0 else part * 100 >= target_percent * whole


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def next_month(month: dt.date) -> dt.date:
    return dt.date(month.year + month.month // 12, month.month % 12 + 1, 1)


def month_end(month: dt.date) -> dt.date:
    return next_month(month) - dt.timedelta(days=1)


def full_months(intervals: Iterable[Interval], *, today: dt.date) -> list[dt.date]:
    """First days of the calendar months the child spent entirely in care, in order."""
    months: set[dt.date] = set()
    for interval in intervals:
        # Last day in care: the day before discharge, or yesterday for a child still in care.
        last = (interval.end or today) - dt.timedelta(days=1)
        month = month_start(interval.start)
        if month < interval.start:
            month = next_month(month)
        while month_end(month) <= last:
            months.add(month)
            month = next_month(month)
    return sorted(months)


def child_compliance(
    *,
    intervals: Sequence[Interval],
    contacts: Iterable[Contact],
    today: dt.date,
    start: dt.date | None = None,
    end: dt.date | None = None,
    has_mother: bool = True,
    has_father: bool = True,
) -> ChildCompliance:
    """The child's full months in care (within the months of `start`..`end` when given);
    `has_mother` / `has_father`: whether the case has that parent taking part."""
    months = full_months(intervals, today=today)
    if start is not None:
        months = [m for m in months if m >= month_start(start)]
    if end is not None:
        months = [m for m in months if m <= month_start(end)]
    wanted = set(months)
    visited: set[dt.date] = set()
    residence: set[dt.date] = set()
    mothers: set[dt.date] = set()
    fathers: set[dt.date] = set()
    parents: dict[dt.date, set[int]] = {}
    for contact in contacts:
        month = month_start(contact.on)
        if month not in wanted or not contact.face_to_face:
            continue
        if contact.seen == CHILD:
            visited.add(month)
            if contact.in_residence:
                residence.add(month)
        elif contact.seen == MOTHER:
            mothers.add(month)
        elif contact.seen == FATHER:
            fathers.add(month)
        if contact.seen in (MOTHER, FATHER) and contact.person_id is not None:
            parents.setdefault(month, set()).add(contact.person_id)
    return ChildCompliance(
        months=[
            Month(
                month=m,
                visited=m in visited,
                in_residence=m in residence,
                mother_seen=m in mothers,
                father_seen=m in fathers,
                parents_seen=frozenset(parents.get(m, ())),
            )
            for m in months
        ],
        has_mother=has_mother,
        has_father=has_father,
    )
