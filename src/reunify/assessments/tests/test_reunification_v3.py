"""Reunification assessment v3 (reference/domain.md §6.1; ADR 0009): the "no visitation" flag
per child and the time-limit rule, every row of its decision table including overrides, and
proof that v1 and v2 results are unchanged."""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reunify.assessments.instruments import DEFINITIONS_DIR, builtin
from reunify.assessments.scoring import Answer, OverrideRequest, ResponseError, score
from reunify.assessments.selectors import time_frame_exhausted
from reunify.clocks.models import ClockSnapshot, ClockStatus

V3 = builtin("reunification_assessment", 3)

# v3 keeps v2's bands: ..0 low, 1..2 moderate, 3..5 high, 6.. very high.
RISK_BY_LEVEL = {
    "low": ("moderate", "no", "some"),  # 0
    "moderate": ("high", "no", "some"),  # 1
    "high": ("high", "no", "none"),  # 3
    "very_high": ("very_high", "yes", "none"),  # 6
}
GOOD = ("excellent", "strong")
POOR = ("fair", "limited")


def answers(
    level: str,
    visit: tuple[str, str] = GOOD,
    *,
    exhausted: str = "no",
    no_visitation: str = "no",
    decision: str | None = None,
) -> dict[str, Any]:
    prior, investigation, progress = RISK_BY_LEVEL[level]
    found: dict[str, Any] = {
        "risk_prior_level": prior,
        "risk_new_investigation": investigation,
        "risk_caregiver_progress": progress,
        "no_visitation": {
            "ann": Answer("yes", note="Court ordered no contact.")
            if no_visitation == "yes"
            else "no"
        },
        "visits_scheduled": {"ann": 8},
        "visits_completed": {"ann": 7},
        "visit_compliance": {"ann": visit[0]},
        "visit_quality": {"ann": visit[1]},
        "time_frame_exhausted": {"ann": exhausted},
    }
    if decision:
        found |= {"danger_1": "no", "danger_2": "no", "danger_3": "no"}
        found["safety_decision"] = decision
    return found


# Every row of v3, each reached by a response: (risk, visits, exhausted, safety, row, outcome).
ROWS = [
    ("low", GOOD, "no", "safe", "1", "return_home"),
    ("moderate", GOOD, "yes", "safe_with_plan", "1", "return_home"),  # time never blocks return
    ("low", GOOD, "no", "unsafe", "2a", "continue_reunification"),
    ("moderate", GOOD, "yes", "unsafe", "2b", "change_goal"),
    ("low", POOR, "no", None, "3a", "continue_reunification"),
    ("moderate", POOR, "yes", None, "3b", "change_goal"),
    ("high", GOOD, "no", None, "4a", "continue_reunification"),
    ("very_high", GOOD, "yes", None, "4b", "change_goal"),
    ("high", POOR, "no", None, "5", "change_goal"),
    ("very_high", POOR, "yes", None, "5", "change_goal"),
]


@pytest.mark.parametrize(("level", "visit", "exhausted", "decision", "row", "outcome"), ROWS)
def test_v3_decision_table_row(level, visit, exhausted, decision, row, outcome):
    result = score(
        V3, answers(level, visit, exhausted=exhausted, decision=decision), children=["ann"]
    )

    assert result.section("risk").level == level
    assert result.section("safety").asked is (decision is not None)
    made = result.decision("ann")
    assert (made.initial, made.final) == (outcome, outcome)
    assert [t.row for t in made.rows if t.chosen] == [row]
    ids = [r.id for r in V3.decision_table.rows]
    for trace in made.rows[: ids.index(row)]:
        assert not trace.matched


def test_every_v3_row_is_covered_by_the_table_test():
    assert {r[4] for r in ROWS} == {r.id for r in V3.decision_table.rows}


def test_no_visitation_makes_visitation_not_acceptable_and_needs_its_reason():
    # given good ratings but no visitation
    result = score(V3, answers("low", GOOD, no_visitation="yes"), children=["ann"])
    # then visitation is not acceptable, safety is not asked, and efforts continue
    assert result.section("visitation", "ann").level == "not_acceptable"
    assert not result.section("safety").asked
    assert result.decision("ann").final == "continue_reunification"
    # the flag without its reason is refused, naming the item
    bare = answers("low", GOOD) | {"no_visitation": {"ann": "yes"}}
    with pytest.raises(ResponseError) as refused:
        score(V3, bare, children=["ann"])
    assert "no_visitation[ann]" in str(refused.value)


@pytest.mark.parametrize(
    ("request_", "initial", "final", "row"),
    [
        # a policy override forces very high risk: acceptable visits, exhausted -> 4b
        (
            OverrideRequest("severe_injury", "Skull fracture at removal"),
            "change_goal",
            "change_goal",
            "4b",
        ),
        # the worker may move the recommendation one step back with a reason
        (
            OverrideRequest(
                "decision_discretionary",
                "Treatment ends next month",
                to="continue_reunification",
                child="ann",
            ),
            "change_goal",
            "continue_reunification",
            "2b",
        ),
    ],
)
def test_v3_overrides(request_, initial, final, row):
    given = answers("moderate", GOOD, exhausted="yes", decision="unsafe")
    if request_.override == "severe_injury":
        given = {k: v for k, v in given.items() if not k.startswith(("danger", "safety"))}

    made = score(V3, given, (request_,), children=["ann"]).decision("ann")

    assert (made.initial, made.final) == (initial, final)
    assert [t.row for t in made.rows if t.chosen] == [row]


@given(
    level=st.sampled_from(list(RISK_BY_LEVEL)),
    visit=st.sampled_from([GOOD, POOR, ("good", "adequate"), ("poor", "harmful")]),
    exhausted=st.sampled_from(["no", "yes"]),
    no_visitation=st.sampled_from(["no", "yes"]),
    decision=st.sampled_from(["safe", "safe_with_plan", "unsafe"]),
)
def test_every_complete_v3_response_gets_one_row_and_continue_only_while_time_remains(
    level, visit, exhausted, no_visitation, decision
):
    asked = level in ("low", "moderate") and visit[0] in ("excellent", "good")
    asked = asked and visit[1] in ("strong", "adequate") and no_visitation == "no"
    given = answers(
        level,
        visit,
        exhausted=exhausted,
        no_visitation=no_visitation,
        decision=decision if asked else None,
    )

    made = score(V3, given, children=["ann"]).decision("ann")

    assert sum(t.chosen for t in made.rows) == 1
    if exhausted == "yes":
        assert made.final != "continue_reunification"


def test_v1_and_v2_results_are_unchanged_by_v3():
    # given the same answers scored with v1 and v2 (no v3 items)
    base = {
        k: v
        for k, v in answers("moderate", GOOD, exhausted="yes", decision="unsafe").items()
        if k not in ("no_visitation", "time_frame_exhausted")
    }
    v1 = score(builtin("reunification_assessment", 1), base, children=["ann"])
    v2 = score(builtin("reunification_assessment", 2), base, children=["ann"])
    # then the old tables still say continue (they have no time-limit rule)
    assert v1.decision("ann").final == "continue_reunification"
    assert v2.decision("ann").final == "continue_reunification"
    assert "time_frame_exhausted" not in builtin("reunification_assessment", 2).items
    # and v3 changes the goal for the same answers once the time frame is exhausted
    v3 = score(V3, answers("moderate", GOOD, exhausted="yes", decision="unsafe"), children=["ann"])
    assert v3.decision("ann").final == "change_goal"


# The published files' digests as they were when v3 was added: a published version is never
# edited (a change is a new file).
@pytest.mark.parametrize(
    ("name", "sha256"),
    [
        (
            "reunification_assessment.v1.json",
            "e12905fe199cac0c569abfe4af4fe2e6781b5c18654d3da2fdd2612f15d16803",
        ),
        (
            "reunification_assessment.v2.json",
            "422df0326cda3d9ecf111e7f00f3ed1676b17216211d612db8e26043e1018915",
        ),
    ],
)
def test_published_versions_are_never_edited(name, sha256):
    assert hashlib.sha256((DEFINITIONS_DIR / name).read_bytes()).hexdigest() == sha256


ON = dt.date(2026, 11, 2)


@pytest.mark.parametrize(
    ("status", "due", "expected"),
    [
        (ClockStatus.OVERDUE, ON - dt.timedelta(days=20), "yes"),
        (ClockStatus.DUE_SOON, ON, "yes"),
        (ClockStatus.MET, ON - dt.timedelta(days=3), "yes"),  # petition filed: time is up
        (ClockStatus.RUNNING, ON + dt.timedelta(days=40), "no"),
        (ClockStatus.RUNNING, None, "no"),
        (ClockStatus.EXCEPTED, ON - dt.timedelta(days=20), "no"),  # a compelling reason
    ],
)
def test_time_frame_exhausted_from_the_15_of_22_clock(status, due, expected):
    snapshot = ClockSnapshot(key="tpr_15_22", status=status, due=due)
    assert time_frame_exhausted(snapshot, ON) == expected


def test_time_frame_not_filled_without_a_clock():
    assert time_frame_exhausted(None, ON) is None


# ---- recorded: the time frame filled from the record --------------------------------------


@pytest.fixture
def _today():
    import time_machine

    with time_machine.travel(dt.datetime(2026, 11, 2, 15, 0, tzinfo=dt.UTC), tick=False):
        yield


def _exhausted_clock(case, due):
    from reunify.assessments.selectors import children_in_care

    for child, episode in children_in_care(case):
        ClockSnapshot.objects.update_or_create(
            episode=episode,
            key="tpr_15_22",
            defaults={
                "case": case,
                "child": child,
                "name": "15 of the most recent 22 months",
                "basis": "SSA 475(5)(E)",
                "status": ClockStatus.OVERDUE,
                "due": due,
                "message": "",
                "profile": "federal",
                "computed_on": ON,
            },
        )


@pytest.mark.django_db
@pytest.mark.usefixtures("_today")
def test_recorded_v3_reads_the_time_frame_from_the_clock(caseworker):
    from django.core.exceptions import ValidationError

    from reunify.assessments import services
    from reunify.assessments.tests.factories import children_of, reunification_answers
    from reunify.cases.tests.factories import open_case

    # given a child whose 15-of-22 day has passed
    case = open_case(worker=caseworker)
    _exhausted_clock(case, ON - dt.timedelta(days=10))
    kids = children_of(case)
    given = reunification_answers(kids, safety="unsafe")
    key = str(kids[0].pk)
    # when the worker answers "not exhausted" without a reason, it is refused naming the item
    given["time_frame_exhausted"] = {key: "no"}
    with pytest.raises(ValidationError) as refused:
        services.response_record(
            actor=caseworker, case=case, instrument_key="reunification_assessment", answers=given
        )
    assert f"time_frame_exhausted[{key}]" in refused.value.message_dict
    # and with the record's answer, "continue" becomes "change goal" (row 2b)
    given["time_frame_exhausted"] = {key: "yes"}
    response = services.response_record(
        actor=caseworker, case=case, instrument_key="reunification_assessment", answers=given
    )
    assert response.instrument_version == 3
    assert response.covered.get().outcome == "change_goal"


# ---- the safety section appears only when the table asks (forms; scoring.asked_preview) -----


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ({}, None),  # nothing answered yet
        ({k: v for k, v in answers("low").items() if k != "visit_quality"}, None),
        (answers("low"), True),
        (answers("high"), False),
        (answers("low", POOR), False),
        (answers("low", no_visitation="yes"), False),
    ],
)
def test_asked_preview_says_whether_safety_is_asked(given, expected):
    from reunify.assessments.scoring import asked_preview

    assert asked_preview(V3, given, children=["ann"]) == {("safety", ""): expected}


def test_asked_preview_follows_a_policy_override():
    from reunify.assessments.scoring import asked_preview

    forced = (OverrideRequest("severe_injury", "Skull fracture"),)
    assert asked_preview(V3, answers("low"), forced, children=["ann"]) == {("safety", ""): False}


def _form_data(key: str, *, prior: str = "moderate", progress: str = "some") -> dict[str, str]:
    return {
        "recorded_on": "2026-11-02",
        "children": [key],
        "risk_prior_level": prior,
        "risk_new_investigation": "no",
        "risk_caregiver_progress": progress,
        f"no_visitation[{key}]": "no",
        f"visits_scheduled[{key}]": "0",
        f"visits_completed[{key}]": "0",
        f"visit_compliance[{key}]": "good",
        f"visit_quality[{key}]": "adequate",
        f"time_frame_exhausted[{key}]": "no",
    }


@pytest.mark.django_db
@pytest.mark.usefixtures("_today")
def test_sections_region_shows_safety_only_when_asked(client, caseworker):
    from django.urls import reverse

    from reunify.assessments.models import Response
    from reunify.assessments.tests.factories import children_of
    from reunify.cases.tests.factories import open_case

    case = open_case(worker=caseworker)
    key = str(children_of(case)[0].pk)
    client.force_login(caseworker)
    url = reverse("assessments:record-reunification-sections", args=[case.pk])
    # the form marks the answers that decide it, and the region asks the server again
    page = client.get(reverse("assessments:record-reunification", args=[case.pk])).content
    assert b'data-asks="true"' in page
    assert f'hx-post="{url}"'.encode() in page
    # low risk and acceptable visits: the safety items are there
    region = client.post(url, _form_data(key), headers={"HX-Request": "true"}).content.decode()
    assert region.lstrip().startswith('<div id="asked-sections"')
    assert 'name="safety_decision"' in region
    # high risk: the section says it is not asked, without its items
    region = client.post(url, _form_data(key, prior="very_high", progress="none")).content.decode()
    assert 'data-asked="false"' in region
    assert 'name="safety_decision"' not in region
    assert "<html" not in region
    # nothing is recorded
    assert not Response.objects.exists()
