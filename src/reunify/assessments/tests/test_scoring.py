"""Scoring responses: the reunification decision table row by row, overrides, bands,
versioning, conditions for return, refusals naming the item, and change scores."""

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reunify.assessments.instruments import InstrumentError, builtin, load
from reunify.assessments.scoring import (
    Answer,
    OverrideRequest,
    ResponseError,
    change,
    score,
)
from reunify.assessments.tests.samples import minimal

REUNIFICATION = builtin("reunification_assessment", 1)

# Risk answers by the total they add up to (v1 bands: ..1 low, 2..3 moderate, 4..5 high, 6.. very high).
RISK_BY_LEVEL = {
    "low": ("moderate", "no", "some"),  # 0
    "moderate": ("high", "no", "minimal"),  # 2
    "high": ("high", "yes", "minimal"),  # 4
    "very_high": ("very_high", "yes", "none"),  # 6
}
GOOD_VISITS = ("excellent", "strong")
POOR_VISITS = ("fair", "limited")


def risk(prior: str, investigation: str, progress: str) -> dict[str, Any]:
    return {
        "risk_prior_level": prior,
        "risk_new_investigation": investigation,
        "risk_caregiver_progress": progress,
    }


def visits(**children: tuple[str, str]) -> dict[str, Any]:
    return {
        "visits_scheduled": dict.fromkeys(children, 8),
        "visits_completed": dict.fromkeys(children, 7),
        "visit_compliance": {c: v[0] for c, v in children.items()},
        "visit_quality": {c: v[1] for c, v in children.items()},
    }


def safety(decision: str) -> dict[str, Any]:
    return {"danger_1": "no", "danger_2": "no", "danger_3": "no", "safety_decision": decision}


# Every row of reference/domain.md §6.1, each reached by a response.
ROWS = [
    ("low", GOOD_VISITS, "safe", "1", "return_home"),
    ("moderate", GOOD_VISITS, "safe_with_plan", "1", "return_home"),
    ("low", GOOD_VISITS, "unsafe", "2", "continue_reunification"),
    ("moderate", POOR_VISITS, None, "3", "continue_reunification"),
    ("high", GOOD_VISITS, None, "4", "continue_reunification"),
    ("very_high", GOOD_VISITS, None, "4", "continue_reunification"),
    ("high", POOR_VISITS, None, "5", "change_goal"),
    ("very_high", POOR_VISITS, None, "5", "change_goal"),
]


@pytest.mark.parametrize(("level", "visit", "decision", "row", "outcome"), ROWS)
def test_decision_table_row(level, visit, decision, row, outcome):
    answers = {**risk(*RISK_BY_LEVEL[level]), **visits(ann=visit)}
    if decision:
        answers |= safety(decision)

    result = score(REUNIFICATION, answers, children=["ann"])

    assert result.section("risk").level == level
    assert result.section("safety").asked is (decision is not None)
    made = result.decision("ann")
    assert (made.initial, made.final) == (outcome, outcome)
    chosen = [trace for trace in made.rows if trace.chosen]
    assert [trace.row for trace in chosen] == [row]
    assert all(c.held for c in chosen[0].checks)
    for trace in made.rows[: int(row) - 1]:
        assert not trace.matched
        assert any(not c.held for c in trace.checks)


def test_reasoning_shows_every_row_with_each_condition():
    answers = {**risk(*RISK_BY_LEVEL["high"]), **visits(ann=POOR_VISITS)}

    made = score(REUNIFICATION, answers, children=["ann"]).decision("ann")

    assert [t.row for t in made.rows] == ["1", "2", "3", "4", "5"]
    first = made.rows[0]
    assert [(c.variable, c.actual, c.held) for c in first.checks] == [
        ("risk", "high", False),
        ("visitation", "not_acceptable", False),
        ("safety_decision", "not_done", False),
    ]


def test_safety_asked_when_one_child_has_acceptable_visits_and_decided_per_child():
    answers = {
        **risk(*RISK_BY_LEVEL["low"]),
        **visits(ann=GOOD_VISITS, ben=POOR_VISITS),
        **safety("safe"),
    }

    result = score(REUNIFICATION, answers, children=["ann", "ben"])

    assert result.decision("ann").final == "return_home"
    assert result.decision("ben").final == "continue_reunification"


def test_safety_answers_when_not_asked_are_refused():
    answers = {**risk(*RISK_BY_LEVEL["high"]), **visits(ann=GOOD_VISITS), **safety("safe")}

    with pytest.raises(
        ResponseError, match=r"safety_decision: answered, but section 'safety' is not asked"
    ):
        score(REUNIFICATION, answers, children=["ann"])


def test_safety_required_when_asked():
    answers = {**risk(*RISK_BY_LEVEL["low"]), **visits(ann=GOOD_VISITS)}

    with pytest.raises(ResponseError) as caught:
        score(REUNIFICATION, answers, children=["ann"])

    assert "safety_decision: an answer is required" in caught.value.problems


# --- overrides ---


@pytest.mark.parametrize(
    "condition",
    [
        "sexual_abuse_perpetrator_access",
        "injury_child_under_3",
        "severe_injury",
        "caregiver_caused_death",
    ],
)
def test_policy_override_forces_very_high_and_changes_the_row(condition):
    answers = {**risk(*RISK_BY_LEVEL["low"]), **visits(ann=POOR_VISITS)}

    result = score(
        REUNIFICATION,
        answers,
        [OverrideRequest(condition, reason="Per the record")],
        children=["ann"],
    )

    section = result.section("risk")
    assert (section.band, section.level) == ("low", "very_high")
    assert section.overrides[0].override == condition
    assert result.decision("ann").final == "change_goal"


def test_discretionary_override_moves_one_level_with_reason():
    answers = {**risk(*RISK_BY_LEVEL["moderate"]), **visits(ann=GOOD_VISITS)}
    request = OverrideRequest("risk_discretionary", reason="New arrest", to="high")

    result = score(REUNIFICATION, answers, [request], children=["ann"])

    assert result.section("risk").level == "high"
    assert result.section("risk").overrides[0].reason == "New arrest"
    assert result.decision("ann").final == "continue_reunification"


def test_discretionary_override_down_one_level():
    answers = {**risk(*RISK_BY_LEVEL["high"]), **visits(ann=GOOD_VISITS), **safety("safe")}
    request = OverrideRequest("risk_discretionary", reason="Offender left home", to="moderate")

    result = score(REUNIFICATION, answers, [request], children=["ann"])

    assert result.decision("ann").final == "return_home"


@pytest.mark.parametrize(
    ("request_", "expected"),
    [
        (
            OverrideRequest("risk_discretionary", to="high"),
            "override 'risk_discretionary': a reason is required",
        ),
        (
            OverrideRequest("severe_injury", reason="  "),
            "override 'severe_injury': a reason is required",
        ),
        (
            OverrideRequest("risk_discretionary", reason="r", to="very_high"),
            "override 'risk_discretionary': moves one level from 'moderate', not to 'very_high'",
        ),
        (
            OverrideRequest("risk_discretionary", reason="r", to="extreme"),
            "override 'risk_discretionary': 'extreme' is not a level of 'risk'",
        ),
        (OverrideRequest("made_up", reason="r"), "override 'made_up': unknown override"),
        (
            OverrideRequest("visitation_discretionary", reason="r", to="acceptable"),
            "override 'visitation_discretionary': name one of the children rated",
        ),
    ],
)
def test_bad_override_is_refused_naming_it(request_, expected):
    answers = {**risk(*RISK_BY_LEVEL["moderate"]), **visits(ann=POOR_VISITS)}

    with pytest.raises(ResponseError) as caught:
        score(REUNIFICATION, answers, [request_], children=["ann"])

    assert expected in caught.value.problems


def test_discretionary_may_not_undo_a_policy_override():
    answers = {**risk(*RISK_BY_LEVEL["low"]), **visits(ann=POOR_VISITS)}
    requests = [
        OverrideRequest("severe_injury", reason="Fracture"),
        OverrideRequest("risk_discretionary", reason="r", to="high"),
    ]

    with pytest.raises(ResponseError, match="may not lower a level forced by a policy override"):
        score(REUNIFICATION, answers, requests, children=["ann"])


def test_visitation_override_per_child():
    answers = {**risk(*RISK_BY_LEVEL["low"]), **visits(ann=POOR_VISITS), **safety("safe")}
    request = OverrideRequest(
        "visitation_discretionary",
        reason="Missed visits were the agency's",
        to="acceptable",
        child="ann",
    )

    result = score(REUNIFICATION, answers, [request], children=["ann"])

    assert result.section("visitation", "ann").band == "not_acceptable"
    assert result.decision("ann").final == "return_home"


def test_decision_override_keeps_initial_and_final():
    answers = {**risk(*RISK_BY_LEVEL["high"]), **visits(ann=POOR_VISITS)}
    request = OverrideRequest(
        "decision_discretionary",
        reason="Parent in residential treatment",
        to="continue_reunification",
        child="ann",
    )

    made = score(REUNIFICATION, answers, [request], children=["ann"]).decision("ann")

    assert (made.initial, made.final) == ("change_goal", "continue_reunification")
    assert made.overrides[0].reason == "Parent in residential treatment"


def test_prefilled_visit_count_changed_needs_a_reason():
    answers = {**risk(*RISK_BY_LEVEL["low"]), **visits(ann=POOR_VISITS)}
    answers["visits_completed"] = {"ann": Answer(8, prefilled=7)}

    with pytest.raises(
        ResponseError,
        match=r"visits_completed\[ann\]: changed from the recorded 7 to 8 without a reason",
    ):
        score(REUNIFICATION, answers, children=["ann"])

    answers["visits_completed"] = {
        "ann": Answer(8, prefilled=7, reason="Visit held at church, logged late")
    }
    assert (
        score(REUNIFICATION, answers, children=["ann"]).item("visits_completed", "ann").value == 8
    )


# --- bands and versioning ---

V1_BOUNDARIES = [
    (-2, "low"),
    (1, "low"),
    (2, "moderate"),
    (3, "moderate"),
    (4, "high"),
    (5, "high"),
    (6, "very_high"),
]
ANSWERS_BY_TOTAL = {
    -2: ("low", "no", "substantial"),
    1: ("high", "no", "some"),
    2: ("high", "no", "minimal"),
    3: ("very_high", "no", "minimal"),
    4: ("very_high", "no", "none"),
    5: ("high", "yes", "none"),
    6: ("very_high", "yes", "none"),
}


@pytest.mark.parametrize(("total", "level"), V1_BOUNDARIES)
def test_risk_band_boundaries(total, level):
    answers = {**risk(*ANSWERS_BY_TOTAL[total]), **visits(ann=POOR_VISITS)}

    section = score(REUNIFICATION, answers, children=["ann"]).section("risk")

    assert (section.score, section.band) == (total, level)


def test_old_results_keep_their_version():
    answers = {**risk(*ANSWERS_BY_TOTAL[1]), **visits(ann=GOOD_VISITS), **safety("safe")}
    v2 = builtin("reunification_assessment", 2)

    old = score(builtin("reunification_assessment", 1), answers, children=["ann"])
    new = score(v2, answers, children=["ann"])
    again = score(
        builtin("reunification_assessment", old.instrument_version), answers, children=["ann"]
    )

    assert (old.instrument_version, new.instrument_version) == (1, 2)
    assert old.section("risk").band == "low"
    assert new.section("risk").band == "moderate"
    assert again == old
    assert again.decision("ann").final == "return_home"


@given(
    prior=st.sampled_from(["low", "moderate", "high", "very_high"]),
    investigation=st.sampled_from(["no", "yes"]),
    progress=st.sampled_from(["substantial", "some", "minimal", "none"]),
    compliance=st.sampled_from(["excellent", "good", "fair", "poor"]),
    quality=st.sampled_from(["strong", "adequate", "limited", "harmful"]),
    decision=st.sampled_from(["safe", "safe_with_plan", "unsafe"]),
    version=st.sampled_from([1, 2]),
)
def test_every_complete_response_gets_exactly_one_chosen_row(
    prior, investigation, progress, compliance, quality, decision, version
):
    instrument = builtin("reunification_assessment", version)
    answers = {**risk(prior, investigation, progress), **visits(ann=(compliance, quality))}
    low_risk = instrument.bands["risk_level"][1].maximum
    assert low_risk is not None
    scales = (("prior_risk", prior), ("new_investigation", investigation), ("progress", progress))
    total = sum(instrument.scales[s].points(v) or 0 for s, v in scales)
    acceptable = compliance in ("excellent", "good") and quality in ("strong", "adequate")
    if total <= low_risk and acceptable:
        answers |= safety(decision)

    made = score(instrument, answers, children=["ann"]).decision("ann")

    assert sum(t.chosen for t in made.rows) == 1
    assert made.final in ("return_home", "continue_reunification", "change_goal")
    assert (made.final == "return_home") == (
        total <= low_risk and acceptable and decision != "unsafe"
    )


# --- refusals naming the item ---


@pytest.mark.parametrize(
    ("change_", "expected"),
    [
        (lambda a: a.pop("risk_prior_level"), "risk_prior_level: an answer is required"),
        (
            lambda a: a.update(risk_prior_level="extreme"),
            "risk_prior_level: 'extreme' is not on the scale 'prior_risk' (low, moderate, high, very_high)",
        ),
        (
            lambda a: a.update(visits_scheduled={"ann": -1}),
            "visits_scheduled[ann]: -1 is not on the scale 'count' (0..)",
        ),
        (lambda a: a.update(visit_quality={}), "visit_quality[ann]: an answer is required"),
        (lambda a: a.update(typo="x"), "typo: not an item of reunification_assessment v1"),
    ],
)
def test_bad_answer_is_refused_naming_the_item(change_, expected):
    answers = {**risk(*RISK_BY_LEVEL["high"]), **visits(ann=GOOD_VISITS)}
    change_(answers)

    with pytest.raises(ResponseError) as caught:
        score(REUNIFICATION, answers, children=["ann"])

    assert expected in caught.value.problems


def test_per_child_instrument_needs_children():
    with pytest.raises(ResponseError, match="children: this instrument rates each child"):
        score(REUNIFICATION, risk(*RISK_BY_LEVEL["low"]))


# --- in-home safety analysis ---

SAFETY_QUESTIONS = [
    "parents_willing",
    "home_calm",
    "services_available",
    "manageable_without_evaluation",
    "stable_residence",
]


def test_safety_analysis_all_yes_has_no_conditions():
    result = score(builtin("in_home_safety_analysis"), dict.fromkeys(SAFETY_QUESTIONS, "yes"))

    assert result.conditions_for_return == ()


def test_each_no_drafts_a_condition_for_return():
    answers: dict[str, Any] = dict.fromkeys(SAFETY_QUESTIONS, "yes")
    answers["stable_residence"] = Answer(
        "no", note="Family is in a shelter", follow_up="A lease or stable housing for 60 days"
    )
    answers["home_calm"] = Answer(
        "no", note="Daily fights", follow_up="Couples counselling under way"
    )

    result = score(builtin("in_home_safety_analysis"), answers)

    drafts = {
        (c.question_key, c.why_not_now, c.what_must_exist) for c in result.conditions_for_return
    }
    assert drafts == {
        ("home_calm", "Daily fights", "Couples counselling under way"),
        ("stable_residence", "Family is in a shelter", "A lease or stable housing for 60 days"),
    }


def test_a_no_without_its_explanation_is_refused():
    answers: dict[str, Any] = dict.fromkeys(SAFETY_QUESTIONS, "yes")
    answers["stable_residence"] = "no"

    with pytest.raises(ResponseError) as caught:
        score(builtin("in_home_safety_analysis"), answers)

    assert caught.value.problems == (
        "stable_residence: say why return is not possible now (note)",
        "stable_residence: say what must exist for the child to return (follow_up)",
    )


# --- return-home review ---


def test_return_home_review_scores_with_evidence():
    instrument = builtin("return_home_review")
    answers: dict[str, Any] = {
        item.id: Answer("yes", note="Seen at home visit")
        for section in instrument.sections[:3]
        for item in section.items
    }
    answers["supports"] = Answer("partly", note="Church group; no respite yet")
    answers["substance_use"] = "improving"

    result = score(instrument, answers)

    assert result.item("supports").value == "partly"
    assert result.item("substance_use").value == "improving"
    assert all(i.item != "poverty" for i in result.items)


def test_return_home_review_answer_without_evidence_is_refused():
    instrument = builtin("return_home_review")
    answers: dict[str, Any] = {
        item.id: Answer("yes", note="ok") for s in instrument.sections[:3] for item in s.items
    }
    answers["basic_needs"] = "no"

    with pytest.raises(ResponseError, match="basic_needs: a note is required for the answer 'no'"):
        score(instrument, answers)


# --- family functioning and protective factors: change scores ---

DOMAINS = [
    "environment",
    "parental_capabilities",
    "family_interactions",
    "family_safety",
    "child_well_being",
    "ambivalence",
    "readiness",
]


def test_family_functioning_change_scores():
    instrument = builtin("family_functioning")
    intake = score(instrument, {f"{d}_overall": -2 for d in DOMAINS}, timepoint="intake")
    closure_answers = {f"{d}_overall": 1 for d in DOMAINS} | {"family_safety_overall": -3}
    closure = score(instrument, closure_answers, timepoint="closure")

    delta = change(intake, closure)

    assert (delta.before_timepoint, delta.after_timepoint) == ("intake", "closure")
    assert delta.of("environment_overall").change == 3
    assert delta.of("family_safety_overall").change == -1
    assert len(delta.items) == 7


def test_family_functioning_rating_off_scale_and_timepoint_refused():
    instrument = builtin("family_functioning")
    answers = {f"{d}_overall": 0 for d in DOMAINS} | {"readiness_overall": 3}

    with pytest.raises(ResponseError) as caught:
        score(instrument, answers, timepoint="discharge")

    assert (
        "readiness_overall: 3 is not on the scale 'domain_rating' (-3..2)" in caught.value.problems
    )
    assert caught.value.problems[0].startswith("timepoint: must be one of intake, interim, closure")


def test_family_functioning_with_agency_wording():
    instrument = builtin("family_functioning", wording={"environment_overall": "Licensed text"})

    assert instrument.items["environment_overall"].text == "Licensed text"


FACTORS = [
    "parental_resilience",
    "social_connections",
    "knowledge_of_parenting",
    "concrete_support",
    "social_emotional_competence",
]


def test_protective_factors_pre_post_change():
    instrument = builtin("protective_factors")
    pre = score(instrument, dict.fromkeys(FACTORS, 2), timepoint="pre")
    post = score(
        instrument, dict.fromkeys(FACTORS, 4) | {"social_connections": 1}, timepoint="post"
    )

    delta = change(pre, post)

    assert pre.section("factors").score == 10
    assert delta.of("parental_resilience").change == 2
    assert delta.of("social_connections").change == -1


def test_change_refuses_different_instruments():
    pre = score(builtin("protective_factors"), dict.fromkeys(FACTORS, 2), timepoint="pre")
    other = score(
        builtin("family_functioning"), {f"{d}_overall": 0 for d in DOMAINS}, timepoint="intake"
    )

    with pytest.raises(ValueError, match="cannot compare"):
        change(pre, other)


@given(
    before=st.lists(st.integers(-3, 2), min_size=7, max_size=7),
    after=st.lists(st.integers(-3, 2), min_size=7, max_size=7),
)
def test_change_is_after_minus_before(before, after):
    instrument = builtin("family_functioning")
    first = score(
        instrument,
        {f"{d}_overall": v for d, v in zip(DOMAINS, before, strict=True)},
        timepoint="intake",
    )
    last = score(
        instrument,
        {f"{d}_overall": v for d, v in zip(DOMAINS, after, strict=True)},
        timepoint="closure",
    )

    delta = change(first, last)

    assert [c.change for c in delta.items] == [a - b for a, b in zip(after, before, strict=True)]


def test_override_of_a_section_not_asked_is_refused():
    raw = minimal()
    raw["sections"].append(
        {
            "id": "later",
            "title": "Later",
            "asked_when": {"c": ["yes"]},
            "items": [{"id": "d", "label": "D", "scale": "points"}],
        }
    )
    raw["scoring"].append({"section": "later", "bands": "later_level"})
    raw["bands"]["later_level"] = [{"level": "fine", "label": "Fine"}]
    raw["overrides"].append(
        {"id": "later_policy", "kind": "policy", "target": "later", "label": "L", "force": "fine"}
    )
    instrument = load(raw, "sample.json")

    with pytest.raises(
        ResponseError, match="override 'later_policy': section 'later' is not asked"
    ):
        score(
            instrument, {"a": 1, "b": 1, "c": "no"}, [OverrideRequest("later_policy", reason="r")]
        )


def test_a_decision_table_that_matches_no_row_is_an_instrument_error():
    raw = minimal()
    raw["decision_table"]["rows"] = [{"id": "1", "when": {"first": ["high"]}, "outcome": "go"}]
    instrument = load(raw, "sample.json")

    with pytest.raises(InstrumentError, match=r"sample.json: decision_table: no row matches"):
        score(instrument, {"a": 0, "b": 0, "c": "no"})


def test_generic_instrument_household_decision():
    result = score(load(minimal(), "sample.json"), {"a": 1, "b": 0, "c": "yes"})

    assert result.decision().final == "go"
    assert result.section("first").score == 1


def _closing(present: tuple[str, ...] = ()) -> dict[str, Any]:
    instrument = builtin("closing_safety_assessment")
    answers: dict[str, Any] = {
        item.id: Answer("present", note="seen at the visit") if item.id in present else "absent"
        for item in instrument.sections[0].items
    }
    return {**answers, "safety_decision": "safe"}


def test_closing_safety_scores_without_a_decision_table():
    result = score(builtin("closing_safety_assessment"), _closing(("home_hazardous",)))

    assert result.decisions == ()
    assert result.item("home_hazardous").value == "present"
    assert result.item("home_hazardous").note == "seen at the visit"


def test_closing_safety_present_threat_needs_a_note():
    answers = {**_closing(), "caregiver_violent": "present"}

    with pytest.raises(ResponseError, match=r"caregiver_violent: a note is required"):
        score(builtin("closing_safety_assessment"), answers)
