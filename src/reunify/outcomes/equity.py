"""Equity in reunification: the share of an entry cohort reunified within 12 months of removal,
by group, and the relative rate index against a reference group (DOMAIN.md "Equity";
reference/domain.md §8).

Pure: plain values in, rows out; no Django (import-linter and mypy strict check it).

Readings (docs/outcomes.md, "Equity"):
- Cohort: the entry cohort of `survival.entry_cohort` (each child's first removal in the window,
  under 18 at removal), keeping only children whose 12 months have run out by `as_of` (removal
  + 12 calendar months <= as_of + 1 day); the others are listed in `excluded` as
  `follow_up_incomplete`, because whether they will be home within 12 months is not yet known.
- Reunified within 12 months: discharged to reunification, the discharge strictly before the
  removal date plus 12 calendar months (cfsr.md §11 arithmetic), and on or before `as_of`.
- Rate = reunified / children in the group, in percent. RRI(g) = rate(g) / rate(reference); the
  reference row has RRI 1.
- 95% interval of the RRI, log method (Katz): exp(ln RRI +/- z * SE) with
  SE = sqrt(1/a - 1/n_g + 1/c - 1/n_ref), a and c the reunified counts of the group and the
  reference. Not computed when a or c is 0 (the logarithm is undefined).
- Suppression: a group of fewer than `min_children` children (10) is shown with its name only:
  children, reunified, rate, RRI and interval are withheld, reason "fewer than 10 children".
  When the reference group is suppressed or has no reunification, no group gets an RRI, and the
  rows say why. Complementary suppression (a withheld count recoverable from a total shown
  elsewhere) is the page's concern: it should not print a cohort total next to a single
  suppressed group.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

from reunify.clocks.dates import add_months
from reunify.core.marks import gettext_noop
from reunify.outcomes.indicators import Episode
from reunify.outcomes.survival import MIN_CHILDREN, REUNIFICATION, entry_cohort

FOLLOW_UP_MONTHS = 12
Z_95 = 1.959963984540054
FOLLOW_UP_INCOMPLETE = "follow_up_incomplete"

FEWER_THAN_MIN = gettext_noop("fewer than 10 children")
REFERENCE_SUPPRESSED = gettext_noop("the reference group has fewer than 10 children")
REFERENCE_ABSENT = gettext_noop("the reference group has no children in the cohort")
REFERENCE_NO_EVENTS = gettext_noop("no child in the reference group was reunified")
NO_INTERVAL = gettext_noop("no interval: a group with no reunification")


@dataclass(frozen=True)
class RateRow:
    group: str
    children: int | None
    reunified: int | None
    rate: float | None  # percent
    rri: float | None
    rri_ci: tuple[float, float] | None
    is_reference: bool = False
    suppressed: bool = False
    reason: str = ""


@dataclass(frozen=True)
class Equity:
    reference: str
    rows: list[RateRow]
    excluded: dict[str, str] = field(default_factory=dict)


def reunified_within_12_months(episode: Episode, *, as_of: date) -> bool:
    return (
        episode.reason == REUNIFICATION
        and episode.end is not None
        and episode.end <= as_of
        and episode.end < add_months(episode.start, FOLLOW_UP_MONTHS)
    )


def follow_up_complete(start: date, *, as_of: date) -> bool:
    return add_months(start, FOLLOW_UP_MONTHS) <= as_of + timedelta(days=1)


def rri_interval(
    *, reunified: int, children: int, ref_reunified: int, ref_children: int, z: float = Z_95
) -> tuple[float, float] | None:
    """The log-method interval of (reunified/children) / (ref_reunified/ref_children)."""
    if reunified == 0 or ref_reunified == 0:
        return None
    ratio = (reunified / children) / (ref_reunified / ref_children)
    se = math.sqrt(1 / reunified - 1 / children + 1 / ref_reunified - 1 / ref_children)
    return (math.exp(math.log(ratio) - z * se), math.exp(math.log(ratio) + z * se))


def relative_rates(
    episodes: Iterable[Episode],
    *,
    window_start: date,
    window_end: date,
    as_of: date,
    group_of: Callable[[Episode], str],
    reference: str,
    order: Callable[[Iterable[str]], list[str]] | None = None,
    min_children: int = MIN_CHILDREN,
) -> Equity:
    """Reunification within 12 months by group, and each group's RRI against `reference`."""
    cohort = entry_cohort(episodes, window_start=window_start, window_end=window_end, as_of=as_of)
    excluded = dict(cohort.excluded)
    counts: dict[str, list[int]] = {}  # group -> [children, reunified]
    for spell in cohort.spells:
        if not follow_up_complete(spell.start, as_of=as_of):
            excluded[spell.child_id] = FOLLOW_UP_INCOMPLETE
            continue
        tally = counts.setdefault(group_of(spell.episode), [0, 0])
        tally[0] += 1
        tally[1] += reunified_within_12_months(spell.episode, as_of=as_of)

    ref = counts.get(reference)
    if ref is None:
        ref_problem = REFERENCE_ABSENT
    elif ref[0] < min_children:
        ref_problem = REFERENCE_SUPPRESSED
    elif ref[1] == 0:
        ref_problem = REFERENCE_NO_EVENTS
    else:
        ref_problem = ""

    rows: list[RateRow] = []
    names = order(counts) if order else sorted(counts)
    for name in names:
        children, reunified = counts[name]
        is_reference = name == reference
        if children < min_children:
            rows.append(
                RateRow(name, None, None, None, None, None, is_reference, True, FEWER_THAN_MIN)
            )
            continue
        rate = 100 * reunified / children
        if is_reference:
            rri = 1.0 if not ref_problem else None
            rows.append(
                RateRow(name, children, reunified, rate, rri, None, True, False, ref_problem)
            )
            continue
        if ref_problem or ref is None:
            rows.append(RateRow(name, children, reunified, rate, None, None, reason=ref_problem))
            continue
        ref_rate = 100 * ref[1] / ref[0]
        interval = rri_interval(
            reunified=reunified, children=children, ref_reunified=ref[1], ref_children=ref[0]
        )
        rows.append(
            RateRow(
                name,
                children,
                reunified,
                rate,
                rate / ref_rate,
                interval,
                reason="" if interval else NO_INTERVAL,
            )
        )
    return Equity(reference=reference, rows=rows, excluded=dict(sorted(excluded.items())))
