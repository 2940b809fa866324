"""Optimistic edits: a form carries the version it was read at, and a save over a newer version
is refused with who changed the record and when. Nothing is overwritten."""

from __future__ import annotations

import datetime as dt
from typing import TypeVar

from django.db import models
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext as _

from reunify.core.models import Versioned

V = TypeVar("V", bound=Versioned)


class StaleEditError(Exception):
    def __init__(self, *, changed_by: str, changed_at: dt.datetime | None) -> None:
        self.changed_by = changed_by
        self.changed_at = changed_at
        if changed_at is None:
            message = _(
                "%(who)s changed this record after you opened it. "
                "Your changes were not saved; review the current version and try again."
            ) % {"who": changed_by}
        else:
            message = _(
                "%(who)s changed this record on %(when)s, after you opened it. "
                "Your changes were not saved; review the current version and try again."
            ) % {"who": changed_by, "when": date_format(localtime(changed_at), "DATETIME_FORMAT")}
        super().__init__(message)


def lock_for_edit(model: type[V], *, pk: int, expected_version: int) -> V:
    """Lock the row for this transaction and check it is still at the version the form read."""
    current = model._default_manager.select_for_update().get(pk=pk)
    if current.version != expected_version:
        raise _stale(current)
    return current


def _stale(current: models.Model) -> StaleEditError:
    history = getattr(current, "history", None)
    latest = history.select_related("history_user").first() if history is not None else None
    if latest is None:
        return StaleEditError(changed_by=_("Someone"), changed_at=None)
    user = latest.history_user
    who = (user.get_full_name() or user.get_username()) if user else _("Someone")
    return StaleEditError(changed_by=who, changed_at=latest.history_date)
