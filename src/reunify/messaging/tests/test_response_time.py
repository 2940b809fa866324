"""Business-hours response times: tables and properties. No database."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reunify.messaging.response_time import (
    BUSINESS_DAY,
    CLOSES,
    OPENS,
    ZERO,
    Post,
    Request,
    business_time,
    requests,
    summarise,
)

CHICAGO = ZoneInfo("America/Chicago")
UTC = ZoneInfo("UTC")
H = dt.timedelta(hours=1)


def at(y, m, d, h=0, minute=0, zone=CHICAGO):
    return dt.datetime(y, m, d, h, minute, tzinfo=zone)


# 2026-01-05 is a Monday; 2026-03-08 is the spring daylight-saving change in Chicago.
@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (at(2026, 1, 5, 10), at(2026, 1, 5, 11), H),  # within one morning
        (at(2026, 1, 5, 7), at(2026, 1, 5, 10), H),  # before opening counts from 9:00
        (at(2026, 1, 5, 16), at(2026, 1, 5, 20), H),  # after closing counts to 17:00
        (at(2026, 1, 2, 20), at(2026, 1, 5, 10), H),  # Friday night to Monday 10:00
        (at(2026, 1, 3, 9), at(2026, 1, 4, 17), ZERO),  # a weekend
        (at(2026, 1, 5, 10), at(2026, 1, 6, 10), BUSINESS_DAY),  # same time next business day
        (at(2026, 1, 9, 10), at(2026, 1, 12, 10), BUSINESS_DAY),  # Friday to Monday
        (at(2026, 1, 5), at(2026, 1, 12), 5 * BUSINESS_DAY),  # a whole week
        (at(2026, 1, 5, 9), at(2026, 3, 2, 9), 40 * BUSINESS_DAY),  # eight weeks
        (at(2026, 3, 6, 12), at(2026, 3, 9, 12), BUSINESS_DAY),  # across the clock change
        (at(2026, 1, 5, 11), at(2026, 1, 5, 10), ZERO),  # backwards
    ],
)
def test_business_time_table(start, end, expected):
    assert business_time(start, end, CHICAGO) == expected


def test_the_agency_zone_decides_what_business_hours_are():
    # 16:00 UTC on a January Monday is 10:00 in Chicago: the day is young there.
    start = dt.datetime(2026, 1, 5, 16, tzinfo=dt.UTC)
    assert business_time(start, start + 2 * H, CHICAGO) == 2 * H
    assert business_time(start, start + 2 * H, UTC) == H  # an office in UTC closes at 17:00


def _reference(start: dt.datetime, end: dt.datetime, zone: ZoneInfo) -> dt.timedelta:
    """Day by day, with no shortcut."""
    total = ZERO
    day = start.astimezone(zone).date()
    while day <= end.astimezone(zone).date():
        if day.weekday() < 5:
            low = max(dt.datetime.combine(day, OPENS, tzinfo=zone), start)
            high = min(dt.datetime.combine(day, CLOSES, tzinfo=zone), end)
            if high > low:
                total += high.astimezone(dt.UTC) - low.astimezone(dt.UTC)
        day += dt.timedelta(days=1)
    return total


instants = st.datetimes(
    min_value=dt.datetime(2024, 1, 1),  # noqa: DTZ001 (hypothesis wants naive bounds)
    max_value=dt.datetime(2028, 12, 31),  # noqa: DTZ001
    timezones=st.just(dt.UTC),
)
zones = st.sampled_from(
    [CHICAGO, UTC, ZoneInfo("America/New_York"), ZoneInfo("America/Los_Angeles")]
)


@settings(max_examples=300, deadline=None)
@given(a=instants, b=instants, zone=zones)
def test_never_negative_never_more_than_the_wall_clock_and_zero_backwards(a, b, zone):
    span = business_time(a, b, zone)
    assert ZERO <= span <= max(b - a, ZERO)
    if b <= a:
        assert span == ZERO


@settings(max_examples=300, deadline=None)
@given(a=instants, b=instants, c=instants, zone=zones)
def test_additive_over_any_split(a, b, c, zone):
    a, b, c = sorted([a, b, c])
    assert business_time(a, b, zone) + business_time(b, c, zone) == business_time(a, c, zone)


@settings(max_examples=200, deadline=None)
@given(a=instants, b=instants, zone=zones)
def test_the_whole_week_shortcut_agrees_with_counting_day_by_day(a, b, zone):
    a, b = sorted([a, b])
    assert business_time(a, b, zone) == _reference(a, b, zone)


@settings(max_examples=200, deadline=None)
@given(a=instants, days=st.integers(min_value=0, max_value=400))
def test_a_week_later_is_forty_hours_more(a, days):
    # In UTC (no clock changes) a window moved or widened by whole weeks changes by 40 h a week.
    b = a + dt.timedelta(days=days)
    week = dt.timedelta(weeks=1)
    assert business_time(a, b + week, UTC) == business_time(a, b, UTC) + 5 * BUSINESS_DAY
    assert business_time(a + week, b + week, UTC) == business_time(a, b, UTC)


@settings(max_examples=200, deadline=None)
@given(a=instants, zone=zones)
def test_a_weekend_message_starts_waiting_on_monday_morning(a, zone):
    local = a.astimezone(zone)
    saturday = local.date() + dt.timedelta(days=(5 - local.weekday()) % 7)
    sent = dt.datetime.combine(saturday, dt.time(14), tzinfo=zone)
    monday_ten = dt.datetime.combine(saturday + dt.timedelta(days=2), dt.time(10), tzinfo=zone)
    assert business_time(sent, monday_ten, zone) == H


# ---- requests and summaries ----------------------------------------------------------------------


def test_a_run_of_family_messages_is_one_request_answered_by_the_first_staff_message():
    t0 = at(2026, 1, 5, 10)
    posts = [
        Post(t0 + 3 * H, False, 7),  # staff message: answers nothing
        Post(t0 + 4 * H, True, 1),
        Post(t0 + 5 * H, True, 1),
        Post(t0 + 6 * H, False, 8),
        Post(t0 + 6 * H + H / 2, False, 7),
        Post(t0 + 30 * H, True, 1),
    ]
    assert requests(reversed(posts)) == [
        Request(t0 + 4 * H, t0 + 6 * H, 8),
        Request(t0 + 30 * H),
    ]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(instants, st.booleans()), max_size=30))
def test_requests_alternate_and_each_starts_with_a_family_message(raw):
    posts = [Post(t, family, None) for t, family in raw]
    found = requests(posts)
    family_times = {p.at for p in posts if p.from_family}
    assert all(r.asked_at in family_times for r in found)
    assert all(r.answered_at is None or r.answered_at >= r.asked_at for r in found)
    assert sum(r.answered_at is None for r in found) <= 1
    assert len(found) <= sum(p.from_family for p in posts)


def test_summary_median_share_and_undecided_requests():
    monday = at(2026, 1, 5, 9)
    found = [
        Request(monday, monday + 2 * H, 1),  # 2 h
        Request(monday, monday + 4 * H, 1),  # 4 h
        Request(monday, monday + dt.timedelta(days=2), 1),  # 16 h: late
        Request(monday + dt.timedelta(days=3)),  # Thursday 9:00, unanswered
    ]
    friday_noon = at(2026, 1, 9, 12)  # the unanswered one has waited 11 h: late
    summary = summarise(found, zone=CHICAGO, now=friday_noon)
    assert summary.requests == 4
    assert summary.answered == 3
    assert summary.median == 4 * H
    assert summary.within_a_day == 2
    assert summary.decided == 4
    assert summary.share_within_a_day == 0.5
    thursday_noon = at(2026, 1, 8, 12)  # waited 3 h: not decided yet
    assert summarise(found, zone=CHICAGO, now=thursday_noon).decided == 3


def test_an_empty_summary_has_no_median_or_share():
    summary = summarise([], zone=CHICAGO, now=at(2026, 1, 5))
    assert summary.median is None
    assert summary.share_within_a_day is None
