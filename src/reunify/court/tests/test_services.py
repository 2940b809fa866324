"""Court services: each rule refuses bad input with a specific message and changes nothing; each
accepted write leaves history and an audit event, and asks the case's clocks to be recomputed."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from reunify.cases.models import FamilyCase
from reunify.cases.tests.factories import open_case
from reunify.core.concurrency import StaleEditError
from reunify.core.models import AuditEvent
from reunify.court import services
from reunify.court.models import (
    CourtOrder,
    Finding,
    FindingKind,
    Hearing,
    HearingKind,
    HearingStatus,
    OrderKind,
    Petition,
    PetitionKind,
)

TODAY = dt.date(2026, 11, 1)
pytestmark = pytest.mark.django_db


def snapshot():
    return (
        Petition.objects.count(),
        Hearing.objects.count(),
        Finding.objects.count(),
        CourtOrder.objects.count(),
        Hearing.history.count(),
        AuditEvent.objects.count(),
        tuple(Hearing.objects.order_by("id").values_list("version", "status", "held_on")),
    )


def refused(call, field=None, message=None):
    """Run `call`, expecting a ValidationError (on `field`, with `message`) and no change."""
    before = snapshot()
    with pytest.raises(ValidationError) as error:
        call()
    if field is None:
        assert message in error.value.messages
    else:
        assert error.value.message_dict[field] == [message]
    assert snapshot() == before
    return error.value


def child_of(case):
    return case.participants.get(role="child").person


def schedule(case, actor, *, kind=HearingKind.ADJUDICATION, on=dt.date(2026, 3, 2), time=None):
    return services.hearing_schedule(
        actor=actor, case=case, kind=kind, scheduled_for=on, scheduled_time=time
    )


def held(case, actor, *, kind=HearingKind.ADJUDICATION, on=dt.date(2026, 3, 2)):
    hearing = schedule(case, actor, kind=kind, on=on)
    return services.hearing_record_held(
        actor=actor,
        hearing=hearing,
        expected_version=hearing.version,
        held_on=on,
        attendees="Mother, father's attorney, GAL",
        today=TODAY,
    )


@pytest.fixture
def case(caseworker):
    return open_case(worker=caseworker)


# ---- petitions ---------------------------------------------------------------------------------


def test_petition_filed_for_one_child_or_all(caseworker, case):
    child = child_of(case)
    one = services.petition_file(
        actor=caseworker,
        case=case,
        kind=PetitionKind.DEPENDENCY,
        filed_on=dt.date(2026, 1, 11),
        grounds="Neglect: no food in the home.",
        child=child,
        today=TODAY,
    )
    every = services.petition_file(
        actor=caseworker,
        case=case,
        kind=PetitionKind.TPR,
        filed_on=dt.date(2026, 10, 1),
        grounds="  Abandonment.  ",
        today=TODAY,
    )
    assert one.child == child
    assert every.child is None
    assert every.grounds == "Abandonment."
    assert one.history.get().history_user == caseworker
    events = AuditEvent.objects.filter(case_id=case.pk, action="petition.filed")
    assert events.count() == 2
    assert events.filter(object_id=one.pk, actor=caseworker).exists()


def test_petition_in_the_future_is_refused(caseworker, case):
    refused(
        lambda: services.petition_file(
            actor=caseworker,
            case=case,
            kind=PetitionKind.DEPENDENCY,
            filed_on=dt.date(2026, 11, 2),
            grounds="Neglect",
            today=TODAY,
        ),
        "filed_on",
        services.DATE_IN_FUTURE,
    )


def test_petition_needs_grounds(caseworker, case):
    refused(
        lambda: services.petition_file(
            actor=caseworker,
            case=case,
            kind=PetitionKind.DEPENDENCY,
            filed_on=dt.date(2026, 1, 11),
            grounds="   ",
            today=TODAY,
        ),
        "grounds",
        services.PETITION_NEEDS_GROUNDS,
    )


def test_petition_for_a_child_of_another_case_is_refused(caseworker, case):
    stranger = child_of(open_case(worker=caseworker))
    refused(
        lambda: services.petition_file(
            actor=caseworker,
            case=case,
            kind=PetitionKind.DEPENDENCY,
            filed_on=dt.date(2026, 1, 11),
            grounds="Neglect",
            child=stranger,
            today=TODAY,
        ),
        "child",
        services.NOT_A_CHILD_OF_THE_CASE,
    )


def test_petition_for_a_parent_of_the_case_is_refused(caseworker, case):
    parent = case.participants.get(role="parent").person
    refused(
        lambda: services.petition_file(
            actor=caseworker,
            case=case,
            kind=PetitionKind.DEPENDENCY,
            filed_on=dt.date(2026, 1, 11),
            grounds="Neglect",
            child=parent,
            today=TODAY,
        ),
        "child",
        services.NOT_A_CHILD_OF_THE_CASE,
    )


# ---- scheduling --------------------------------------------------------------------------------


def test_schedule_a_hearing_writes_history_and_audit(caseworker, case):
    hearing = schedule(case, caseworker, time=dt.time(9, 30))
    assert hearing.status == HearingStatus.SCHEDULED
    assert hearing.version == 1
    assert hearing.scheduled_time == dt.time(9, 30)
    assert hearing.history.get().history_user == caseworker
    event = AuditEvent.objects.get(action="hearing.scheduled")
    assert (event.case_id, event.object_id, event.actor) == (case.pk, hearing.pk, caseworker)
    assert event.changes["scheduled_for"] == "2026-03-02"


def test_same_hearing_twice_on_one_date_is_refused(caseworker, case):
    schedule(case, caseworker)
    refused(lambda: schedule(case, caseworker), "scheduled_for", services.ALREADY_SCHEDULED)


def test_no_hearing_is_scheduled_on_a_closed_case(caseworker, case):
    FamilyCase.objects.filter(pk=case.pk).update(
        status=FamilyCase.Status.CLOSED, closed_on=dt.date(2026, 6, 1)
    )
    case.refresh_from_db()
    refused(lambda: schedule(case, caseworker), message=services.CASE_CLOSED)


def test_unknown_hearing_kind_is_refused(caseworker, case):
    refused(lambda: schedule(case, caseworker, kind="trial"), "kind", "Choose the kind of hearing.")


# ---- held --------------------------------------------------------------------------------------


def test_record_held_with_attendees_and_notes(caseworker, case):
    hearing = schedule(case, caseworker)
    result = services.hearing_record_held(
        actor=caseworker,
        hearing=hearing,
        expected_version=1,
        held_on=dt.date(2026, 3, 2),
        attendees="Mother; GAL",
        notes="Adjudicated on the petition.",
        today=TODAY,
    )
    hearing.refresh_from_db()
    assert result.pk == hearing.pk
    assert hearing.status == HearingStatus.HELD
    assert hearing.held_on == dt.date(2026, 3, 2)
    assert hearing.attendees == "Mother; GAL"
    assert hearing.notes == "Adjudicated on the petition."
    assert hearing.version == 2
    assert hearing.history.count() == 2
    assert AuditEvent.objects.filter(action="hearing.held", object_id=hearing.pk).count() == 1


def test_held_in_the_future_is_refused(caseworker, case):
    hearing = schedule(case, caseworker, on=dt.date(2026, 11, 20))
    refused(
        lambda: services.hearing_record_held(
            actor=caseworker,
            hearing=hearing,
            expected_version=1,
            held_on=dt.date(2026, 11, 20),
            today=TODAY,
        ),
        "held_on",
        services.DATE_IN_FUTURE,
    )


def test_stale_record_held_is_refused(caseworker, supervisor, case):
    hearing = schedule(case, caseworker)
    services.hearing_vacate(
        actor=supervisor, hearing=hearing, expected_version=1, reason="Petition withdrawn"
    )
    before = snapshot()
    with pytest.raises(StaleEditError) as error:
        services.hearing_record_held(
            actor=caseworker,
            hearing=hearing,
            expected_version=1,
            held_on=dt.date(2026, 3, 2),
            today=TODAY,
        )
    assert supervisor.get_full_name() in str(error.value)
    assert snapshot() == before


def test_only_a_scheduled_hearing_gets_an_outcome(caseworker, case):
    hearing = held(case, caseworker)
    error = refused(
        lambda: services.hearing_vacate(
            actor=caseworker, hearing=hearing, expected_version=hearing.version, reason="Oops"
        ),
        message=services.ONLY_SCHEDULED % {"status": "held"},
    )
    assert "this one is held" in error.messages[0]


# ---- continued ---------------------------------------------------------------------------------


def test_continuance_creates_the_linked_next_hearing(caseworker, case):
    hearing = schedule(case, caseworker, kind=HearingKind.DISPOSITION, time=dt.time(9))
    follow_up = services.hearing_continue(
        actor=caseworker,
        hearing=hearing,
        expected_version=1,
        reason="Father's attorney not served",
        new_date=dt.date(2026, 4, 6),
        new_time=dt.time(13, 30),
    )
    hearing.refresh_from_db()
    assert hearing.status == HearingStatus.CONTINUED
    assert hearing.continuance_reason == "Father's attorney not served"
    assert hearing.continued_to == follow_up
    assert hearing.held_on is None
    assert hearing.version == 2
    assert follow_up.status == HearingStatus.SCHEDULED
    assert (follow_up.kind, follow_up.scheduled_for, follow_up.scheduled_time) == (
        HearingKind.DISPOSITION,
        dt.date(2026, 4, 6),
        dt.time(13, 30),
    )
    assert follow_up.continued_from == hearing
    event = AuditEvent.objects.get(action="hearing.continued")
    assert event.object_id == hearing.pk
    assert event.changes["continued_to"] == follow_up.pk


def test_a_continued_hearing_can_be_continued_again(caseworker, case):
    first = schedule(case, caseworker)
    second = services.hearing_continue(
        actor=caseworker,
        hearing=first,
        expected_version=1,
        reason="Interpreter unavailable",
        new_date=dt.date(2026, 4, 1),
    )
    third = services.hearing_continue(
        actor=caseworker,
        hearing=second,
        expected_version=1,
        reason="Judge ill",
        new_date=dt.date(2026, 4, 15),
    )
    assert list(
        Hearing.objects.filter(case=case).values_list("status", flat=True).order_by("id")
    ) == ["continued", "continued", "scheduled"]
    assert third.continued_from.continued_from == first


def test_continuance_needs_a_reason(caseworker, case):
    hearing = schedule(case, caseworker)
    refused(
        lambda: services.hearing_continue(
            actor=caseworker,
            hearing=hearing,
            expected_version=1,
            reason=" ",
            new_date=dt.date(2026, 4, 6),
        ),
        "reason",
        services.CONTINUANCE_NEEDS_REASON,
    )


def test_continuance_must_move_the_hearing_later(caseworker, case):
    hearing = schedule(case, caseworker)
    refused(
        lambda: services.hearing_continue(
            actor=caseworker,
            hearing=hearing,
            expected_version=1,
            reason="Attorney conflict",
            new_date=dt.date(2026, 3, 2),
        ),
        "new_date",
        services.CONTINUANCE_NOT_LATER,
    )


def test_continuance_onto_an_existing_hearing_is_refused(caseworker, case):
    hearing = schedule(case, caseworker)
    schedule(case, caseworker, on=dt.date(2026, 4, 6))
    refused(
        lambda: services.hearing_continue(
            actor=caseworker,
            hearing=hearing,
            expected_version=1,
            reason="Attorney conflict",
            new_date=dt.date(2026, 4, 6),
        ),
        "new_date",
        services.ALREADY_SCHEDULED,
    )


def test_stale_continuance_is_refused(caseworker, supervisor, case):
    hearing = schedule(case, caseworker)
    services.hearing_record_held(
        actor=supervisor,
        hearing=hearing,
        expected_version=1,
        held_on=dt.date(2026, 3, 2),
        today=TODAY,
    )
    before = snapshot()
    with pytest.raises(StaleEditError):
        services.hearing_continue(
            actor=caseworker,
            hearing=hearing,
            expected_version=1,
            reason="Judge ill",
            new_date=dt.date(2026, 4, 6),
        )
    assert snapshot() == before


# ---- vacated -----------------------------------------------------------------------------------


def test_vacate_keeps_the_reason(caseworker, case):
    hearing = schedule(case, caseworker)
    services.hearing_vacate(
        actor=caseworker, hearing=hearing, expected_version=1, reason="Petition dismissed"
    )
    hearing.refresh_from_db()
    assert (hearing.status, hearing.vacated_reason, hearing.version) == (
        HearingStatus.VACATED,
        "Petition dismissed",
        2,
    )
    assert AuditEvent.objects.filter(action="hearing.vacated", case_id=case.pk).count() == 1


def test_vacate_needs_a_reason(caseworker, case):
    hearing = schedule(case, caseworker)
    refused(
        lambda: services.hearing_vacate(
            actor=caseworker, hearing=hearing, expected_version=1, reason=""
        ),
        "reason",
        services.VACATE_NEEDS_REASON,
    )


def test_stale_vacate_is_refused(caseworker, case):
    hearing = schedule(case, caseworker)
    before = snapshot()
    with pytest.raises(StaleEditError):
        services.hearing_vacate(
            actor=caseworker, hearing=hearing, expected_version=7, reason="Dismissed"
        )
    assert snapshot() == before


# ---- findings ----------------------------------------------------------------------------------


def test_finding_at_a_held_hearing(caseworker, case):
    hearing = held(case, caseworker)
    child = child_of(case)
    finding = services.finding_record(
        actor=caseworker,
        case=case,
        child=child,
        kind=FindingKind.ABUSE_NEGLECT_ADJUDICATED,
        made_on=dt.date(2026, 3, 2),
        hearing=hearing,
        note="Neglect sustained",
        today=TODAY,
    )
    assert (finding.child, finding.hearing, finding.note) == (child, hearing, "Neglect sustained")
    assert finding.history.get().history_user == caseworker
    event = AuditEvent.objects.get(action="finding.recorded")
    assert (event.case_id, event.object_id) == (case.pk, finding.pk)


def test_finding_without_a_hearing(caseworker, case):
    finding = services.finding_record(
        actor=caseworker,
        case=case,
        child=child_of(case),
        kind=FindingKind.CONTRARY_TO_WELFARE,
        made_on=dt.date(2026, 1, 10),
        today=TODAY,
    )
    assert finding.hearing is None


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"made_on": dt.date(2026, 11, 2)}, "made_on", services.DATE_IN_FUTURE),
        ({"made_on": dt.date(2026, 3, 1)}, "made_on", services.BEFORE_HEARING),
        ({"kind": "nonsense"}, "kind", "Choose the finding."),
    ],
)
def test_finding_rules(caseworker, case, overrides, field, message):
    hearing = held(case, caseworker)
    arguments = {
        "actor": caseworker,
        "case": case,
        "child": child_of(case),
        "kind": FindingKind.CONTRARY_TO_WELFARE,
        "made_on": dt.date(2026, 3, 2),
        "hearing": hearing,
        "today": TODAY,
    } | overrides
    refused(lambda: services.finding_record(**arguments), field, message)


def test_finding_needs_a_child_of_the_case(caseworker, case):
    stranger = child_of(open_case(worker=caseworker))
    refused(
        lambda: services.finding_record(
            actor=caseworker,
            case=case,
            child=stranger,
            kind=FindingKind.CONTRARY_TO_WELFARE,
            made_on=dt.date(2026, 1, 10),
            today=TODAY,
        ),
        "child",
        services.NOT_A_CHILD_OF_THE_CASE,
    )


def test_finding_at_a_hearing_not_held_is_refused(caseworker, case):
    hearing = schedule(case, caseworker)
    refused(
        lambda: services.finding_record(
            actor=caseworker,
            case=case,
            child=child_of(case),
            kind=FindingKind.CONTRARY_TO_WELFARE,
            made_on=dt.date(2026, 3, 2),
            hearing=hearing,
            today=TODAY,
        ),
        "hearing",
        services.HEARING_NOT_HELD,
    )


def test_finding_at_another_cases_hearing_is_refused(caseworker, case):
    other = open_case(worker=caseworker)
    hearing = held(other, caseworker)
    refused(
        lambda: services.finding_record(
            actor=caseworker,
            case=case,
            child=child_of(case),
            kind=FindingKind.CONTRARY_TO_WELFARE,
            made_on=dt.date(2026, 3, 2),
            hearing=hearing,
            today=TODAY,
        ),
        "hearing",
        services.HEARING_OF_ANOTHER_CASE,
    )


def test_same_finding_twice_at_one_hearing_is_refused(caseworker, case):
    hearing = held(case, caseworker)

    def record():
        return services.finding_record(
            actor=caseworker,
            case=case,
            child=child_of(case),
            kind=FindingKind.RE_PREVENT_REMOVAL,
            made_on=dt.date(2026, 3, 2),
            hearing=hearing,
            today=TODAY,
        )

    record()
    refused(record, "kind", services.FINDING_ALREADY_RECORDED)


# ---- orders ------------------------------------------------------------------------------------


def test_thv_authorization_with_its_court_ordered_end(caseworker, case):
    hearing = held(case, caseworker, kind=HearingKind.REVIEW)
    order = services.order_record(
        actor=caseworker,
        case=case,
        kind=OrderKind.THV_AUTHORIZATION,
        issued_on=dt.date(2026, 3, 2),
        effective_until=dt.date(2026, 12, 2),
        text="Trial home visit with mother authorized for nine months.",
        hearing=hearing,
        today=TODAY,
    )
    assert order.child is None  # all children
    assert order.effective_until == dt.date(2026, 12, 2)
    assert order.history.get().history_user == caseworker
    event = AuditEvent.objects.get(action="order.recorded")
    assert event.changes["effective_until"] == "2026-12-02"


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"issued_on": dt.date(2026, 11, 2)}, "issued_on", services.DATE_IN_FUTURE),
        (
            {"effective_until": dt.date(2026, 3, 2)},
            "effective_until",
            services.ORDER_END_NOT_AFTER_ISSUE,
        ),
        (
            {"kind": OrderKind.DISMISSAL, "effective_until": dt.date(2026, 5, 1)},
            "effective_until",
            services.DISMISSAL_HAS_NO_END,
        ),
        ({"text": "  "}, "text", services.ORDER_NEEDS_TEXT),
        ({"kind": ""}, "kind", "Choose the kind of order."),
    ],
)
def test_order_rules(caseworker, case, overrides, field, message):
    arguments = {
        "actor": caseworker,
        "case": case,
        "kind": OrderKind.VISITATION_CONDITIONS,
        "issued_on": dt.date(2026, 3, 2),
        "text": "Supervised visits twice a week.",
        "today": TODAY,
    } | overrides
    refused(lambda: services.order_record(**arguments), field, message)


def test_order_for_a_child_of_another_case_is_refused(caseworker, case):
    stranger = child_of(open_case(worker=caseworker))
    refused(
        lambda: services.order_record(
            actor=caseworker,
            case=case,
            kind=OrderKind.PLACEMENT,
            issued_on=dt.date(2026, 3, 2),
            text="Placement with the agency.",
            child=stranger,
            today=TODAY,
        ),
        "child",
        services.NOT_A_CHILD_OF_THE_CASE,
    )


# ---- the database refuses what the services would ----------------------------------------------


@pytest.mark.parametrize(
    "fields",
    [
        {"status": HearingStatus.HELD},  # held without a date
        {"held_on": dt.date(2026, 3, 2)},  # a date on a hearing not held
        {"status": HearingStatus.CONTINUED, "continuance_reason": "x"},  # no next hearing
        {"continuance_reason": "x"},  # a reason on a hearing not continued
        {"status": HearingStatus.VACATED},  # vacated without a reason
    ],
)
def test_database_refuses_inconsistent_hearings(case, fields):
    with pytest.raises(IntegrityError), transaction.atomic():
        Hearing.objects.create(
            case=case, kind=HearingKind.REVIEW, scheduled_for=dt.date(2026, 3, 2), **fields
        )


def test_database_refuses_orders_ending_before_issue(case):
    with pytest.raises(IntegrityError), transaction.atomic():
        CourtOrder.objects.create(
            case=case,
            kind=OrderKind.CUSTODY,
            issued_on=dt.date(2026, 3, 2),
            effective_until=dt.date(2026, 3, 1),
            text="Custody to the agency",
        )


# ---- the clocks hook ---------------------------------------------------------------------------


def test_court_events_update_the_cases_clocks(caseworker, case):
    from reunify.clocks.models import ClockSnapshot

    def clock(key):
        return ClockSnapshot.objects.get(case=case, key=key)

    assert clock("re_prevent_removal").status != "met"
    hearing = held(case, caseworker, kind=HearingKind.PERMANENCY, on=dt.date(2026, 3, 2))
    assert clock("permanency_hearing").due == dt.date(2027, 3, 2)
    services.finding_record(
        actor=caseworker,
        case=case,
        child=child_of(case),
        kind=FindingKind.RE_PREVENT_REMOVAL,
        made_on=dt.date(2026, 3, 2),
        hearing=hearing,
        today=TODAY,
    )
    assert clock("re_prevent_removal").status == "met"
    services.petition_file(
        actor=caseworker,
        case=case,
        kind=PetitionKind.TPR,
        filed_on=dt.date(2026, 3, 3),
        grounds="15 of 22 months",
        today=TODAY,
    )
    assert clock("tpr_15_22").status == "met"


def test_database_refuses_the_same_hearing_scheduled_twice(case):
    fields = {"case": case, "kind": HearingKind.REVIEW, "scheduled_for": dt.date(2026, 3, 2)}
    Hearing.objects.create(**fields)
    with pytest.raises(IntegrityError), transaction.atomic():
        Hearing.objects.create(**fields)
