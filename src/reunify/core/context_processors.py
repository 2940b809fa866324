"""Template context every page needs: which navigation links the user may follow."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    from reunify.accounts import permissions as account_permissions
    from reunify.cases import permissions as case_permissions
    from reunify.outcomes import permissions as outcome_permissions
    from reunify.tracing import permissions as tracing_permissions

    if account_permissions.is_portal_user(user):
        from reunify.portal.navigation import links

        return {"nav_portal": links(user)}
    return {
        "nav_can_open_case": case_permissions.can_open_case(user),
        "nav_can_manage_staff": account_permissions.can_manage_staff(user),
        "nav_unit_id": user.unit_id if user.is_supervisor else None,
        "nav_can_view_outcomes": outcome_permissions.can_view_dashboard(user),
        "nav_can_trace": tracing_permissions.can_view_tracing(user),
    }
