"""When a family-time reminder goes out, and the shape of what it says, as pure functions (no
Django).

Quiet hours. No message goes out between the start and the end hour of the quiet hours, in the
agency's time zone (default 21:00 to 08:00; the hours may wrap past midnight). A reminder planned
inside them waits for their end, on the right local day even across a change of clocks; a
reminder that would then arrive after the session has started is not sent at all.
"""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

# Messages the services raise and the tests check (English source; translated where shown).
BAD_PHONE = (
    "Enter a mobile number with its country code, for example +1 314 555 0123 "
    "(a 10-digit U.S. number is read as +1)."
)
BAD_QUIET_HOURS = "Quiet hours are two whole hours between 0 and 23."

E164 = re.compile(r"^\+[1-9]\d{7,14}$")
_SEPARATORS = re.compile(r"[\s().\-]")
ELLIPSIS = "…"


def quiet_hours_problem(quiet: tuple[int, int]) -> str | None:
    start, end = quiet
    if not all(isinstance(h, int) and 0 <= h <= 23 for h in (start, end)):
        return BAD_QUIET_HOURS
    return None


def in_quiet_hours(local: dt.time, quiet: tuple[int, int]) -> bool:
    """Whether a local wall-clock time falls in the quiet hours [start, end). Equal hours: none."""
    start, end = (dt.time(h) for h in quiet)
    if start == end:
        return False
    if start < end:
        return start <= local < end
    return local >= start or local < end  # across midnight


def after_quiet_hours(
    moment: dt.datetime, *, quiet: tuple[int, int], zone: ZoneInfo
) -> dt.datetime:
    """`moment` itself outside the quiet hours; inside them, the local end hour that closes them
    (the same day or the next), as an aware UTC datetime."""
    if moment.tzinfo is None:
        raise ValueError("reminder times must be timezone-aware")
    local = moment.astimezone(zone)
    if not in_quiet_hours(local.time(), quiet):
        return moment.astimezone(dt.UTC)
    start, end = quiet
    day = local.date()
    if start > end and local.hour >= start:  # in the evening part: the quiet ends tomorrow
        day += dt.timedelta(days=1)
    return dt.datetime.combine(day, dt.time(end), tzinfo=zone).astimezone(dt.UTC)


def send_time(
    *,
    starts_at: dt.datetime,
    lead: dt.timedelta,
    now: dt.datetime,
    quiet: tuple[int, int],
    zone: ZoneInfo,
) -> dt.datetime | None:
    """When to send the reminder of a session starting at `starts_at`: `lead` before it (or now,
    if that has passed), moved out of the quiet hours. None when that is not before the start."""
    starts_at = starts_at.astimezone(dt.UTC)  # absolute hours: aware arithmetic in a zone is
    # wall-clock arithmetic, which would make the lead an hour off across a change of clocks
    planned = after_quiet_hours(max(starts_at - lead, now), quiet=quiet, zone=zone)
    return planned if planned < starts_at else None


def e164(text: str, *, default_country: str = "1") -> str | None:
    """The number in E.164 form (+ and 8 to 15 digits), or None when it is not one. Spaces,
    dashes, dots and brackets are ignored; a number of exactly 10 digits without a country code
    takes `default_country` (+1: the North American numbering plan)."""
    number = _SEPARATORS.sub("", text.strip())
    if number.isdigit() and len(number) == 10 and default_country:
        number = f"+{default_country}{number}"
    elif number.startswith("00"):
        number = "+" + number[2:]
    return number if E164.match(number) else None


def sms_text(*, head: str, where: str, link: str, limit: int = 320) -> str:
    """`head`, `where` and `link` on one message of at most `limit` characters. The link is never
    cut (it is the way to answer); a long place is shortened, then the head if still needed."""
    text = f"{head} {where} {link}"
    if len(text) <= limit:
        return text
    room = limit - len(head) - len(link) - 2
    if room >= 10:
        return f"{head} {where[: room - 1]}{ELLIPSIS} {link}"
    room = limit - len(link) - 1
    if room < 2:
        raise ValueError("the link alone does not fit in one message")
    return f"{head[: room - 1]}{ELLIPSIS} {link}"


def language_code(primary_language: str) -> str:
    """The reminder language for a person's recorded primary language: Spanish or English."""
    name = primary_language.strip().lower()
    return "es" if name in {"es", "spanish", "español", "espanol"} else "en"
