"""Quiet hours, send times, phone numbers and the text message: tables for the cases that matter
(across midnight and both changes of clocks), properties for the rest."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reunify.reminders import rules

CHICAGO = ZoneInfo("America/Chicago")
QUIET = (21, 8)
DAY = dt.timedelta(hours=24)


def local(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=CHICAGO)


@pytest.mark.parametrize(
    ("at", "quiet", "expected"),
    [
        (dt.time(20, 59), QUIET, False),
        (dt.time(21, 0), QUIET, True),
        (dt.time(23, 59), QUIET, True),
        (dt.time(0, 0), QUIET, True),
        (dt.time(7, 59), QUIET, True),
        (dt.time(8, 0), QUIET, False),
        (dt.time(12, 0), (13, 14), False),
        (dt.time(13, 30), (13, 14), True),
        (dt.time(3, 0), (8, 8), False),  # equal hours: no quiet hours
    ],
)
def test_in_quiet_hours(at, quiet, expected):
    assert rules.in_quiet_hours(at, quiet) is expected


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        # outside: unchanged
        (local(2026, 1, 14, 12, 0), local(2026, 1, 14, 12, 0)),
        (local(2026, 1, 14, 20, 59), local(2026, 1, 14, 20, 59)),
        # evening: the next morning, across midnight and across a month's end
        (local(2026, 1, 14, 21, 0), local(2026, 1, 15, 8, 0)),
        (local(2026, 1, 31, 23, 30), local(2026, 2, 1, 8, 0)),
        # after midnight: the same morning
        (local(2026, 1, 15, 0, 10), local(2026, 1, 15, 8, 0)),
        (local(2026, 1, 15, 7, 59), local(2026, 1, 15, 8, 0)),
        # spring forward (8 March 2026, 2:00 CST -> 3:00 CDT): 08:00 CDT is 13:00 UTC, not 14:00
        (local(2026, 3, 7, 22, 0), local(2026, 3, 8, 8, 0)),
        (local(2026, 3, 8, 1, 30), local(2026, 3, 8, 8, 0)),
        # fall back (1 November 2026, 2:00 CDT -> 1:00 CST): both 1:30s wait for 08:00 CST
        (local(2026, 10, 31, 23, 0), local(2026, 11, 1, 8, 0)),
        (local(2026, 11, 1, 1, 30), local(2026, 11, 1, 8, 0)),
        (local(2026, 11, 1, 1, 30).replace(fold=1), local(2026, 11, 1, 8, 0)),
    ],
)
def test_after_quiet_hours(moment, expected):
    moved = rules.after_quiet_hours(moment, quiet=QUIET, zone=CHICAGO)
    assert moved == expected
    assert moved.tzinfo == dt.UTC
    assert moved.astimezone(CHICAGO).hour == expected.hour


def test_the_end_of_quiet_hours_in_utc_follows_the_change_of_clocks():
    before = rules.after_quiet_hours(local(2026, 3, 7, 1, 0), quiet=QUIET, zone=CHICAGO)
    after = rules.after_quiet_hours(local(2026, 3, 8, 1, 0), quiet=QUIET, zone=CHICAGO)
    assert before == dt.datetime(2026, 3, 7, 14, 0, tzinfo=dt.UTC)  # 08:00 CST
    assert after == dt.datetime(2026, 3, 8, 13, 0, tzinfo=dt.UTC)  # 08:00 CDT


def test_naive_times_are_refused():
    with pytest.raises(ValueError, match="timezone-aware"):
        rules.after_quiet_hours(dt.datetime(2026, 1, 1, 12), quiet=QUIET, zone=CHICAGO)  # noqa: DTZ001


@pytest.mark.parametrize(
    ("starts", "now", "expected"),
    [
        # 24 hours before, outside quiet hours
        (local(2026, 1, 15, 17, 0), local(2026, 1, 13, 9, 0), local(2026, 1, 14, 17, 0)),
        # 24 hours before falls at 07:00: moved to 08:00 the day before
        (local(2026, 1, 15, 7, 0), local(2026, 1, 13, 9, 0), local(2026, 1, 14, 8, 0)),
        # 24 hours before falls at 22:00: moved to 08:00 on the day, before the 22:00 session
        (local(2026, 1, 15, 22, 0), local(2026, 1, 13, 9, 0), local(2026, 1, 15, 8, 0)),
        # consent recorded late, at 23:00, for a 09:00 session: 08:00, not at once
        (local(2026, 1, 15, 9, 0), local(2026, 1, 14, 23, 0), local(2026, 1, 15, 8, 0)),
        # the lead time has passed, now is outside quiet hours: now
        (local(2026, 1, 15, 17, 0), local(2026, 1, 15, 10, 0), local(2026, 1, 15, 10, 0)),
        # 24 hours are absolute: across spring forward the local hour moves by one
        (local(2026, 3, 8, 17, 0), local(2026, 3, 1, 9, 0), local(2026, 3, 7, 16, 0)),
    ],
)
def test_send_time(starts, now, expected):
    assert rules.send_time(starts_at=starts, lead=DAY, now=now, quiet=QUIET, zone=CHICAGO) == (
        expected
    )


@pytest.mark.parametrize(
    ("starts", "now"),
    [
        (local(2026, 1, 15, 7, 30), local(2026, 1, 14, 22, 0)),  # quiet until after the start
        (local(2026, 1, 15, 8, 0), local(2026, 1, 15, 2, 0)),  # quiet ends exactly at the start
        (local(2026, 3, 8, 7, 45), local(2026, 3, 8, 1, 0)),  # and on the night clocks go forward
    ],
)
def test_no_send_time_when_quiet_hours_outlast_the_session(starts, now):
    assert rules.send_time(starts_at=starts, lead=DAY, now=now, quiet=QUIET, zone=CHICAGO) is None


@given(
    starts=st.datetimes(
        min_value=dt.datetime(2025, 1, 1),  # noqa: DTZ001
        max_value=dt.datetime(2028, 12, 31),  # noqa: DTZ001
        timezones=st.just(CHICAGO),
    ),
    ahead=st.integers(min_value=1, max_value=72 * 60),
    lead_hours=st.integers(min_value=1, max_value=72),
)
def test_a_send_time_is_never_quiet_and_always_before_the_session(starts, ahead, lead_hours):
    starts = starts.astimezone(dt.UTC)  # absolute time, as the database gives it
    now = starts - dt.timedelta(minutes=ahead)
    lead = dt.timedelta(hours=lead_hours)
    sent = rules.send_time(starts_at=starts, lead=lead, now=now, quiet=QUIET, zone=CHICAGO)
    if sent is not None:
        assert now <= sent < starts
        assert sent >= starts - lead
        assert not rules.in_quiet_hours(sent.astimezone(CHICAGO).time(), QUIET)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("+1 314 555 0123", "+13145550123"),
        ("(314) 555-0123", "+13145550123"),
        ("314.555.0123", "+13145550123"),
        ("+52 55 1234 5678", "+525512345678"),
        ("0052 55 1234 5678", "+525512345678"),
        ("555-0123", None),
        ("+0 314 555 0123", None),
        ("call me", None),
        ("", None),
        ("+1234567890123456", None),  # 16 digits: too long
    ],
)
def test_e164(text, expected):
    assert rules.e164(text) == expected


def test_sms_text_keeps_the_link_whole_and_fits():
    link = "Will you come? https://reunify.example/es/reminders/r/" + "x" * 43 + "/"
    short = rules.sms_text(head="Family time on Monday.", where="Where: the agency.", link=link)
    assert short == f"Family time on Monday. Where: the agency. {link}"
    long = rules.sms_text(head="Family time on Monday.", where="Where: " + "a" * 400, link=link)
    assert len(long) == 320
    assert long.endswith(link)
    assert "…" in long
    huge = rules.sms_text(head="h" * 400, where="w" * 400, link=link)
    assert len(huge) <= 320
    assert huge.endswith(link)


@pytest.mark.parametrize(
    ("recorded", "code"),
    [("Spanish", "es"), ("español", "es"), (" spanish ", "es"), ("English", "en"), ("", "en")],
)
def test_language_code(recorded, code):
    assert rules.language_code(recorded) == code


def test_quiet_hours_are_checked():
    assert rules.quiet_hours_problem((21, 8)) is None
    assert rules.quiet_hours_problem((24, 8)) == rules.BAD_QUIET_HOURS
