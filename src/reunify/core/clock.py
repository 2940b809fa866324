"""The only place Reunify reads the clock. Rules take dates as arguments; services call these."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone


def now() -> dt.datetime:
    """The current instant, timezone-aware, in UTC."""
    return timezone.now()


def agency_zone() -> ZoneInfo:
    return ZoneInfo(settings.REUNIFY_AGENCY_TIME_ZONE)


def today() -> dt.date:
    """Today's date in the agency's time zone: statutory dates are dates where the agency is."""
    return now().astimezone(agency_zone()).date()
