"""Blocking keys: which pairs are worth scoring at all.

One record is filed under several keys; two records are a candidate pair when they share a
key. The same keys drive the real-time :class:`~reunify.tracing.matching.index.CandidateIndex`
(Python hash tables) and the Splink batch (the keys joined in DuckDB and handed to Splink as its
blocked pairs), so both engines consider the same pairs. Several rules, because blocking recall is
the ceiling of the whole matcher (``docs/tracing-matching.md``).
"""

from __future__ import annotations

import itertools
from collections.abc import Collection, Iterator
from dataclasses import dataclass

from reunify.tracing.matching.features import Features

BlockingKey = tuple[object, ...]


@dataclass(frozen=True)
class BlockingRule:
    name: str
    columns: tuple[str, ...]  # columns of the Splink input table that must be equal
    exploded: tuple[str, ...]  # of those, the list columns (exploded before the join)


BLOCKING_RULES: tuple[BlockingRule, ...] = (
    # Each rule pairs fairly rare things, so that common names (Mohamed, Juan) do not explode
    # the number of pairs: chosen greedily, on synthetic data at 100,000 children, by the true
    # pairs the scorer would accept gained per candidate pair (docs/tracing-matching.md): 8.4
    # million pairs for 86,571 sought children, 99.3 % of the acceptable true pairs.
    BlockingRule("given_village", ("given_key", "place_v"), ("place_v",)),
    BlockingRule("dob_country", ("birth_dob", "place_c"), ("place_c",)),
    BlockingRule("separation_day_country", ("sep_day", "place_c"), ("place_c",)),
    BlockingRule(
        "given_family_birth", ("given_key", "family_key", "birth_bands"), ("birth_bands",)
    ),
    BlockingRule(
        "given_family_place",
        ("given_key", "family_key", "place_names"),
        ("place_names",),
    ),
    BlockingRule("mother_village", ("mother_first", "place_v"), ("mother_first", "place_v")),
    BlockingRule(
        "name_birth_district",
        ("names_all", "birth_bands", "place_d"),
        ("names_all", "birth_bands", "place_d"),
    ),
    BlockingRule(
        "parents_district",
        ("father_first", "mother_first", "place_d"),
        ("father_first", "mother_first", "place_d"),
    ),
    BlockingRule(
        "parents_region",
        ("father_first", "mother_first", "place_r"),
        ("father_first", "mother_first", "place_r"),
    ),
    BlockingRule(
        "name_parents",
        ("names_all", "father_first", "mother_first"),
        ("names_all", "father_first", "mother_first"),
    ),
    BlockingRule(
        "surname_village_birth",
        ("surname_keys", "place_v", "birth_bands"),
        ("surname_keys", "place_v", "birth_bands"),
    ),
    BlockingRule("separation_month_name", ("sep_month", "names_all"), ("names_all",)),
)


def _values(features: Features, column: str) -> Collection[object]:
    value = getattr(features, column)
    if isinstance(value, frozenset):
        return value
    return () if value is None else (value,)


def blocking_keys(features: Features) -> Iterator[BlockingKey]:
    """Every key the record is filed under (rule index first, so rules never collide): one
    per combination of the values of a rule's columns (a list column contributes each of its
    values, as Splink's exploded columns do). Two records are a candidate pair when they share
    a key; the batch joins these keys in DuckDB, the real-time index hashes them."""
    for index, rule in enumerate(BLOCKING_RULES):
        parts = [_values(features, column) for column in rule.columns]
        if all(parts):
            for key in itertools.product(*parts):
                yield (index, *key)
