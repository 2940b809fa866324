"""Time to reunification: the entry cohort, and Kaplan-Meier curves checked against estimates
computed by hand."""

from __future__ import annotations

import math
from datetime import date, timedelta

import pytest

from reunify.outcomes import survival
from reunify.outcomes.indicators import AGE_18_AT_ENTRY, Episode

BORN = date(2015, 1, 1)
START = date(2024, 1, 1)
AS_OF = date(2024, 6, 30)
Z = 1.959963984540054


def _episode(child: str, days: int | None, reason: str | None = None, start: date = START):
    end = None if days is None else start + timedelta(days=days)
    return Episode(child, BORN, start, end, reason)


# Six children: reunified on days 10, 20, 30, 50; another exit on day 20; still in care on day
# 40 (removed later, so `as_of` falls on their day 40).
LATE_START = AS_OF - timedelta(days=40)
HAND_COHORT = [
    _episode("A", 10, "reunification"),
    _episode("B", 20, "living_with_relative"),
    _episode("C", 20, "reunification"),
    _episode("D", 30, "reunification"),
    _episode("E", None, start=LATE_START),
    _episode("F", 50, "reunification"),
]


def _by_hand() -> dict[int, float]:
    # day: at risk, reunified -> S(t) = product of (1 - d/n)
    # 10: 6, 1 -> 5/6; 20: 5, 1 (B censored the same day stays at risk) -> 4/6;
    # 30: 3, 1 -> 4/6 * 2/3 = 4/9; 40: E censored; 50: 1, 1 -> 0
    return {0: 1.0, 10: 5 / 6, 20: 4 / 6, 30: 4 / 9, 40: 4 / 9, 50: 0.0}


def _greenwood_log_log(s: float, terms: list[tuple[int, int]]) -> tuple[float, float]:
    """The exponential Greenwood interval by hand: v = sum d/(n(n-d)) / (ln S)^2."""
    v = sum(d / (n * (n - d)) for n, d in terms) / math.log(s) ** 2
    c = math.log(-math.log(s))
    return (math.exp(-math.exp(c + Z * math.sqrt(v))), math.exp(-math.exp(c - Z * math.sqrt(v))))


def test_entry_cohort_times_and_censoring():
    # When
    cohort = survival.entry_cohort(
        HAND_COHORT, window_start=START, window_end=date(2024, 12, 31), as_of=AS_OF
    )

    # Then
    got = {s.child_id: (s.days, s.reunified) for s in cohort.spells}
    assert got == {
        "A": (10, True),
        "B": (20, False),
        "C": (20, True),
        "D": (30, True),
        "E": (40, False),
        "F": (50, True),
    }


def test_kaplan_meier_matches_the_estimate_by_hand():
    # Given
    cohort = survival.entry_cohort(
        HAND_COHORT, window_start=START, window_end=date(2024, 12, 31), as_of=AS_OF
    )

    # When
    curve = survival.kaplan_meier(cohort.spells, min_children=0)

    # Then
    assert (curve.group, curve.n, curve.events) == ("all", 6, 4)
    expected = _by_hand()
    assert [p[0] for p in curve.points] == [0, 10, 20, 30, 40, 50]
    for day, value, _low, _high in curve.points:
        assert value == pytest.approx(expected[day])
    # the interval at day 10 (one term) and day 20 (two terms), exponential Greenwood
    low, high = _greenwood_log_log(5 / 6, [(6, 1)])
    assert curve.points[1][2:] == pytest.approx((low, high))
    low, high = _greenwood_log_log(4 / 6, [(6, 1), (5, 1)])
    assert curve.points[2][2:] == pytest.approx((low, high))
    # median: the first day the curve is at or below one half
    assert curve.median_days == 30
    assert curve.median_ci is not None
    ci_low, ci_high = curve.median_ci
    # lower bound: the first day the lower interval curve is at or below 0.5 (already day 10)
    assert _greenwood_log_log(5 / 6, [(6, 1)])[0] <= 0.5
    assert ci_low == 10
    # upper bound: the upper curve stays above 0.5 until the last event (day 50: 0)
    assert ci_high == 50
    assert not curve.suppressed


def test_a_curve_that_stays_above_one_half_has_no_median():
    # Given one of three children reunified (S = 2/3), the others censored
    spells = survival.entry_cohort(
        [_episode("A", 10, "reunification"), _episode("B", 30, "adoption"), _episode("C", None)],
        window_start=START,
        window_end=START,
        as_of=AS_OF,
    ).spells

    # When
    curve = survival.kaplan_meier(spells, min_children=0)

    # Then the median and the interval's upper end are not reached
    assert curve.points[-1][1] == pytest.approx(2 / 3)
    assert curve.median_days is None
    assert curve.median_ci is not None
    assert curve.median_ci[1] is None


def test_a_curve_reaching_one_half_exactly_has_that_median():
    # lifelines' reading: the first day S(t) <= 0.5
    spells = survival.entry_cohort(
        [_episode("A", 10, "reunification"), _episode("B", 30, "adoption")],
        window_start=START,
        window_end=START,
        as_of=AS_OF,
    ).spells
    assert survival.kaplan_meier(spells, min_children=0).median_days == 10


def test_no_reunification_gives_a_flat_curve_without_interval():
    spells = survival.entry_cohort(
        [_episode("A", None), _episode("B", 30, "adoption")],
        window_start=START,
        window_end=START,
        as_of=AS_OF,
    ).spells
    curve = survival.kaplan_meier(spells, min_children=0)
    assert curve.events == 0
    assert curve.median_days is None
    assert curve.median_ci is None
    assert {p[1] for p in curve.points} == {1.0}


def test_cohort_rules():
    # Given
    episodes = [
        _episode("before", 5, "reunification", start=START - timedelta(days=1)),
        _episode("twice", 5, "reunification"),
        _episode("twice", None, start=START + timedelta(days=60)),
        Episode("adult", date(2005, 12, 31), START, None, None),
        Episode("seventeen", date(2006, 1, 2), START, None, None),
        _episode("later", 400, "reunification"),  # discharged after as_of: still in care
        _episode("future", None, start=AS_OF + timedelta(days=1)),
        _episode("missing", 12, None),  # closed with no reason: censored
    ]

    # When
    cohort = survival.entry_cohort(
        episodes, window_start=START, window_end=date(2024, 12, 31), as_of=AS_OF
    )

    # Then
    spells = {s.child_id: s for s in cohort.spells}
    assert set(spells) == {"twice", "seventeen", "later", "missing"}
    assert cohort.excluded == {"adult": AGE_18_AT_ENTRY}
    assert (spells["twice"].days, spells["twice"].reunified) == (5, True)
    assert spells["twice"].start == START
    assert (spells["later"].days, spells["later"].reunified) == ((AS_OF - START).days, False)
    assert (spells["missing"].days, spells["missing"].reunified) == (12, False)


def test_small_groups_are_suppressed_and_groups_come_after_the_overall_curve():
    # Given twelve children: ten young ones (reunified on days 1..10) and two older ones
    episodes = [_episode(f"y{i:02}", i, "reunification") for i in range(1, 11)]
    episodes += [_episode("o1", 5, "reunification"), _episode("o2", None)]

    # When
    result = survival.curves(
        episodes,
        window_start=START,
        window_end=START,
        as_of=AS_OF,
        group_of=lambda e: "old" if e.child_id.startswith("o") else "young",
    )

    # Then
    assert [c.group for c in result] == ["all", "old", "young"]
    overall, old, young = result
    assert (overall.n, overall.events) == (12, 11)
    assert old.suppressed
    assert old.reason == survival.FEWER_THAN_MIN
    assert (old.n, old.events, old.points, old.median_days) == (None, None, [], None)
    assert (young.n, young.events) == (10, 10)
    assert young.median_days == 5  # S(5) = 5/10
    assert young.points[-1][1] == 0.0
