"""A case seen from a birth parent's portal, built through the real services, with canary strings
planted in every field a parent must never see (reliability.md AZ-4 canary method)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from reunify.assessments import services as assessment_services
from reunify.assessments.display import IN_HOME_SAFETY
from reunify.assessments.scoring import Answer
from reunify.assessments.tests.factories import SAFETY_QUESTIONS
from reunify.case_plans import services as plan_services
from reunify.case_plans.tests.factories import fresh, hold_meeting, plan_with_goal
from reunify.cases.models import FamilyCase, ParticipantRole, Placement
from reunify.cases.tests.factories import open_case
from reunify.court import services as court_services
from reunify.family_time import services as family_time_services
from reunify.family_time.models import FamilyTimePlan, LocationType
from reunify.family_time.tests.factories import make_plan
from reunify.people.models import Person
from reunify.portal.tests.factories import family_account
from reunify.referrals.tests.factories import provider_service, sent

TODAY = dt.date(2026, 3, 2)  # a Monday
NOW = dt.datetime(2026, 3, 2, 17, 0, tzinfo=dt.UTC)  # 11:00 in America/Chicago

CANARIES = {
    "provider_name": "Zqfosterfamilyname",
    "provider_street": "Zqfosterstreet",
    "confidential_place": "Zqconfidentialplace",
    "hearing_notes": "Zqhearingnotes",
    "why_not_now": "Zqwhynotnow",
    "evidence": "Zqworkerevidence",
    "session_note": "Zqsessionnote",
}
GOAL = "I will keep my home calm and safe."
CONDITION = "A calm home where the adults settle arguments without shouting."
SERVICE = "Harbor Parenting Circle"


@dataclass
class World:
    case: FamilyCase
    parent: Person
    child: Person
    user: object
    family_time: FamilyTimePlan


def build(worker) -> World:
    case = open_case(worker=worker, name="Mensah", opened_on=dt.date(2026, 1, 10), today=TODAY)
    parent = case.participants.get(role=ParticipantRole.PARENT).person
    child = case.participants.get(role=ParticipantRole.CHILD).person
    # The resource family the child lives with.
    provider = Placement.objects.get(episode__case=case, ended_on__isnull=True).provider
    provider.name = CANARIES["provider_name"]
    provider.save(update_fields=["name"])
    provider.address.line1 = CANARIES["provider_street"]
    provider.address.save(update_fields=["line1"])
    # Family time in a confidential place, with a one-off session carrying a note.
    plan = make_plan(
        worker=worker,
        case=case,
        location_type=LocationType.COMMUNITY,
        address=CANARIES["confidential_place"],
        location_confidential=True,
        transport=CANARIES["provider_street"],
    )
    family_time_services.session_add(
        actor=worker,
        plan=plan,
        starts_at=dt.datetime(2026, 3, 7, 16, 0, tzinfo=dt.UTC),
        ends_at=dt.datetime(2026, 3, 7, 17, 0, tzinfo=dt.UTC),
        note=CANARIES["session_note"],
    )
    court_services.hearing_schedule(
        actor=worker,
        case=case,
        kind="review",
        scheduled_for=dt.date(2026, 3, 20),
        scheduled_time=dt.time(9, 30),
        notes=CANARIES["hearing_notes"],
    )
    # A condition for return from the in-home safety analysis.
    answers: dict[str, object] = dict.fromkeys(SAFETY_QUESTIONS, "yes")
    answers["home_calm"] = Answer("no", note=CANARIES["why_not_now"], follow_up=CONDITION)
    assessment_services.response_record(
        actor=worker, case=case, instrument_key=IN_HOME_SAFETY, answers=answers
    )
    # The case plan in force, with progress on its goal.
    family_plan = plan_with_goal(worker=worker, case=case, change=GOAL)
    hold_meeting(worker=worker, plan=family_plan, held_on=TODAY)
    family_plan = fresh(family_plan)
    plan_services.version_finalize(
        actor=worker, plan=family_plan, expected_version=family_plan.version
    )
    family_plan = fresh(family_plan)
    goal_key = family_plan.versions.get(status="final").document["goals"][0]["key"]
    plan_services.progress_record(
        actor=worker,
        plan=family_plan,
        goal_key=goal_key,
        recorded_on=TODAY,
        rating=2,
        evidence=CANARIES["evidence"],
    )
    # A referral the parent went to.
    service = provider_service(case, name=SERVICE, at=(47.25, -122.44))
    sent(worker, case=case, service=service, now=NOW)
    user = family_account(worker=worker, case=case)
    return World(case=case, parent=parent, child=child, user=user, family_time=plan)
