"""Reunification within 12 months by group and the relative rate index, against numbers worked
out by hand."""

from __future__ import annotations

import math
from datetime import date, timedelta

import pytest

from reunify.outcomes import equity
from reunify.outcomes.indicators import Episode

BORN = date(2015, 1, 1)
START = date(2023, 1, 1)
AS_OF = date(2024, 6, 30)
WINDOW = {"window_start": date(2023, 1, 1), "window_end": date(2023, 12, 31), "as_of": AS_OF}


def _children(group: str, n: int, reunified: int, start: date = START) -> list[Episode]:
    """`n` children of `group`; the first `reunified` go home on day 100, the rest stay."""
    return [
        Episode(
            f"{group}{i:03}",
            BORN,
            start,
            start + timedelta(days=100) if i < reunified else None,
            "reunification" if i < reunified else None,
        )
        for i in range(n)
    ]


def _group(episode: Episode) -> str:
    return episode.child_id.rstrip("0123456789")


def test_rates_and_relative_rate_index_by_hand():
    # Given reference R: 12 of 20 reunified (60%); G: 6 of 15 (40%); S: 9 children (suppressed)
    episodes = _children("R", 20, 12) + _children("G", 15, 6) + _children("S", 9, 9)

    # When
    result = equity.relative_rates(episodes, group_of=_group, reference="R", **WINDOW)

    # Then
    rows = {row.group: row for row in result.rows}
    assert [row.group for row in result.rows] == ["G", "R", "S"]
    r, g, s = rows["R"], rows["G"], rows["S"]
    assert (r.children, r.reunified, r.rate, r.rri, r.is_reference) == (20, 12, 60.0, 1.0, True)
    assert (g.children, g.reunified) == (15, 6)
    assert g.rate == pytest.approx(40.0)
    assert g.rri == pytest.approx(40 / 60)
    # log method: SE = sqrt(1/6 - 1/15 + 1/12 - 1/20) = sqrt(0.1333...) = 0.36515
    se = math.sqrt(1 / 6 - 1 / 15 + 1 / 12 - 1 / 20)
    assert se == pytest.approx(0.365148, abs=1e-6)
    low, high = g.rri_ci
    assert low == pytest.approx(math.exp(math.log(2 / 3) - 1.959964 * se))
    assert high == pytest.approx(math.exp(math.log(2 / 3) + 1.959964 * se))
    assert (round(low, 3), round(high, 3)) == (0.326, 1.364)
    assert s.suppressed
    assert s.reason == equity.FEWER_THAN_MIN
    assert (s.children, s.reunified, s.rate, s.rri, s.rri_ci) == (None, None, None, None, None)


def test_within_12_months_is_strictly_before_the_anniversary():
    day_before = Episode("a", BORN, START, date(2023, 12, 31), "reunification")
    anniversary = Episode("b", BORN, START, date(2024, 1, 1), "reunification")
    relative = Episode("c", BORN, START, date(2023, 6, 1), "living_with_relative")
    after_as_of = Episode("d", BORN, START, date(2023, 6, 1), "reunification")
    assert equity.reunified_within_12_months(day_before, as_of=AS_OF)
    assert not equity.reunified_within_12_months(anniversary, as_of=AS_OF)
    assert not equity.reunified_within_12_months(relative, as_of=AS_OF)
    assert not equity.reunified_within_12_months(after_as_of, as_of=date(2023, 5, 31))


def test_children_without_a_full_year_of_follow_up_are_left_out():
    # Given ten children removed on 2023-07-01 and data as of 2024-06-29 (one day short)
    late = _children("L", 10, 5, start=date(2023, 7, 1))
    on_time = _children("R", 10, 5)

    # When
    result = equity.relative_rates(
        late + on_time,
        group_of=_group,
        reference="R",
        window_start=date(2023, 1, 1),
        window_end=date(2023, 12, 31),
        as_of=date(2024, 6, 29),
    )

    # Then
    assert [row.group for row in result.rows] == ["R"]
    assert set(result.excluded.values()) == {equity.FOLLOW_UP_INCOMPLETE}
    assert len(result.excluded) == 10
    assert equity.follow_up_complete(date(2023, 7, 1), as_of=date(2024, 6, 30))


def test_suppressed_reference_gives_no_index():
    episodes = _children("R", 9, 5) + _children("G", 10, 5)
    result = equity.relative_rates(episodes, group_of=_group, reference="R", **WINDOW)
    rows = {row.group: row for row in result.rows}
    assert rows["R"].suppressed
    assert rows["G"].rate == 50.0
    assert rows["G"].rri is None
    assert rows["G"].reason == equity.REFERENCE_SUPPRESSED


def test_reference_without_reunification_or_absent():
    episodes = _children("R", 10, 0) + _children("G", 10, 5)
    rows = {
        row.group: row
        for row in equity.relative_rates(episodes, group_of=_group, reference="R", **WINDOW).rows
    }
    assert rows["R"].rate == 0.0
    assert rows["R"].rri is None
    assert rows["G"].rri is None
    assert rows["G"].reason == equity.REFERENCE_NO_EVENTS
    absent = equity.relative_rates(episodes, group_of=_group, reference="X", **WINDOW)
    assert all(row.rri is None and row.reason == equity.REFERENCE_ABSENT for row in absent.rows)


def test_group_with_no_reunification_has_an_index_of_zero_and_no_interval():
    episodes = _children("R", 10, 5) + _children("G", 10, 0)
    rows = {
        row.group: row
        for row in equity.relative_rates(episodes, group_of=_group, reference="R", **WINDOW).rows
    }
    assert rows["G"].rri == 0.0
    assert rows["G"].rri_ci is None
    assert rows["G"].reason == equity.NO_INTERVAL


def test_order_is_the_callers():
    episodes = _children("R", 10, 5) + _children("G", 10, 5)
    result = equity.relative_rates(
        episodes,
        group_of=_group,
        reference="R",
        order=lambda names: sorted(names, reverse=True),
        **WINDOW,
    )
    assert [row.group for row in result.rows] == ["R", "G"]
