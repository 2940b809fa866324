from dataclasses import replace
from datetime import date

import pytest

from reunify.cases import road_home as rh
from reunify.cases.road_home import (
    Closure,
    CrisisPlan,
    Goal,
    HouseholdAdult,
    SafetyAction,
    ThvStart,
)

# ---- trial home visit ------------------------------------------------------------------------

READY = ThvStart(
    return_recommended=True,
    conditions_for_return_met=False,
    court_authorization_required=True,
    court_authorized=True,
    other_adults=(HouseholdAdult("Ana Ruiz", rh.CLEARED),),
    safety_actions=(SafetyAction("Bedtime check", "Ana Ruiz", "Weekly home visit"),),
    crisis_plan=CrisisPlan("Aunt Rosa, then the on-call worker", "Rosa takes the children"),
    transition_sessions_planned=2,
)


def test_a_complete_thv_start_has_no_problems():
    assert rh.thv_start_problems(READY) == []


def test_conditions_for_return_met_stand_in_for_a_recommendation():
    thv = replace(READY, return_recommended=False, conditions_for_return_met=True)
    assert rh.thv_start_problems(thv) == []


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"return_recommended": False}, rh.NO_RECOMMENDATION),
        ({"court_authorized": False}, rh.NO_COURT_AUTHORIZATION),
        (
            {"other_adults": (HouseholdAdult("Ben Cole", rh.PENDING),)},
            "The background check of Ben Cole is still pending.",
        ),
        (
            {"other_adults": (HouseholdAdult("Ben Cole", rh.NOT_CLEARED),)},
            "Ben Cole has not cleared the background check.",
        ),
        ({"safety_actions": ()}, rh.NO_SAFETY_ACTIONS),
        (
            {"safety_actions": (SafetyAction("Bedtime check", " ", "Weekly home visit"),)},
            "Name the adult responsible for the safety action “Bedtime check”.",
        ),
        (
            {"safety_actions": (SafetyAction("Bedtime check", "Ana Ruiz", ""),)},
            "Say how the safety action “Bedtime check” is checked.",
        ),
        ({"crisis_plan": CrisisPlan("", "Rosa takes the children")}, rh.NO_CRISIS_CALL),
        ({"crisis_plan": CrisisPlan("Aunt Rosa", "")}, rh.NO_CRISIS_STEPS),
        ({"transition_sessions_planned": 0}, rh.NO_TRANSITION_SESSIONS),
    ],
)
def test_each_missing_thv_item_gives_its_own_message(change, message):
    assert rh.thv_start_problems(replace(READY, **change)) == [message]


def test_no_crisis_plan_names_both_missing_parts():
    problems = rh.thv_start_problems(replace(READY, crisis_plan=None))
    assert problems == [rh.NO_CRISIS_CALL, rh.NO_CRISIS_STEPS]


def test_court_authorization_is_needed_only_where_the_profile_requires_it():
    thv = replace(READY, court_authorization_required=False, court_authorized=False)
    assert rh.thv_start_problems(thv) == []


def test_every_uncleared_adult_is_named():
    adults = (
        HouseholdAdult("Ana Ruiz", rh.CLEARED),
        HouseholdAdult("Ben Cole", rh.PENDING),
        HouseholdAdult("Cy Dunn", rh.NOT_CLEARED),
    )
    assert rh.thv_start_problems(replace(READY, other_adults=adults)) == [
        rh.ADULT_PENDING % {"name": "Ben Cole"},
        rh.ADULT_NOT_CLEARED % {"name": "Cy Dunn"},
    ]


# ---- case closure ----------------------------------------------------------------------------

CLOSABLE = Closure(
    safety_assessment_recorded=True,
    active_threats=(),
    risk_level=rh.MODERATE,
    goals=(Goal("Stable housing", met=True), Goal("Sobriety", met=True)),
    court_involved=True,
    court_dismissed=True,
    any_child_reunified=True,
    aftercare_plan=True,
    open_safety_plan=False,
)


def test_a_case_meeting_every_criterion_may_close():
    checklist = rh.closure_checklist(CLOSABLE)
    assert [item.key for item in checklist] == [
        rh.SAFETY,
        rh.RISK,
        rh.GOALS,
        rh.COURT,
        rh.AFTERCARE,
        rh.SAFETY_PLAN,
        rh.IN_CARE,
    ]
    assert all(item.ok for item in checklist)
    assert rh.closure_problems(CLOSABLE) == []


@pytest.mark.parametrize(
    ("change", "key", "message"),
    [
        ({"safety_assessment_recorded": False}, rh.SAFETY, rh.SAFETY_MISSING),
        (
            {"active_threats": ("Caregiver out of control", "Child fearful")},
            rh.SAFETY,
            "The closing safety assessment shows active threats: "
            "Caregiver out of control, Child fearful.",
        ),
        ({"risk_level": ""}, rh.RISK, rh.RISK_MISSING),
        (
            {"risk_level": rh.HIGH},
            rh.RISK,
            "The risk level is high; a case closes at low or moderate risk.",
        ),
        (
            {"risk_level": rh.VERY_HIGH},
            rh.RISK,
            "The risk level is very high; a case closes at low or moderate risk.",
        ),
        (
            {"goals": (Goal("Stable housing", met=True), Goal("Sobriety", met=False))},
            rh.GOALS,
            "The case-plan goal “Sobriety” is not met.",
        ),
        ({"court_dismissed": False}, rh.COURT, rh.COURT_MISSING),
        ({"aftercare_plan": False}, rh.AFTERCARE, rh.AFTERCARE_MISSING),
        ({"open_safety_plan": True}, rh.SAFETY_PLAN, rh.SAFETY_PLAN_OPEN),
        (
            {"children_in_care": ("Mia Ruiz",)},
            rh.IN_CARE,
            "Mia Ruiz is still in care (a trial home visit included); record the discharge first.",
        ),
    ],
)
def test_each_failing_closure_item_blocks_closure_with_its_message(change, key, message):
    closure = replace(CLOSABLE, **change)
    failing = [item for item in rh.closure_checklist(closure) if not item.ok]
    assert [(item.key, item.message) for item in failing] == [(key, message)]
    assert rh.closure_problems(closure) == [message]


def test_low_risk_is_acceptable():
    assert rh.closure_problems(replace(CLOSABLE, risk_level=rh.LOW)) == []


def test_each_unmet_goal_is_named():
    goals = (Goal("Stable housing", met=False), Goal("Sobriety", met=False))
    assert rh.closure_problems(replace(CLOSABLE, goals=goals)) == [
        rh.GOAL_UNMET % {"goal": "Stable housing"},
        rh.GOAL_UNMET % {"goal": "Sobriety"},
    ]


def test_dismissal_is_needed_only_when_the_case_was_court_involved():
    closure = replace(CLOSABLE, court_involved=False, court_dismissed=False)
    assert rh.closure_problems(closure) == []
    court = next(i for i in rh.closure_checklist(closure) if i.key == rh.COURT)
    assert court.message == rh.COURT_NOT_INVOLVED


def test_every_child_still_in_care_is_named():
    closure = replace(CLOSABLE, children_in_care=("Mia Ruiz", "Leo Ruiz"))
    assert rh.closure_problems(closure) == [
        rh.CHILD_IN_CARE % {"child": "Mia Ruiz"},
        rh.CHILD_IN_CARE % {"child": "Leo Ruiz"},
    ]


def test_aftercare_plan_is_needed_only_when_a_child_was_reunified():
    closure = replace(CLOSABLE, any_child_reunified=False, aftercare_plan=False)
    assert rh.closure_problems(closure) == []


# ---- re-entry --------------------------------------------------------------------------------


@pytest.mark.parametrize("reason", ["reunification", "living_with_relative", "guardianship"])
def test_removal_within_12_months_of_a_followed_exit_is_a_reentry(reason):
    result = rh.reentry(date(2025, 3, 10), reason, date(2026, 3, 10))
    assert result == rh.Reentry(days_since_discharge=365, counted_exit=True, within_12_months=True)


def test_removal_the_day_after_the_12_month_mark_is_not_within_12_months():
    result = rh.reentry(date(2025, 3, 10), "reunification", date(2026, 3, 11))
    assert result.days_since_discharge == 366
    assert not result.within_12_months


@pytest.mark.parametrize("reason", ["adoption", "emancipation", "runaway"])
def test_exits_outside_the_cfsr3_p4_reading_are_not_reentries(reason):
    result = rh.reentry(date(2025, 3, 10), reason, date(2025, 4, 10))
    assert not result.counted_exit
    assert not result.within_12_months


def test_a_removal_on_or_before_the_discharge_is_refused():
    with pytest.raises(ValueError, match="after the previous discharge"):
        rh.reentry(date(2025, 3, 10), "reunification", date(2025, 3, 10))


# ---- aftercare contacts ----------------------------------------------------------------------


def test_default_schedule_is_weekly_for_four_weeks_then_monthly_to_six_months():
    assert rh.aftercare_schedule(date(2026, 1, 1)) == [
        date(2026, 1, 8),
        date(2026, 1, 15),
        date(2026, 1, 22),
        date(2026, 1, 29),
        date(2026, 2, 28),  # one month after 29 January, clamped to February's end
        date(2026, 3, 29),
        date(2026, 4, 29),
        date(2026, 5, 29),
        date(2026, 6, 29),
    ]


def test_weekly_weeks_and_length_are_configurable():
    assert rh.aftercare_schedule(date(2026, 1, 1), profile_weeks_weekly_contact=2, months=2) == [
        date(2026, 1, 8),
        date(2026, 1, 15),
        date(2026, 2, 15),
    ]


def test_a_contact_on_the_last_day_of_aftercare_is_kept():
    # No weekly contacts: monthly from the return, the last on the day aftercare ends.
    schedule = rh.aftercare_schedule(date(2026, 1, 1), profile_weeks_weekly_contact=0, months=3)
    assert schedule == [date(2026, 2, 1), date(2026, 3, 1), date(2026, 4, 1)]


def test_weekly_contacts_stop_when_aftercare_ends():
    schedule = rh.aftercare_schedule(date(2026, 1, 1), profile_weeks_weekly_contact=10, months=1)
    assert schedule == [date(2026, 1, 8), date(2026, 1, 15), date(2026, 1, 22), date(2026, 1, 29)]


def test_negative_lengths_are_refused():
    with pytest.raises(ValueError, match="cannot be negative"):
        rh.aftercare_schedule(date(2026, 1, 1), months=-1)
