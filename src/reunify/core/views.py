"""Helpers every view uses: authorise-or-deny, with denials audited, and htmx partial names."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from reunify.core import audit
from reunify.core.models import AuditEvent


def authorize(
    request: HttpRequest, allowed: bool, *, action: str, obj: Any = None, case_id: int | None = None
) -> None:
    """Raise 403 unless `allowed`; a denial is recorded in the audit trail."""
    if allowed:
        return
    audit.record(
        actor=request.user,
        action=f"denied.{action}",
        kind=AuditEvent.Kind.DENIAL,
        obj=obj,
        case_id=case_id,
        summary=f"Denied: {action}",
    )
    raise PermissionDenied


def partial(request: HttpRequest, template: str, name: str) -> str:
    """The whole page normally; only the named partial when htmx asks for that region."""
    return f"{template}#{name}" if getattr(request, "htmx", False) else template
