"""Assessment words for templates (`{% load assessments_tags %}`), and the conditions for return
on the case-plan page: `{% plan_conditions case request.user %}`."""

from __future__ import annotations

from typing import Any

from django import template

from reunify.assessments import display, pages, permissions
from reunify.cases.models import FamilyCase
from reunify.core import clock

register = template.Library()


@register.filter
def level_label(value: str) -> str:
    return display.level_label(value)


@register.filter
def outcome_label(value: str) -> str:
    return display.outcome_label(value)


@register.filter
def safety_label(value: str) -> str:
    return display.safety_label(value)


@register.filter
def timepoint_label(value: str) -> str:
    return display.timepoint_label(value)


@register.filter
def instrument_name(key: str) -> str:
    return display.instrument_name(key)


@register.inclusion_tag("assessments/_plan_conditions.html")
def plan_conditions(case: FamilyCase, user: Any) -> dict[str, Any]:
    """The conditions for return the in-home safety analyses created, on the case plan, with
    their status, whether the monthly review is due, and a Review action for who may record."""
    if not permissions.can_view_assessments(user, case):
        return {"shown": False}
    return {
        "shown": True,
        "case": case,
        "lines": pages.condition_lines(case=case, today=clock.today()),
        "can_review": permissions.can_record_assessments(user, case),
    }
