"""Family-time services: the schedule, recording sessions, and the ladder's approval and court
floor rules. A refused call changes nothing and audits nothing."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils.formats import date_format

from reunify.cases.tests.factories import open_case
from reunify.core.concurrency import StaleEditError
from reunify.core.models import AuditEvent
from reunify.family_time import services
from reunify.family_time.models import (
    ChangeStatus,
    FamilyTimePlan,
    FamilyTimeSession,
    Level,
    LevelChange,
    LocationType,
    SessionStatus,
)
from reunify.family_time.tests.factories import make_plan, visitation_order
from reunify.people.models import Person

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 3, 2, 15, 0, tzinfo=dt.UTC)
LATER = dt.datetime(2026, 4, 30, 12, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(NOW, tick=False):
        yield


def snapshot():
    return (
        FamilyTimePlan.objects.count(),
        FamilyTimeSession.objects.count(),
        LevelChange.objects.count(),
        list(FamilyTimePlan.objects.values_list("version", "level")),
        list(FamilyTimeSession.objects.values_list("version", "status")),
        list(LevelChange.objects.values_list("status", flat=True)),
        AuditEvent.objects.count(),
        FamilyTimePlan.history.count(),
        FamilyTimeSession.history.count(),
    )


def message(error):
    return " ".join(error.value.messages)


# ---- the plan and its schedule ---------------------------------------------------------------


def test_plan_schedules_eight_weeks_at_local_time_across_dst(caseworker):
    plan = make_plan(worker=caseworker)
    sessions = list(plan.sessions.all())
    assert len(sessions) == 8  # Wednesdays 4 March to 22 April
    chicago = services.clock.agency_zone()
    local = [s.starts_at.astimezone(chicago) for s in sessions]
    assert {t.time() for t in local} == {dt.time(17, 0)}
    assert local[0].date() == dt.date(2026, 3, 4)
    assert local[-1].date() == dt.date(2026, 4, 22)
    assert {s.starts_at.astimezone(dt.UTC).hour for s in sessions} == {23, 22}  # CST, then CDT
    assert all(s.status == SessionStatus.SCHEDULED for s in sessions)
    assert plan.participants.count() == 1
    event = AuditEvent.objects.get(action="family_time.plan_created")
    assert event.case_id == plan.episode.case_id
    assert plan.history.count() == 1
    assert FamilyTimeSession.history.count() == 8


def test_plan_stops_at_its_end_date_and_schedules_nothing_while_suspended(caseworker):
    short = make_plan(worker=caseworker, effective_to=dt.date(2026, 3, 12))
    assert short.sessions.count() == 2
    suspended = make_plan(worker=caseworker, level=Level.SUSPENDED)
    assert suspended.sessions.count() == 0


def test_resource_family_home_is_confidential_by_default(caseworker):
    plan = make_plan(worker=caseworker, location_type=LocationType.RESOURCE_HOME)
    assert plan.location_confidential
    open_plan = make_plan(
        worker=caseworker, location_type=LocationType.RESOURCE_HOME, location_confidential=False
    )
    assert not open_plan.location_confidential
    assert not make_plan(worker=caseworker).location_confidential


def test_plan_above_the_court_floor_is_refused_naming_the_order(caseworker):
    case = open_case(worker=caseworker)
    order = visitation_order(case, caseworker)
    before = snapshot()
    with pytest.raises(ValidationError) as error:
        make_plan(
            worker=caseworker,
            case=case,
            level=Level.MONITORED,
            court_floor=Level.SUPERVISED,
            court_order=order,
        )
    assert "Visitation conditions" in message(error)
    assert date_format(order.issued_on, "DATE_FORMAT") in message(error)
    assert snapshot() == before


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"weekdays": []}, "weekdays"),
        ({"duration_minutes": 5}, "duration_minutes"),
        ({"level": "weekends"}, "level"),
        ({"effective_to": dt.date(2026, 3, 1)}, "effective_to"),
        ({"court_floor": "nonsense"}, "court_floor"),
    ],
)
def test_bad_plan_input_changes_nothing(caseworker, overrides, field):
    case = open_case(worker=caseworker)
    before = snapshot()
    with pytest.raises(ValidationError) as error:
        make_plan(worker=caseworker, case=case, **overrides)
    assert field in error.value.error_dict
    assert snapshot() == before


def test_participants_come_from_the_case_and_one_current_plan(caseworker, agency):
    case = open_case(worker=caseworker)
    stranger = Person.objects.create(agency=agency, first_name="Not", last_name="Family")
    with pytest.raises(ValidationError) as error:
        make_plan(worker=caseworker, case=case, participants=[stranger])
    assert services.NOT_IN_CASE in message(error)
    make_plan(worker=caseworker, case=case)
    with pytest.raises(ValidationError) as error:
        make_plan(worker=caseworker, case=case)
    assert services.PLAN_EXISTS % {"kind": "parents"} in message(error)
    # A plan of another kind (siblings) may stand beside the parents' plan.
    sibling = make_plan(worker=caseworker, case=case, kind="sibling")
    assert sibling.kind == "sibling"
    assert FamilyTimePlan.objects.filter(episode=sibling.episode, effective_to=None).count() == 2
    with pytest.raises(ValidationError) as error:
        make_plan(worker=caseworker, case=case, kind="cousins")
    assert services.UNKNOWN_KIND in message(error)


# ---- sessions --------------------------------------------------------------------------------


def test_cancelled_needs_who_and_why_and_nothing_changes_without(caseworker):
    session = make_plan(worker=caseworker).sessions.first()
    before = snapshot()
    with pytest.raises(ValidationError) as error:
        services.session_record(
            actor=caseworker, session=session, expected_version=1, status="cancelled"
        )
    assert error.value.message_dict == {"cancelled_by": [services.CANCEL_WHO]}
    with pytest.raises(ValidationError) as error:
        services.session_record(
            actor=caseworker,
            session=session,
            expected_version=1,
            status="cancelled",
            cancelled_by="parent",
            cancel_reason="  ",
        )
    assert error.value.message_dict == {"cancel_reason": [services.CANCEL_WHY]}
    assert snapshot() == before
    done = services.session_record(
        actor=caseworker,
        session=session,
        expected_version=1,
        status="cancelled",
        cancelled_by="parent",
        cancel_reason="Work shift",
    )
    assert (done.status, done.cancelled_by, done.version) == ("cancelled", "parent", 2)
    assert AuditEvent.objects.filter(
        action="family_time.session_recorded", case_id=session.plan.episode.case_id
    ).exists()


def test_held_only_once_it_has_started_and_incident_needs_a_note(caseworker):
    session = make_plan(worker=caseworker).sessions.first()
    with pytest.raises(ValidationError) as error:
        services.session_record(
            actor=caseworker, session=session, expected_version=1, status="held"
        )
    assert services.NOT_YET in message(error)
    with pytest.raises(ValidationError) as error:
        services.session_record(
            actor=caseworker,
            session=session,
            expected_version=1,
            status="held",
            safety_incident=True,
            now=LATER,
        )
    assert error.value.message_dict == {"safety_note": [services.INCIDENT_NOTE]}
    held = services.session_record(
        actor=caseworker,
        session=session,
        expected_version=1,
        status="held",
        attendees="Mother",
        actual_minutes=55,
        quality=3,
        now=LATER,
    )
    assert (held.status, held.quality, held.actual_minutes) == ("held", 3, 55)
    with pytest.raises(StaleEditError):
        services.session_record(
            actor=caseworker, session=session, expected_version=1, status="no_show", now=LATER
        )


# ---- the ladder ------------------------------------------------------------------------------


def propose(plan, actor, to_level=Level.MONITORED, version=None):
    return services.level_propose(
        actor=actor,
        plan=plan,
        expected_version=version or plan.version,
        to_level=to_level,
        reason="Six strong visits in a row",
    )


def test_less_supervision_waits_for_the_unit_supervisor(
    caseworker, supervisor, other_supervisor, agency_admin
):
    plan = make_plan(worker=caseworker)
    change = propose(plan, caseworker)
    plan.refresh_from_db()
    assert (change.status, plan.level) == (ChangeStatus.PROPOSED, Level.SUPERVISED)
    assert AuditEvent.objects.filter(action="family_time.level_proposed").count() == 1
    for outsider in (caseworker, other_supervisor, agency_admin):
        before = snapshot()
        with pytest.raises(ValidationError) as error:
            services.level_approve(actor=outsider, change=change, expected_version=plan.version)
        assert services.ONLY_UNIT_SUPERVISOR in message(error)
        assert snapshot() == before
    services.level_approve(actor=supervisor, change=change, expected_version=plan.version)
    plan.refresh_from_db()
    change.refresh_from_db()
    assert plan.level == Level.MONITORED
    assert (change.status, change.decided_by) == (ChangeStatus.APPLIED, supervisor)
    event = AuditEvent.objects.get(action="family_time.level_approved")
    assert event.case_id == plan.episode.case_id


def test_more_supervision_applies_at_once(caseworker):
    plan = make_plan(worker=caseworker)
    change = propose(plan, caseworker, to_level=Level.THERAPEUTIC_SUPERVISED)
    plan.refresh_from_db()
    assert change.status == ChangeStatus.APPLIED
    assert plan.level == Level.THERAPEUTIC_SUPERVISED
    assert plan.version == 2


def test_one_proposal_at_a_time_and_same_level_refused(caseworker):
    plan = make_plan(worker=caseworker)
    with pytest.raises(ValidationError):
        propose(plan, caseworker, to_level=Level.SUPERVISED)
    propose(plan, caseworker)
    before = snapshot()
    with pytest.raises(ValidationError) as error:
        propose(plan, caseworker, to_level=Level.UNSUPERVISED_DAY)
    assert services.PROPOSAL_PENDING in message(error)
    assert snapshot() == before


def test_proposal_past_the_court_floor_is_refused(caseworker):
    case = open_case(worker=caseworker)
    order = visitation_order(case, caseworker)
    plan = make_plan(worker=caseworker, case=case, court_floor=Level.SUPERVISED, court_order=order)
    before = snapshot()
    with pytest.raises(ValidationError) as error:
        propose(plan, caseworker)
    assert "Visitation conditions" in message(error)
    assert snapshot() == before


def test_approval_past_a_floor_set_after_the_proposal_is_refused_naming_the_order(
    caseworker, supervisor
):
    case = open_case(worker=caseworker)
    plan = make_plan(worker=caseworker, case=case)
    change = propose(plan, caseworker)
    order = visitation_order(case, caseworker)
    # Test set-up: the court's new floor recorded on the plan.
    FamilyTimePlan.objects.filter(pk=plan.pk).update(
        court_floor=Level.SUPERVISED, court_order=order
    )
    before = snapshot()
    with pytest.raises(ValidationError) as error:
        services.level_approve(actor=supervisor, change=change, expected_version=plan.version)
    text = message(error)
    assert "Visitation conditions" in text
    assert date_format(order.issued_on, "DATE_FORMAT") in text
    assert "Monitored" in text
    assert snapshot() == before


def test_reject_needs_a_note(caseworker, supervisor):
    plan = make_plan(worker=caseworker)
    change = propose(plan, caseworker)
    with pytest.raises(ValidationError):
        services.level_reject(actor=supervisor, change=change, expected_version=1, note="")
    services.level_reject(actor=supervisor, change=change, expected_version=1, note="Not yet")
    change.refresh_from_db()
    plan.refresh_from_db()
    assert change.status == ChangeStatus.REJECTED
    assert plan.level == Level.SUPERVISED


def test_restriction_applies_at_once_and_supersedes_a_proposal(caseworker):
    plan = make_plan(worker=caseworker)
    pending = propose(plan, caseworker)
    session = plan.sessions.first()
    before = snapshot()
    with pytest.raises(ValidationError) as error:
        services.level_restrict(
            actor=caseworker, plan=plan, expected_version=1, to_level=Level.SUSPENDED, reason=""
        )
    assert error.value.message_dict == {"reason": [services.REASON_NEEDED]}
    with pytest.raises(ValidationError) as error:
        services.level_restrict(
            actor=caseworker, plan=plan, expected_version=1, to_level=Level.MONITORED, reason="x"
        )
    assert "to_level" in error.value.message_dict
    assert snapshot() == before
    change = services.level_restrict(
        actor=caseworker,
        plan=plan,
        expected_version=1,
        to_level=Level.SUSPENDED,
        reason="Parent arrived intoxicated",
        session=session,
    )
    plan.refresh_from_db()
    pending.refresh_from_db()
    assert plan.level == Level.SUSPENDED
    assert (change.status, change.is_restriction) == (ChangeStatus.APPLIED, True)
    assert pending.status == ChangeStatus.REJECTED
    assert set(plan.sessions.values_list("status", flat=True)) == {SessionStatus.CANCELLED}
    assert AuditEvent.objects.filter(
        action="family_time.level_restricted", case_id=plan.episode.case_id
    ).exists()
