"""Recording responses and reviewing conditions for return, through the services."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError

from reunify.assessments import selectors, services, stored
from reunify.assessments.display import (
    CLOSING_SAFETY,
    IN_HOME_SAFETY,
    PROTECTIVE_FACTORS,
    RETURN_HOME_REVIEW,
    REUNIFICATION,
)
from reunify.assessments.instruments import builtin
from reunify.assessments.models import (
    ConditionForReturn,
    ConditionReview,
    Response,
    ResponseChild,
)
from reunify.assessments.scoring import Answer, OverrideRequest, score
from reunify.assessments.tests.factories import (
    children_of,
    closing_answers,
    record_family_functioning,
    record_protective,
    record_reunification,
    record_safety,
    return_home_answers,
    reunification_answers,
    safety_answers,
)
from reunify.cases.tests.factories import open_case
from reunify.core.models import AuditEvent
from reunify.family_time.models import FamilyTimeSession
from reunify.family_time.tests.factories import make_plan

NOW = dt.datetime(2026, 11, 2, 15, 0, tzinfo=dt.UTC)
TODAY = dt.date(2026, 11, 2)


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(NOW, tick=False):
        yield


def counts():
    return (
        Response.objects.count(),
        ResponseChild.objects.count(),
        ConditionForReturn.objects.count(),
        ConditionReview.objects.count(),
        AuditEvent.objects.filter(action__startswith="assessments.").count(),
    )


# ---- refusals -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_missing_answer_is_refused_naming_the_item_and_nothing_is_saved(caseworker):
    # given a case and a reunification assessment without the prior risk level
    case = open_case(worker=caseworker)
    answers = reunification_answers(children_of(case))
    del answers["risk_prior_level"]
    before = counts()
    # when it is recorded
    with pytest.raises(ValidationError) as error:
        services.response_record(
            actor=caseworker, case=case, instrument_key=REUNIFICATION, answers=answers
        )
    # then the item is named and nothing changed
    assert error.value.message_dict == {
        "risk_prior_level": ["R1 prior risk level: " + services.ANSWER_REQUIRED]
    }
    assert counts() == before


@pytest.mark.django_db
def test_off_scale_value_and_missing_note_are_each_named(caseworker):
    case = open_case(worker=caseworker)
    answers = reunification_answers(children_of(case))
    answers["risk_new_investigation"] = "maybe"
    answers["danger_2"] = "yes"  # a danger indicator present needs a note
    with pytest.raises(ValidationError) as error:
        services.response_record(
            actor=caseworker, case=case, instrument_key=REUNIFICATION, answers=answers
        )
    assert set(error.value.message_dict) == {"risk_new_investigation", "danger_2"}
    assert error.value.message_dict["danger_2"] == [
        "S2 danger indicator: " + services.NOTE_REQUIRED
    ]


@pytest.mark.django_db
def test_override_without_reason_is_refused(caseworker):
    case = open_case(worker=caseworker)
    before = counts()
    with pytest.raises(ValidationError) as error:
        record_reunification(
            actor=caseworker,
            case=case,
            overrides=[OverrideRequest("severe_injury", reason=" ")],
            safety=None,
        )
    assert error.value.message_dict == {
        "overrides": ["Severe non-accidental injury: " + services.OVERRIDE_REASON]
    }
    assert counts() == before


@pytest.mark.django_db
def test_changed_prefilled_value_without_reason_is_refused_naming_child(caseworker):
    # given no family time recorded: the records say 0 visits scheduled
    case = open_case(worker=caseworker)
    child = children_of(case)[0]
    answers = reunification_answers([child])
    answers["visits_scheduled"] = {str(child.pk): 6}  # no reason
    with pytest.raises(ValidationError) as error:
        services.response_record(
            actor=caseworker, case=case, instrument_key=REUNIFICATION, answers=answers
        )
    key = f"visits_scheduled[{child.pk}]"
    assert list(error.value.message_dict) == [key]
    message = error.value.message_dict[key][0]
    assert message.startswith(f"V1 visits scheduled ({child.full_name}): ")
    assert "0" in message
    assert "6" in message


@pytest.mark.django_db
def test_a_claimed_prefilled_value_is_replaced_by_the_records(caseworker):
    # the caller cannot dodge the reason by claiming the records said what they typed
    case = open_case(worker=caseworker)
    child = children_of(case)[0]
    answers = reunification_answers([child])
    answers["visits_scheduled"] = {str(child.pk): Answer(6, prefilled=6)}
    with pytest.raises(ValidationError) as error:
        services.response_record(
            actor=caseworker, case=case, instrument_key=REUNIFICATION, answers=answers
        )
    assert f"visits_scheduled[{child.pk}]" in error.value.message_dict


@pytest.mark.django_db
def test_safety_section_answered_when_not_asked_is_refused(caseworker):
    case = open_case(worker=caseworker)
    with pytest.raises(ValidationError) as error:
        # high risk: the safety section is not asked
        record_reunification(actor=caseworker, case=case, prior="very_high", investigation="yes")
    assert "safety_decision" in error.value.message_dict


@pytest.mark.django_db
def test_timepoint_is_required_where_the_instrument_has_them(caseworker):
    case = open_case(worker=caseworker)
    with pytest.raises(ValidationError) as error:
        record_family_functioning(actor=caseworker, case=case, timepoint="")
    assert "timepoint" in error.value.message_dict


@pytest.mark.django_db
def test_closed_case_future_date_other_child_unknown_instrument_refused(caseworker):
    case = open_case(worker=caseworker)
    other = children_of(open_case(worker=caseworker))[0]
    with pytest.raises(ValidationError) as error:
        record_safety(actor=caseworker, case=case, recorded_on=TODAY + dt.timedelta(days=1))
    assert error.value.message_dict == {"recorded_on": [services.IN_FUTURE]}
    with pytest.raises(ValidationError) as error:
        record_safety(actor=caseworker, case=case, children=[other])
    assert error.value.message_dict == {"children": [services.NOT_A_CHILD]}
    with pytest.raises(ValidationError) as error:
        services.response_record(actor=caseworker, case=case, instrument_key="nope", answers={})
    assert "instrument_key" in error.value.message_dict
    case.status = case.Status.CLOSED
    with pytest.raises(ValidationError) as error:
        record_safety(actor=caseworker, case=case)
    assert error.value.messages == [services.CASE_CLOSED]


@pytest.mark.django_db
def test_per_child_instrument_needs_children_in_care(caseworker):
    case = open_case(worker=caseworker)
    case.episodes.update(discharged_on=TODAY, discharge_reason="reunification")
    child = children_of(case)[0]
    with pytest.raises(ValidationError) as error:
        services.response_record(
            actor=caseworker,
            case=case,
            instrument_key=REUNIFICATION,
            answers=reunification_answers([child]),
        )
    assert error.value.message_dict == {"children": [services.NEEDS_CHILD]}
    with pytest.raises(ValidationError) as error:
        record_reunification(actor=caseworker, case=case, children=[child])
    assert error.value.message_dict == {
        "children": [services.NOT_IN_CARE % {"name": child.full_name}]
    }


# ---- recording -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_reunification_assessment_is_stored_with_result_and_outcomes(caseworker):
    # given a case with two children in care
    case = open_case(worker=caseworker, children=2)
    kids = children_of(case)
    # when a low-risk, acceptable-visitation, safe assessment is recorded
    response = record_reunification(actor=caseworker, case=case)
    # then it keeps its version, the final levels and each child's outcome
    assert (response.instrument_key, response.instrument_version) == (REUNIFICATION, 3)
    assert (response.risk_level, response.safety_decision) == ("low", "safe")
    assert {rc.child_id: rc.outcome for rc in response.covered.all()} == {
        kids[0].pk: "return_home",
        kids[1].pk: "return_home",
    }
    result = stored.result_load(response.result)
    assert result.decision(str(kids[0].pk)).rows[0].chosen
    event = AuditEvent.objects.get(action="assessments.response_record")
    assert event.case_id == case.pk
    assert event.changes["risk_level"] == "low"


@pytest.mark.django_db
def test_stored_result_round_trips_to_the_same_result(caseworker):
    case = open_case(worker=caseworker)
    response = record_reunification(
        actor=caseworker,
        case=case,
        overrides=[OverrideRequest("risk_discretionary", reason="New partner", to="moderate")],
    )
    instrument = selectors.instrument_of(response)
    again = score(
        instrument,
        stored.answers_load(instrument, response.answers),
        stored.overrides_load(response.overrides),
        children=[str(c.pk) for c in response.children.all()],
    )
    assert stored.result_load(response.result) == again
    assert response.risk_level == "moderate"


@pytest.mark.django_db
def test_old_version_keeps_its_result_after_a_new_version_exists(caseworker):
    # given answers totalling 1 risk point: low under v1 (..1), moderate under v2 (1..2)
    case = open_case(worker=caseworker)
    kw = {"prior": "moderate", "investigation": "no", "progress": "minimal"}
    old = record_reunification(actor=caseworker, case=case, instrument_version=1, **kw)
    new = record_reunification(actor=caseworker, case=case, **kw)
    # then each keeps the level of its own version, and re-scoring uses the version it names
    assert (old.instrument_version, old.risk_level) == (1, "low")
    assert (new.instrument_version, new.risk_level) == (3, "moderate")
    old.refresh_from_db()
    instrument = selectors.instrument_of(old)
    assert instrument.version == 1
    rescored = score(
        instrument,
        stored.answers_load(instrument, old.answers),
        children=[str(c.pk) for c in old.children.all()],
    )
    assert rescored.section("risk").level == "low"
    assert builtin(REUNIFICATION).version == 3


@pytest.mark.django_db
def test_each_no_creates_a_condition_with_why_and_what(caseworker):
    case = open_case(worker=caseworker)
    response = record_safety(actor=caseworker, case=case, no=("home_calm", "stable_residence"))
    found = ConditionForReturn.objects.filter(response=response).order_by("question_key")
    assert [(c.question_key, c.why_not_now, c.what_must_exist, c.status) for c in found] == [
        ("home_calm", "why not home_calm", "what for home_calm", "open"),
        ("stable_residence", "why not stable_residence", "what for stable_residence", "open"),
    ]
    assert found[0].question_label.startswith("Is the home calm")
    assert found[0].review_due_on == dt.date(2026, 12, 2)
    assert (
        AuditEvent.objects.get(action="assessments.response_record").changes["conditions_created"]
        == 2
    )


@pytest.mark.django_db
def test_no_without_why_or_what_is_refused(caseworker):
    case = open_case(worker=caseworker)
    answers = safety_answers()
    answers["home_calm"] = Answer("no", note="shouting")
    with pytest.raises(ValidationError) as error:
        services.response_record(
            actor=caseworker, case=case, instrument_key=IN_HOME_SAFETY, answers=answers
        )
    assert error.value.message_dict["home_calm"][0].endswith(services.WHAT_REQUIRED)
    assert ConditionForReturn.objects.count() == 0


@pytest.mark.django_db
def test_a_repeated_no_keeps_the_open_condition_and_a_yes_meets_it(caseworker):
    case = open_case(worker=caseworker)
    record_safety(actor=caseworker, case=case, no=("home_calm",), recorded_on=dt.date(2026, 9, 1))
    # a second analysis still says no: no duplicate, the condition is reviewed
    record_safety(actor=caseworker, case=case, no=("home_calm",), recorded_on=dt.date(2026, 10, 1))
    condition = ConditionForReturn.objects.get()
    assert condition.is_open
    assert condition.review_due_on == dt.date(2026, 11, 1)
    assert condition.reviews.count() == 1
    # a third says yes: the condition is met that day
    record_safety(actor=caseworker, case=case, recorded_on=dt.date(2026, 10, 20))
    condition.refresh_from_db()
    assert (condition.status, condition.met_on) == ("met", dt.date(2026, 10, 20))
    assert ConditionForReturn.objects.count() == 1


@pytest.mark.django_db
def test_other_instruments_record(caseworker):
    case = open_case(worker=caseworker)
    record_family_functioning(actor=caseworker, case=case, timepoint="intake")
    record_protective(actor=caseworker, case=case, timepoint="pre")
    services.response_record(
        actor=caseworker,
        case=case,
        instrument_key=RETURN_HOME_REVIEW,
        answers=return_home_answers(),
    )
    services.response_record(
        actor=caseworker,
        case=case,
        instrument_key=CLOSING_SAFETY,
        answers=closing_answers(("home_hazardous",)),
    )
    assert Response.objects.filter(case=case).count() == 4
    assert Response.objects.get(instrument_key=PROTECTIVE_FACTORS).timepoint == "pre"


@pytest.mark.django_db
def test_return_home_review_needs_evidence_notes(caseworker):
    case = open_case(worker=caseworker)
    answers = return_home_answers()
    answers["supervision"] = "yes"
    with pytest.raises(ValidationError) as error:
        services.response_record(
            actor=caseworker, case=case, instrument_key=RETURN_HOME_REVIEW, answers=answers
        )
    assert list(error.value.message_dict) == ["supervision"]


@pytest.mark.django_db
def test_a_table_without_a_matching_row_is_the_instruments_fault(caseworker, monkeypatch):
    case = open_case(worker=caseworker)
    from reunify.assessments import scoring
    from reunify.assessments.instruments import InstrumentError

    def broken(*args, **kwargs):
        raise InstrumentError("x", ["decision_table: no row matches"])

    monkeypatch.setattr(scoring, "score", broken)
    with pytest.raises(ValidationError) as error:
        record_safety(actor=caseworker, case=case)
    assert error.value.messages == [services.NO_ROW]


# ---- visitation prefilled from family time ---------------------------------------------------


def _sessions(plan, statuses):
    """Mark the plan's first sessions (all in the past at NOW) as given."""
    sessions = list(plan.sessions.order_by("starts_at")[: len(statuses)])
    assert len(sessions) == len(statuses)
    for session, (status, quality, incident) in zip(sessions, statuses, strict=True):
        FamilyTimeSession.objects.filter(pk=session.pk).update(
            status=status,
            quality=quality,
            safety_incident=incident,
            safety_note="hit" if incident else "",
            cancelled_by="parent" if status == "cancelled" else "",
            cancel_reason="sick" if status == "cancelled" else "",
        )


@pytest.mark.django_db
def test_visitation_is_prefilled_from_recorded_family_time(caseworker):
    # given weekly family time since March, the first eight sessions recorded
    plan = make_plan(worker=caseworker)
    case = plan.episode.case
    child = plan.episode.child
    # sessions are in March; assess on 2026-04-30 so the 90-day period holds them
    _sessions(plan, [("held", 4, False)] * 6 + [("held", 3, False), ("no_show", None, False)])
    on = dt.date(2026, 4, 30)
    prefill = selectors.visitation_prefill(case=case, children=[child], on=on)[str(child.pk)]
    ev = prefill.evaluation
    assert ev is not None
    assert ev.completed == 7
    assert ev.no_shows == 1
    # 7 of 8 = 88%: mostly consistent -> good; quality mean 3.9 -> strong
    assert prefill.values["visits_completed"] == 7
    assert prefill.values["visits_scheduled"] == ev.scheduled
    assert (prefill.values["visit_compliance"], prefill.values["visit_quality"]) == (
        "good",
        "strong",
    )
    # and a response giving the records' values needs no reason
    answers = reunification_answers([child])
    for item in ("visits_scheduled", "visits_completed", "visit_compliance", "visit_quality"):
        answers[item] = {str(child.pk): prefill.values[item]}
    response = services.response_record(
        actor=caseworker,
        case=case,
        instrument_key=REUNIFICATION,
        answers=answers,
        recorded_on=on,
    )
    assert response.answers["visit_compliance"][str(child.pk)] == {
        "value": "good",
        "prefilled": "good",
    }


@pytest.mark.parametrize(
    ("completed", "no_shows", "expected"),
    [(9, 1, "excellent"), (8, 2, "good"), (6, 4, "fair"), (4, 6, "poor"), (2, 1, None)],
)
def test_compliance_mapping(completed, no_shows, expected):
    from reunify.family_time.evaluation import Evaluation

    ev = Evaluation(
        start=TODAY,
        end=TODAY,
        scheduled=completed + no_shows,
        completed=completed,
        no_shows=no_shows,
    )
    assert selectors.visitation_answers(ev).get("visit_compliance") == expected


@pytest.mark.parametrize(
    ("total", "rated", "incidents", "expected"),
    [
        (8, 2, 0, "strong"),
        (6, 2, 0, "adequate"),
        (4, 2, 0, "limited"),
        (2, 2, 0, "harmful"),
        (8, 2, 1, "limited"),
        (2, 2, 1, "harmful"),
        (0, 0, 0, None),
    ],
)
def test_quality_mapping(total, rated, incidents, expected):
    from reunify.family_time.evaluation import Evaluation

    ev = Evaluation(
        start=TODAY, end=TODAY, quality_total=total, quality_rated=rated, incidents=incidents
    )
    assert selectors.visitation_answers(ev).get("visit_quality") == expected


# ---- reviewing a condition -------------------------------------------------------------------


@pytest.mark.django_db
def test_review_keeps_open_and_moves_the_due_date_or_meets(caseworker):
    case = open_case(worker=caseworker)
    record_safety(actor=caseworker, case=case, no=("home_calm",), recorded_on=dt.date(2026, 9, 1))
    condition = ConditionForReturn.objects.get()
    assert condition.review_is_due(TODAY)
    services.condition_review(
        actor=caseworker,
        condition=condition,
        status="open",
        note="Still arguing",
        reviewed_on=dt.date(2026, 10, 15),
    )
    condition.refresh_from_db()
    assert condition.review_due_on == dt.date(2026, 11, 15)
    assert not condition.review_is_due(TODAY)
    services.condition_review(
        actor=caseworker, condition=condition, status="met", note="Calm for 6 weeks"
    )
    condition.refresh_from_db()
    assert (condition.status, condition.met_on) == ("met", TODAY)
    assert condition.reviews.count() == 2
    assert AuditEvent.objects.filter(action="assessments.condition_review").count() == 2


@pytest.mark.django_db
def test_review_refusals_change_nothing(caseworker):
    case = open_case(worker=caseworker)
    record_safety(actor=caseworker, case=case, no=("home_calm",), recorded_on=dt.date(2026, 9, 1))
    condition = ConditionForReturn.objects.get()
    before = counts()
    with pytest.raises(ValidationError) as error:
        services.condition_review(actor=caseworker, condition=condition, status="gone", note=" ")
    assert error.value.message_dict == {
        "status": [services.REVIEW_STATUS],
        "note": [services.REVIEW_NOTE_REQUIRED],
    }
    with pytest.raises(ValidationError) as error:
        services.condition_review(
            actor=caseworker,
            condition=condition,
            status="open",
            note="x",
            reviewed_on=dt.date(2026, 8, 1),
        )
    assert error.value.message_dict == {"reviewed_on": [services.REVIEW_BEFORE_CREATED]}
    services.condition_review(
        actor=caseworker, condition=condition, status="withdrawn", note="Court"
    )
    before = counts()
    with pytest.raises(ValidationError) as error:
        services.condition_review(actor=caseworker, condition=condition, status="open", note="x")
    assert error.value.messages == [services.CONDITION_CLOSED]
    assert counts() == before


@pytest.mark.django_db
def test_conditions_follow_the_children_an_analysis_covers(caseworker):
    case = open_case(worker=caseworker, children=2)
    first, second = children_of(case)
    # an open condition for the first child only
    record_safety(
        actor=caseworker, case=case, no=("home_calm",), children=[first], recorded_on=TODAY
    )
    # a "no" covering both children is a new condition (the old one does not cover the second)
    record_safety(actor=caseworker, case=case, no=("home_calm",), children=[first, second])
    assert ConditionForReturn.objects.filter(status="open").count() == 2
    # a "yes" for the second child alone meets neither: both also cover the first child
    record_safety(actor=caseworker, case=case, children=[second])
    assert ConditionForReturn.objects.filter(status="open").count() == 2
    assert selectors.conditions_met(case=case, child=second) is False


@pytest.mark.django_db
def test_review_refused_in_the_future_or_on_a_closed_case(caseworker):
    case = open_case(worker=caseworker)
    record_safety(actor=caseworker, case=case, no=("home_calm",))
    condition = ConditionForReturn.objects.get()
    with pytest.raises(ValidationError) as error:
        services.condition_review(
            actor=caseworker,
            condition=condition,
            status="open",
            note="x",
            reviewed_on=TODAY + dt.timedelta(days=1),
        )
    assert error.value.message_dict == {"reviewed_on": [services.REVIEW_IN_FUTURE]}
    type(case).objects.filter(pk=case.pk).update(status="closed")
    with pytest.raises(ValidationError) as error:
        services.condition_review(actor=caseworker, condition=condition, status="met", note="x")
    assert error.value.messages == [services.CASE_CLOSED]
    condition.refresh_from_db()
    assert condition.is_open
