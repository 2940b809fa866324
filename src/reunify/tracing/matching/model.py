"""Fellegi-Sunter model (prior and m/u per comparison level) and the pair scorer.

The parameters are trained with Splink (:mod:`reunify.tracing.matching.splink_engine`) on the
agency's records; :meth:`MatchModel.default` loads the parameters shipped with the package
(``default_model.json``, trained on synthetic data). Scoring is plain Python over the features
of :mod:`features`, so one pair costs microseconds.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from importlib import resources
from typing import Any

from reunify.tracing.matching.comparisons import COMPARISONS, comparison_levels
from reunify.tracing.matching.explain import describe
from reunify.tracing.matching.features import Features, prepare
from reunify.tracing.matching.records import FieldEvidence, Match, TracingRecord

FORMAT = "reunify-tracing-match-model/1"
_FLOOR = 1e-6
# Fields a sibling or cousin shares with the sought child. They are not independent (one
# family, one event), so together they can say no more than "same family": their summed
# positive weight is capped at log2(children / FAMILY_SIZE), the evidence of picking the
# family out of the register; telling the child from a sibling is left to the given name,
# birth and sex.
FAMILY_FIELDS = frozenset({"family_name", "place", "separation_date", "parents"})
FAMILY_SIZE = 3.0
DEFAULT_CHILDREN = 2000


def family_cap(children: int) -> float:
    """Most weight (log2) the family fields together may add, for a register of this size."""
    return math.log2(max(float(children), 2 * FAMILY_SIZE) / FAMILY_SIZE)


def _log2_bayes_factor(m: float, u: float) -> float:
    return math.log2(max(m, _FLOOR) / max(u, _FLOOR))


def probability_from_weight(weight: float) -> float:
    """Posterior probability from a total match weight (log2 odds)."""
    if weight > 60:
        return 1.0
    if weight < -60:
        return 0.0
    return 1.0 / (1.0 + float(2.0 ** (-weight)))


class MatchModel:
    """Fellegi-Sunter parameters: the prior and an (m, u) pair per comparison level."""

    def __init__(
        self,
        *,
        prior: float,
        parameters: Mapping[str, Mapping[str, tuple[float, float]]],
        info: Mapping[str, Any] | None = None,
    ) -> None:
        if not 0.0 < prior < 1.0:
            raise ValueError(f"prior must be strictly between 0 and 1, not {prior}")
        self.prior = prior
        self.parameters = {field: dict(levels) for field, levels in parameters.items()}
        self.info: dict[str, Any] = dict(info or {})
        self.prior_weight = math.log2(prior / (1.0 - prior))
        table: list[tuple[float, ...]] = []
        for comparison in COMPARISONS:
            given = self.parameters.get(comparison.field, {})
            weights = []
            for level in comparison.levels:
                if level.is_null or level.key not in given:
                    weights.append(0.0)
                else:
                    m, u = given[level.key]
                    weights.append(_log2_bayes_factor(m, u))
            table.append(tuple(weights))
        self.weights: tuple[tuple[float, ...], ...] = tuple(table)
        self.family_mask = tuple(comparison.field in FAMILY_FIELDS for comparison in COMPARISONS)
        children = self.info.get("children")
        self.children = int(children) if isinstance(children, int | float) else DEFAULT_CHILDREN

    @classmethod
    def default(cls) -> MatchModel:
        """The parameters shipped with the package."""
        text = resources.files("reunify.tracing.matching").joinpath("default_model.json")
        return cls.from_json(text.read_text(encoding="utf-8"))

    @property
    def registered_share(self) -> float:
        """Share of sought children who are among the registered children (estimated by EM
        in training); the prior is this share over the number of children trained on."""
        share = self.info.get("registered_share")
        if isinstance(share, int | float) and 0.0 < share < 1.0:
            return float(share)
        children = self.info.get("children")
        if isinstance(children, int | float) and children > 0:
            return min(0.99, self.prior * float(children))
        return 0.5

    def with_prior(self, prior: float) -> MatchModel:
        return MatchModel(prior=prior, parameters=self.parameters, info=self.info)

    def to_json(self) -> str:
        return json.dumps(
            {
                "format": FORMAT,
                "probability_two_random_records_match": self.prior,
                "comparisons": {
                    field: {key: {"m": m, "u": u} for key, (m, u) in levels.items()}
                    for field, levels in self.parameters.items()
                },
                "info": self.info,
            },
            indent=2,
            sort_keys=False,
        )

    @classmethod
    def from_json(cls, text: str) -> MatchModel:
        data = json.loads(text)
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise ValueError(f"not a tracing match model (expected format {FORMAT!r})")
        parameters = {
            field: {key: (float(mu["m"]), float(mu["u"])) for key, mu in levels.items()}
            for field, levels in data["comparisons"].items()
        }
        return cls(
            prior=float(data["probability_two_random_records_match"]),
            parameters=parameters,
            info=data.get("info", {}),
        )

    def pair_weight(self, request: Features, child: Features, cap: float | None = None) -> float:
        """Total match weight (log2 odds, prior included) of two prepared records, the family
        fields capped at ``cap`` (default: for the number of children trained on)."""
        total = self.prior_weight
        family = 0.0
        levels = comparison_levels(request, child)
        for weights, level, shared in zip(self.weights, levels, self.family_mask, strict=True):
            if shared:
                family += weights[level]
            else:
                total += weights[level]
        limit = family_cap(self.children) if cap is None else cap
        return total + min(family, limit)


def score_features(
    model: MatchModel, request: Features, child: Features, cap: float | None = None
) -> Match:
    """Score two prepared records and explain every comparison."""
    evidence = []
    total = model.prior_weight
    family = 0.0
    for comparison, weights in zip(COMPARISONS, model.weights, strict=True):
        index = comparison.level_index(request, child)
        level = comparison.levels[index]
        weight = weights[index]
        total += weight
        if comparison.field in FAMILY_FIELDS:
            family += weight
        evidence.append(
            FieldEvidence(
                field=comparison.field,
                level=level.key,
                weight=round(weight, 3),
                detail=describe(comparison, level, request, child),
            )
        )
    limit = family_cap(model.children) if cap is None else cap
    if family > limit:
        total -= family - limit
        evidence.append(
            FieldEvidence(
                field="family",
                level="capped",
                weight=round(limit - family, 3),
                detail=(
                    "family name, place, separation date and parents agree as they would for "
                    f"a sibling or cousin: together they count {limit:.1f}, not {family:.1f}"
                ),
            )
        )
    return Match(
        request_id=request.record.record_id,
        child_id=child.record.record_id,
        probability=probability_from_weight(total),
        weight=total,
        evidence=tuple(evidence),
    )


def score_pair(model: MatchModel, request: TracingRecord, child: TracingRecord) -> Match:
    """Match probability, weight and per-field explanation of one (sought child, child) pair."""
    return score_features(model, prepare(request), prepare(child))
