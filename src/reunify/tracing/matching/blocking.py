"""Blocking keys: which pairs are worth scoring at all.

One record is filed under several keys; two records are a candidate pair when they share a
key. The same rules drive the real-time :class:`~reunify.tracing.matching.index.CandidateIndex`
(Python hash tables) and the Splink batch (``block_on`` over the same columns, with list columns
exploded), so both engines consider the same pairs. Several rules, because blocking recall is
the ceiling of the whole matcher (``docs/tracing-matching.md``).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from reunify.tracing.matching.features import Features

BlockingKey = tuple[object, ...]


@dataclass(frozen=True)
class BlockingRule:
    name: str
    columns: tuple[str, ...]  # columns of the Splink input table that must be equal
    exploded: tuple[str, ...]  # of those, the list columns (exploded before the join)


BLOCKING_RULES: tuple[BlockingRule, ...] = (
    # Each rule pairs two fairly rare things, so that common names (Mohamed, Juan) do not
    # explode the number of pairs: chosen greedily by recall gained per pair on synthetic data
    # at 100,000 children (docs/tracing-matching.md).
    BlockingRule("given_village", ("given_key", "place_v"), ("place_v",)),
    BlockingRule("dob_country", ("birth_dob", "place_c"), ("place_c",)),
    BlockingRule("separation_day_country", ("sep_day", "place_c"), ("place_c",)),
    BlockingRule("given_family_country", ("given_key", "family_key", "place_c"), ("place_c",)),
    BlockingRule("mother_village", ("mother_first", "place_v"), ("mother_first", "place_v")),
    BlockingRule(
        "name_birth_district",
        ("names_all", "birth_bands", "place_d"),
        ("names_all", "birth_bands", "place_d"),
    ),
    BlockingRule(
        "parents_country",
        ("father_first", "mother_first", "place_c"),
        ("father_first", "mother_first", "place_c"),
    ),
    BlockingRule("separation_month_name", ("sep_month", "names_all"), ("names_all",)),
)


def _product(*parts: Iterable[object]) -> Iterator[tuple[object, ...]]:
    return itertools.product(*parts)


def _one(value: object) -> tuple[object, ...]:
    return () if value is None else (value,)


def blocking_keys(features: Features) -> Iterator[BlockingKey]:
    """Every key the record is filed under (rule index first, so rules never collide); the
    same pairs as the Splink rules above, whose list columns are exploded."""
    f = features
    for index, parts in enumerate(
        (
            (_one(f.given_key), f.place_v),
            (_one(f.birth_dob), f.place_c),
            (_one(f.sep_day), f.place_c),
            (_one(f.given_key), _one(f.family_key), f.place_c),
            (f.mother_first, f.place_v),
            (f.names_all, f.birth_bands, f.place_d),
            (f.father_first, f.mother_first, f.place_c),
            (_one(f.sep_month), f.names_all),
        )
    ):
        for key in _product(*parts):
            yield (index, *key)
