"""Words for the screens: the instruments' labels in the active language, and our names for the
outcomes, levels and decisions the definitions name by id.

Definitions carry their own Spanish (`label_es`, `title_es`): they are the translation source
for item wording (ADR 0009). The outcome and level names below are ours and go through gettext;
a level a definition adds that we do not know falls back to the definition's own label.
"""

from __future__ import annotations

from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from reunify.assessments.instruments import Instrument, Item, Section, Value

REUNIFICATION = "reunification_assessment"
IN_HOME_SAFETY = "in_home_safety_analysis"
RETURN_HOME_REVIEW = "return_home_review"
FAMILY_FUNCTIONING = "family_functioning"
PROTECTIVE_FACTORS = "protective_factors"
CLOSING_SAFETY = "closing_safety_assessment"

# The order the case's assessments page lists them in, with our name for each.
INSTRUMENTS = {
    IN_HOME_SAFETY: _("In-home safety analysis"),
    REUNIFICATION: _("Reunification assessment"),
    RETURN_HOME_REVIEW: _("Return-home review"),
    FAMILY_FUNCTIONING: _("Family functioning"),
    PROTECTIVE_FACTORS: _("Protective factors"),
    CLOSING_SAFETY: _("Closing safety assessment"),
}

# The address and URL name of each instrument's recording page (one URL per instrument, so that
# each is its own row of the authorization matrix).
RECORD = {
    IN_HOME_SAFETY: ("in-home-safety", "record-in-home-safety"),
    REUNIFICATION: ("reunification", "record-reunification"),
    RETURN_HOME_REVIEW: ("return-home-review", "record-return-home-review"),
    FAMILY_FUNCTIONING: ("family-functioning", "record-family-functioning"),
    PROTECTIVE_FACTORS: ("protective-factors", "record-protective-factors"),
    CLOSING_SAFETY: ("closing-safety", "record-closing-safety"),
}

# The instruments with a section asked only when earlier answers say so, with the URL name of
# the form's region the browser re-asks the server for (htmx) as those answers change.
ASKS = {REUNIFICATION: "record-reunification-sections"}

# The licensed built-ins whose item wording the agency supplies, with the address and URL name
# of the page that sets it (one URL per instrument, each a row of the authorization matrix).
WORDING = {
    REUNIFICATION: ("reunification", "wording-reunification"),
    FAMILY_FUNCTIONING: ("family-functioning", "wording-family-functioning"),
}

OUTCOMES = {
    "return_home": _("Return home"),
    "continue_reunification": _("Continue reunification efforts"),
    "change_goal": _("Change permanency goal"),
}

LEVELS = {
    "low": _("Low"),
    "moderate": _("Moderate"),
    "high": _("High"),
    "very_high": _("Very high"),
    "acceptable": _("Acceptable"),
    "not_acceptable": _("Not acceptable"),
    "not_done": _("Not done"),
}

SAFETY_DECISIONS = {
    "safe": _("Safe"),
    "safe_with_plan": _("Safe with interventions"),
    "unsafe": _("Unsafe"),
}

TIMEPOINTS = {
    "intake": _("Intake"),
    "interim": _("Interim"),
    "closure": _("Closure"),
    "pre": _("Before services (pre)"),
    "post": _("After services (post)"),
}


def spanish() -> bool:
    return (get_language() or "en").startswith("es")


def localized(label: str, label_es: str = "") -> str:
    return label_es if spanish() and label_es else label


def instrument_name(key: str, instrument: Instrument | None = None) -> str:
    if key in INSTRUMENTS:
        return str(INSTRUMENTS[key])
    return instrument.title if instrument is not None else key


def item_label(item: Item) -> str:
    """The agency's licensed wording when the definition was loaded with it (already in the
    active language: `selectors.instrument_for`), else the built-in short label."""
    return item.text or short_label(item)


def short_label(item: Item) -> str:
    return localized(item.label, item.label_es)


def section_title(section: Section) -> str:
    return localized(section.title, section.title_es)


def value_label(item: Item, value: Value | None) -> str:
    """An answer as the scale names it (a count reads as itself)."""
    if value is None:
        return ""
    for option in item.scale.options:
        if option.value == value:
            return localized(option.label, option.label_es)
    if isinstance(value, int) and value in item.scale.labels:
        return item.scale.labels[value]
    if value == "not_done":
        return str(LEVELS["not_done"])
    return str(value)


def outcome_label(outcome: str, instrument: Instrument | None = None) -> str:
    if outcome in OUTCOMES:
        return str(OUTCOMES[outcome])
    if instrument is not None and instrument.decision_table is not None:
        return instrument.decision_table.outcome_labels.get(outcome, outcome)
    return outcome


def level_label(level: str | None, instrument: Instrument | None = None) -> str:
    if not level:
        return ""
    if level in LEVELS:
        return str(LEVELS[level])
    if instrument is not None:
        for bands in instrument.bands.values():
            for band in bands:
                if band.level == level:
                    return band.label
    return level


def safety_label(value: str) -> str:
    return str(SAFETY_DECISIONS.get(value, value))


def timepoint_label(value: str) -> str:
    return str(TIMEPOINTS.get(value, value))


def variable_label(instrument: Instrument, name: str) -> str:
    """What a decision row or `asked_when` tests, in words: an item or a banded section."""
    items = instrument.items
    if name in items:
        return item_label(items[name])
    section = next((s for s in instrument.sections if s.id == name), None)
    return section_title(section) if section else name


def variable_value(instrument: Instrument, name: str, value: Value) -> str:
    items = instrument.items
    if name in items:
        return value_label(items[name], value)
    return level_label(str(value), instrument)


def asked_when(instrument: Instrument, section: Section) -> str:
    """When a section is asked, in words ("Risk reassessment: Low or Moderate; …")."""
    return "; ".join(
        f"{variable_label(instrument, name)}: "
        + " / ".join(variable_value(instrument, name, v) for v in values)
        for name, values in section.asked_when.items()
    )
