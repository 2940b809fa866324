"""The road-home section of the case page: `{% load road_home_tags %}{% road_home_panel case
request.user %}`. A fixed number of queries (`selectors.road_home`); nothing is shown to a user
who may not see the case."""

from __future__ import annotations

from typing import Any

from django import template

from reunify.cases.models import FamilyCase
from reunify.core import clock
from reunify.road_home import permissions, selectors

register = template.Library()


@register.inclusion_tag("road_home/_panel.html")
def road_home_panel(case: FamilyCase, user: Any) -> dict[str, Any]:
    if not permissions.can_view_road_home(user, case):
        return {"visible": False}
    return {
        "visible": True,
        "case": case,
        "page": selectors.road_home(case, today=clock.today()),
    }
