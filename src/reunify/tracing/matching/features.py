"""Derived comparison features of a :class:`TracingRecord`.

Every comparison (in Python, :mod:`comparisons`; in SQL, for Splink) reads only these features,
so both engines see the same normalised names, keys, birth intervals and place keys and reach
the same level. :func:`features_row` is the same data as one row of the table given to Splink.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from reunify.tracing.matching.normalise import (
    name_key,
    name_tokens,
    nickname_keys,
    normalise,
    place_key,
)
from reunify.tracing.matching.records import PartialDate, TracingRecord

FATHER_WORDS = frozenset({"father", "dad", "papa", "padre", "pere", "stepfather"})
MOTHER_WORDS = frozenset({"mother", "mum", "mom", "mama", "madre", "mere", "stepmother"})

# Birth-year bands for blocking: a record is filed under every band its birth interval,
# widened by BAND_SLACK years on each side, touches.
BAND_YEARS = 3
BAND_SLACK = 1


@dataclass(frozen=True, slots=True)
class Features:
    """What the comparisons need of one record (sets are keys; strings are normalised)."""

    record: TracingRecord
    given: str | None
    given_key: str | None
    given_tokens: frozenset[str]
    given_nicks: frozenset[str]
    names_all: frozenset[str]
    family: str | None
    family_key: str | None
    family_tokens: frozenset[str]
    father_first: frozenset[str]
    mother_first: frozenset[str]
    sex: str | None
    birth_lo: int | None
    birth_hi: int | None
    birth_dob: str | None
    birth_est: bool
    sep_lo: int | None
    sep_hi: int | None
    sep_day: int | None
    sep_month: int | None
    place_v: frozenset[str]
    place_d: frozenset[str]
    place_r: frozenset[str]
    place_c: frozenset[str]
    place_names: frozenset[str]
    birth_bands: frozenset[int]
    surname_keys: frozenset[str]
    given_display: str
    other_display: str


def _name_parts(text: str) -> tuple[str | None, str | None, frozenset[str], frozenset[str]]:
    """(normalised, joined key, token keys incl. the joined key, nickname keys) of a name."""
    tokens = name_tokens(text)
    if not tokens:
        return None, None, frozenset(), frozenset()
    joined = name_key("".join(tokens))
    keys = {name_key(token) for token in tokens}
    keys.add(joined)
    nicks: set[str] = set()
    for token in tokens:
        nicks.update(nickname_keys(token))
    if len(tokens) > 1:
        nicks.update(nickname_keys("".join(tokens)))
    return " ".join(tokens), joined, frozenset(keys), frozenset(nicks)


def _first_name_key(text: str) -> frozenset[str]:
    tokens = name_tokens(text)
    return frozenset({name_key(tokens[0])}) if tokens else frozenset()


def month_index(value: date) -> int:
    return value.year * 12 + value.month - 1


def birth_interval(record: TracingRecord) -> tuple[int | None, int | None, str | None, bool]:
    """Birth as an interval of month indexes (lo, hi), the full date if known, and whether
    the interval comes from an age estimate (then typically off by 1-3 years)."""
    dob = record.date_of_birth
    if dob is not None:
        if dob.month is None:
            return dob.year * 12, dob.year * 12 + 11, None, False
        month = dob.year * 12 + dob.month - 1
        return month, month, dob.iso() if dob.day is not None else None, False
    if record.age_estimate is not None and record.reference_date is not None:
        ref = month_index(record.reference_date)
        age = record.age_estimate
        return ref - 12 * (age + 1) + 1, ref - 12 * age, None, True
    return None, None, None, False


def date_interval(value: PartialDate | None) -> tuple[int | None, int | None]:
    """A partial date as an interval of day ordinals."""
    if value is None:
        return None, None
    if value.month is None:
        return date(value.year, 1, 1).toordinal(), date(value.year, 12, 31).toordinal()
    if value.day is None:
        first = date(value.year, value.month, 1)
        following = date(value.year + value.month // 12, value.month % 12 + 1, 1)
        return first.toordinal(), (following - timedelta(days=1)).toordinal()
    ordinal = date(value.year, value.month, value.day).toordinal()
    return ordinal, ordinal


def _month_of(value: PartialDate | None) -> int | None:
    if value is None or value.month is None:
        return None
    return value.year * 12 + value.month - 1


def _bands(lo: int | None, hi: int | None) -> frozenset[int]:
    if lo is None or hi is None:
        return frozenset()
    first = lo // 12 - BAND_SLACK
    last = hi // 12 + BAND_SLACK
    return frozenset(range(first // BAND_YEARS, last // BAND_YEARS + 1))


def prepare(record: TracingRecord) -> Features:
    """Compute the comparison features of one record."""
    given_text = record.given_name
    others = list(record.other_names)
    if not normalise(given_text) and others:
        given_text, others = others[0], others[1:]
    given, given_key, given_tokens, given_nicks = _name_parts(given_text)
    names_all = set(given_tokens) | set(given_nicks)
    for other in others:
        _, _, tokens, nicks = _name_parts(other)
        names_all.update(tokens)
        names_all.update(nicks)
    family, family_key, family_tokens, _ = _name_parts(record.family_name)

    father = set(_first_name_key(record.father_name))
    mother = set(_first_name_key(record.mother_name))
    relationship = normalise(record.requester_relationship)
    if relationship in FATHER_WORDS:
        father.update(_first_name_key(record.requester_name))
    elif relationship in MOTHER_WORDS:
        mother.update(_first_name_key(record.requester_name))

    birth_lo, birth_hi, birth_dob, birth_est = birth_interval(record)
    sep_lo, sep_hi = date_interval(record.date_of_separation)

    levels: list[set[str]] = [set(), set(), set(), set()]
    for place in (record.place_of_origin, record.place_of_separation):
        for depth, part in enumerate(place[:4]):
            key = place_key(part)
            if key:
                levels[depth].add(key)
    place_c, place_r, place_d, place_v = (frozenset(level) for level in levels)

    sex = record.sex.strip().upper()[:1]
    return Features(
        record=record,
        given=given,
        given_key=given_key,
        given_tokens=given_tokens,
        given_nicks=given_nicks,
        names_all=frozenset(names_all),
        family=family,
        family_key=family_key,
        family_tokens=family_tokens,
        father_first=frozenset(father),
        mother_first=frozenset(mother),
        sex=sex if sex in ("M", "F") else None,
        birth_lo=birth_lo,
        birth_hi=birth_hi,
        birth_dob=birth_dob,
        birth_est=birth_est,
        sep_lo=sep_lo,
        sep_hi=sep_hi,
        sep_day=sep_lo if sep_lo is not None and sep_lo == sep_hi else None,
        sep_month=_month_of(record.date_of_separation),
        place_v=place_v,
        place_d=place_d,
        place_r=place_r,
        place_c=place_c,
        place_names=place_r | place_d | place_v,
        birth_bands=_bands(birth_lo, birth_hi),
        surname_keys=family_tokens | frozenset(father),
        given_display=given_text.strip(),
        other_display="; ".join(name.strip() for name in others if name.strip()),
    )


# Columns of the Splink input table, in order (list columns are VARCHAR[] / INTEGER[]).
SCALAR_COLUMNS: tuple[str, ...] = (
    "given",
    "given_key",
    "family",
    "family_key",
    "sex",
    "birth_dob",
)
INT_COLUMNS: tuple[str, ...] = (
    "birth_lo",
    "birth_hi",
    "sep_lo",
    "sep_hi",
    "sep_day",
    "sep_month",
)
BOOL_COLUMNS: tuple[str, ...] = ("birth_est",)
LIST_COLUMNS: tuple[str, ...] = (
    "given_tokens",
    "given_nicks",
    "names_all",
    "family_tokens",
    "father_first",
    "mother_first",
    "place_v",
    "place_d",
    "place_r",
    "place_c",
    "place_names",
    "surname_keys",
)
INT_LIST_COLUMNS: tuple[str, ...] = ("birth_bands",)


def features_row(features: Features) -> dict[str, Any]:
    """One row of the Splink input table (lists sorted so that rows are reproducible)."""
    row: dict[str, Any] = {"unique_id": features.record.record_id}
    for name in SCALAR_COLUMNS + INT_COLUMNS + BOOL_COLUMNS:
        row[name] = getattr(features, name)
    for name in LIST_COLUMNS + INT_LIST_COLUMNS:
        row[name] = sorted(getattr(features, name))
    return row
