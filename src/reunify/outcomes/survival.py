"""Time from removal to reunification for an entry cohort: Kaplan-Meier curves, overall and by
group, with the median time and its 95% interval.

Pure in the import-linter sense (no Django); lifelines is imported inside `kaplan_meier`, because
importing it takes seconds, and nothing is cached between calls (one agency's data never meet
another's).

Readings (docs/outcomes.md, "Time to reunification"):
- Entry cohort: each child's first removal with `window_start <= start <= window_end` (both
  inclusive) and known by `as_of`; a child 18 or older at removal is left out
  (`indicators.AGE_18_AT_ENTRY`), as in the CFSR entry cohort. Short stays are kept: a return home
  on day 3 is a reunification.
- Time: days from the removal to the discharge. The event is a discharge to reunification
  (cfsr.md §11 `reunification`) on or before `as_of`. Any other discharge (a relative,
  guardianship, adoption, ...) is censored on its date; a child still in care is censored at
  `as_of`. A discharge after `as_of` has not happened yet. The discharge date is used as
  recorded (no trial-home-visit adjustment).
- Estimator: lifelines `KaplanMeierFitter` (alpha 0.05). Its pointwise intervals use the
  exponential Greenwood formula (log(-log) transform); the median's interval is where those
  interval curves cross 0.5 (lifelines `median_survival_times`). An end that is never reached
  (the curve stays above 0.5) is None.
- Small cells: a curve of fewer than `min_children` children (10 by default, DOMAIN.md
  "Equity") is suppressed: its counts, points and median are withheld.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

from reunify.core.marks import gettext_noop
from reunify.outcomes.indicators import ADULT_AGE, AGE_18_AT_ENTRY, Episode, age_on

REUNIFICATION = "reunification"
OVERALL = "all"
MIN_CHILDREN = 10
ALPHA = 0.05
FEWER_THAN_MIN = gettext_noop("fewer than 10 children")


@dataclass(frozen=True)
class Spell:
    """One child's time at risk: `days` from removal to reunification (`reunified`) or to the
    censoring date."""

    child_id: str
    start: date
    days: int
    reunified: bool
    episode: Episode


@dataclass(frozen=True)
class Cohort:
    spells: list[Spell]
    excluded: dict[str, str] = field(default_factory=dict)


def entry_cohort(
    episodes: Iterable[Episode], *, window_start: date, window_end: date, as_of: date
) -> Cohort:
    """Each child's first removal in the window, with its time to reunification or censoring."""
    first: dict[str, Episode] = {}
    for episode in episodes:
        if not (window_start <= episode.start <= window_end and episode.start <= as_of):
            continue
        known = first.get(episode.child_id)
        if known is None or episode.start < known.start:
            first[episode.child_id] = episode
    spells: list[Spell] = []
    excluded: dict[str, str] = {}
    for child_id in sorted(first):
        episode = first[child_id]
        if age_on(episode.date_of_birth, episode.start) >= ADULT_AGE:
            excluded[child_id] = AGE_18_AT_ENTRY
            continue
        ended = episode.end is not None and episode.end <= as_of
        end = episode.end if ended and episode.end is not None else as_of
        spells.append(
            Spell(
                child_id=child_id,
                start=episode.start,
                days=(end - episode.start).days,
                reunified=ended and episode.reason == REUNIFICATION,
                episode=episode,
            )
        )
    return Cohort(spells=spells, excluded=excluded)


Point = tuple[int, float, float, float]  # (day, survival, ci_low, ci_high)


@dataclass(frozen=True)
class Curve:
    """A Kaplan-Meier curve: the share still not reunified after each day. `n` and `events`
    are None when the curve is suppressed (fewer than `min_children` children)."""

    group: str
    n: int | None
    events: int | None
    median_days: float | None
    median_ci: tuple[float | None, float | None] | None
    points: list[Point]
    suppressed: bool = False
    reason: str = ""


def _finite(value: float) -> float | None:
    return None if math.isinf(value) or math.isnan(value) else float(value)


def kaplan_meier(
    spells: Sequence[Spell], *, group: str = OVERALL, min_children: int = MIN_CHILDREN
) -> Curve:
    """The Kaplan-Meier curve of `spells` (lifelines)."""
    if len(spells) < min_children:
        return Curve(group, None, None, None, None, [], suppressed=True, reason=FEWER_THAN_MIN)
    events = sum(1 for s in spells if s.reunified)
    if not spells:
        return Curve(group, 0, 0, None, None, [])
    from lifelines import KaplanMeierFitter  # type: ignore[import-untyped]
    from lifelines.utils import median_survival_times  # type: ignore[import-untyped]

    kmf = KaplanMeierFitter(alpha=ALPHA)
    kmf.fit([s.days for s in spells], event_observed=[s.reunified for s in spells], label=group)
    survival = kmf.survival_function_.iloc[:, 0]
    interval = kmf.confidence_interval_survival_function_
    points: list[Point] = [
        (int(day), float(value), float(low), float(high))
        for day, value, low, high in zip(
            survival.index,
            survival.to_numpy(),
            interval.iloc[:, 0].to_numpy(),
            interval.iloc[:, 1].to_numpy(),
            strict=True,
        )
    ]
    median = _finite(float(kmf.median_survival_time_))
    median_ci: tuple[float | None, float | None] | None = None
    if events:
        bounds = median_survival_times(kmf.confidence_interval_)
        median_ci = (_finite(float(bounds.iloc[0, 0])), _finite(float(bounds.iloc[0, 1])))
    return Curve(group, len(spells), events, median, median_ci, points)


def curves(
    episodes: Iterable[Episode],
    *,
    window_start: date,
    window_end: date,
    as_of: date,
    group_of: Callable[[Episode], str] | None = None,
    order: Callable[[Iterable[str]], list[str]] | None = None,
    min_children: int = MIN_CHILDREN,
) -> list[Curve]:
    """The overall curve, then one per group of `group_of` (for example
    `source.OwnData.group_of("age")`), in `order` (default: sorted)."""
    cohort = entry_cohort(episodes, window_start=window_start, window_end=window_end, as_of=as_of)
    result = [kaplan_meier(cohort.spells, group=OVERALL, min_children=min_children)]
    if group_of is None:
        return result
    by_group: dict[str, list[Spell]] = {}
    for spell in cohort.spells:
        by_group.setdefault(group_of(spell.episode), []).append(spell)
    names = order(by_group) if order else sorted(by_group)
    result += [
        kaplan_meier(by_group[name], group=name, min_children=min_children) for name in names
    ]
    return result
