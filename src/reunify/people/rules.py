"""Pure rules about people. No Django imports."""

from __future__ import annotations

from datetime import date

from reunify.core.marks import gettext_noop

BIRTH_IN_FUTURE = gettext_noop("A date of birth cannot be in the future.")


def birth_date_problem(*, born: date | None, today: date) -> str | None:
    if born is not None and born > today:
        return BIRTH_IN_FUTURE
    return None
