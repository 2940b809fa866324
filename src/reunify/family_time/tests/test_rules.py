"""The ladder and the schedule: tables for the cases that matter, properties for the rest."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reunify.family_time import rules

D = dt.date
CHICAGO = ZoneInfo("America/Chicago")
levels = st.sampled_from(rules.LEVELS)
HOUR = dt.timedelta(hours=1)


def test_the_default_ladder_in_order():
    assert rules.LEVELS == (
        "suspended",
        "therapeutic_supervised",
        "supervised",
        "monitored",
        "unsupervised_day",
        "unsupervised_overnight",
        "extended",
        "trial_home_visit",
    )


def test_model_choices_follow_the_ladder():
    from reunify.family_time.models import Level

    assert tuple(Level.values) == rules.LEVELS


@pytest.mark.parametrize(
    ("a", "b", "less"),
    [
        ("monitored", "supervised", True),
        ("supervised", "monitored", False),
        ("trial_home_visit", "suspended", True),
        ("suspended", "therapeutic_supervised", False),
        ("supervised", "supervised", False),
    ],
)
def test_is_less_restrictive(a, b, less):
    assert rules.is_less_restrictive(a, b) is less


@pytest.mark.parametrize(
    ("from_level", "to_level", "needs"),
    [
        ("supervised", "monitored", True),
        ("supervised", "trial_home_visit", True),
        ("suspended", "therapeutic_supervised", True),
        ("monitored", "supervised", False),
        ("extended", "suspended", False),
    ],
)
def test_supervisor_approves_moves_toward_less_supervision(from_level, to_level, needs):
    assert rules.needs_supervisor_approval(from_level, to_level) is needs


@pytest.mark.parametrize(
    ("to_level", "floor", "crosses"),
    [
        ("monitored", "supervised", True),  # less supervision than the court allows
        ("supervised", "supervised", False),  # at the floor
        ("therapeutic_supervised", "supervised", False),  # more supervision is always allowed
        ("trial_home_visit", None, False),  # no order, no floor
        ("trial_home_visit", "", False),
    ],
)
def test_court_floor_is_the_least_restrictive_level_allowed(to_level, floor, crosses):
    assert rules.crosses_floor(to_level, floor) is crosses


def test_unknown_level_raises():
    with pytest.raises(ValueError, match="unknown"):
        rules.is_less_restrictive("weekend", "supervised")


@given(a=levels, b=levels)
def test_exactly_one_direction_unless_equal(a, b):
    both = [rules.is_less_restrictive(a, b), rules.is_less_restrictive(b, a)]
    assert sum(both) == (0 if a == b else 1)
    assert rules.needs_supervisor_approval(a, b) == rules.is_less_restrictive(b, a)


@given(level=levels, floor=levels)
def test_a_move_past_the_floor_always_needs_approval_from_the_floor(level, floor):
    if rules.crosses_floor(level, floor):
        assert rules.needs_supervisor_approval(floor, level)
    assert not rules.crosses_floor(floor, floor)


# ---- the schedule ----------------------------------------------------------------------------


def starts(found):
    return [(o.start.date(), o.start.time()) for o in found]


def test_weekly_17h_stays_17h_local_across_the_march_change():
    # Clocks go forward on Sunday 8 March 2026 in America/Chicago.
    found = rules.occurrences(D(2026, 3, 1), D(2026, 3, 21), [2], dt.time(17, 0), 2 * HOUR, CHICAGO)
    assert starts(found) == [(D(2026, 3, d), dt.time(17, 0)) for d in (4, 11, 18)]
    assert [o.start.utcoffset() for o in found] == [
        dt.timedelta(hours=-6),
        dt.timedelta(hours=-5),
        dt.timedelta(hours=-5),
    ]
    assert all(o.end.astimezone(dt.UTC) - o.start.astimezone(dt.UTC) == 2 * HOUR for o in found)
    assert all(o.end.time() == dt.time(19, 0) for o in found)


def test_weekly_17h_stays_17h_local_across_the_november_change():
    # Clocks go back on Sunday 1 November 2026.
    found = rules.occurrences(D(2026, 10, 25), D(2026, 11, 8), [6], dt.time(17, 0), HOUR, CHICAGO)
    assert starts(found) == [
        (D(2026, 10, 25), dt.time(17)),
        (D(2026, 11, 1), dt.time(17)),
        (D(2026, 11, 8), dt.time(17)),
    ]
    utc_hours = [o.start.astimezone(dt.UTC).hour for o in found]
    assert utc_hours == [22, 23, 23]


def test_a_time_skipped_in_spring_moves_forward_and_a_repeated_one_is_the_first():
    spring = rules.occurrences(D(2026, 3, 8), D(2026, 3, 8), [6], dt.time(2, 30), HOUR, CHICAGO)
    assert spring[0].start.time() == dt.time(3, 30)
    autumn = rules.occurrences(D(2026, 11, 1), D(2026, 11, 1), [6], dt.time(1, 30), HOUR, CHICAGO)
    assert autumn[0].start.utcoffset() == dt.timedelta(hours=-5)  # the first 01:30, still CDT
    assert autumn[0].end.time() == dt.time(1, 30)  # an hour of elapsed time later, now CST


@pytest.mark.parametrize(
    ("start", "end", "weekdays", "expected"),
    [
        # Month ends: 31 January to 1 February; February in a leap year; 30 April to 1 May.
        (D(2026, 1, 29), D(2026, 2, 3), [5, 6, 0], [D(2026, 1, 31), D(2026, 2, 1), D(2026, 2, 2)]),
        (D(2028, 2, 27), D(2028, 3, 1), [1, 2], [D(2028, 2, 29), D(2028, 3, 1)]),
        (D(2026, 4, 29), D(2026, 5, 2), [3, 4], [D(2026, 4, 30), D(2026, 5, 1)]),
        (D(2026, 12, 30), D(2027, 1, 2), [3], [D(2026, 12, 31)]),
        (D(2026, 5, 2), D(2026, 5, 1), [0, 1, 2, 3, 4, 5, 6], []),
    ],
)
def test_month_and_year_ends(start, end, weekdays, expected):
    found = rules.occurrences(start, end, weekdays, dt.time(17), HOUR, CHICAGO)
    assert [o.start.date() for o in found] == expected


def test_evening_session_running_past_midnight_ends_next_day():
    found = rules.occurrences(D(2026, 1, 31), D(2026, 1, 31), [5], dt.time(23), 2 * HOUR, CHICAGO)
    assert found[0].end.date() == D(2026, 2, 1)


def test_weekday_and_duration_checks():
    assert rules.weekdays_problem([]) == rules.NO_WEEKDAYS
    assert rules.weekdays_problem([7]) == rules.NO_WEEKDAYS
    assert rules.weekdays_problem([0, 6]) is None
    assert rules.duration_problem(10) == rules.BAD_DURATION
    assert rules.duration_problem(90) is None
    assert rules.parse_weekdays("3,0,3") == [0, 3]
    assert rules.format_weekdays([3, 0, 3]) == "0,3"


zones = st.sampled_from(["America/Chicago", "America/New_York", "America/Denver", "UTC"])


@given(
    start=st.dates(min_value=D(2020, 1, 1), max_value=D(2035, 12, 31)),
    span=st.integers(min_value=0, max_value=120),
    weekdays=st.sets(st.integers(min_value=0, max_value=6), min_size=1),
    hour=st.integers(min_value=4, max_value=20),  # clear of the 01:00-03:00 change window
    minute=st.sampled_from([0, 15, 30, 45]),
    minutes=st.integers(min_value=15, max_value=240),
    zone=zones,
)
def test_every_occurrence_is_on_a_chosen_day_at_the_local_time(
    start, span, weekdays, hour, minute, minutes, zone
):
    tz = ZoneInfo(zone)
    end = start + dt.timedelta(days=span)
    found = rules.occurrences(
        start, end, weekdays, dt.time(hour, minute), dt.timedelta(minutes=minutes), tz
    )
    days = [start + dt.timedelta(days=i) for i in range(span + 1)]
    assert [o.start.date() for o in found] == [d for d in days if d.weekday() in weekdays]
    for o in found:
        assert o.start.time() == dt.time(hour, minute)
        assert o.start.tzinfo is tz
        elapsed = o.end.astimezone(dt.UTC) - o.start.astimezone(dt.UTC)
        assert elapsed == dt.timedelta(minutes=minutes)  # elapsed time, whatever the offsets
    instants = [o.start.astimezone(dt.UTC) for o in found]
    assert instants == sorted(instants)
    assert len(set(instants)) == len(instants)


def test_a_session_spanning_the_spring_change_lasts_its_elapsed_time():
    found = rules.occurrences(D(2026, 3, 7), D(2026, 3, 7), [5], dt.time(23), 4 * HOUR, CHICAGO)
    assert found[0].end.time() == dt.time(4, 0)  # 23:00 CST + 4 h = 04:00 CDT
    assert found[0].end.astimezone(dt.UTC) - found[0].start.astimezone(dt.UTC) == 4 * HOUR
