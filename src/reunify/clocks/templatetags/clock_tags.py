from __future__ import annotations

from django import template
from django.utils.translation import gettext

from reunify.clocks.display import explain
from reunify.clocks.models import ClockSnapshot

register = template.Library()

BADGE = {
    "overdue": "bg-secondary-dark text-white",
    "due_soon": "bg-gold text-ink",
    "running": "bg-base-lighter text-ink",
    "not_started": "bg-base-lightest text-ink",
    "met": "bg-green text-white",
    "excepted": "bg-base-lighter text-ink",
    "not_applicable": "bg-base-lightest text-ink",
}


@register.filter
def clock_explanation(snapshot: ClockSnapshot) -> str:
    return explain(snapshot.message, snapshot.params)


@register.filter
def clock_name(snapshot: ClockSnapshot) -> str:
    return gettext(snapshot.name)


@register.filter
def clock_badge(status: str) -> str:
    return BADGE.get(status, "bg-base-lighter text-ink")
