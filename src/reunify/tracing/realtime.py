"""Real-time candidates: the agency's records as the matcher sees them (`TracingRecord`), an
in-memory `CandidateIndex` of one side per agency, and the candidates of one saved record.

Reads only (the services store what this finds). The index is kept per process and rebuilt when
the agency's eligible records change: its key is the agency, the side, the matching parameters in
use and a data version read from the database (count, latest change, highest id), so another web
process's writes are seen on the next save; `invalidate()` is called by the services after every
write of this process to that side as well. Confidential facts never enter a TracingRecord."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterable
from typing import Any

from django.db.models import Count, Max, QuerySet

from reunify.tracing import rules
from reunify.tracing.matching import (
    CandidateIndex,
    Match,
    MatchModel,
    PartialDate,
    TracingRecord,
)
from reunify.tracing.models import MatchingModel, SeparatedChild, SoughtChild, TracingRequest

CHILD_SIDE = "child"
REQUEST_SIDE = "request"
_CACHE_SIZE = 8

_lock = threading.Lock()
_indexes: dict[tuple[Any, ...], CandidateIndex] = {}
_models: dict[tuple[int, int | None], MatchModel] = {}
_generations: dict[tuple[int, str], int] = {}


def invalidate(agency_id: int, side: str) -> None:
    """Forget this process's index of one side of an agency (called after each write to it)."""
    with _lock:
        _generations[(agency_id, side)] = _generations.get((agency_id, side), 0) + 1
        for key in [k for k in _indexes if k[:2] == (agency_id, side)]:
            del _indexes[key]


# ---- records as the matcher sees them ----------------------------------------------------------


def _names(text: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in text.split(";") if part.strip())


def _partial(text: str) -> PartialDate | None:
    try:
        return PartialDate.parse(text or "")
    except ValueError:
        return None


def _middle(value: PartialDate | None) -> dt.date | None:
    """A day standing for a partial date (the middle of the month or of the year)."""
    if value is None:
        return None
    return dt.date(value.year, value.month or 7, value.day or (15 if value.month else 1))


def child_record(child: SeparatedChild) -> TracingRecord:
    return TracingRecord(
        record_id=str(child.pk),
        given_name=child.given_name,
        family_name=child.family_name,
        other_names=_names(child.other_names),
        sex=child.sex,
        date_of_birth=_partial(child.date_of_birth),
        age_estimate=child.age_estimate,
        reference_date=child.registered_on,
        place_of_origin=child.place("origin"),
        place_of_separation=child.place("separation"),
        date_of_separation=_partial(child.separated_on),
        father_name=child.father_name,
        mother_name=child.mother_name,
        caregiver_name=child.caregiver_name,
        language=child.language,
        nationality=child.nationality,
    )


def sought_record(sought: SoughtChild, request: TracingRequest) -> TracingRecord:
    separated = _partial(request.separated_on)
    return TracingRecord(
        record_id=str(sought.pk),
        given_name=sought.given_name,
        family_name=sought.family_name,
        other_names=_names(sought.other_names),
        sex=sought.sex,
        date_of_birth=_partial(sought.date_of_birth),
        age_estimate=sought.age_at_separation,
        reference_date=_middle(separated) or request.requested_on,
        place_of_origin=request.place("origin"),
        place_of_separation=request.place("separation"),
        date_of_separation=separated,
        father_name=sought.father_name,
        mother_name=sought.mother_name,
        requester_name=request.requester_name,
        requester_relationship=request.requester_relationship,
        language=request.language,
        nationality=request.nationality,
    )


def request_records(request: TracingRequest) -> list[TracingRecord]:
    return [sought_record(s, request) for s in request.sought.all()]


# ---- which records may be matched --------------------------------------------------------------


def matchable_children(agency_id: int) -> QuerySet[SeparatedChild]:
    """Children with consent for tracing whose case is not closed (rules.matchable)."""
    return SeparatedChild.objects.filter(agency_id=agency_id, consent_given=True).exclude(
        status=rules.CLOSED
    )


def matchable_sought(agency_id: int) -> QuerySet[SoughtChild]:
    return SoughtChild.objects.filter(request__agency_id=agency_id).exclude(
        request__status=rules.REQUEST_CLOSED
    )


def match_model(agency_id: int) -> MatchModel:
    """The agency's latest trained parameters, else the shipped ones."""
    latest = (
        MatchingModel.objects.filter(agency_id=agency_id).values_list("pk", "parameters").first()
    )
    key = (agency_id, latest[0] if latest else None)
    with _lock:
        cached = _models.get(key)
    if cached is None:
        cached = MatchModel.from_json(latest[1]) if latest else MatchModel.default()
        with _lock:
            _models[key] = cached
    return cached


def _version(queryset: QuerySet[Any], changed: str) -> tuple[Any, ...]:
    row = queryset.aggregate(n=Count("pk"), last=Max(changed), top=Max("pk"))
    return (row["n"], row["last"], row["top"])


def index_for(agency_id: int, side: str) -> CandidateIndex:
    """The agency's index of `side` (CHILD_SIDE: consented children; REQUEST_SIDE: the children
    sought by open requests), built once per data version."""
    model = match_model(agency_id)
    if side == CHILD_SIDE:
        version = _version(matchable_children(agency_id), "updated_at")
    else:
        version = _version(matchable_sought(agency_id), "request__updated_at")
    with _lock:
        generation = _generations.get((agency_id, side), 0)
    key = (agency_id, side, id(model), version, generation)
    with _lock:
        index = _indexes.get(key)
    if index is not None:
        return index
    records: Iterable[TracingRecord]
    if side == CHILD_SIDE:
        records = (child_record(c) for c in matchable_children(agency_id).iterator(2000))
    else:
        records = (
            sought_record(s, s.request)
            for s in matchable_sought(agency_id).select_related("request").iterator(2000)
        )
    index = CandidateIndex(model, records, side=side)
    with _lock:
        if len(_indexes) >= _CACHE_SIZE:
            _indexes.clear()
        _indexes[key] = index
    return index


def candidates_for_child(child: SeparatedChild) -> list[Match]:
    """The sought children of open requests that may be this child."""
    if not rules.matchable(consent_given=child.consent_given, status=child.status):
        return []
    index = index_for(child.agency_id, REQUEST_SIDE)
    return index.candidates(child_record(child), min_probability=rules.FLOOR)


def candidates_for_request(request: TracingRequest) -> list[Match]:
    """The consented children who may be one of the children the request seeks."""
    if request.status == rules.REQUEST_CLOSED:
        return []
    index = index_for(request.agency_id, CHILD_SIDE)
    found: list[Match] = []
    for record in request_records(request):
        found.extend(index.candidates(record, min_probability=rules.FLOOR))
    return found


def evidence_json(match: Match) -> list[dict[str, Any]]:
    return [
        {"field": e.field, "level": e.level, "weight": round(e.weight, 3), "detail": e.detail}
        for e in match.evidence
    ]
