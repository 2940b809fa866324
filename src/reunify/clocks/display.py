"""Turning a stored clock into words for the reader: the message is translated, then its dates
are formatted in the reader's language."""

from __future__ import annotations

import contextlib
import datetime as dt
from typing import Any

from django.utils.formats import date_format
from django.utils.translation import gettext

from reunify.clocks.models import ClockException

REASONS = dict(ClockException.Reason.choices)


def explain(message: str, params: dict[str, Any]) -> str:
    values = {}
    for key, value in params.items():
        if isinstance(value, str) and len(value) == 10 and value[4] == "-" and value[7] == "-":
            with contextlib.suppress(ValueError):
                value = dt.date.fromisoformat(value)
        if isinstance(value, dt.date):
            value = date_format(value, "DATE_FORMAT")
        elif key == "reason" and isinstance(value, str):
            value = REASONS.get(value, value)
        values[key] = "—" if value is None else value
    try:
        return gettext(message) % values
    except (KeyError, ValueError, TypeError):
        return gettext(message)
