"""How a synthetic child's time in care is drawn: the removal date, the discharge (date and
reason), the placements in between (settings, kin or not, moves, running away, a trial home
visit before reunification) and a re-entry. The demo agency (`cases/demo.py`) and the
1,000,000-episode indicators benchmark (`benchmarks/indicators_1m.py`) both draw their
timelines here, so the benchmark's extract has the demo's shapes.

Pure (no Django, no clock): a seeded `random.Random` and plain values in, dataclasses out.
Homes are opaque: the caller passes the first home and a function that draws another one, each
with its §11 setting, and gets them back on the stays (the demo passes `ResourceProvider`s,
the benchmark provider ids).
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Generic, TypeVar

from reunify.cases.rules import age_in_years

H = TypeVar("H")

# Settings and discharge reasons are the cfsr.md §11 values (the same strings as
# cases.models.PlacementSetting and DischargeReason).
FOSTER_FAMILY_RELATIVE = "foster_family_relative"
RUNAWAY = "runaway"
TRIAL_HOME_VISIT = "trial_home_visit"
REUNIFICATION = "reunification"
OTHER_EXITS = ("guardianship", "adoption", "living_with_relative")

# Per family: how the removal ends (all siblings share it).
IN_CARE, REUNIFIED, REENTRY, OTHER_EXIT = "in_care", "reunified", "reentry", "other_exit"
OUTCOMES = (IN_CARE, REUNIFIED, REENTRY, OTHER_EXIT)
OUTCOME_WEIGHTS = (58, 24, 7, 11)
CHILD_COUNT_WEIGHTS = {1: 42, 2: 30, 3: 16, 4: 8, 5: 4}
MOVE_WEIGHTS = {0: 50, 1: 30, 2: 14, 3: 6}  # placement changes after the first home
THV_SHARE = 0.6  # reunifications that end with a trial home visit
RUNAWAY_SHARE = 0.25  # teenagers with several placements whose last one is running away
STAYS_HOME_SHARE = 0.08  # a child of a sibling group who is not removed
SHARED_HOME_SHARE = 0.8  # a child placed in the sibling group's home


@dataclass(frozen=True)
class Stay(Generic[H]):
    """One placement record: `home` is None for a runaway spell or a trial home visit."""

    start: date
    end: date | None
    setting: str
    home: H | None


@dataclass(frozen=True)
class Timeline(Generic[H]):
    """One removal episode: `discharged_on` None = still in care on the as-of date."""

    removed_on: date
    discharged_on: date | None
    discharge_reason: str | None
    stays: tuple[Stay[H], ...]


def case_opened_on(rng: random.Random, as_of: date) -> date:
    """Cases opened in the last three and a half years, most of them in the last year."""
    return as_of - timedelta(days=int(rng.triangular(5, 1300, 200)))


def removed_on(rng: random.Random, opened_on: date, as_of: date) -> date:
    """The family's removal date: within a week of the case opening, never after `as_of`."""
    return min(opened_on + timedelta(days=rng.randint(0, 6)), as_of)


def outcome(rng: random.Random) -> str:
    return rng.choices(OUTCOMES, weights=OUTCOME_WEIGHTS)[0]


def child_count(rng: random.Random) -> int:
    return rng.choices(list(CHILD_COUNT_WEIGHTS), weights=list(CHILD_COUNT_WEIGHTS.values()))[0]


def child_age(rng: random.Random, mother_age: int) -> int:
    """Age in years: infants and young children most often, then older children and teens."""
    age = rng.choices(
        [rng.randint(0, 2), rng.randint(3, 8), rng.randint(9, 13), rng.randint(14, 17)],
        weights=[30, 30, 22, 18],
    )[0]
    return min(age, mother_age - 16)


def birth_date(rng: random.Random, *, age: int, as_of: date) -> date:
    """A date of birth that makes someone `age` years old on `as_of` (365-day years)."""
    return as_of - timedelta(days=rng.randint(age * 365, age * 365 + 364))


def episode(
    rng: random.Random,
    *,
    removed: date,
    as_of: date,
    ends: str,
    born: date | None,
    first_home: tuple[H, str],
    pick_home: Callable[[], tuple[H, str]],
) -> Timeline[H]:
    """One episode starting on `removed` for a child born on `born` (unknown: taken as 10),
    ending as `ends` (one of OUTCOMES; "in_care" episodes stay open). Homes are (home, setting)
    pairs."""
    age = age_in_years(born=born, on=removed) if born is not None else 10
    available = (as_of - removed).days
    if ends == IN_CARE:
        discharge_after = None
    else:
        discharge_after = min(available, rng.randint(60, 700)) if available > 45 else None
    span_end = removed + timedelta(days=discharge_after) if discharge_after is not None else as_of
    starts = [removed]
    total = (span_end - removed).days
    for _ in range(rng.choices(list(MOVE_WEIGHTS), weights=list(MOVE_WEIGHTS.values()))[0]):
        if total < 30:
            break
        starts.append(removed + timedelta(days=rng.randint(15, total - 5)))
    starts = sorted(set(starts))
    homes: list[H | None] = [first_home[0]]
    settings = [first_home[1]]
    for _ in starts[1:]:
        home, setting = pick_home()
        homes.append(home)
        settings.append(setting)
    if age >= 13 and len(starts) > 1 and rng.random() < RUNAWAY_SHARE:
        settings[-1], homes[-1] = RUNAWAY, None
    if ends == REUNIFIED and discharge_after is not None and rng.random() < THV_SHARE:
        thv_start = span_end - timedelta(days=rng.randint(30, 150))
        if thv_start > starts[-1]:
            starts.append(thv_start)
            homes.append(None)
            settings.append(TRIAL_HOME_VISIT)
    discharged = span_end if discharge_after is not None else None
    stays = tuple(
        Stay(
            start=start,
            end=starts[i + 1] if i + 1 < len(starts) else discharged,
            setting=settings[i],
            home=homes[i],
        )
        for i, start in enumerate(starts)
    )
    reason = None
    if discharged is not None:
        reason = rng.choice(OTHER_EXITS) if ends == OTHER_EXIT else REUNIFICATION
    return Timeline(removed, discharged, reason, stays)


def reentry_on(rng: random.Random, discharged_on: date, as_of: date) -> date | None:
    """The next removal 40-300 days after a discharge, if it falls before `as_of` - 3 days."""
    again = discharged_on + timedelta(days=rng.randint(40, 300))
    return again if again < as_of - timedelta(days=3) else None


def child_episodes(
    rng: random.Random,
    *,
    removed: date,
    as_of: date,
    ends: str,
    born: date | None,
    first_home: tuple[H, str],
    pick_home: Callable[[], tuple[H, str]],
) -> list[Timeline[H]]:
    """A child's episodes: the removal, and for a family whose outcome is "reentry" a second
    removal (still open) after the reunification when it falls before the as-of date."""
    first = episode(
        rng,
        removed=removed,
        as_of=as_of,
        ends=ends,
        born=born,
        first_home=first_home,
        pick_home=pick_home,
    )
    timelines = [first]
    if ends == REENTRY and first.discharged_on is not None:
        again = reentry_on(rng, first.discharged_on, as_of)
        if again is not None:
            timelines.append(
                episode(
                    rng,
                    removed=again,
                    as_of=as_of,
                    ends=IN_CARE,
                    born=born,
                    first_home=pick_home(),
                    pick_home=pick_home,
                )
            )
    return timelines
