"""The groups outcomes are broken down by: age at removal, race/ethnicity, the type of the first
placement and its distance from the home the child was removed from.

Pure: plain values in, a group key out; no Django (import-linter and mypy strict check it).
Keys are stable identifiers; `LABELS` holds the display text, marked for translation (the caller
translates it when it shows it). Every grouping has an `unknown` key for missing data, so a child
is never silently dropped from a breakdown.

Readings:
- Age: completed years on the removal date (`indicators.age_on`, the CFSR reading); bands
  under 1, 1-5, 6-12, 13-17, and 18 or older (excluded from the entry cohorts, kept here so a
  data error is visible).
- Race/ethnicity (DOMAIN.md, "Equity"; reference/domain.md §8, Iowa's documented rule): anyone of
  Hispanic or Latino ethnicity is "Hispanic"; otherwise two or more stated races are "two or more
  races"; otherwise the single stated race. "Declined" and "unknown" are not races; a person
  with no stated race and no Hispanic ethnicity is `unknown`. The single-race groups are
  therefore non-Hispanic.
- Placement type of the episode's first placement (earliest start): kin (a relative foster
  home, or a placement recorded as kinship), non-relative family (non-relative foster or
  pre-adoptive home), congregate (group home or institution), other (supervised independent
  living, trial home visit, runaway, respite), unknown (no placement recorded).
- Distance of the first placement from the home: great-circle (haversine) miles, bands under 5,
  5 to under 25, 25 or more, unknown (no coordinates at either end).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from reunify.cases.rules import miles_between
from reunify.core.marks import gettext_noop
from reunify.outcomes.indicators import age_on

AGE = "age"
RACE_ETHNICITY = "race_ethnicity"
PLACEMENT_TYPE = "placement_type"
DISTANCE = "distance"
KEYS = (AGE, RACE_ETHNICITY, PLACEMENT_TYPE, DISTANCE)

UNKNOWN = "unknown"

# --- age ----------------------------------------------------------------------------------------

AGE_UNDER_1 = "under_1"
AGE_1_5 = "1_5"
AGE_6_12 = "6_12"
AGE_13_17 = "13_17"
AGE_18_PLUS = "18_plus"


def age_group(*, date_of_birth: date | None, on: date) -> str:
    """The age band on `on` (the removal date)."""
    if date_of_birth is None or date_of_birth > on:
        return UNKNOWN
    years = age_on(date_of_birth, on)
    if years < 1:
        return AGE_UNDER_1
    if years <= 5:
        return AGE_1_5
    if years <= 12:
        return AGE_6_12
    if years <= 17:
        return AGE_13_17
    return AGE_18_PLUS


# --- race and ethnicity -------------------------------------------------------------------------

HISPANIC = "hispanic"
TWO_OR_MORE = "two_or_more"
# The AFCARS race categories (people.models.Race) that are races.
RACES = ("american_indian", "asian", "black", "pacific_islander", "white")
NOT_A_RACE = frozenset({"declined", "unknown"})
HISPANIC_YES = "yes"  # people.models.HispanicEthnicity.YES


def race_ethnicity_group(*, hispanic_ethnicity: str, races: Iterable[str]) -> str:
    """Hispanic first, then two or more races, then the single race (DOMAIN.md)."""
    if hispanic_ethnicity == HISPANIC_YES:
        return HISPANIC
    stated = {race for race in races if race not in NOT_A_RACE}
    if len(stated) >= 2:
        return TWO_OR_MORE
    if len(stated) == 1:
        (race,) = stated
        return race if race in RACES else UNKNOWN
    return UNKNOWN


# --- placement type -----------------------------------------------------------------------------

KIN = "kin"
NON_RELATIVE = "non_relative"
CONGREGATE = "congregate"
OTHER = "other"

_SETTING_TYPE = {
    "foster_family_relative": KIN,
    "foster_family_nonrelative": NON_RELATIVE,
    "pre_adoptive_home": NON_RELATIVE,
    "group_home": CONGREGATE,
    "institution": CONGREGATE,
    "supervised_independent_living": OTHER,
    "trial_home_visit": OTHER,
    "runaway": OTHER,
    "respite": OTHER,
}


def placement_type(*, setting: str | None, is_kinship: bool = False) -> str:
    """The type of a placement; `setting` None means no placement was recorded."""
    if setting is None:
        return UNKNOWN
    family = _SETTING_TYPE.get(setting, UNKNOWN)
    if is_kinship and family in (KIN, NON_RELATIVE):
        # A kin family may be licensed as a foster or pre-adoptive home: still kin.
        return KIN
    return family


# --- distance -----------------------------------------------------------------------------------

NEAR = "under_5"
MIDDLE = "5_25"
FAR = "25_plus"
NEAR_MILES = 5.0
FAR_MILES = 25.0

Point = tuple[float, float]  # (latitude, longitude)


def miles(home: Point | None, provider: Point | None) -> float | None:
    """Haversine miles between two points, a tenth of a mile (`cases.rules.miles_between`, the
    rule placements use when they store their distance); None when either is missing."""
    if home is None or provider is None:
        return None
    return miles_between(home[0], home[1], provider[0], provider[1])


def distance_band(distance_miles: float | None) -> str:
    if distance_miles is None or distance_miles < 0:
        return UNKNOWN
    if distance_miles < NEAR_MILES:
        return NEAR
    if distance_miles < FAR_MILES:
        return MIDDLE
    return FAR


# --- labels and order ---------------------------------------------------------------------------

TITLES = {
    AGE: gettext_noop("Age at removal"),
    RACE_ETHNICITY: gettext_noop("Race and ethnicity"),
    PLACEMENT_TYPE: gettext_noop("First placement"),
    DISTANCE: gettext_noop("Distance of the first placement from home"),
}

LABELS: dict[str, dict[str, str]] = {
    AGE: {
        AGE_UNDER_1: gettext_noop("Under 1"),
        AGE_1_5: gettext_noop("1 to 5"),
        AGE_6_12: gettext_noop("6 to 12"),
        AGE_13_17: gettext_noop("13 to 17"),
        AGE_18_PLUS: gettext_noop("18 or older"),
        UNKNOWN: gettext_noop("Unknown"),
    },
    RACE_ETHNICITY: {
        HISPANIC: gettext_noop("Hispanic or Latino"),
        TWO_OR_MORE: gettext_noop("Two or more races"),
        "american_indian": gettext_noop("American Indian or Alaska Native"),
        "asian": gettext_noop("Asian"),
        "black": gettext_noop("Black or African American"),
        "pacific_islander": gettext_noop("Native Hawaiian or Other Pacific Islander"),
        "white": gettext_noop("White"),
        UNKNOWN: gettext_noop("Unknown or declined"),
    },
    PLACEMENT_TYPE: {
        KIN: gettext_noop("Kin (relative)"),
        NON_RELATIVE: gettext_noop("Non-relative family"),
        CONGREGATE: gettext_noop("Group home or institution"),
        OTHER: gettext_noop("Other"),
        UNKNOWN: gettext_noop("Unknown"),
    },
    DISTANCE: {
        NEAR: gettext_noop("Under 5 miles"),
        MIDDLE: gettext_noop("5 to 25 miles"),
        FAR: gettext_noop("25 miles or more"),
        UNKNOWN: gettext_noop("Unknown"),
    },
}


def ordered(key: str, present: Iterable[str]) -> list[str]:
    """The group keys present, in the display order of `LABELS[key]` (unknown ones last)."""
    order = {group: i for i, group in enumerate(LABELS.get(key, {}))}
    return sorted(set(present), key=lambda g: (order.get(g, len(order)), g))
