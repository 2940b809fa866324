"""The selectors other apps code against (road home, closure, readiness)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from reunify.assessments import selectors, services
from reunify.assessments.display import CLOSING_SAFETY
from reunify.assessments.scoring import OverrideRequest
from reunify.assessments.tests.factories import (
    children_of,
    closing_answers,
    record_reunification,
    record_safety,
)
from reunify.cases.tests.factories import open_case

NOW = dt.datetime(2026, 11, 2, 15, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.mark.django_db
def test_nothing_recorded(caseworker):
    case = open_case(worker=caseworker)
    child = children_of(case)[0]
    assert selectors.recommendation(case=case, child=child) is None
    assert selectors.conditions(case=case) == []
    assert selectors.conditions_met(case=case, child=child) is False
    assert selectors.risk_level(case=case) == ""
    assert selectors.safety_decision(case=case) == ""
    assert selectors.closing_safety(case=case) == selectors.ClosingSafety(False, (), None)


@pytest.mark.django_db
def test_recommendation_is_the_latest_final_outcome_for_the_child(caseworker):
    case = open_case(worker=caseworker, children=2)
    first, second = children_of(case)
    record_reunification(actor=caseworker, case=case, recorded_on=dt.date(2026, 10, 1))
    # a later assessment of the first child only, with the decision overridden
    latest = record_reunification(
        actor=caseworker,
        case=case,
        children=[first],
        recorded_on=dt.date(2026, 10, 20),
        overrides=[
            OverrideRequest(
                "decision_discretionary",
                reason="Court wants a THV first",
                to="continue_reunification",
                child=str(first.pk),
            )
        ],
    )
    mine = selectors.recommendation(case=case, child=first)
    assert mine == selectors.Recommendation(
        "continue_reunification", "Continue reunification efforts", latest, dt.date(2026, 10, 20)
    )
    theirs = selectors.recommendation(case=case, child=second)
    assert theirs is not None
    assert theirs.outcome == "return_home"
    assert theirs.recorded_on == dt.date(2026, 10, 1)


@pytest.mark.parametrize(
    ("kw", "outcome", "risk", "safety"),
    [
        ({}, "return_home", "low", "safe"),
        ({"safety": "unsafe"}, "continue_reunification", "low", "unsafe"),
        ({"compliance": "poor", "safety": None}, "continue_reunification", "low", ""),
        (
            {"prior": "very_high", "investigation": "yes", "safety": None},
            "continue_reunification",
            "high",
            "",
        ),
        (
            {
                "prior": "very_high",
                "investigation": "yes",
                "progress": "none",
                "quality": "harmful",
                "safety": None,
            },
            "change_goal",
            "very_high",
            "",
        ),
    ],
)
@pytest.mark.django_db
def test_every_row_reaches_the_selectors(caseworker, kw, outcome, risk, safety):
    case = open_case(worker=caseworker)
    child = children_of(case)[0]
    record_reunification(actor=caseworker, case=case, **kw)
    assert selectors.recommendation(case=case, child=child).outcome == outcome
    assert selectors.risk_level(case=case) == risk
    assert selectors.safety_decision(case=case) == safety
    assert selectors.safety_decision(case=case, child=child) == safety


@pytest.mark.django_db
def test_conditions_and_conditions_met(caseworker):
    case = open_case(worker=caseworker, children=2)
    first, second = children_of(case)
    # an analysis of the first child only, with one "no"
    record_safety(actor=caseworker, case=case, no=("home_calm",), children=[first])
    (condition,) = selectors.conditions(case=case)
    assert condition.status == "open"
    assert condition.question_label.startswith("Is the home")
    assert condition.why_not_now == "why not home_calm"
    assert condition.what_must_exist == "what for home_calm"
    assert condition.review_due_on == dt.date(2026, 12, 2)
    assert selectors.conditions(case=case, child=first) == [condition]
    assert selectors.conditions(case=case, child=second) == []
    assert selectors.conditions_met(case=case, child=first) is False
    # the second child has no analysis: not met
    assert selectors.conditions_met(case=case, child=second) is False
    services.condition_review(actor=caseworker, condition=condition, status="met", note="Calm")
    assert selectors.conditions_met(case=case, child=first) is True


@pytest.mark.django_db
def test_closing_safety_lists_present_threats(caseworker):
    case = open_case(worker=caseworker)
    services.response_record(
        actor=caseworker,
        case=case,
        instrument_key=CLOSING_SAFETY,
        answers=closing_answers(("home_hazardous", "no_supervision")),
        recorded_on=dt.date(2026, 10, 1),
    )
    found = selectors.closing_safety(case=case)
    assert found == selectors.ClosingSafety(
        True,
        ("The home is hazardous to the child", "No adult supervises the child"),
        dt.date(2026, 10, 1),
    )
    services.response_record(
        actor=caseworker, case=case, instrument_key=CLOSING_SAFETY, answers=closing_answers()
    )
    assert selectors.closing_safety(case=case) == selectors.ClosingSafety(
        True, (), dt.date(2026, 11, 2)
    )
