"""Demo referrals: for about two thirds of the open cases with a parent, one to three referrals of
a parent (sometimes a child) to services of the demo directory, for a goal of the case plan
when there is one, in every state of their life: drafts, sent and waiting (some overdue),
accepted, declined, in service with attendance, completed, not completed and withdrawn; each
with the consent the parent gave, its timeline, a provider link (whose token nobody knows) and,
for about a third, the barriers that kept the family from the service.

Rows are written in bulk, without history rows, for speed. Without a directory (no services in
the agency) there is nothing to refer to, and nothing is written."""

from __future__ import annotations

import datetime as dt
import random
import secrets
from collections import defaultdict

from reunify.accounts.models import Agency
from reunify.case_plans.models import FamilyPlan, VersionStatus
from reunify.cases.models import CaseParticipant, FamilyCase, ParticipantRole
from reunify.core import clock
from reunify.referrals import rules
from reunify.referrals.models import (
    Attendance,
    Barrier,
    Consent,
    ProviderLink,
    Referral,
    ReferralEvent,
)
from reunify.referrals.services import token_digest
from reunify.services.models import Service, ServiceStatus

SHARE = 0.66
BATCH = 2000
# (final status, weight): what became of the referrals.
OUTCOMES = [
    (rules.DRAFT, 6),
    (rules.SENT, 12),
    (rules.ACCEPTED, 10),
    (rules.DECLINED, 8),
    (rules.IN_SERVICE, 22),
    (rules.COMPLETED, 20),
    (rules.NOT_COMPLETED, 10),
    (rules.WITHDRAWN, 6),
]
PATH = {
    rules.DRAFT: [],
    rules.SENT: [rules.SEND],
    rules.ACCEPTED: [rules.SEND, rules.ACCEPT],
    rules.DECLINED: [rules.SEND, rules.DECLINE],
    rules.IN_SERVICE: [rules.SEND, rules.ACCEPT, rules.START],
    rules.COMPLETED: [rules.SEND, rules.ACCEPT, rules.START, rules.COMPLETE],
    rules.NOT_COMPLETED: [rules.SEND, rules.ACCEPT, rules.START, rules.NOT_COMPLETE],
    rules.WITHDRAWN: [rules.SEND, rules.WITHDRAW],
}
REASONS = [
    "Support with routines and discipline without hitting",
    "Assessment and treatment for alcohol use",
    "Help finding stable housing before the children come home",
    "Counselling after domestic violence",
    "Help with food while looking for work",
]
DECLINE = ["Our waiting list is full until next quarter", "Outside our service area"]
NOT_COMPLETED = ["Stopped coming after the third session", "Moved out of the county"]
WITHDRAW = ["The family chose another provider", "No longer needed after the court hearing"]
BARRIER_NOTES = {
    "transport": "No car; two buses each way",
    "childcare": "No one to watch the baby during sessions",
    "cost": "Cannot pay the fee",
    "language": "No Spanish-speaking counsellor",
    "waitlist": "Waiting list of six weeks",
    "schedule": "Sessions clash with work shifts",
    "other": "Worried about being seen there",
}


def _goal_keys(agency: Agency) -> dict[int, list[tuple[int, str]]]:
    """Case id -> [(plan id, goal key)] of the plan as it stands."""
    keys: dict[int, list[tuple[int, str]]] = defaultdict(list)
    plans = FamilyPlan.objects.filter(case__agency=agency).prefetch_related("versions")
    for plan in plans:
        versions = [v for v in plan.versions.all() if v.status != VersionStatus.SUPERSEDED]
        if versions:
            latest = max(versions, key=lambda v: v.number)
            for goal in latest.document.get("goals", []):
                keys[plan.case_id].append((plan.pk, goal["key"]))
    return keys


def demo_referrals(*, agency: Agency, as_of: dt.date, rng: random.Random) -> int:
    """Add the demo referrals; returns how many were written (0 without a directory)."""
    service_ids = list(
        Service.objects.filter(agency=agency, status=ServiceStatus.ACTIVE)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    if not service_ids:
        return 0
    zone = clock.agency_zone()
    people: dict[int, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
    for case_id, person_id, role in CaseParticipant.objects.filter(
        case__agency=agency,
        case__status=FamilyCase.Status.OPEN,
        role__in=[ParticipantRole.PARENT, ParticipantRole.CHILD],
    ).values_list("case_id", "person_id", "role"):
        people[case_id][role].append(person_id)
    workers = dict(FamilyCase.objects.filter(pk__in=list(people)).values_list("pk", "worker_id"))
    goals = _goal_keys(agency)
    statuses, weights = zip(*OUTCOMES, strict=True)
    referrals: list[Referral] = []
    plans: list[dict] = []  # what to write once the referrals have their ids
    for case_id in sorted(people):
        parents = sorted(people[case_id][ParticipantRole.PARENT])
        if not parents or rng.random() >= SHARE:
            continue
        for _ in range(rng.randint(1, 3)):
            status = rng.choices(statuses, weights)[0]
            children = people[case_id][ParticipantRole.CHILD]
            person = (
                rng.choice(children) if children and rng.random() < 0.2 else rng.choice(parents)
            )
            consenting = person if person in parents else rng.choice(parents)
            goal = rng.choice(goals[case_id]) if goals.get(case_id) else None
            start = dt.datetime.combine(
                as_of - dt.timedelta(days=rng.randint(3, 150)), dt.time(10), tzinfo=zone
            )
            times = [start]
            for _step in PATH[status]:
                times.append(
                    times[-1] + dt.timedelta(days=rng.randint(1, 12), hours=rng.randint(0, 6))
                )
            now = dt.datetime.combine(as_of, dt.time(9), tzinfo=zone)
            times = [min(t, now) for t in times]
            stamps = dict(zip(PATH[status], times[1:], strict=True))
            referral = Referral(
                case_id=case_id,
                person_id=person,
                service_id=rng.choice(service_ids),
                plan_id=goal[0] if goal else None,
                goal_key=goal[1] if goal else "",
                reason=rng.choice(REASONS),
                status=status,
                created_at=start,
                created_by_id=workers[case_id],
                sent_at=stamps.get(rules.SEND),
                sent_to="intake@provider.example" if rules.SEND in stamps else "",
                accepted_at=stamps.get(rules.ACCEPT),
                declined_at=stamps.get(rules.DECLINE),
                started_at=stamps.get(rules.START),
                ended_at=stamps.get(rules.COMPLETE) or stamps.get(rules.NOT_COMPLETE),
                withdrawn_at=stamps.get(rules.WITHDRAW),
                decline_reason=rng.choice(DECLINE) if status == rules.DECLINED else "",
                not_completed_reason=rng.choice(NOT_COMPLETED)
                if status == rules.NOT_COMPLETED
                else "",
                withdraw_reason=rng.choice(WITHDRAW) if status == rules.WITHDRAWN else "",
                version=1 + len(PATH[status]),
            )
            referrals.append(referral)
            plans.append(
                {"consenting": consenting, "times": times, "status": status, "stamps": stamps}
            )
    Referral.objects.bulk_create(referrals, batch_size=BATCH)
    events: list[ReferralEvent] = []
    consents: list[Consent] = []
    links: list[ProviderLink] = []
    attendance: list[Attendance] = []
    barriers: list[Barrier] = []
    for referral, plan in zip(referrals, plans, strict=True):
        worker = referral.created_by_id
        events.append(
            ReferralEvent(
                referral=referral,
                at=referral.created_at,
                action="create",
                by="worker",
                user_id=worker,
                to_status=rules.DRAFT,
            )
        )
        if plan["status"] != rules.DRAFT or rng.random() < 0.5:
            fields = [
                rules.NAME,
                rules.PHONE,
                *rng.sample(
                    [rules.EMAIL, rules.LANGUAGE, rules.ADDRESS, rules.REASON, rules.GOAL], 2
                ),
            ]
            consents.append(
                Consent(
                    referral=referral,
                    given_by_id=plan["consenting"],
                    how=rules.SIGNED,
                    given_on=referral.created_at.astimezone(zone).date(),
                    recorded_by_id=worker,
                    recorded_at=referral.created_at,
                    **{f"share_{f}": f in fields for f in rules.SHAREABLE},
                )
            )
        status = rules.DRAFT
        for action, at in plan["stamps"].items():
            after = rules.next_status(status, action) or status
            by = "provider" if action in (rules.ACCEPT, rules.DECLINE, rules.START) else "worker"
            if action in (rules.COMPLETE, rules.NOT_COMPLETE):
                by = rng.choice(["provider", "worker"])
            events.append(
                ReferralEvent(
                    referral=referral,
                    at=at,
                    action=action,
                    by=by,
                    user_id=worker if by == "worker" else None,
                    from_status=status,
                    to_status=after,
                    note=referral.closing_reason if after in rules.FINAL else "",
                )
            )
            status = after
        if referral.sent_at:
            token = secrets.token_urlsafe(32)  # thrown away: demo links open nothing
            links.append(
                ProviderLink(
                    referral=referral,
                    prefix=token[:8],
                    digest=token_digest(token),
                    sent_to=referral.sent_to,
                    created_at=referral.sent_at,
                    expires_at=referral.sent_at + dt.timedelta(days=30),
                    revoked_at=referral.withdrawn_at,
                )
            )
        if referral.started_at:
            end = referral.ended_at or dt.datetime.combine(as_of, dt.time(9), tzinfo=zone)
            day = referral.started_at.astimezone(zone).date()
            while day <= end.astimezone(zone).date() and day <= as_of:
                attendance.append(
                    Attendance(
                        referral=referral,
                        on=day,
                        attended=rng.random() < 0.8,
                        by="provider",
                        recorded_at=dt.datetime.combine(day, dt.time(18), tzinfo=zone),
                    )
                )
                day += dt.timedelta(days=7)
        if rng.random() < 0.35:
            for kind in rng.sample(rules.BARRIER_KINDS, rng.randint(1, 2)):
                resolved = rng.random() < 0.4
                recorded = referral.created_at + dt.timedelta(days=1)
                barriers.append(
                    Barrier(
                        referral=referral,
                        kind=kind,
                        note=BARRIER_NOTES[kind],
                        recorded_at=recorded,
                        recorded_by_id=worker,
                        resolved_at=recorded + dt.timedelta(days=10) if resolved else None,
                        resolved_by_id=worker if resolved else None,
                    )
                )
    ReferralEvent.objects.bulk_create(events, batch_size=BATCH)
    Consent.objects.bulk_create(consents, batch_size=BATCH)
    ProviderLink.objects.bulk_create(links, batch_size=BATCH)
    Attendance.objects.bulk_create(attendance, batch_size=BATCH)
    Barrier.objects.bulk_create(barriers, batch_size=BATCH)
    return len(referrals)
