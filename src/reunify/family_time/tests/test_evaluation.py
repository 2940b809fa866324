"""The visitation evaluation and the monthly family-time rates (pure)."""

from __future__ import annotations

import datetime as dt

import pytest

from reunify.family_time import evaluation as ev

NOW = dt.datetime(2026, 6, 30, 12, tzinfo=dt.UTC)
START, END = dt.date(2026, 4, 1), dt.date(2026, 6, 30)


def at(day: int, month: int = 6) -> dt.datetime:
    return dt.datetime(2026, month, day, 17, tzinfo=dt.UTC)


def s(day, status="held", by="", quality=None, incident=False, month=6):
    return ev.Session(at(day, month), status, by, quality, incident)


def test_agency_cancellations_do_not_count_against_the_parent():
    sessions = [s(d) for d in (1, 3, 5, 8, 10, 12, 15, 17, 19)] + [
        s(22, "cancelled", "agency"),
        s(24, "cancelled", "resource_family"),
        s(26, "no_show"),
    ]
    result = ev.evaluate(sessions, now=NOW, start=START, end=END)
    assert (result.scheduled, result.completed, result.no_shows) == (12, 9, 1)
    assert result.cancelled == {"agency": 1, "resource_family": 1}
    assert result.counted == 10
    assert result.attendance_percent == 90
    assert result.completion_percent == 75
    assert result.rating == ev.CONSISTENT


@pytest.mark.parametrize(
    ("held", "missed", "rating"),
    [
        (9, 1, ev.CONSISTENT),  # exactly 90%
        (8, 2, ev.MOSTLY_CONSISTENT),
        (3, 1, ev.MOSTLY_CONSISTENT),  # exactly 75%, four sessions
        (7, 3, ev.INCONSISTENT),
        (2, 1, ev.TOO_FEW),  # three sessions are too few to rate
        (0, 0, ev.TOO_FEW),
    ],
)
def test_rating_thresholds(held, missed, rating):
    sessions = [s(1 + i) for i in range(held)] + [
        s(15 + i, "cancelled", "parent") for i in range(missed)
    ]
    assert ev.evaluate(sessions, now=NOW, start=START, end=END).rating == rating


def test_future_and_out_of_period_sessions_are_left_out_and_unrecorded_counted():
    sessions = [
        s(10, "scheduled"),  # past but not recorded
        s(1, month=3),  # before the period
        ev.Session(NOW + dt.timedelta(hours=1), "scheduled"),  # still to come
        s(12, quality=4),
        s(14, quality=3, incident=True),
        s(16),
    ]
    result = ev.evaluate(sessions, now=NOW, start=START, end=END)
    assert (result.scheduled, result.completed, result.not_recorded) == (4, 3, 1)
    assert (result.quality_average, result.quality_rated, result.incidents) == (3.5, 2, 1)


def test_no_sessions_gives_no_percentages():
    result = ev.evaluate([], now=NOW, start=START, end=END)
    assert result.attendance_percent is None
    assert result.completion_percent is None
    assert result.quality_average is None


def test_child_rates_count_months_with_a_held_session_of_each_kind():
    months = [dt.date(2026, 1, 1), dt.date(2026, 2, 1), dt.date(2026, 3, 1)]
    held = [
        (dt.date(2026, 1, 5), "parent"),
        (dt.date(2026, 1, 20), "parent"),
        (dt.date(2026, 3, 2), "parent"),
        (dt.date(2026, 2, 7), "sibling"),
        (dt.date(2026, 3, 9), "sibling"),  # March: together again, not in the denominator
        (dt.date(2026, 4, 1), "parent"),  # outside the months
        (dt.date(2026, 2, 3), "relative"),  # neither rate
    ]
    rates = ev.child_rates(
        months=months, held=held, apart_months=[dt.date(2026, 1, 1), dt.date(2026, 2, 1)]
    )
    assert rates == ev.Rates(months=3, parent_visited=2, sibling_months=2, sibling_visited=1)
    total = rates + ev.Rates(months=1, parent_visited=1)
    assert (total.parent_rate, total.sibling_rate) == (75.0, 50.0)
    assert ev.Rates().parent_rate is None
