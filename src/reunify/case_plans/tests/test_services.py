"""Case-plan services: versions, meetings, finalizing, signing, the clocks' completion events,
progress apart from attendance, and stale edits. A refused call changes nothing."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError

from reunify.case_plans import services
from reunify.case_plans.models import (
    CasePlan,
    FamilyPlan,
    GoalProgress,
    PlanningMeeting,
    PlanVersion,
    ServiceAttendance,
    Signature,
    VersionStatus,
)
from reunify.case_plans.selectors import plan_page
from reunify.case_plans.tests.factories import fresh, hold_meeting, plan_with_goal
from reunify.cases.tests.factories import open_case
from reunify.clocks.models import ClockSnapshot
from reunify.core.concurrency import StaleEditError
from reunify.core.models import AuditEvent

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 3, 2, 17, 0, tzinfo=dt.UTC)
TODAY = dt.date(2026, 3, 2)


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def case(caseworker):
    return open_case(worker=caseworker, name="Okafor", opened_on=dt.date(2026, 1, 10), today=TODAY)


@pytest.fixture
def plan(caseworker, case):
    return plan_with_goal(worker=caseworker, case=case)


def snapshot():
    return (
        list(PlanVersion.objects.values_list("number", "status", "document")),
        list(FamilyPlan.objects.values_list("version", flat=True)),
        PlanningMeeting.objects.count(),
        Signature.objects.count(),
        CasePlan.objects.count(),
        GoalProgress.objects.count(),
        ServiceAttendance.objects.count(),
        AuditEvent.objects.filter(kind=AuditEvent.Kind.CHANGE).count(),
    )


def message(error):
    return " ".join(error.value.messages)


def parent_of(case):
    return services.case_parents(case)[0]


# ---- starting and editing ---------------------------------------------------------------------


def test_start_names_each_child_in_care_with_the_case_goals(caseworker, case):
    # When
    plan = services.plan_start(actor=caseworker, case=case)
    # Then
    version = plan.versions.get()
    child = case.episodes.get().child_id
    assert version.number == 1
    assert version.status == VersionStatus.DRAFT
    assert version.document["children"] == [
        {"person_id": child, "goal": "reunification", "concurrent_goal": "", "needs": []}
    ]
    assert AuditEvent.objects.filter(action="case_plan.started", case_id=case.pk).count() == 1


def test_a_case_has_one_plan(caseworker, plan):
    before = snapshot()
    with pytest.raises(ValidationError) as error:
        services.plan_start(actor=caseworker, case=plan.case)
    assert message(error) == services.PLAN_EXISTS
    assert snapshot() == before


def test_edits_change_the_draft_and_are_audited(caseworker, plan):
    version = plan.versions.get()
    assert [g["change"] for g in version.document["goals"]] == ["I will keep my home safe."]
    assert version.document["goals"][0]["services"] == [{"name": "Parenting class"}]
    assert version.document["tasks"][0]["owner"] == "parent"
    assert version.document["tasks"][0]["due_on"] == "2026-04-30"
    assert plan.version == 3
    assert AuditEvent.objects.filter(action="case_plan.goal_saved").count() == 1
    assert AuditEvent.objects.filter(action="case_plan.task_saved").count() == 1


@pytest.mark.parametrize(
    ("fields", "field", "text"),
    [
        ({"change": " ", "safety_concern": "x"}, "change", "This is required."),
        ({"change": "x", "safety_concern": ""}, "safety_concern", "This is required."),
        ({"change": "x" * 2001, "safety_concern": "x"}, "change", "Keep this under 2000"),
    ],
)
def test_bad_goal_is_refused_and_changes_nothing(caseworker, plan, fields, field, text):
    before = snapshot()
    with pytest.raises(ValidationError) as error:
        services.goal_save(actor=caseworker, plan=plan, expected_version=plan.version, **fields)
    assert text in " ".join(error.value.message_dict[field])
    assert snapshot() == before


def test_task_needs_a_due_date_and_a_known_owner(caseworker, plan):
    before = snapshot()
    with pytest.raises(ValidationError) as error:
        services.task_save(
            actor=caseworker,
            plan=plan,
            expected_version=plan.version,
            text="Call the worker",
            owner="neighbour",
            due_on=None,
        )
    assert set(error.value.message_dict) == {"owner", "due_on"}
    assert snapshot() == before


def test_stale_edit_is_refused_naming_who_and_when(caseworker, supervisor, plan):
    # Given the supervisor saved a change after the worker opened the form at version 3
    services.condition_save(
        actor=supervisor, plan=plan, expected_version=3, text="A working smoke alarm"
    )
    before = snapshot()
    # When the worker saves against version 3
    with pytest.raises(StaleEditError) as error:
        services.condition_save(actor=caseworker, plan=fresh(plan), expected_version=3, text="x")
    # Then
    assert supervisor.get_full_name() in str(error.value)
    assert "after you opened it" in str(error.value)
    assert snapshot() == before


def test_needs_and_youth_part(caseworker, case, plan):
    child = case.episodes.get().child
    services.need_save(
        actor=caseworker,
        plan=plan,
        expected_version=plan.version,
        person_id=child.pk,
        area="education",
        need="Tutoring in reading",
        who_meets_it="School counselor",
    )
    needs = fresh(plan).versions.get().document["children"][0]["needs"]
    assert [(n["area"], n["need"]) for n in needs] == [("education", "Tutoring in reading")]
    # The open_case child was born 2015: 10 years old, too young for the youth part.
    before = snapshot()
    with pytest.raises(ValidationError) as error:
        services.youth_save(
            actor=caseworker,
            plan=fresh(plan),
            expected_version=fresh(plan).version,
            person_id=child.pk,
            own_words="I want to go home",
            team_members=["Coach Lee"],
        )
    assert "14 or older" in message(error)
    assert snapshot() == before


def test_youth_chooses_at_most_two_team_members(caseworker, case, plan):
    child = case.episodes.get().child
    child.date_of_birth = dt.date(2010, 1, 1)
    child.save()
    with pytest.raises(ValidationError) as error:
        services.youth_save(
            actor=caseworker,
            plan=plan,
            expected_version=plan.version,
            person_id=child.pk,
            own_words="I want to see my brother",
            team_members=["A", "B", "C"],
        )
    assert "at most two" in message(error)
    services.youth_save(
        actor=caseworker,
        plan=plan,
        expected_version=plan.version,
        person_id=child.pk,
        own_words="I want to see my brother",
        team_members=["Coach Lee", "Aunt May"],
    )
    youth = fresh(plan).versions.get().document["children"][0]["youth"]
    assert youth == {
        "own_words": "I want to see my brother",
        "team_members": ["Coach Lee", "Aunt May"],
    }


# ---- meetings, finalizing and the clocks ------------------------------------------------------


def test_finalize_requires_a_planning_meeting(caseworker, plan):
    before = snapshot()
    with pytest.raises(ValidationError) as error:
        services.version_finalize(actor=caseworker, plan=plan, expected_version=plan.version)
    assert message(error) == services.MEETING_NEEDED
    assert snapshot() == before


def test_an_absent_parent_needs_a_reason(caseworker, plan):
    parent = parent_of(plan.case)
    before = snapshot()
    with pytest.raises(ValidationError) as error:
        services.meeting_record(
            actor=caseworker,
            plan=plan,
            expected_version=plan.version,
            held_on=TODAY,
            parents=[services.ParentAttendance(parent, present=False)],
        )
    assert error.value.message_dict == {
        f"reason_{parent.pk}": [f"Say why {parent.full_name} did not take part."]
    }
    assert snapshot() == before


def test_every_parent_is_accounted_for(caseworker, plan):
    with pytest.raises(ValidationError) as error:
        services.meeting_record(
            actor=caseworker, plan=plan, expected_version=plan.version, held_on=TODAY, parents=[]
        )
    assert message(error) == services.EVERY_PARENT


def test_finalize_records_the_completion_per_child_and_meets_the_clock(caseworker, plan):
    # Given a meeting with the parent present
    hold_meeting(worker=caseworker, plan=plan, held_on=TODAY)
    plan = fresh(plan)
    episode = plan.case.episodes.get()
    assert ClockSnapshot.objects.get(episode=episode, key="case_plan").status != "met"
    # When
    version = services.version_finalize(actor=caseworker, plan=plan, expected_version=plan.version)
    # Then
    assert version.status == VersionStatus.FINAL
    assert version.finalized_by == caseworker
    completion = CasePlan.objects.get(episode=episode)
    assert (completion.kind, completion.completed_on, completion.developed_with_parents) == (
        CasePlan.Kind.INITIAL,
        TODAY,
        True,
    )
    assert completion.plan_version == version
    assert ClockSnapshot.objects.get(episode=episode, key="case_plan").status == "met"
    assert AuditEvent.objects.filter(action="case_plan.version_final").count() == 1


def test_a_plan_written_without_the_parents_says_why(caseworker, plan):
    hold_meeting(worker=caseworker, plan=plan, held_on=TODAY, present=False)
    plan = fresh(plan)
    services.version_finalize(actor=caseworker, plan=plan, expected_version=plan.version)
    completion = CasePlan.objects.get()
    assert completion.developed_with_parents is False
    assert "In hospital" in completion.parents_not_involved_reason


def test_editing_a_final_version_starts_the_next_and_records_an_update(caseworker, plan):
    hold_meeting(worker=caseworker, plan=plan, held_on=TODAY)
    services.version_finalize(
        actor=caseworker, plan=fresh(plan), expected_version=fresh(plan).version
    )
    first = PlanVersion.objects.get(number=1)
    # When the worker changes the goal
    key = first.document["goals"][0]["key"]
    plan = fresh(plan)
    services.goal_save(
        actor=caseworker,
        plan=plan,
        expected_version=plan.version,
        key=key,
        change="I will ask for help when I am overwhelmed.",
        safety_concern="The children were left alone at night.",
    )
    # Then version 1 is unchanged and version 2 is a draft with the change
    first.refresh_from_db()
    second = PlanVersion.objects.get(number=2)
    assert first.status == VersionStatus.FINAL
    assert first.document["goals"][0]["change"] == "I will keep my home safe."
    assert second.status == VersionStatus.DRAFT
    assert second.document["goals"][0]["change"] == "I will ask for help when I am overwhelmed."
    assert second.document["goals"][0]["key"] == key
    # And making it final supersedes version 1 and records an update for the clocks
    hold_meeting(worker=caseworker, plan=fresh(plan), held_on=TODAY)
    services.version_finalize(
        actor=caseworker, plan=fresh(plan), expected_version=fresh(plan).version
    )
    first.refresh_from_db()
    assert first.status == VersionStatus.SUPERSEDED
    assert list(CasePlan.objects.values_list("kind", flat=True)) == ["initial", "update"]


# ---- signatures -------------------------------------------------------------------------------


def test_signing_a_draft_makes_it_final_and_a_change_starts_a_new_version(caseworker, plan):
    hold_meeting(worker=caseworker, plan=plan, held_on=TODAY)
    plan = fresh(plan)
    parent = parent_of(plan.case)
    # When the parent types their name loosely (case, accents, spacing)
    signature = services.plan_sign(
        actor=caseworker,
        plan=plan,
        expected_version=plan.version,
        signer=parent,
        typed_name=f"  {parent.first_name.upper()}   {parent.last_name.lower()} ",
    )
    # Then
    assert signature.version.number == 1
    assert signature.version.status == VersionStatus.FINAL
    assert signature.signed_at == NOW
    assert signature.account is None
    assert CasePlan.objects.count() == 1
    # And a later change does not touch the signed version
    plan = fresh(plan)
    services.condition_save(
        actor=caseworker, plan=plan, expected_version=plan.version, text="Sober 90 days"
    )
    assert list(PlanVersion.objects.order_by("number").values_list("number", "status")) == [
        (1, "final"),
        (2, "draft"),
    ]
    assert PlanVersion.objects.get(number=1).signatures.count() == 1
    assert PlanVersion.objects.get(number=2).signatures.count() == 0


def test_signature_must_be_the_signers_name(caseworker, plan):
    hold_meeting(worker=caseworker, plan=plan, held_on=TODAY)
    plan = fresh(plan)
    before = snapshot()
    with pytest.raises(ValidationError) as error:
        services.plan_sign(
            actor=caseworker,
            plan=plan,
            expected_version=plan.version,
            signer=parent_of(plan.case),
            typed_name="Someone Else",
        )
    assert "typed_name" in error.value.message_dict
    assert snapshot() == before


def test_only_parents_and_youth_sign(caseworker, case, plan):
    with pytest.raises(ValidationError) as error:
        services.plan_sign(
            actor=caseworker,
            plan=plan,
            expected_version=plan.version,
            signer=case.episodes.get().child,  # 10 years old
            typed_name="Child0 Okafor",
        )
    assert message(error) == services.NOT_A_SIGNER


def test_signing_a_draft_without_a_meeting_is_refused(caseworker, plan):
    before = snapshot()
    parent = parent_of(plan.case)
    with pytest.raises(ValidationError) as error:
        services.plan_sign(
            actor=caseworker,
            plan=plan,
            expected_version=plan.version,
            signer=parent,
            typed_name=parent.full_name,
        )
    assert message(error) == services.MEETING_NEEDED
    assert snapshot() == before


# ---- progress is behaviour, not attendance ----------------------------------------------------


def test_attendance_alone_never_marks_a_goal_met(caseworker, plan):
    key = plan.versions.get().document["goals"][0]["key"]
    # Given perfect attendance
    services.attendance_record(
        actor=caseworker,
        plan=plan,
        goal_key=key,
        service_name="Parenting class",
        period_start=dt.date(2026, 2, 1),
        period_end=dt.date(2026, 2, 28),
        sessions_scheduled=8,
        sessions_attended=8,
    )
    # And progress rated as change shown (not yet sustained)
    services.progress_record(
        actor=caseworker,
        plan=plan,
        goal_key=key,
        recorded_on=TODAY,
        rating=3,
        evidence="Handled a tantrum calmly during family time.",
    )
    goal = plan_page(case=plan.case, today=TODAY).goals[0]
    assert goal.met is False
    # When the change is rated sustained
    services.progress_record(
        actor=caseworker,
        plan=plan,
        goal_key=key,
        recorded_on=TODAY,
        rating=4,
        evidence="Three months of calm, safe visits.",
    )
    # Then the goal is met
    assert plan_page(case=plan.case, today=TODAY).goals[0].met is True


def test_progress_needs_evidence_and_a_known_goal(caseworker, plan):
    key = plan.versions.get().document["goals"][0]["key"]
    before = snapshot()
    with pytest.raises(ValidationError) as error:
        services.progress_record(
            actor=caseworker, plan=plan, goal_key=key, recorded_on=TODAY, rating=4, evidence=" "
        )
    assert error.value.message_dict == {"evidence": [services.EVIDENCE_NEEDED]}
    with pytest.raises(ValidationError):
        services.progress_record(
            actor=caseworker, plan=plan, goal_key="nope", recorded_on=TODAY, rating=2, evidence="x"
        )
    assert snapshot() == before


def test_attended_cannot_exceed_scheduled(caseworker, plan):
    key = plan.versions.get().document["goals"][0]["key"]
    with pytest.raises(ValidationError) as error:
        services.attendance_record(
            actor=caseworker,
            plan=plan,
            goal_key=key,
            service_name="Parenting class",
            period_start=dt.date(2026, 2, 1),
            period_end=dt.date(2026, 2, 28),
            sessions_scheduled=4,
            sessions_attended=5,
        )
    assert error.value.message_dict == {"sessions_attended": [services.ATTENDED_TOO_MANY]}


def test_case_plan_record_still_records_directly(caseworker, case):
    episode = case.episodes.get()
    services.case_plan_record(actor=caseworker, episode=episode, completed_on=TODAY)
    assert CasePlan.objects.get().plan_version is None
