"""Demo case plans: for most demo cases that have a completed case plan (`CasePlan` rows written
by `cases.demo`), a plan whose versions match those completions: version 1 signed by a parent on
the day of the first, and for some cases a version 2 with a changed goal on the day of an update.
Written in bulk, like the rest of the demo data; the completion rows are linked to the versions.

Called by `cases.demo.DemoAgency.build` once its rows are saved:
    demo_plans(agency=agency, seed=self.seed)
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from typing import Any

from reunify.case_plans import document as doc
from reunify.case_plans.models import (
    CasePlan,
    FamilyPlan,
    MeetingParent,
    PlanningMeeting,
    PlanVersion,
    Signature,
    VersionStatus,
)
from reunify.cases.models import CaseParticipant, ParticipantRole, PermanencyGoal
from reunify.core import clock

SHARE_WITH_PLAN = 0.9  # of the cases with a completed case plan
SHARE_WITH_SECOND_VERSION = 0.4  # of those with a later update

GOALS = [
    ("I will keep my children safe when I am upset.", "The children were hurt during arguments."),
    (
        "I will stay sober and have a plan if I feel like using.",
        "Caring for the children while using.",
    ),
    (
        "I will make sure an adult I trust watches the kids when I work.",
        "The children were left alone.",
    ),
    ("I will keep food in the house and pay the rent on time.", "The family had no stable home."),
    (
        "I will take my medicine and see my counselor.",
        "Untreated depression left the children unsupervised.",
    ),
]
SERVICES = ["Parenting class", "Outpatient treatment", "Family counseling", "Housing help"]
NEEDS = [
    ("health", "Yearly check-up and dental visit", "Resource family"),
    ("education", "Reading support at school", "School counselor"),
    ("well_being", "Weekly time with siblings", "Caseworker"),
]
CONDITIONS = ["A safe adult is home with the children at night.", "The home has working heat."]
CHANGED_GOAL = "I will call my sponsor or my sister before I lose my temper."


def _at(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(10, 0), tzinfo=clock.agency_zone())


def _document(
    rng: random.Random, children: list[tuple[int, str, str]], due_from: dt.date
) -> dict[str, Any]:
    content = doc.empty([])
    for person_id, goal, concurrent in children:
        content = doc.put_child(content, person_id, goal=goal, concurrent_goal=concurrent)
        for area, need, who in rng.sample(NEEDS, 2):
            content = doc.put_need(
                content,
                person_id,
                {"key": doc.new_key(), "area": area, "need": need, "who_meets_it": who},
            )
    for change, concern in rng.sample(GOALS, 2):
        key = doc.new_key()
        service = rng.choice(SERVICES)
        content = doc.put(
            content,
            "goals",
            {
                "key": key,
                "change": change,
                "safety_concern": concern,
                "services": [{"name": service}],
            },
        )
        content = doc.put(
            content,
            "tasks",
            {
                "key": doc.new_key(),
                "text": f"Go to {service.lower()} every week",
                "owner": "parent",
                "owner_name": "",
                "due_on": (due_from + dt.timedelta(days=rng.randint(30, 90))).isoformat(),
                "status": "in_progress",
                "goal_key": key,
            },
        )
    content = doc.put(
        content,
        "tasks",
        {
            "key": doc.new_key(),
            "text": "Set up family time and the referrals",
            "owner": "worker",
            "owner_name": "",
            "due_on": (due_from + dt.timedelta(days=14)).isoformat(),
            "status": "done",
            "goal_key": "",
        },
    )
    return doc.put(
        content,
        "conditions_for_return",
        {"key": doc.new_key(), "text": rng.choice(CONDITIONS), "status": "not_met"},
    )


def demo_plans(*, agency: Any, seed: int) -> int:
    """Plans for the agency's demo cases; returns how many were made."""
    rng = random.Random(seed + 5)  # demo data, not security
    completions: dict[int, list[CasePlan]] = defaultdict(list)
    for row in CasePlan.objects.filter(episode__case__agency=agency).select_related("episode"):
        completions[row.episode.case_id].append(row)
    case_ids = sorted(c for c in completions if rng.random() < SHARE_WITH_PLAN)
    goals: dict[int, dict[bool, str]] = defaultdict(dict)
    for episode_id, concurrent, kind in PermanencyGoal.objects.filter(
        episode__case_id__in=case_ids, ended_on__isnull=True
    ).values_list("episode_id", "is_concurrent", "kind"):
        goals[episode_id][concurrent] = kind
    parents: dict[int, list[Any]] = defaultdict(list)
    for p in CaseParticipant.objects.filter(
        case_id__in=case_ids, role=ParticipantRole.PARENT
    ).select_related("person"):
        parents[p.case_id].append(p.person)

    plans, versions, meetings, links = [], [], [], []
    for case_id in case_ids:
        rows = sorted(completions[case_id], key=lambda r: (r.completed_on, r.pk))
        episodes = {r.episode_id: r.episode for r in rows}
        children = [
            (e.child_id, goals[e.pk].get(False, "reunification"), goals[e.pk].get(True, ""))
            for e in episodes.values()
        ]
        days = sorted({r.completed_on for r in rows})
        second = len(days) > 1 and rng.random() < SHARE_WITH_SECOND_VERSION
        plan = FamilyPlan(case_id=case_id, created_at=_at(days[0]), version=2 if second else 1)
        plans.append(plan)
        first = _document(rng, children, days[0])
        made = [(1, days[0], first)]
        if second:
            changed = doc.put(first, "goals", {**first["goals"][0], "change": CHANGED_GOAL})
            made.append((2, days[1], changed))
        for number, day, content in made:
            status = VersionStatus.FINAL if number == len(made) else VersionStatus.SUPERSEDED
            version = PlanVersion(
                plan=plan,
                number=number,
                status=status,
                document=content,
                created_at=_at(day - dt.timedelta(days=7)),
                finalized_at=_at(day),
            )
            versions.append(version)
            meetings.append((version, day, parents[case_id]))
            links += [(r, version) for r in rows if r.completed_on == day]
    FamilyPlan.objects.bulk_create(plans, batch_size=1000)
    for version in versions:
        version.plan_id = version.plan.pk
    PlanVersion.objects.bulk_create(versions, batch_size=1000)
    PlanVersion.history.bulk_history_create(versions, default_change_reason="demo data")  # type: ignore[attr-defined]
    meeting_rows = [
        PlanningMeeting(
            version=v,
            held_on=day - dt.timedelta(days=2),
            strengths="I love my children and I keep my appointments.",
            needs="Help with transport to the classes.",
            recorded_at=_at(day),
        )
        for v, day, _people in meetings
    ]
    PlanningMeeting.objects.bulk_create(meeting_rows, batch_size=1000)
    MeetingParent.objects.bulk_create(
        [
            MeetingParent(meeting=m, person=person, present=True)
            for m, (_v, _day, people) in zip(meeting_rows, meetings, strict=True)
            for person in people
        ],
        batch_size=1000,
    )
    Signature.objects.bulk_create(
        [
            Signature(
                version=v,
                signer=people[0],
                typed_name=people[0].full_name,
                signed_at=_at(day) + dt.timedelta(hours=1),
            )
            for v, day, people in meetings
            if people
        ],
        batch_size=1000,
    )
    for row, version in links:
        row.plan_version = version
    CasePlan.objects.bulk_update([r for r, _v in links], ["plan_version"], batch_size=1000)
    return len(plans)
