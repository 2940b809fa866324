"""Labels for the values stored in a plan document (the document keeps codes; people read these)."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import gettext_lazy as _

from reunify.case_plans.forms import (
    CONDITION_STATUSES,
    NEED_AREAS,
    OWNERS,
    PERMANENCY_GOALS,
    TASK_STATUSES,
)

register = template.Library()

LABELS: dict[str, dict[str, Any]] = {
    "owner": dict(OWNERS),
    "task_status": dict(TASK_STATUSES),
    "condition_status": dict(CONDITION_STATUSES),
    "area": dict(NEED_AREAS),
    "goal": PERMANENCY_GOALS,
}
FIELDS = {
    "change": _("What will be different"),
    "safety_concern": _("Safety concern"),
    "services": _("Services"),
    "text": _("Text"),
    "status": _("Status"),
    "owner": _("Who does it"),
    "owner_name": _("Their name"),
    "due_on": _("By when"),
    "goal_key": _("For the goal"),
    "area": _("Area"),
    "need": _("Need"),
    "who_meets_it": _("Who is meeting it"),
    "goal": _("Permanency goal"),
    "concurrent_goal": _("Concurrent goal"),
    "own_words": _("The youth's own words"),
    "team_members": _("Team members chosen by the youth"),
    "agency_efforts": _("The agency's efforts"),
}
KINDS = {
    ("goal", "added"): _("Goal added"),
    ("goal", "removed"): _("Goal removed"),
    ("goal", "changed"): _("Goal changed"),
    ("task", "added"): _("Task added"),
    ("task", "removed"): _("Task removed"),
    ("task", "changed"): _("Task changed"),
    ("condition", "added"): _("Condition for return added"),
    ("condition", "removed"): _("Condition for return removed"),
    ("condition", "changed"): _("Condition for return changed"),
    ("need", "added"): _("Child's need added"),
    ("need", "removed"): _("Child's need removed"),
    ("need", "changed"): _("Child's need changed"),
    ("child", "changed"): _("Permanency goals changed"),
    ("youth", "added"): _("Youth's part added"),
    ("youth", "removed"): _("Youth's part removed"),
    ("youth", "changed"): _("Youth's part changed"),
    ("agency_efforts", "changed"): _("Agency's efforts changed"),
}


@register.filter
def plan_label(value: Any, kind: str) -> Any:
    """`{{ task.owner|plan_label:"owner" }}`: the label of a stored code (the code if unknown)."""
    return LABELS.get(kind, {}).get(value, value)


@register.filter
def field_label(name: str) -> Any:
    return FIELDS.get(name, name)


@register.filter
def change_label(change: Any) -> Any:
    return KINDS.get((change.kind, change.action), change.kind)


@register.filter
def field_value(value: Any, name: str) -> Any:
    """A before/after value as people read it."""
    if value in (None, "", []):
        return "—"
    if name in ("status",):
        return LABELS["task_status"].get(value) or LABELS["condition_status"].get(value, value)
    if name in ("goal", "concurrent_goal"):
        return PERMANENCY_GOALS.get(value, value)
    if name in ("owner", "area"):
        return LABELS[name].get(value, value)
    if name == "services":
        return ", ".join(s.get("name", "") for s in value)
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return value


@register.filter
def goal_text(key: str, goals: list[dict[str, Any]]) -> str:
    return next((g["change"] for g in goals if g.get("key") == key), "")


@register.filter
def get_person(people: dict[int, Any], pk: int) -> str:
    person = people.get(pk)
    return person.full_name if person is not None else ""


@register.filter
def get_service(directory: dict[int, Any], service: dict[str, Any]) -> Any:
    """The directory's details of a plan's service, when it is linked to the directory."""
    service_id = service.get("service_id")
    return directory.get(service_id) if isinstance(service_id, int) else None
