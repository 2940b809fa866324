"""The Fellegi-Sunter comparisons of the tracing matcher, in Python and in SQL.

Each comparison is an ordered list of levels; the first level whose condition holds is the one
reached (as in a SQL ``CASE WHEN``). Every level has its Python condition (a function of two
:class:`Features`) and the same condition in DuckDB SQL over the Splink input table, where the
two records' columns carry the suffixes ``_l`` and ``_r``. The comparisons are symmetric, so it
does not matter which side is the request.

The first level of each comparison is its null level ("missing": no information, weight 0).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from rapidfuzz.distance import JaroWinkler

from reunify.tracing.matching.features import Features

TYPO_SIMILARITY = 0.9  # Jaro-Winkler similarity for a "similar spelling" level

Condition = Callable[[Features, Features], bool]
_UNKNOWN_GAP = 1_000_000
_UNKNOWN_GAP = 1_000_000


@dataclass(frozen=True)
class Level:
    key: str
    description: str  # English, for the explanation ("transliteration", "same district")
    sql: str
    condition: Condition
    is_null: bool = False


@dataclass(frozen=True)
class Comparison:
    field: str
    description: str
    levels: tuple[Level, ...]

    def level_index(self, a: Features, b: Features) -> int:
        for index, level in enumerate(self.levels):
            if level.condition(a, b):
                return index
        return len(self.levels) - 1

    def level_keys(self) -> tuple[str, ...]:
        return tuple(level.key for level in self.levels)


def _meets(a: frozenset[str], b: frozenset[str]) -> bool:
    return not a.isdisjoint(b)


def _similar(a: str | None, b: str | None) -> bool:
    if a is None or b is None:
        return False
    return JaroWinkler.similarity(a, b) >= TYPO_SIMILARITY


def _always(a: Features, b: Features) -> bool:
    return True


def _gap(lo_a: int | None, hi_a: int | None, lo_b: int | None, hi_b: int | None) -> int:
    if lo_a is None or hi_a is None or lo_b is None or hi_b is None:
        return _UNKNOWN_GAP  # not reached: the null level comes first
    return max(lo_a - hi_b, lo_b - hi_a, 0)


def _birth_gap(a: Features, b: Features) -> int:
    return _gap(a.birth_lo, a.birth_hi, b.birth_lo, b.birth_hi)


def _sep_gap(a: Features, b: Features) -> int:
    return _gap(a.sep_lo, a.sep_hi, b.sep_lo, b.sep_hi)


_BIRTH_GAP_SQL = "greatest(birth_lo_l - birth_hi_r, birth_lo_r - birth_hi_l, 0)"
_SEP_GAP_SQL = "greatest(sep_lo_l - sep_hi_r, sep_lo_r - sep_hi_l, 0)"


def _either_estimate(a: Features, b: Features) -> bool:
    return a.birth_est or b.birth_est


GIVEN_NAME = Comparison(
    field="given_name",
    description="given name (with transliterations, nicknames and other names)",
    levels=(
        Level(
            "missing",
            "missing",
            "given_l IS NULL OR given_r IS NULL",
            lambda a, b: a.given is None or b.given is None,
            is_null=True,
        ),
        Level("exact", "same", "given_l = given_r", lambda a, b: a.given == b.given),
        Level(
            "transliteration",
            "transliteration",
            "given_key_l = given_key_r",
            lambda a, b: a.given_key == b.given_key,
        ),
        Level(
            "nickname",
            "nickname",
            "list_has_any(given_nicks_l, given_tokens_r) OR "
            "list_has_any(given_tokens_l, given_nicks_r) OR "
            "list_has_any(given_nicks_l, given_nicks_r)",
            lambda a, b: (
                _meets(a.given_nicks, b.given_tokens)
                or _meets(a.given_tokens, b.given_nicks)
                or _meets(a.given_nicks, b.given_nicks)
            ),
        ),
        Level(
            "typo",
            "similar spelling",
            f"jaro_winkler_similarity(given_l, given_r) >= {TYPO_SIMILARITY}",
            lambda a, b: _similar(a.given, b.given),
        ),
        Level(
            "partial",
            "one name in common",
            "list_has_any(given_tokens_l, given_tokens_r)",
            lambda a, b: _meets(a.given_tokens, b.given_tokens),
        ),
        Level(
            "other_name",
            "matches an other name or nickname",
            "list_has_any(names_all_l, names_all_r)",
            lambda a, b: _meets(a.names_all, b.names_all),
        ),
        Level(
            "swapped",
            "given and family names swapped",
            "list_has_any(given_tokens_l, family_tokens_r) OR "
            "list_has_any(family_tokens_l, given_tokens_r)",
            lambda a, b: (
                _meets(a.given_tokens, b.family_tokens) or _meets(a.family_tokens, b.given_tokens)
            ),
        ),
        Level("else", "different", "TRUE", _always),
    ),
)

FAMILY_NAME = Comparison(
    field="family_name",
    description="family name (with two surnames and patronymic family names)",
    levels=(
        Level(
            "missing",
            "missing",
            "family_l IS NULL OR family_r IS NULL",
            lambda a, b: a.family is None or b.family is None,
            is_null=True,
        ),
        Level("exact", "same", "family_l = family_r", lambda a, b: a.family == b.family),
        Level(
            "transliteration",
            "transliteration",
            "family_key_l = family_key_r",
            lambda a, b: a.family_key == b.family_key,
        ),
        Level(
            "surname_part",
            "one surname in common",
            "list_has_any(family_tokens_l, family_tokens_r)",
            lambda a, b: _meets(a.family_tokens, b.family_tokens),
        ),
        Level(
            "patronymic",
            "family name is the father's given name",
            "list_has_any(family_tokens_l, father_first_r) OR "
            "list_has_any(father_first_l, family_tokens_r)",
            lambda a, b: (
                _meets(a.family_tokens, b.father_first) or _meets(a.father_first, b.family_tokens)
            ),
        ),
        Level(
            "typo",
            "similar spelling",
            f"jaro_winkler_similarity(family_l, family_r) >= {TYPO_SIMILARITY}",
            lambda a, b: _similar(a.family, b.family),
        ),
        Level(
            "swapped",
            "given and family names swapped",
            "list_has_any(family_tokens_l, given_tokens_r) OR "
            "list_has_any(given_tokens_l, family_tokens_r)",
            lambda a, b: (
                _meets(a.family_tokens, b.given_tokens) or _meets(a.given_tokens, b.family_tokens)
            ),
        ),
        Level("else", "different", "TRUE", _always),
    ),
)

BIRTH = Comparison(
    field="birth",
    description="date of birth or age (age estimates tolerated by 1-3 years)",
    levels=(
        Level(
            "missing",
            "missing",
            "birth_lo_l IS NULL OR birth_lo_r IS NULL",
            lambda a, b: a.birth_lo is None or b.birth_lo is None,
            is_null=True,
        ),
        Level(
            "exact",
            "same date of birth",
            "birth_dob_l = birth_dob_r",
            lambda a, b: a.birth_dob is not None and a.birth_dob == b.birth_dob,
        ),
        Level(
            "date_close",
            "dates of birth within a month",
            f"NOT birth_est_l AND NOT birth_est_r AND {_BIRTH_GAP_SQL} <= 1",
            lambda a, b: not _either_estimate(a, b) and _birth_gap(a, b) <= 1,
        ),
        Level(
            "date_year",
            "dates of birth within a year",
            f"NOT birth_est_l AND NOT birth_est_r AND {_BIRTH_GAP_SQL} <= 12",
            lambda a, b: not _either_estimate(a, b) and _birth_gap(a, b) <= 12,
        ),
        Level(
            "estimate_consistent",
            "consistent with the age estimate",
            f"(birth_est_l OR birth_est_r) AND {_BIRTH_GAP_SQL} = 0",
            lambda a, b: _either_estimate(a, b) and _birth_gap(a, b) == 0,
        ),
        Level(
            "estimate_1y",
            "age estimate off by up to a year",
            f"(birth_est_l OR birth_est_r) AND {_BIRTH_GAP_SQL} <= 12",
            lambda a, b: _either_estimate(a, b) and _birth_gap(a, b) <= 12,
        ),
        Level(
            "estimate_3y",
            "age estimate off by 1-3 years",
            f"(birth_est_l OR birth_est_r) AND {_BIRTH_GAP_SQL} <= 36",
            lambda a, b: _either_estimate(a, b) and _birth_gap(a, b) <= 36,
        ),
        Level("else", "inconsistent", "TRUE", _always),
    ),
)

SEX = Comparison(
    field="sex",
    description="sex",
    levels=(
        Level(
            "missing",
            "unknown",
            "sex_l IS NULL OR sex_r IS NULL",
            lambda a, b: a.sex is None or b.sex is None,
            is_null=True,
        ),
        Level("agree", "same", "sex_l = sex_r", lambda a, b: a.sex == b.sex),
        Level("else", "different", "TRUE", _always),
    ),
)

PLACE = Comparison(
    field="place",
    description="place of origin and place of separation, as one hierarchy",
    levels=(
        Level(
            "missing",
            "missing",
            "(len(place_c_l) = 0 AND len(place_names_l) = 0) OR "
            "(len(place_c_r) = 0 AND len(place_names_r) = 0)",
            lambda a, b: (
                (not a.place_c and not a.place_names) or (not b.place_c and not b.place_names)
            ),
            is_null=True,
        ),
        Level(
            "village",
            "same village",
            "list_has_any(place_v_l, place_v_r)",
            lambda a, b: _meets(a.place_v, b.place_v),
        ),
        Level(
            "district",
            "same district",
            "list_has_any(place_d_l, place_d_r)",
            lambda a, b: _meets(a.place_d, b.place_d),
        ),
        Level(
            "region",
            "same region",
            "list_has_any(place_r_l, place_r_r)",
            lambda a, b: _meets(a.place_r, b.place_r),
        ),
        Level(
            "other_level",
            "same place name at another level of the hierarchy",
            "list_has_any(place_names_l, place_names_r)",
            lambda a, b: _meets(a.place_names, b.place_names),
        ),
        Level(
            "country",
            "same country only",
            "list_has_any(place_c_l, place_c_r)",
            lambda a, b: _meets(a.place_c, b.place_c),
        ),
        Level("else", "different places", "TRUE", _always),
    ),
)

SEPARATION_DATE = Comparison(
    field="separation_date",
    description="date of separation (month-only dates tolerated)",
    levels=(
        Level(
            "missing",
            "missing",
            "sep_lo_l IS NULL OR sep_lo_r IS NULL",
            lambda a, b: a.sep_lo is None or b.sep_lo is None,
            is_null=True,
        ),
        Level("same", "same", f"{_SEP_GAP_SQL} = 0", lambda a, b: _sep_gap(a, b) == 0),
        Level(
            "month", "within a month", f"{_SEP_GAP_SQL} <= 31", lambda a, b: _sep_gap(a, b) <= 31
        ),
        Level(
            "quarter",
            "within three months",
            f"{_SEP_GAP_SQL} <= 92",
            lambda a, b: _sep_gap(a, b) <= 92,
        ),
        Level(
            "year", "within a year", f"{_SEP_GAP_SQL} <= 366", lambda a, b: _sep_gap(a, b) <= 366
        ),
        Level("else", "more than a year apart", "TRUE", _always),
    ),
)


def _father_agrees(a: Features, b: Features) -> bool:
    return _meets(a.father_first, b.father_first)


def _mother_agrees(a: Features, b: Features) -> bool:
    return _meets(a.mother_first, b.mother_first)


def _father_missing(a: Features, b: Features) -> bool:
    return not a.father_first or not b.father_first


def _mother_missing(a: Features, b: Features) -> bool:
    return not a.mother_first or not b.mother_first


_FA = "list_has_any(father_first_l, father_first_r)"
_MA = "list_has_any(mother_first_l, mother_first_r)"
_FM = "(len(father_first_l) = 0 OR len(father_first_r) = 0)"
_MM = "(len(mother_first_l) = 0 OR len(mother_first_r) = 0)"

PARENTS = Comparison(
    field="parents",
    description="father's and mother's given names (the requester's own name if a parent)",
    levels=(
        Level(
            "missing",
            "missing",
            f"{_FM} AND {_MM}",
            lambda a, b: _father_missing(a, b) and _mother_missing(a, b),
            is_null=True,
        ),
        Level(
            "both",
            "both parents' names agree",
            f"{_FA} AND {_MA}",
            lambda a, b: _father_agrees(a, b) and _mother_agrees(a, b),
        ),
        Level(
            "one",
            "one parent's name agrees, the other unknown",
            f"({_FA} AND {_MM}) OR ({_MA} AND {_FM})",
            lambda a, b: (
                (_father_agrees(a, b) and _mother_missing(a, b))
                or (_mother_agrees(a, b) and _father_missing(a, b))
            ),
        ),
        Level(
            "mixed",
            "one parent's name agrees, the other differs",
            f"{_FA} OR {_MA}",
            lambda a, b: _father_agrees(a, b) or _mother_agrees(a, b),
        ),
        Level("else", "parents' names differ", "TRUE", _always),
    ),
)

COMPARISONS: tuple[Comparison, ...] = (
    GIVEN_NAME,
    FAMILY_NAME,
    BIRTH,
    SEX,
    PLACE,
    SEPARATION_DATE,
    PARENTS,
)


def comparison_levels(a: Features, b: Features) -> tuple[int, ...]:
    """The comparison vector of a pair: the level index reached in each comparison."""
    return tuple(comparison.level_index(a, b) for comparison in COMPARISONS)
