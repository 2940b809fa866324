"""Calendar arithmetic for statutory clocks. Pure; no Django."""

from __future__ import annotations

import calendar
from datetime import date, timedelta


def add_months(start: date, months: int) -> date:
    """`months` calendar months after `start`; a day past the end of the target month falls back
    to that month's last day (removal on 31 August + 6 months = 28 or 29 February)."""
    index = start.month - 1 + months
    year, month = start.year + index // 12, index % 12 + 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def add_days(start: date, days: int) -> date:
    return start + timedelta(days=days)
