"""Putting a service's ValidationError back on the form field it concerns."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from reunify.core.concurrency import StaleEditError


def apply_errors(
    error: Exception, form: forms.Form, *, formsets: dict[str, Any] | None = None
) -> None:
    """Show each message next to its field; unknown fields and stale edits go to the top."""
    if isinstance(error, StaleEditError):
        form.add_error(None, str(error))
        return
    if not isinstance(error, ValidationError) or not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.error_dict.items():
        target, name = _locate(field, form, formsets or {})
        if target is None:
            form.add_error(None, errors)
        else:
            target.add_error(name, errors)


def _locate(
    field: str, form: forms.Form, formsets: dict[str, Any]
) -> tuple[forms.Form | None, str | None]:
    if field in form.fields:
        return form, field
    for prefix, formset in formsets.items():
        head = f"{prefix}-"
        if field.startswith(head):
            index, _sep, name = field.removeprefix(head).partition("-")
            if index.isdigit() and int(index) < len(formset.forms):
                row = formset.forms[int(index)]
                return (row, name) if name in row.fields else (row, None)
    return None, None
