"""Family-tracing matcher: explainable Fellegi-Sunter scoring of requests against children.

Pure package (no Django). See ``docs/tracing-matching.md`` for the comparisons and
``docs/adr/0013-tracing-matching.md`` for the decisions behind them.
"""

from reunify.tracing.matching.index import CandidateIndex
from reunify.tracing.matching.model import MatchModel, score_pair
from reunify.tracing.matching.records import FieldEvidence, Match, PartialDate, TracingRecord

__all__ = [
    "CandidateIndex",
    "FieldEvidence",
    "Match",
    "MatchModel",
    "PartialDate",
    "TracingRecord",
    "score_pair",
]
