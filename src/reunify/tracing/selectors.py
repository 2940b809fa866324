"""Reads for the tracing pages, already limited by the policy.

`child_view` is the only place a page reads the child's confidential facts: it returns them only
when `permissions.can_see_confidential` allows, so a template given a ChildView cannot show what
its reader may not see. Candidate lists only ever carry `ChildView`s built for the inquirer's
side."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from reunify.tracing import permissions, rules
from reunify.tracing.models import (
    BestInterestsDecision,
    CandidateMatch,
    CareArrangement,
    MatchStatus,
    SeparatedChild,
    SoughtChild,
    TracingRequest,
)

LIST_LIMIT = 50

FIELD_LABELS = {
    "given_name": _("Given name"),
    "family_name": _("Family name"),
    "other_names": _("Other names"),
    "names": _("Names"),
    "birth": _("Age and date of birth"),
    "age": _("Age"),
    "place": _("Places of origin and separation"),
    "place_of_origin": _("Place of origin"),
    "place_of_separation": _("Place of separation"),
    "separation_date": _("Date of separation"),
    "parents": _("Parents' names"),
    "father_name": _("Father's name"),
    "mother_name": _("Mother's name"),
    "sex": _("Sex"),
    "language": _("Language"),
    "nationality": _("Nationality"),
}


@dataclass(frozen=True)
class Confidential:
    care_arrangement: str
    current_location: str
    current_caregiver: str
    has_photo: bool


@dataclass(frozen=True)
class ChildView:
    """A child as one reader may see them: identifying facts always, confidential ones only when
    the policy allows (`confidential` is None otherwise)."""

    pk: int
    reference: str
    status: str
    status_label: str
    given_name: str
    family_name: str
    other_names: str
    sex: str
    date_of_birth: str
    age_estimate: int | None
    registered_on: Any
    place_of_origin: str
    place_of_separation: str
    separated_on: str
    father_name: str
    mother_name: str
    language: str
    nationality: str
    consent_given: bool
    confidential: Confidential | None

    @property
    def name(self) -> str:
        return f"{self.given_name} {self.family_name}".strip()


def place_text(parts: tuple[str, ...]) -> str:
    """ "village, district, region, country", most precise first, empty parts left out."""
    return ", ".join(p for p in reversed(parts) if p)


def child_view(user: Any, child: SeparatedChild, *, on_child_side: bool) -> ChildView:
    allowed = permissions.can_see_confidential(user, child, on_child_side=on_child_side)
    confidential = None
    if allowed:
        confidential = Confidential(
            care_arrangement=str(CareArrangement(child.care_arrangement).label)
            if child.care_arrangement
            else "",
            current_location=child.current_location,
            current_caregiver=child.current_caregiver,
            has_photo=bool(child.photo_type),
        )
    return ChildView(
        pk=child.pk,
        reference=child.reference,
        status=child.status,
        status_label=str(child.get_status_display()),
        given_name=child.given_name,
        family_name=child.family_name,
        other_names=child.other_names,
        sex=str(child.get_sex_display()),
        date_of_birth=child.date_of_birth,
        age_estimate=child.age_estimate,
        registered_on=child.registered_on,
        place_of_origin=place_text(child.place("origin")),
        place_of_separation=place_text(child.place("separation")),
        separated_on=child.separated_on,
        father_name=child.father_name,
        mother_name=child.mother_name,
        language=child.language,
        nationality=child.nationality,
        consent_given=child.consent_given,
        confidential=confidential,
    )


# Columns every list and candidate needs; the confidential ones are deferred so that a list page
# never even loads them (nor the photo).
_CHILD_DEFER = ("photo", "current_location", "current_caregiver", "care_arrangement")


def _children(queryset: QuerySet[SeparatedChild]) -> QuerySet[SeparatedChild]:
    return queryset.defer(*_CHILD_DEFER)


@dataclass(frozen=True)
class Evidence:
    label: str
    detail: str
    weight: float
    direction: str  # "for" | "against" | "none"
    strength: str


def _strength(weight: float) -> str:
    size = abs(weight)
    if size < 0.25:
        return str(_("no information"))
    if size >= 4:
        return str(_("strongly"))
    if size >= 1.5:
        return str(_("moderately"))
    return str(_("weakly"))


def evidence(candidate: CandidateMatch) -> list[Evidence]:
    """The stored explanation, strongest first: which fields agreed, how strongly, what counted
    against."""
    rows = []
    for item in candidate.evidence:
        weight = float(item.get("weight", 0.0))
        field = str(item.get("field", ""))
        rows.append(
            Evidence(
                label=str(FIELD_LABELS.get(field, field.replace("_", " ").capitalize())),
                detail=str(item.get("detail", "")),
                weight=round(weight, 1),
                direction="for" if weight >= 0.25 else ("against" if weight <= -0.25 else "none"),
                strength=_strength(weight),
            )
        )
    return sorted(rows, key=lambda e: -abs(e.weight))


@dataclass(frozen=True)
class CandidateRow:
    candidate: CandidateMatch
    child: ChildView
    evidence: list[Evidence]


def _candidate_rows(user: Any, candidates: QuerySet[CandidateMatch]) -> list[CandidateRow]:
    """Candidates as the inquirer's side sees them (never the confidential facts before
    disclosure)."""
    return [
        CandidateRow(c, child_view(user, c.child, on_child_side=False), evidence(c))
        for c in candidates
    ]


# ---- home --------------------------------------------------------------------------------------


def my_children(user: Any) -> QuerySet[SeparatedChild]:
    return _children(
        permissions.children_visible_to(user).filter(worker=user).exclude(status=rules.CLOSED)
    )[:LIST_LIMIT]


def my_requests(user: Any) -> QuerySet[TracingRequest]:
    return (
        permissions.requests_visible_to(user)
        .filter(worker=user)
        .exclude(status=rules.REQUEST_CLOSED)
        .prefetch_related("sought")[:LIST_LIMIT]
    )


def recent_children(user: Any) -> QuerySet[SeparatedChild]:
    return _children(permissions.children_visible_to(user).select_related("worker"))[:LIST_LIMIT]


def recent_requests(user: Any) -> QuerySet[TracingRequest]:
    return (
        permissions.requests_visible_to(user)
        .select_related("worker")
        .prefetch_related("sought")[:LIST_LIMIT]
    )


def likely_matches(user: Any) -> list[CandidateRow]:
    """New likely matches (proposed, >= rules.LIKELY) on the user's children or requests."""
    candidates = (
        permissions.candidates_visible_to(user)
        .filter(status=MatchStatus.PROPOSED, probability__gte=rules.LIKELY)
        .filter(Q(request__worker=user) | Q(child__worker=user))
        .select_related("request", "sought", "child__worker__unit")
        .defer(*(f"child__{f}" for f in ("photo",)))
        .order_by("-probability", "id")[:LIST_LIMIT]
    )
    return _candidate_rows(user, candidates)


# ---- a child's page ----------------------------------------------------------------------------


@dataclass(frozen=True)
class ChildCandidate:
    """A request that may be looking for this child, as the child's page lists it."""

    candidate: CandidateMatch
    evidence: list[Evidence]


def child_candidates(user: Any, child: SeparatedChild) -> list[ChildCandidate]:
    rows = (
        permissions.candidates_visible_to(user)
        .filter(child=child)
        .exclude(status=MatchStatus.REJECTED)
        .select_related("request", "sought")
        .order_by("-probability", "id")
    )
    return [ChildCandidate(c, evidence(c)) for c in rows]


def child_rejected(user: Any, child: SeparatedChild) -> QuerySet[CandidateMatch]:
    return (
        permissions.candidates_visible_to(user)
        .filter(child=child, status=MatchStatus.REJECTED)
        .select_related("request", "decided_by")
    )


def verified_matches(child: SeparatedChild) -> QuerySet[CandidateMatch]:
    return child.candidates.filter(status=MatchStatus.VERIFIED).select_related("request")


def child_decisions(child: SeparatedChild) -> QuerySet[BestInterestsDecision]:
    return child.decisions.select_related(
        "proposed_by", "first_approver", "second_approver", "match__request"
    )


# ---- a request's page --------------------------------------------------------------------------


@dataclass(frozen=True)
class SoughtWithCandidates:
    sought: SoughtChild
    candidates: list[CandidateRow]


def request_sought(user: Any, request: TracingRequest) -> list[SoughtWithCandidates]:
    """Each child the request seeks, with the candidates (children with consent only), seen
    from the request: identifying facts only until disclosure."""
    visible = (
        permissions.candidates_visible_to(user)
        .exclude(status=MatchStatus.REJECTED)
        .select_related("child__worker__unit")
        .defer("child__photo")
        .order_by("-probability", "id")
    )
    sought = request.sought.prefetch_related(Prefetch("candidates", queryset=visible))
    return [SoughtWithCandidates(s, _candidate_rows(user, s.candidates.all())) for s in sought]


def request_rejected(user: Any, request: TracingRequest) -> list[CandidateRow]:
    rejected = (
        permissions.candidates_visible_to(user)
        .filter(request=request, status=MatchStatus.REJECTED)
        .select_related("child__worker__unit", "sought", "decided_by")
        .defer("child__photo")
    )
    return _candidate_rows(user, rejected)
