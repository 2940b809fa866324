"""The one call other apps' services make after recording an event a clock reads."""

from __future__ import annotations

from typing import Any


def events_changed(case: Any) -> None:
    """Recompute the case's clocks in the current transaction."""
    from reunify.clocks.services import case_clocks_refresh

    case_clocks_refresh(case=case)
