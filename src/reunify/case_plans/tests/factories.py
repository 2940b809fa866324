"""Case plans built through the real services."""

from __future__ import annotations

import datetime as dt

from reunify.case_plans import services
from reunify.case_plans.models import FamilyPlan
from reunify.cases.models import FamilyCase


def fresh(plan: FamilyPlan) -> FamilyPlan:
    return FamilyPlan.objects.select_related("case").get(pk=plan.pk)


def plan_with_goal(
    *, worker, case: FamilyCase, change: str = "I will keep my home safe."
) -> FamilyPlan:
    """A started plan whose draft has one goal and one task for it."""
    plan = services.plan_start(actor=worker, case=case)
    version = services.goal_save(
        actor=worker,
        plan=fresh(plan),
        expected_version=1,
        change=change,
        safety_concern="The children were left alone at night.",
        services=["Parenting class"],
    )
    goal_key = version.document["goals"][0]["key"]
    services.task_save(
        actor=worker,
        plan=fresh(plan),
        expected_version=2,
        text="Go to the parenting class every Tuesday",
        owner="parent",
        owner_name="Rosa",
        due_on=dt.date(2026, 4, 30),
        goal_key=goal_key,
    )
    return fresh(plan)


def hold_meeting(*, worker, plan: FamilyPlan, held_on: dt.date, present: bool = True) -> None:
    parents = services.case_parents(plan.case)
    services.meeting_record(
        actor=worker,
        plan=plan,
        expected_version=plan.version,
        held_on=held_on,
        parents=[
            services.ParentAttendance(p, present, "" if present else "In hospital") for p in parents
        ],
        strengths="I love my kids and I keep trying.",
        needs="A ride to the classes.",
    )
