"""Road-home services: each refusal names the problem and changes nothing; a trial home visit is
a placement in the same episode; conversion discharges to reunification, disruption places the
child again in the same episode; aftercare contacts follow the profile; closure needs the whole
checklist and a supervisor of the unit other than the one who asked."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError

from reunify.accounts.models import Role
from reunify.assessments import selectors as assessment_selectors
from reunify.assessments import services as assessment_services
from reunify.assessments.tests.factories import (
    closing_answers,
    record_reunification,
)
from reunify.case_plans import services as plan_services
from reunify.case_plans.tests.factories import fresh, plan_with_goal
from reunify.cases import road_home as rules
from reunify.cases.models import FamilyCase, Placement, RemovalEpisode
from reunify.cases.services import PlacementInput
from reunify.cases.tests.factories import ProviderFactory, UserFactory, open_case
from reunify.clocks.models import ClockSnapshot
from reunify.core.models import AuditEvent
from reunify.road_home import selectors, services
from reunify.road_home.models import (
    AftercareContact,
    ClosureRequest,
    ClosureStatus,
    ContactStatus,
    SafetyPlan,
    ThvStatus,
    TrialHomeVisit,
)
from reunify.road_home.tests.factories import (
    START,
    aftercare,
    episode_of,
    prepared_thv,
    reunified,
    started_thv,
)

NOW = dt.datetime(2026, 11, 1, 18, 0, tzinfo=dt.UTC)
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def case(db, caseworker):
    return open_case(worker=caseworker)


@pytest.fixture
def washington(case):
    case.agency.clock_profile = "washington"
    case.agency.save(update_fields=["clock_profile"])
    return case


def _snapshot(case: FamilyCase) -> tuple:
    episode = RemovalEpisode.objects.get(case=case)
    return (
        episode.version,
        episode.discharged_on,
        list(Placement.objects.filter(episode=episode).values_list("setting", "ended_on")),
        list(TrialHomeVisit.objects.filter(episode=episode).values_list("status", "version")),
        AuditEvent.objects.filter(kind=AuditEvent.Kind.CHANGE).count(),
    )


def _messages(error: pytest.ExceptionInfo[ValidationError]) -> list[str]:
    return error.value.messages


# ---- starting a trial home visit -------------------------------------------------------------


def test_a_prepared_visit_starts_as_a_placement_in_the_same_episode(caseworker, washington):
    # given a visit with everything in place, the court's authorization included
    thv = prepared_thv(worker=caseworker, case=washington)
    episode = episode_of(washington)
    # when it starts
    thv = services.thv_start(
        actor=caseworker, thv=thv, expected_version=thv.version, started_on=START
    )
    # then the foster placement ended and a trial home visit placement began in that episode
    placements = list(episode.placements.order_by("started_on", "id"))
    assert [(p.setting, p.ended_on, p.end_reason) for p in placements] == [
        ("foster_family_nonrelative", START, "trial_home_visit"),
        ("trial_home_visit", None, ""),
    ]
    assert RemovalEpisode.objects.filter(child=episode.child).count() == 1
    assert thv.status == ThvStatus.ACTIVE
    assert thv.placement == placements[1]
    assert thv.basis == "conditions"
    assert thv.court_order is not None
    # and What's due shows the six-month limit
    clock = ClockSnapshot.objects.get(episode=episode, key="thv_limit")
    assert clock.due == dt.date(2027, 4, 1)
    assert AuditEvent.objects.filter(action="road_home.thv_started").count() == 1


@pytest.mark.parametrize(
    ("left_out", "message"),
    [
        ("conditions_met", rules.NO_RECOMMENDATION),
        ("court", rules.NO_COURT_AUTHORIZATION),
        ("action", rules.NO_SAFETY_ACTIONS),
        ("visit", rules.NO_TRANSITION_SESSIONS),
    ],
)
def test_each_missing_part_is_named_and_nothing_changes(caseworker, washington, left_out, message):
    # given a visit missing one part
    thv = prepared_thv(worker=caseworker, case=washington, **{left_out: False})
    before = _snapshot(washington)
    # when the worker starts it, then it is refused naming that part
    with pytest.raises(ValidationError) as error:
        services.thv_start(
            actor=caseworker, thv=thv, expected_version=thv.version, started_on=START
        )
    assert _messages(error) == [message]
    assert _snapshot(washington) == before


def test_no_crisis_plan_names_whom_to_call_and_what_happens(caseworker, washington):
    thv = prepared_thv(worker=caseworker, case=washington, crisis=False)
    with pytest.raises(ValidationError) as error:
        services.thv_start(
            actor=caseworker, thv=thv, expected_version=thv.version, started_on=START
        )
    assert _messages(error) == [rules.NO_CRISIS_CALL, rules.NO_CRISIS_STEPS]


def test_an_adult_whose_check_is_pending_is_named(caseworker, case):
    thv = prepared_thv(worker=caseworker, case=case)
    services.household_adult_add(
        actor=caseworker, thv=thv, name="Tío Beto", relationship="Uncle", background_check="pending"
    )
    thv.refresh_from_db()
    with pytest.raises(ValidationError) as error:
        services.thv_start(
            actor=caseworker, thv=thv, expected_version=thv.version, started_on=START
        )
    assert _messages(error) == [rules.ADULT_PENDING % {"name": "Tío Beto"}]


def test_an_action_without_responsible_adult_or_check_is_named(caseworker, case):
    thv = prepared_thv(worker=caseworker, case=case)
    services.safety_action_add(actor=caseworker, plan=thv.safety_plan, action="Bedtime check")
    thv.refresh_from_db()
    with pytest.raises(ValidationError) as error:
        services.thv_start(
            actor=caseworker, thv=thv, expected_version=thv.version, started_on=START
        )
    assert _messages(error) == [
        rules.ACTION_NO_ADULT % {"action": "Bedtime check"},
        rules.ACTION_NO_CHECK % {"action": "Bedtime check"},
    ]


def test_court_authorization_is_needed_only_where_the_profile_requires_it(caseworker, case):
    # the federal profile (the default) does not require it
    thv = prepared_thv(worker=caseworker, case=case, court=False)
    thv = services.thv_start(
        actor=caseworker, thv=thv, expected_version=thv.version, started_on=START
    )
    assert thv.status == ThvStatus.ACTIVE
    assert thv.court_order is None


def test_an_expired_authorization_does_not_count(caseworker, washington):
    from reunify.road_home.tests.factories import authorize_thv

    thv = prepared_thv(worker=caseworker, case=washington, court=False)
    authorize_thv(
        worker=caseworker, case=washington, on=dt.date(2026, 8, 1), until=dt.date(2026, 9, 1)
    )
    with pytest.raises(ValidationError) as error:
        services.thv_start(
            actor=caseworker, thv=thv, expected_version=thv.version, started_on=START
        )
    assert _messages(error) == [rules.NO_COURT_AUTHORIZATION]


def test_a_recommendation_to_return_home_stands_in_for_conditions_met(caseworker, case):
    # given a reunification assessment recommending return, and no safety analysis
    child = episode_of(case).child
    record_reunification(actor=caseworker, case=case, recorded_on=dt.date(2026, 9, 20))
    assert assessment_selectors.recommendation(case=case, child=child).outcome == "return_home"
    thv = prepared_thv(worker=caseworker, case=case, conditions_met=False)
    # when it starts, then it does, on the strength of the recommendation
    thv = services.thv_start(
        actor=caseworker, thv=thv, expected_version=thv.version, started_on=START
    )
    assert thv.basis == "recommendation"


def test_a_second_unfinished_visit_is_refused(caseworker, case):
    prepared_thv(worker=caseworker, case=case)
    with pytest.raises(ValidationError) as error:
        services.thv_plan(
            actor=caseworker, episode=episode_of(case), returning_to="Rosa", planned_start=START
        )
    assert _messages(error) == [services.THV_EXISTS]


def test_a_stale_start_is_refused(caseworker, case):
    from reunify.core.concurrency import StaleEditError

    thv = prepared_thv(worker=caseworker, case=case)
    with pytest.raises(StaleEditError):
        services.thv_start(
            actor=caseworker, thv=thv, expected_version=thv.version - 1, started_on=START
        )


# ---- ending it -------------------------------------------------------------------------------


def test_conversion_discharges_the_child_to_reunification(caseworker, case):
    thv = started_thv(worker=caseworker, case=case)
    thv = services.thv_end(
        actor=caseworker,
        thv=thv,
        expected_version=thv.version,
        outcome="converted",
        ended_on=dt.date(2026, 10, 25),
        reason="Going well; the court dismissed custody.",
        close_safety_plan=True,
    )
    episode = episode_of(case)
    assert (episode.discharged_on, episode.discharge_reason) == (
        dt.date(2026, 10, 25),
        "reunification",
    )
    assert thv.status == ThvStatus.CONVERTED
    assert not SafetyPlan.objects.get(pk=thv.safety_plan_id).is_open
    assert ClockSnapshot.objects.get(episode=episode, key="thv_limit").met_on == dt.date(
        2026, 10, 25
    )


def test_disruption_places_the_child_again_in_the_same_episode(caseworker, case):
    thv = started_thv(worker=caseworker, case=case)
    thv = services.thv_end(
        actor=caseworker,
        thv=thv,
        expected_version=thv.version,
        outcome="disrupted",
        ended_on=dt.date(2026, 10, 20),
        reason="Relapse; the children went to their aunt.",
        placement=PlacementInput(
            setting="foster_family_relative",
            started_on=dt.date(2026, 10, 20),
            provider=ProviderFactory(agency=case.agency),
        ),
    )
    episode = episode_of(case)
    assert episode.is_open
    assert RemovalEpisode.objects.filter(case=case).count() == 1
    assert list(episode.placements.values_list("setting", "end_reason")) == [
        ("foster_family_nonrelative", "trial_home_visit"),
        ("trial_home_visit", "trial_home_visit_ended"),
        ("foster_family_relative", ""),
    ]
    assert thv.status == ThvStatus.DISRUPTED
    assert SafetyPlan.objects.get(pk=thv.safety_plan_id).is_open  # not asked to close


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"reason": " "}, "reason", services.REQUIRED),
        ({"outcome": "disrupted"}, "setting", services.NEW_PLACEMENT_NEEDED),
        ({"ended_on": dt.date(2026, 9, 1)}, "ended_on", services.END_BEFORE_START),
        (
            {"ended_on": dt.date(2026, 12, 1)},
            "ended_on",
            "This date is in the future; record events once they have happened.",
        ),
    ],
)
def test_a_bad_end_is_refused_and_changes_nothing(caseworker, case, change, field, message):
    thv = started_thv(worker=caseworker, case=case)
    before = _snapshot(case)
    arguments = {
        "outcome": "converted",
        "ended_on": dt.date(2026, 10, 25),
        "reason": "Home for good",
        **change,
    }
    with pytest.raises(ValidationError) as error:
        services.thv_end(actor=caseworker, thv=thv, expected_version=thv.version, **arguments)
    assert error.value.message_dict == {field: [message]}
    assert _snapshot(case) == before


def test_a_visit_not_under_way_cannot_end(caseworker, case):
    thv = prepared_thv(worker=caseworker, case=case)
    with pytest.raises(ValidationError) as error:
        services.thv_end(
            actor=caseworker,
            thv=thv,
            expected_version=thv.version,
            outcome="converted",
            ended_on=START,
            reason="x",
        )
    assert _messages(error) == [services.NOT_ACTIVE]


def test_the_safety_plan_of_an_unfinished_visit_cannot_close(caseworker, case):
    thv = started_thv(worker=caseworker, case=case)
    plan = thv.safety_plan
    with pytest.raises(ValidationError) as error:
        services.safety_plan_close(
            actor=caseworker, plan=plan, expected_version=plan.version, reason="Done"
        )
    assert _messages(error) == [services.PLAN_OF_ACTIVE_THV]
    assert SafetyPlan.objects.get(pk=plan.pk).is_open


# ---- aftercare -------------------------------------------------------------------------------


def test_aftercare_needs_a_reunified_child(caseworker, case):
    with pytest.raises(ValidationError) as error:
        aftercare(worker=caseworker, case=case)
    assert _messages(error) == [services.NO_REUNIFICATION]


def test_aftercare_contacts_follow_the_profile_schedule(caseworker, case):
    reunified(worker=caseworker, case=case, on=dt.date(2026, 10, 20))
    plan = aftercare(worker=caseworker, case=case)
    assert plan.returned_on == dt.date(2026, 10, 20)
    assert plan.months == 6
    assert list(plan.children.all()) == [episode_of(case).child]
    assert list(plan.contacts.values_list("due_on", flat=True)) == rules.aftercare_schedule(
        dt.date(2026, 10, 20), 4, 6
    )
    page = selectors.aftercare_page(plan, today=dt.date(2026, 11, 1))
    assert page.services_window_ends_on == dt.date(2028, 1, 20)  # 15 months (T20)
    assert [line.contact.due_on for line in page.overdue] == [dt.date(2026, 10, 27)]


def test_a_profile_with_other_lengths_gives_another_schedule(caseworker, case, settings):
    import dataclasses

    from reunify.clocks import profiles

    base = profiles.get("federal")
    shorter = dataclasses.replace(base, aftercare_months=2, aftercare_weekly_contacts=2)
    profiles.available()["federal"] = shorter
    try:
        reunified(worker=caseworker, case=case, on=dt.date(2026, 10, 20))
        plan = aftercare(worker=caseworker, case=case)
    finally:
        profiles.available()["federal"] = base
    assert list(plan.contacts.values_list("due_on", flat=True)) == [
        dt.date(2026, 10, 27),
        dt.date(2026, 11, 3),
        dt.date(2026, 12, 3),
    ]


def test_contacts_are_recorded_held_or_missed(caseworker, case):
    reunified(worker=caseworker, case=case, on=dt.date(2026, 10, 1))
    plan = aftercare(worker=caseworker, case=case)
    contacts = list(plan.contacts.all())
    first, second, third = contacts[0], contacts[1], contacts[4]  # the fifth is not due yet
    services.aftercare_contact_record(
        actor=caseworker,
        contact=first,
        status="held",
        held_on=dt.date(2026, 10, 8),
        how="home_visit",
        who_seen="Rosa and both children",
        note="Calm home",
    )
    with pytest.raises(ValidationError) as error:
        services.aftercare_contact_record(actor=caseworker, contact=second, status="missed")
    assert error.value.message_dict == {"note": [services.MISSED_NEEDS_NOTE]}
    with pytest.raises(ValidationError) as error:
        services.aftercare_contact_record(
            actor=caseworker, contact=third, status="missed", note="Not yet due"
        )
    assert _messages(error) == [services.NOT_DUE_YET]
    with pytest.raises(ValidationError) as error:
        services.aftercare_contact_record(actor=caseworker, contact=second, status="held")
    assert set(error.value.message_dict) == {"held_on", "how", "who_seen"}
    with pytest.raises(ValidationError) as error:
        services.aftercare_contact_record(
            actor=caseworker,
            contact=first,
            status="held",
            held_on=dt.date(2026, 10, 28),
            how="phone",
            who_seen="Rosa",
        )
    assert _messages(error) == [services.CONTACT_RECORDED]
    services.aftercare_contact_record(
        actor=caseworker, contact=second, status="missed", note="Family away at a funeral"
    )
    statuses = list(AftercareContact.objects.filter(plan=plan).values_list("status", flat=True))
    assert statuses[:3] == [ContactStatus.HELD, ContactStatus.MISSED, ContactStatus.PLANNED]


# ---- closure ---------------------------------------------------------------------------------


def _closable(worker, case: FamilyCase) -> FamilyCase:
    """Everything the checklist asks for: low risk, the child home with aftercare, a closing
    safety assessment without threats, no case plan goals unmet, no court involvement."""
    record_reunification(actor=worker, case=case, recorded_on=dt.date(2026, 10, 10))
    reunified(worker=worker, case=case)
    aftercare(worker=worker, case=case)
    assessment_services.response_record(
        actor=worker,
        case=case,
        instrument_key="closing_safety_assessment",
        answers=closing_answers(),
    )
    return FamilyCase.objects.get(pk=case.pk)


def test_closure_is_refused_naming_every_failing_item_and_nothing_changes(caseworker, case):
    # given a case whose child is still in care, with nothing recorded for closure
    services.safety_plan_create(actor=caseworker, case=case, purpose="In-home plan")
    before = AuditEvent.objects.filter(kind=AuditEvent.Kind.CHANGE).count()
    # when the worker asks to close it
    with pytest.raises(ValidationError) as error:
        services.closure_request(actor=caseworker, case=case, expected_version=case.version)
    # then every failing item is named and no request exists
    child = episode_of(case).child.full_name
    assert _messages(error) == [
        rules.SAFETY_MISSING,
        rules.RISK_MISSING,
        rules.SAFETY_PLAN_OPEN,
        rules.CHILD_IN_CARE % {"child": child},
    ]
    assert not ClosureRequest.objects.exists()
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.CHANGE).count() == before


def test_unmet_goals_court_dismissal_and_aftercare_are_checked(caseworker, case):
    # given a court-involved case with an unmet plan goal, the child home without aftercare
    from reunify.court import services as court_services

    plan = plan_with_goal(worker=caseworker, case=case, change="I keep the home safe.")
    court_services.hearing_schedule(
        actor=caseworker, case=case, kind="review", scheduled_for=dt.date(2026, 12, 1)
    )
    reunified(worker=caseworker, case=case)
    # then
    failing = {i.key: i.message for i in selectors.closure_checklist(case) if not i.ok}
    assert failing[rules.GOALS] == rules.GOAL_UNMET % {"goal": "I keep the home safe."}
    assert failing[rules.COURT] == rules.COURT_MISSING
    assert failing[rules.AFTERCARE] == rules.AFTERCARE_MISSING
    # and the goal is met once the latest rating says the change is sustained
    key = fresh(plan).versions.get().document["goals"][0]["key"]
    plan_services.progress_record(
        actor=caseworker,
        plan=fresh(plan),
        goal_key=key,
        recorded_on=dt.date(2026, 10, 30),
        rating=4,
        evidence="Six months sober; home calm at every visit.",
    )
    assert rules.GOALS not in {i.key for i in selectors.closure_checklist(case) if not i.ok}


def test_closure_is_requested_then_approved_by_another_supervisor(caseworker, supervisor, case):
    case = _closable(caseworker, case)
    request = services.closure_request(
        actor=caseworker, case=case, expected_version=case.version, note="All done"
    )
    assert request.status == ClosureStatus.REQUESTED
    assert all(item["ok"] for item in request.checklist)
    approved = services.closure_approve(actor=supervisor, request=request)
    case.refresh_from_db()
    assert approved.status == ClosureStatus.APPROVED
    assert approved.decided_by == supervisor
    assert (case.status, case.closed_on) == ("closed", dt.date(2026, 11, 1))
    assert AuditEvent.objects.filter(action="road_home.case_closed").count() == 1


def test_only_a_supervisor_of_the_unit_other_than_the_requester_approves(
    caseworker, supervisor, other_supervisor, unit, case
):
    case = _closable(caseworker, case)
    request = services.closure_request(actor=supervisor, case=case, expected_version=case.version)
    for actor, message in [
        (caseworker, services.NOT_UNIT_SUPERVISOR),
        (other_supervisor, services.NOT_UNIT_SUPERVISOR),
        (supervisor, services.OWN_REQUEST),
    ]:
        with pytest.raises(ValidationError) as error:
            services.closure_approve(actor=actor, request=request)
        assert _messages(error) == [message]
    case.refresh_from_db()
    assert case.status == "open"
    second = UserFactory(unit=unit, role=Role.SUPERVISOR, username="sup-b")
    services.closure_approve(actor=second, request=request)
    case.refresh_from_db()
    assert case.status == "closed"


def test_approval_checks_the_checklist_again(caseworker, supervisor, case):
    case = _closable(caseworker, case)
    request = services.closure_request(actor=caseworker, case=case, expected_version=case.version)
    services.safety_plan_create(actor=caseworker, case=case, purpose="Relapse safety plan")
    with pytest.raises(ValidationError) as error:
        services.closure_approve(actor=supervisor, request=request)
    assert _messages(error) == [rules.SAFETY_PLAN_OPEN]
    case.refresh_from_db()
    assert case.status == "open"
    assert ClosureRequest.objects.get(pk=request.pk).status == ClosureStatus.REQUESTED


def test_a_returned_request_needs_a_reason_and_leaves_the_case_open(caseworker, supervisor, case):
    case = _closable(caseworker, case)
    request = services.closure_request(actor=caseworker, case=case, expected_version=case.version)
    with pytest.raises(ValidationError) as error:
        services.closure_return(actor=supervisor, request=request, reason="")
    assert error.value.message_dict == {"reason": [services.REQUIRED]}
    services.closure_return(actor=supervisor, request=request, reason="Wait for the hearing")
    case.refresh_from_db()
    assert case.status == "open"
    assert ClosureRequest.objects.get(pk=request.pk).status == ClosureStatus.RETURNED
    # and the worker may ask again
    services.closure_request(actor=caseworker, case=case, expected_version=case.version)


def test_a_second_request_waits_for_the_first(caseworker, case):
    case = _closable(caseworker, case)
    services.closure_request(actor=caseworker, case=case, expected_version=case.version)
    with pytest.raises(ValidationError) as error:
        services.closure_request(actor=caseworker, case=case, expected_version=case.version)
    assert _messages(error) == [services.CLOSURE_WAITING]


def test_translated_rule_messages_keep_their_names():
    message = rules.ADULT_PENDING % {"name": "Luis"}
    assert services.translated(message) == message
