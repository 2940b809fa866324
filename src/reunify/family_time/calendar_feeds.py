"""A small iCalendar (RFC 5545) writer: one VCALENDAR of VEVENTs, times in UTC, text escaped,
lines folded at 75 octets and ended with CRLF. Pure Python, no Django."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

CRLF = "\r\n"
MAX_OCTETS = 75
PRODID = "-//Reunify//Family time//EN"


@dataclass(frozen=True)
class Event:
    uid: str
    summary: str
    starts_at: dt.datetime | dt.date  # an aware datetime, or a date for an all-day event
    ends_at: dt.datetime | dt.date | None = None
    location: str = ""
    url: str = ""
    cancelled: bool = False


def escape_text(value: str) -> str:
    """TEXT values: backslash, semicolon, comma and newlines escaped (RFC 5545 3.3.11)."""
    value = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return value.replace("\r\n", "\\n").replace("\r", "\\n").replace("\n", "\\n")


def fold(line: str) -> str:
    """Split a content line into pieces of at most 75 octets (UTF-8), never inside a character;
    each continuation starts with one space (RFC 5545 3.1)."""
    pieces: list[str] = []
    current, size = "", 0
    for char in line:
        octets = len(char.encode("utf-8"))
        if size + octets > MAX_OCTETS:
            pieces.append(current)
            current, size = " ", 1
        current += char
        size += octets
    pieces.append(current)
    return CRLF.join(pieces)


def utc_stamp(moment: dt.datetime) -> str:
    if moment.tzinfo is None:
        raise ValueError("calendar times must be timezone-aware")
    return moment.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")


def _when(name: str, value: dt.datetime | dt.date) -> str:
    if isinstance(value, dt.datetime):
        return f"{name}:{utc_stamp(value)}"
    return f"{name};VALUE=DATE:{value:%Y%m%d}"


def _event_lines(event: Event, stamp: str) -> list[str]:
    lines = [
        "BEGIN:VEVENT",
        f"UID:{escape_text(event.uid)}",
        f"DTSTAMP:{stamp}",
        _when("DTSTART", event.starts_at),
    ]
    if event.ends_at is not None:
        lines.append(_when("DTEND", event.ends_at))
    lines.append(f"SUMMARY:{escape_text(event.summary)}")
    if event.location:
        lines.append(f"LOCATION:{escape_text(event.location)}")
    if event.url:
        lines.append(f"URL:{event.url}")
    lines.append("STATUS:CANCELLED" if event.cancelled else "STATUS:CONFIRMED")
    lines.append("END:VEVENT")
    return lines


def calendar(events: Iterable[Event], *, name: str, generated_at: dt.datetime) -> str:
    """The whole feed as text; encode it as UTF-8 to serve it."""
    stamp = utc_stamp(generated_at)
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape_text(name)}",
    ]
    for event in events:
        lines.extend(_event_lines(event, stamp))
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + CRLF for line in lines)
