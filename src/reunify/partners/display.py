"""The wording of a match's reasons, for the coordinator ("shares: recovery; speaks Spanish; same
county; 3 of 8 places open"), from `matching.Ranked`."""

from __future__ import annotations

from django.utils.translation import gettext as _

from reunify.partners.matching import Ranked
from reunify.partners.models import Experience


def experience_label(key: str) -> str:
    return str(Experience(key).label).lower() if key in Experience.values else key


def reasons(ranked: Ranked) -> list[str]:
    found: list[str] = []
    if ranked.shared_experiences:
        shared = ", ".join(experience_label(e) for e in ranked.shared_experiences)
        found.append(_("shares: %(experiences)s") % {"experiences": shared})
    if ranked.language:
        found.append(_("speaks %(language)s") % {"language": ranked.language})
    if ranked.area == "zip":
        found.append(_("same ZIP code"))
    elif ranked.area == "county":
        found.append(_("same county"))
    found.append(
        _("%(open)s of %(capacity)s places open")
        % {"open": ranked.open_places, "capacity": ranked.capacity}
    )
    return found


def reasons_text(ranked: Ranked) -> str:
    return "; ".join(reasons(ranked))
