"""Family tracing for tests, built through the services: a registered child (with consent), a
family's request for them (a different spelling, an approximate age), and the steps of
verification, decision, reunification and follow-up."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from PIL import Image

from reunify.accounts.models import User
from reunify.core import clock
from reunify.tracing import services
from reunify.tracing.models import CandidateMatch, SeparatedChild, TracingRequest


def child_details(**overrides: Any) -> services.ChildDetails:
    today = clock.today()
    values: dict[str, Any] = {
        "given_name": "Mohammed",
        "family_name": "Haddad",
        "other_names": "Hamoudi",
        "sex": "M",
        "date_of_birth": "",
        "age_estimate": 9,
        "registered_on": today - dt.timedelta(days=30),
        "origin_country": "Syria",
        "origin_region": "Aleppo",
        "origin_district": "Jebel Saman",
        "origin_village": "Haritan",
        "separation_country": "Turkey",
        "separation_region": "Hatay",
        "separation_district": "Reyhanli",
        "separation_village": "",
        "separated_on": f"{today.year - 1}-03",
        "father_name": "Ahmad Haddad",
        "mother_name": "Fatima",
        "caregiver_name": "",
        "language": "Arabic",
        "nationality": "Syrian",
        "care_arrangement": "foster_family",
        "current_location": "Gaziantep, Sehitkamil",
        "current_caregiver": "Leyla Demir",
        "consent_given": True,
        "consent_on": today - dt.timedelta(days=30),
    }
    values.update(overrides)
    return services.ChildDetails(**values)


def register_child(*, worker: User, photo: bytes | None = None, **overrides: Any) -> SeparatedChild:
    return services.child_register(actor=worker, details=child_details(**overrides), photo=photo)


def request_details(**overrides: Any) -> services.RequestDetails:
    today = clock.today()
    values: dict[str, Any] = {
        "requester_name": "Ahmed Hadad",
        "requester_relationship": "father",
        "requester_contact": "+90 555 010 0100",
        "requested_on": today - dt.timedelta(days=3),
        "language": "Arabic",
        "nationality": "Syrian",
        "separated_on": f"{today.year - 1}-03",
        "separation_country": "Turkey",
        "separation_region": "Hatay",
        "separation_district": "Reyhanli",
        "origin_country": "Syria",
        "origin_region": "Aleppo",
        "origin_district": "",
        "origin_village": "Haritan",
    }
    values.update(overrides)
    return services.RequestDetails(**values)


def sought_details(**overrides: Any) -> services.SoughtDetails:
    values: dict[str, Any] = {
        "given_name": "Mohammed",
        "family_name": "Hadad",
        "sex": "M",
        "age_at_separation": 8,
        "father_name": "Ahmed Hadad",
        "mother_name": "Fatima",
    }
    values.update(overrides)
    return services.SoughtDetails(**values)


def file_request(
    *, worker: User, sought: list[services.SoughtDetails] | None = None, **overrides: Any
) -> TracingRequest:
    return services.request_create(
        actor=worker, details=request_details(**overrides), sought=sought or [sought_details()]
    )


def candidate(request: TracingRequest, child: SeparatedChild) -> CandidateMatch:
    return CandidateMatch.objects.get(request=request, child=child)


def interviews(*, worker: User, match: CandidateMatch, corroborated: bool = True) -> None:
    """The two separate interviews, consistent, the child recognising the adult."""
    on = clock.today()
    services.interview_record(
        actor=worker,
        match=match,
        interviewee="child",
        on=on,
        consistent=True,
        recognises="yes",
        wishes="yes",
        photo_among_others=corroborated,
        notes="Named his father and the village; picked the photo out of six.",
    )
    services.interview_record(
        actor=worker,
        match=match,
        interviewee="adult",
        on=on,
        consistent=True,
        willing=True,
        able=True,
        community=corroborated,
        notes="Described the separation at the border as the child did.",
    )


def verified(*, worker: User, match: CandidateMatch) -> CandidateMatch:
    services.candidate_confirm(actor=worker, match=match)
    interviews(worker=worker, match=match)
    return services.candidate_verify(actor=worker, match=match)


def approved(
    *,
    proposer: User,
    approvers: tuple[User, User],
    child: SeparatedChild,
    match: CandidateMatch | None = None,
    decision: str = "reunify",
):
    bid = services.decision_propose(
        actor=proposer,
        child=child,
        match=match,
        decision=decision,
        rationale="The father is able and willing; the child wishes to go home.",
    )
    services.decision_approve(actor=approvers[0], decision=bid)
    return services.decision_approve(actor=approvers[1], decision=bid)


def tiny_png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), "blue").save(out, format="PNG")
    return out.getvalue()


def tracing_for_matrix(*, worker: User, requester_worker: User) -> dict[str, Any]:
    """The authorization matrix's objects (tests/authz_matrix.d/tracing.yaml): a child with
    consent registered by `worker`, a request taken by `requester_worker` that matches it, the
    candidate between them (proposed), and a best-interests decision proposed by `worker` for
    another child waiting for approval."""
    child = register_child(worker=worker, photo=tiny_png())
    request = file_request(worker=requester_worker)
    other = register_child(worker=worker, given_name="Amina", family_name="Yusuf", sex="F")
    bid = services.decision_propose(
        actor=worker, child=other, decision="further_tracing", rationale="No family found yet."
    )
    return {
        "tracing_child": child,
        "tracing_request": request,
        "candidate": candidate(request, child),
        "decision": bid,
    }
