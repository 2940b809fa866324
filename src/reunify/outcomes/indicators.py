"""The five CFSR Round 4 permanency indicators (observed performance), computed from episodes and
placements in the shape of the `reference/cfsr.md` §11 extract.

Pure: plain values in, results out; no Django, no clock (import-linter and mypy strict check it).
`engine.py` applies the same rules in SQL for large extracts; the two must agree exactly, and a
property test holds them to it. Any change to a rule here must be made there too.

Readings (cfsr.md §2, §3.1-3.5 and the fixed conventions of §11; docs/outcomes.md lists them):
- Period: `[start, start + 12 calendar months)`. Data are as of `as_of`: an episode that starts
  after it is unknown, a discharge after it has not happened yet (the episode is open), a
  placement that starts after it is unknown.
- Arithmetic: calendar months clamp to the end of the month (`clocks.dates.add_months`).
  Completed months between two dates = the largest `m` with `add_months(a, m) <= b`; age =
  completed months from the date of birth // 12 (so a child born on 29 February turns 18 on
  28 February in a common year). Length of stay = `end - start` in days; "under 8 days" = a
  *discharged* episode with LOS 0-7 (an open episode is never a short stay). "Within 12 months"
  = strictly before the date plus 12 calendar months. In care on a day `d` = `start <= d < end`.
- P1 (permanency in 12 months, entries): each child's first episode starting in the period;
  excluded, in this order, age 18+ at entry, under 8 days, discharged with no reason; numerator:
  discharged to permanency with the (THV-adjusted) exit before entry + 12 months and before the
  18th birthday. THV adjustment: discharge to reunification whose last placement (latest start)
  is a trial home visit: exit = min(discharge, THV start + 30 days); the adjusted exit is also
  the date the 18th-birthday test uses.
- P2 / P3: each child's episode open on the period's first day (the earliest, if a malformed
  history overlaps) with 12-23 / 24+ completed months; excluded age 18+ on the first day, then
  discharged with no reason; numerator: discharged to permanency before the period ends and
  before the 18th birthday. No THV adjustment.
- Re-entry (exit cohort): each child's first discharge in the period to reunification, a
  relative or guardianship (ties on the day: earliest start); that exit is evaluated and, if
  excluded, the child is excluded (no later exit replaces it): age 18+ at exit, exit episode
  under 8 days, another removal recorded between that episode's start and its discharge
  (cfsr.md §3.4 "re-entry removal date before the prior discharge date"). Numerator: another
  removal starting on or after the discharge and before discharge + 12 months.
- Placement stability: the P1 child and episode, excluded age 18+ at entry, then under 8 days
  (a missing discharge reason does not exclude). Days = min(discharge, period end + 1 day,
  as_of + 1 day) - entry. Moves: the episode's placements that start on or before the period's
  last day (and as_of), trial home visit, runaway and respite dropped, ordered by (start, end
  with open last, setting, provider), consecutive records with the same provider merged; every
  run after the first is a move. Value = 1000 * moves / days.
Percentages are percent (0-100); values are unrounded and `None` when the denominator is 0.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from reunify.clocks.dates import add_months

# cfsr.md §11 discharge reasons (AFCARS 1993 element 58 codes in the comments).
DISCHARGE_REASONS = (
    "reunification",  # 1
    "living_with_relative",  # 2
    "adoption",  # 3
    "emancipation",  # 4
    "guardianship",  # 5
    "transfer_to_another_agency",  # 6
    "runaway",  # 7
    "death",  # 8
)
PERMANENCY_EXITS = frozenset({"reunification", "living_with_relative", "adoption", "guardianship"})
REENTRY_EXITS = frozenset({"reunification", "living_with_relative", "guardianship"})

# cfsr.md §11 placement settings (AFCARS 1993 element 41 codes; respite has none).
SETTINGS = (
    "pre_adoptive_home",  # 1
    "foster_family_relative",  # 2
    "foster_family_nonrelative",  # 3
    "group_home",  # 4
    "institution",  # 5
    "supervised_independent_living",  # 6
    "runaway",  # 7
    "trial_home_visit",  # 8
    "respite",
)
TRIAL_HOME_VISIT = "trial_home_visit"
NOT_A_PLACEMENT = frozenset({"trial_home_visit", "runaway", "respite"})

THV_CREDIT_DAYS = 30
SHORT_STAY_MAX_DAYS = 7  # "less than 8 days" = LOS 0-7
ADULT_AGE = 18
FOLLOW_UP_MONTHS = 12
PERIOD_MONTHS = 12

# Exclusion reasons, as reported in `excluded`.
AGE_18_AT_ENTRY = "age_18_or_older_at_entry"
AGE_18_ON_FIRST_DAY = "age_18_or_older_on_first_day"
AGE_18_AT_EXIT = "age_18_or_older_at_exit"
UNDER_8_DAYS = "in_care_under_8_days"
NO_DISCHARGE_REASON = "missing_discharge_reason"
REMOVAL_BEFORE_DISCHARGE = "removal_before_prior_discharge"

PERM12_ENTRIES = "perm12_entries"
PERM12_12_23 = "perm12_12_23"
PERM12_24PLUS = "perm12_24plus"
REENTRY_12M = "reentry_12m"
PLACEMENT_STABILITY = "placement_stability"
KEYS = (PERM12_ENTRIES, PERM12_12_23, PERM12_24PLUS, REENTRY_12M, PLACEMENT_STABILITY)


@dataclass(frozen=True)
class Definition:
    key: str
    title: str
    unit: str  # "percent" or "moves per 1,000 days"
    national_performance: float  # Round 4 (cfsr.md §3 summary) [S16, S17]
    direction: str  # desirable direction: "higher" or "lower"


PERCENT = "percent"
PER_1000_DAYS = "moves per 1,000 days"
DEFINITIONS: Mapping[str, Definition] = {
    d.key: d
    for d in (
        Definition(PERM12_ENTRIES, "Permanency in 12 months (entries)", PERCENT, 35.2, "higher"),
        Definition(PERM12_12_23, "Permanency in 12 months (12-23 months)", PERCENT, 43.8, "higher"),
        Definition(PERM12_24PLUS, "Permanency in 12 months (24+ months)", PERCENT, 37.3, "higher"),
        Definition(REENTRY_12M, "Re-entry in 12 months", PERCENT, 5.6, "lower"),
        Definition(PLACEMENT_STABILITY, "Placement stability", PER_1000_DAYS, 4.48, "lower"),
    )
}


@dataclass(frozen=True)
class Episode:
    """One removal episode (episodes.csv). `end` None = still in care; `reason` None = missing."""

    child_id: str
    date_of_birth: date
    start: date
    end: date | None = None
    reason: str | None = None


@dataclass(frozen=True)
class Placement:
    """One placement or living arrangement (placements.csv), keyed to its episode by
    `(child_id, episode_start)`. `provider_id` is "" when none was given."""

    child_id: str
    episode_start: date
    start: date
    end: date | None
    setting: str
    provider_id: str = ""


@dataclass(frozen=True)
class Period:
    start: date

    @property
    def end_exclusive(self) -> date:
        return add_months(self.start, PERIOD_MONTHS)

    @property
    def last_day(self) -> date:
        return self.end_exclusive - timedelta(days=1)


@dataclass(frozen=True)
class Result:
    """One indicator's observed performance. For placement stability the numerator is moves and
    the denominator days; `numerator_children` are the children with at least one move."""

    key: str
    numerator: int
    denominator: int
    numerator_children: tuple[str, ...]
    denominator_children: tuple[str, ...]
    excluded: Mapping[str, str] = field(default_factory=dict)

    @property
    def definition(self) -> Definition:
        return DEFINITIONS[self.key]

    @property
    def value(self) -> float | None:
        if self.denominator == 0:
            return None
        scale = 1000 if self.key == PLACEMENT_STABILITY else 100
        return scale * self.numerator / self.denominator

    def as_dict(self) -> dict[str, object]:
        data: dict[str, object] = {}
        if self.key == PLACEMENT_STABILITY:
            data |= {"moves": self.numerator, "days": self.denominator}
        data |= {
            "numerator": self.numerator,
            "denominator": self.denominator,
            "value": self.value,
            "unit": self.definition.unit,
            "national_performance": self.definition.national_performance,
            "direction": self.definition.direction,
            "numerator_children": list(self.numerator_children),
            "denominator_children": list(self.denominator_children),
            "excluded": dict(self.excluded),
        }
        return data


@dataclass(frozen=True)
class Report:
    period: Period
    as_of: date
    results: Mapping[str, Result]

    def as_dict(self) -> dict[str, object]:
        return {
            "period_start": self.period.start.isoformat(),
            "indicators": {key: self.results[key].as_dict() for key in KEYS},
        }


def result(
    key: str,
    *,
    numerator: int,
    denominator: int,
    numerator_children: Iterable[str],
    denominator_children: Iterable[str],
    excluded: Mapping[str, str],
) -> Result:
    """A `Result` in canonical form (children sorted), whichever engine built it."""
    return Result(
        key=key,
        numerator=numerator,
        denominator=denominator,
        numerator_children=tuple(sorted(numerator_children)),
        denominator_children=tuple(sorted(denominator_children)),
        excluded=dict(sorted(excluded.items())),
    )


# --- arithmetic -----------------------------------------------------------------------------


def completed_months(earlier: date, later: date) -> int:
    """The largest m with add_months(earlier, m) <= later (earlier <= later)."""
    months = (later.year - earlier.year) * 12 + later.month - earlier.month
    if add_months(earlier, months) > later:
        months -= 1
    return months


def age_on(date_of_birth: date, on: date) -> int:
    return completed_months(date_of_birth, on) // 12


def default_as_of(episodes: Sequence[Episode], placements: Sequence[Placement]) -> date | None:
    """The latest date the extract mentions: the data are at least that recent."""
    dates = [d for e in episodes for d in (e.start, e.end) if d is not None]
    dates += [d for p in placements for d in (p.start, p.end) if d is not None]
    return max(dates) if dates else None


def placement_order(p: Placement) -> tuple[date, date, str, str]:
    return (p.start, p.end or date.max, p.setting, p.provider_id)


# --- the calculation --------------------------------------------------------------------------


@dataclass(frozen=True)
class _Known:
    """An episode as known on `as_of`: a later discharge is not known, so the episode is open."""

    child_id: str
    dob: date
    start: date
    end: date | None
    reason: str | None

    @property
    def short_stay(self) -> bool:
        return self.end is not None and (self.end - self.start).days <= SHORT_STAY_MAX_DAYS


def _known(episodes: Iterable[Episode], as_of: date) -> dict[str, list[_Known]]:
    by_child: dict[str, list[_Known]] = {}
    for e in episodes:
        if e.start > as_of:
            continue
        closed = e.end is not None and e.end <= as_of
        by_child.setdefault(e.child_id, []).append(
            _Known(
                e.child_id,
                e.date_of_birth,
                e.start,
                e.end if closed else None,
                (e.reason or None) if closed else None,
            )
        )
    for history in by_child.values():
        history.sort(key=lambda k: k.start)
    return by_child


def _placements_by_episode(
    placements: Iterable[Placement], as_of: date
) -> dict[tuple[str, date], list[Placement]]:
    by_episode: dict[tuple[str, date], list[Placement]] = {}
    for p in placements:
        if p.start <= as_of:
            by_episode.setdefault((p.child_id, p.episode_start), []).append(p)
    for records in by_episode.values():
        records.sort(key=placement_order)
    return by_episode


def _entries(by_child: Mapping[str, list[_Known]], period: Period) -> dict[str, _Known]:
    """Each child's first episode starting in the period."""
    first: dict[str, _Known] = {}
    for child, history in by_child.items():
        for k in history:
            if period.start <= k.start < period.end_exclusive:
                first[child] = k
                break
    return first


def thv_adjusted_exit(episode: _Known, records: Sequence[Placement]) -> date | None:
    """The exit date P1 uses: the discharge, or THV start + 30 days when the discharge is to
    reunification and the last placement is a trial home visit (cfsr.md §2, §11)."""
    if episode.end is None:
        return None
    if episode.reason == "reunification" and records and records[-1].setting == TRIAL_HOME_VISIT:
        return min(episode.end, records[-1].start + timedelta(days=THV_CREDIT_DAYS))
    return episode.end


def permanency_entries(
    by_child: Mapping[str, list[_Known]],
    by_episode: Mapping[tuple[str, date], list[Placement]],
    period: Period,
) -> Result:
    numerator: list[str] = []
    denominator: list[str] = []
    excluded: dict[str, str] = {}
    for child, k in _entries(by_child, period).items():
        if age_on(k.dob, k.start) >= ADULT_AGE:
            excluded[child] = AGE_18_AT_ENTRY
        elif k.short_stay:
            excluded[child] = UNDER_8_DAYS
        elif k.end is not None and k.reason is None:
            excluded[child] = NO_DISCHARGE_REASON
        else:
            denominator.append(child)
            exit_on = thv_adjusted_exit(k, by_episode.get((child, k.start), []))
            if (
                exit_on is not None
                and k.reason in PERMANENCY_EXITS
                and exit_on < add_months(k.start, FOLLOW_UP_MONTHS)
                and age_on(k.dob, exit_on) < ADULT_AGE
            ):
                numerator.append(child)
    return result(
        PERM12_ENTRIES,
        numerator=len(numerator),
        denominator=len(denominator),
        numerator_children=numerator,
        denominator_children=denominator,
        excluded=excluded,
    )


def permanency_in_care(
    by_child: Mapping[str, list[_Known]], period: Period
) -> tuple[Result, Result]:
    """P2 (12-23 completed months on the first day) and P3 (24+)."""
    cohorts: dict[str, tuple[list[str], list[str], dict[str, str]]] = {
        PERM12_12_23: ([], [], {}),
        PERM12_24PLUS: ([], [], {}),
    }
    first_day = period.start
    for child, history in by_child.items():
        k = next(
            (k for k in history if k.start <= first_day and (k.end is None or k.end > first_day)),
            None,
        )
        if k is None:
            continue
        months = completed_months(k.start, first_day)
        if months < 12:
            continue
        numerator, denominator, excluded = cohorts[PERM12_12_23 if months <= 23 else PERM12_24PLUS]
        if age_on(k.dob, first_day) >= ADULT_AGE:
            excluded[child] = AGE_18_ON_FIRST_DAY
        elif k.end is not None and k.reason is None:
            excluded[child] = NO_DISCHARGE_REASON
        else:
            denominator.append(child)
            if (
                k.end is not None
                and k.reason in PERMANENCY_EXITS
                and k.end < period.end_exclusive
                and age_on(k.dob, k.end) < ADULT_AGE
            ):
                numerator.append(child)
    p2, p3 = (
        result(
            key,
            numerator=len(num),
            denominator=len(den),
            numerator_children=num,
            denominator_children=den,
            excluded=exc,
        )
        for key, (num, den, exc) in cohorts.items()
    )
    return p2, p3


def reentry(by_child: Mapping[str, list[_Known]], period: Period) -> Result:
    numerator: list[str] = []
    denominator: list[str] = []
    excluded: dict[str, str] = {}
    for child, history in by_child.items():
        exits = [
            (k.end, k.start, k)
            for k in history
            if k.end is not None
            and period.start <= k.end < period.end_exclusive
            and k.reason in REENTRY_EXITS
        ]
        if not exits:
            continue
        exit_on, _, x = min(exits, key=lambda item: (item[0], item[1]))
        others = [k for k in history if k.start != x.start]
        if age_on(x.dob, exit_on) >= ADULT_AGE:
            excluded[child] = AGE_18_AT_EXIT
        elif x.short_stay:
            excluded[child] = UNDER_8_DAYS
        elif any(x.start < k.start < exit_on for k in others):
            excluded[child] = REMOVAL_BEFORE_DISCHARGE
        else:
            denominator.append(child)
            window_end = add_months(exit_on, FOLLOW_UP_MONTHS)
            if any(exit_on <= k.start < window_end for k in others):
                numerator.append(child)
    return result(
        REENTRY_12M,
        numerator=len(numerator),
        denominator=len(denominator),
        numerator_children=numerator,
        denominator_children=denominator,
        excluded=excluded,
    )


def moves(records: Sequence[Placement], last_day: date) -> int:
    """Placement moves in an episode up to `last_day` (records sorted by `placement_order`)."""
    runs = 0
    previous: str | None = None
    for p in records:
        if p.setting in NOT_A_PLACEMENT or p.start > last_day:
            continue
        if p.provider_id != previous:
            runs += 1
        previous = p.provider_id
    return max(runs - 1, 0)


def placement_stability(
    by_child: Mapping[str, list[_Known]],
    by_episode: Mapping[tuple[str, date], list[Placement]],
    period: Period,
    as_of: date,
) -> Result:
    total_moves = 0
    total_days = 0
    movers: list[str] = []
    cohort: list[str] = []
    excluded: dict[str, str] = {}
    cap = min(period.end_exclusive, as_of + timedelta(days=1))
    for child, k in _entries(by_child, period).items():
        if age_on(k.dob, k.start) >= ADULT_AGE:
            excluded[child] = AGE_18_AT_ENTRY
            continue
        if k.short_stay:
            excluded[child] = UNDER_8_DAYS
            continue
        cohort.append(child)
        total_days += (min(k.end or date.max, cap) - k.start).days
        n = moves(by_episode.get((child, k.start), []), period.last_day)
        total_moves += n
        if n:
            movers.append(child)
    return result(
        PLACEMENT_STABILITY,
        numerator=total_moves,
        denominator=total_days,
        numerator_children=movers,
        denominator_children=cohort,
        excluded=excluded,
    )


def compute(
    episodes: Sequence[Episode],
    placements: Sequence[Placement],
    *,
    period_start: date,
    as_of: date | None = None,
) -> Report:
    """All five indicators for the 12-month period starting on `period_start`. Without `as_of`,
    the data are taken to be as of the latest date in them (or the period's last day)."""
    period = Period(period_start)
    if as_of is None:
        as_of = default_as_of(episodes, placements) or period.last_day
    by_child = _known(episodes, as_of)
    by_episode = _placements_by_episode(placements, as_of)
    p2, p3 = permanency_in_care(by_child, period)
    results = {
        PERM12_ENTRIES: permanency_entries(by_child, by_episode, period),
        PERM12_12_23: p2,
        PERM12_24PLUS: p3,
        REENTRY_12M: reentry(by_child, period),
        PLACEMENT_STABILITY: placement_stability(by_child, by_episode, period, as_of),
    }
    return Report(period=period, as_of=as_of, results=results)


TREND_PERIODS = 8
TREND_STEP_MONTHS = 6  # CB data profiles step by one 6-month AFCARS period (cfsr.md §1)


def trend_starts(
    latest_start: date, *, periods: int = TREND_PERIODS, step_months: int = TREND_STEP_MONTHS
) -> list[date]:
    """Start dates of the rolling 12-month periods ending with the one starting `latest_start`,
    oldest first."""
    return [add_months(latest_start, -step_months * i) for i in reversed(range(periods))]


def trend(
    episodes: Sequence[Episode],
    placements: Sequence[Placement],
    *,
    latest_start: date,
    as_of: date | None = None,
    periods: int = TREND_PERIODS,
    step_months: int = TREND_STEP_MONTHS,
) -> list[Report]:
    """Each indicator over the last `periods` rolling 12-month periods (oldest first), all with
    the same data-as-of date. Each result carries its national performance for the chart line."""
    if as_of is None:
        as_of = default_as_of(episodes, placements) or Period(latest_start).last_day
    return [
        compute(episodes, placements, period_start=start, as_of=as_of)
        for start in trend_starts(latest_start, periods=periods, step_months=step_months)
    ]
