"""Showing directory data: language names and opening hours in the reader's language."""

from __future__ import annotations

from django import template
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from reunify.services.hsds_schema import LANGUAGE_NAMES
from reunify.services.models import Schedule

register = template.Library()

DAYS = {
    "MO": gettext_lazy("Mon"),
    "TU": gettext_lazy("Tue"),
    "WE": gettext_lazy("Wed"),
    "TH": gettext_lazy("Thu"),
    "FR": gettext_lazy("Fri"),
    "SA": gettext_lazy("Sat"),
    "SU": gettext_lazy("Sun"),
}


@register.filter
def language_name(code: str) -> str:
    name = LANGUAGE_NAMES.get(code)
    return _(name) if name else code


@register.filter
def hours(schedule: Schedule) -> str:
    """Days and times ("Mon, Tue 09:00 to 17:00" with an en dash), then the directory's own
    description, if any."""
    days = []
    for day in (d for d in schedule.byday.split(",") if d):
        name = str(DAYS.get(day[-2:], day))
        days.append(f"{day[:-2]} {name}" if day[:-2] else name)
    times = ""
    if schedule.opens_at and schedule.closes_at:
        times = f"{schedule.opens_at:%H:%M}\u2013{schedule.closes_at:%H:%M}"
    text = " ".join(p for p in [", ".join(days), times] if p)
    if schedule.description:
        return f"{text} ({schedule.description})" if text else schedule.description
    return text
