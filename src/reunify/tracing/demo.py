"""Demo family tracing: a dozen separated children and ten tracing requests drawn from the
synthetic generator (`reunify.tracing.synthetic`: invented names from several naming traditions,
spelling variants, approximate ages), registered and filed through the services so that matching
runs as it does for users. Then a few candidates are taken through the workflow: one verified,
decided by two people and reunified with its follow-up still to do; one confirmed for
verification with the child's interview recorded; one rejected; the rest proposed. One child has
no consent for tracing and is never matched. Everything is synthetic."""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict

from reunify.accounts.models import Agency, Role, User
from reunify.core import clock
from reunify.tracing import services, synthetic
from reunify.tracing.matching import PartialDate
from reunify.tracing.models import CandidateMatch, MatchStatus, SeparatedChild, TracingRequest

CHILDREN = 12
REQUESTS = 10
LOCATIONS = [
    "Interim care centre, Block B, room 4",
    "With the Mensah family, near the east gate of the camp",
    "Transit centre, dormitory 2",
    "Foster family, 14 Harbour Road",
]
CAREGIVERS = ["Ama Mensah", "Sister Agnes (centre staff)", "Joseph and Ruth Okello", "Centre staff"]
ARRANGEMENTS = ["interim_centre", "kinship", "residential", "foster_family"]


def _partial(text: str, today: dt.date) -> str:
    try:
        value = PartialDate.parse(text or "")
    except ValueError:
        return ""
    if value is None or (value.year, value.month or 1, value.day or 1) > today.timetuple()[:3]:
        return ""
    return value.iso()


def _place(text: str) -> list[str]:
    parts = [p.strip() for p in (text or "").split(";")]
    return [*parts, "", "", "", ""][:4]


def _age(text: str) -> int | None:
    return int(text) if text.strip().isdigit() and int(text) <= 25 else None


def _pick(data: synthetic.SyntheticData, rng: random.Random) -> tuple[list[dict], list[list[dict]]]:
    """Children and requests with true pairs between them first, then a few without."""
    by_request: dict[str, list[dict[str, str]]] = defaultdict(list)
    for row in data.requests:
        by_request[row["request_id"]].append(row)
    paired = sorted({r for r, _c in data.truth})
    rng.shuffle(paired)
    requests = [by_request[r] for r in paired[:REQUESTS]]
    wanted = {c for r, c in data.truth if r in set(paired[:REQUESTS])}
    children = [c for c in data.children if c["child_id"] in wanted][: CHILDREN - 2]
    others = [c for c in data.children if c["child_id"] not in wanted]
    return children + others[: CHILDREN - len(children)], requests


def demo_tracing(*, agency: Agency, as_of: dt.date, rng: random.Random) -> None:
    staff = list(
        User.objects.filter(agency=agency, is_active=True, role=Role.CASEWORKER).order_by("pk")
    )
    supervisors = list(
        User.objects.filter(agency=agency, is_active=True, role=Role.SUPERVISOR).order_by("pk")
    )
    if len(staff) < 2 or len(supervisors) < 2:
        return
    if SeparatedChild.objects.filter(agency=agency).exists():
        return  # made already
    today = min(as_of, clock.today())
    data = synthetic.generate(60, seed=rng.randint(1, 10_000))
    children_rows, request_groups = _pick(data, rng)
    children: list[SeparatedChild] = []
    for i, row in enumerate(children_rows):
        worker = staff[i % 2]
        origin, separation = _place(row["place_of_origin"]), _place(row["place_of_separation"])
        registered_on = today - dt.timedelta(days=rng.randint(10, 150))
        dob = _partial(row["date_of_birth"], today)
        consent = i != len(children_rows) - 1  # the last one: no consent for tracing
        details = services.ChildDetails(
            given_name=row["given_name"] or "Unknown",
            family_name=row["family_name"],
            other_names=row["other_names"],
            sex=row["sex"] if row["sex"] in ("M", "F", "U") else "U",
            date_of_birth=dob,
            age_estimate=_age(row["age_estimate"]) or (None if dob else rng.randint(4, 15)),
            registered_on=registered_on,
            origin_country=origin[0],
            origin_region=origin[1],
            origin_district=origin[2],
            origin_village=origin[3],
            separation_country=separation[0],
            separation_region=separation[1],
            separation_district=separation[2],
            separation_village=separation[3],
            separated_on=_partial(row["date_of_separation"], registered_on),
            father_name=row["father_name"],
            mother_name=row["mother_name"],
            caregiver_name=row["caregiver_name"],
            language=row["language"],
            nationality=row["nationality"],
            care_arrangement=ARRANGEMENTS[i % len(ARRANGEMENTS)],
            current_location=LOCATIONS[i % len(LOCATIONS)],
            current_caregiver=CAREGIVERS[i % len(CAREGIVERS)],
            consent_given=consent,
            consent_on=registered_on if consent else None,
        )
        children.append(services.child_register(actor=worker, details=details))
    requests: list[TracingRequest] = []
    for i, group in enumerate(request_groups):
        head = group[0]
        separation, origin = _place(head["place_of_separation"]), _place(head["place_of_origin"])
        request_details = services.RequestDetails(
            requester_name=head["requester_name"] or "Unknown",
            requester_relationship=head["requester_relationship"] or "relative",
            requester_contact=f"Community desk, visit on Tuesdays (ref. {i + 1:03d})",
            requested_on=today - dt.timedelta(days=rng.randint(1, 60)),
            language=head["language"],
            nationality=head["nationality"],
            separated_on=_partial(head["date_of_separation"], today),
            separation_country=separation[0],
            separation_region=separation[1],
            separation_district=separation[2],
            separation_village=separation[3],
            origin_country=origin[0],
            origin_region=origin[1],
            origin_district=origin[2],
            origin_village=origin[3],
        )
        sought = [
            services.SoughtDetails(
                given_name=row["sought_given_name"] or "Unknown",
                family_name=row["sought_family_name"],
                other_names=row["sought_other_names"],
                sex=row["sought_sex"] if row["sought_sex"] in ("M", "F", "U") else "U",
                date_of_birth=_partial(row["sought_date_of_birth"], today),
                age_at_separation=_age(row["sought_age_at_separation"]),
                father_name=row["father_name"],
                mother_name=row["mother_name"],
            )
            for row in group
        ]
        requests.append(
            services.request_create(
                actor=staff[(i + 1) % 2], details=request_details, sought=sought
            )
        )
    _workflow(children=children, staff=staff, supervisors=supervisors, today=today, rng=rng)


def _workflow(
    *,
    children: list[SeparatedChild],
    staff: list[User],
    supervisors: list[User],
    today: dt.date,
    rng: random.Random,
) -> None:
    likely = list(
        CandidateMatch.objects.filter(
            child__in=children, status=MatchStatus.PROPOSED, probability__gte=0.5
        )
        .select_related("request__worker", "child__worker")
        .order_by("-probability", "id")
    )
    used: set[int] = set()
    chosen: list[CandidateMatch] = []
    for match in likely:
        if match.child_id not in used and match.request_id not in {c.request_id for c in chosen}:
            chosen.append(match)
            used.add(match.child_id)
    if chosen:  # verified, decided by two people, reunified; follow-up still to do
        match = chosen[0]
        worker = match.request.worker
        services.action_record(
            actor=match.child.worker,
            child=match.child,
            on=today - dt.timedelta(days=20),
            kind="photo",
            place="Market and health post",
            description="Photo board shown; a neighbour recognised the child.",
            outcome="successful",
        )
        services.candidate_confirm(actor=worker, match=match)
        _interview(worker, match, today, child_side=True)
        _interview(worker, match, today, child_side=False)
        services.candidate_verify(actor=worker, match=match)
        bid = services.decision_propose(
            actor=match.child.worker,
            child=match.child,
            match=match,
            decision="reunify_with_support",
            rationale="Relationship verified; the child wishes to return; the family needs "
            "support with school fees and food for three months.",
        )
        services.decision_approve(actor=supervisors[0], decision=bid)
        services.decision_approve(actor=supervisors[1], decision=bid)
        services.reunification_record(
            actor=match.child.worker,
            child=match.child,
            match=match,
            on=today - dt.timedelta(days=3),
            relationship=match.request.requester_relationship,
            kind="family",
            follow_up_needed=True,
        )
    if len(chosen) > 1:  # confirmed for verification, the child interviewed
        match = chosen[1]
        services.candidate_confirm(actor=match.request.worker, match=match)
        _interview(match.request.worker, match, today, child_side=True)
    if len(chosen) > 2:  # a tracing action pending on another request
        services.action_record(
            actor=chosen[2].request.worker,
            request=chosen[2].request,
            on=today - dt.timedelta(days=rng.randint(1, 9)),
            kind="mass",
            place="Radio announcement",
            description="Names read on the community radio.",
        )
    weak = (
        CandidateMatch.objects.filter(child__in=children, status=MatchStatus.PROPOSED)
        .exclude(child_id__in=used)
        .order_by("probability", "id")
        .select_related("request__worker")
        .first()
    )
    if weak is not None:
        services.candidate_reject(
            actor=weak.request.worker,
            match=weak,
            reason="Different parents' names; the child was separated in another year.",
        )


def _interview(worker: User, match: CandidateMatch, today: dt.date, *, child_side: bool) -> None:
    if child_side:
        services.interview_record(
            actor=worker,
            match=match,
            interviewee="child",
            on=today - dt.timedelta(days=10),
            consistent=True,
            recognises="yes",
            wishes="yes",
            photo_among_others=True,
            notes="Named the village and the day of separation; picked the photo out of six.",
        )
    else:
        services.interview_record(
            actor=worker,
            match=match,
            interviewee="adult",
            on=today - dt.timedelta(days=9),
            consistent=True,
            willing=True,
            able=True,
            community=True,
            notes="Same account of the separation; the village leader confirmed the family.",
        )
