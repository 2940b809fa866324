"""The court section of the case page: `{% load court_tags %}{% court_panel case request.user %}`.

Four queries whatever the number of hearings (`selectors.case_court`); nothing is shown to a user
who may not see the case."""

from __future__ import annotations

from typing import Any

from django import template

from reunify.cases.models import FamilyCase
from reunify.core import clock
from reunify.court import permissions, selectors

register = template.Library()


@register.inclusion_tag("court/_court_panel.html")
def court_panel(case: FamilyCase, user: Any) -> dict[str, Any]:
    if not permissions.can_view_court(user, case):
        return {"visible": False}
    return {
        "visible": True,
        "case": case,
        "panel": selectors.case_court(case=case, today=clock.today()),
        "can_edit": permissions.can_edit_court(user, case),
    }
