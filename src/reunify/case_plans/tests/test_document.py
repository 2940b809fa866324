"""The plan document: validation, differences between versions, names on signatures, and the
progress rule. Pure: no database."""

import copy

import pytest

from reunify.case_plans import document as doc
from reunify.cases.models import GoalKind

GOAL = {
    "key": "g1",
    "change": "I will keep my children safe when I am upset.",
    "safety_concern": "Hitting when angry",
    "services": [{"name": "Anger management", "service_id": 7}],
}
TASK = {
    "key": "t1",
    "text": "Go to anger management",
    "owner": "parent",
    "owner_name": "Rosa",
    "due_on": "2026-04-30",
    "status": "not_started",
    "goal_key": "g1",
}
CONDITION = {"key": "c1", "text": "A safe adult at home at night", "status": "not_met"}
NEED = {"key": "n1", "area": "health", "need": "Asthma check-ups", "who_meets_it": "Dr. Ruiz"}


def plan(**changes):
    base = {
        "children": [
            {
                "person_id": 1,
                "goal": "reunification",
                "concurrent_goal": "",
                "needs": [NEED],
            }
        ],
        "goals": [GOAL],
        "conditions_for_return": [CONDITION],
        "tasks": [TASK],
        "agency_efforts": "",
    }
    base.update(changes)
    return copy.deepcopy(base)


def problems(document, **kwargs):
    return [(p.path, p.message) for p in doc.validate(document, **kwargs)]


def test_a_complete_plan_is_valid():
    assert doc.validate(plan(), child_ages={1: 9}) == []
    assert doc.missing_for_final(plan()) == []


def test_the_goal_codes_are_the_case_goal_codes():
    assert tuple(GoalKind.values) == doc.PERMANENCY_GOALS


@pytest.mark.parametrize(
    ("document", "expected"),
    [
        ("not a dict", [((), doc.NOT_A_PLAN)]),
        (
            plan(goals="x"),
            [(("goals",), doc.NOT_A_PLAN), (("tasks", 0, "goal_key"), doc.UNKNOWN_GOAL)],
        ),
        (plan(goals=[{**GOAL, "change": "  "}]), [(("goals", 0, "change"), doc.REQUIRED)]),
        (
            plan(goals=[{**GOAL, "safety_concern": ""}]),
            [(("goals", 0, "safety_concern"), doc.REQUIRED)],
        ),
        (plan(goals=[{**GOAL, "change": "x" * 2001}]), [(("goals", 0, "change"), doc.TOO_LONG)]),
        (plan(goals=[GOAL, GOAL]), [(("goals", 1, "key"), doc.DUPLICATE_KEY)]),
        (
            plan(goals=[{**GOAL, "services": [{"name": "A", "service_id": "7"}]}]),
            [(("goals", 0, "services", 0, "service_id"), doc.NOT_A_PLAN)],
        ),
        (
            plan(tasks=[{**TASK, "owner": "neighbour"}]),
            [(("tasks", 0, "owner"), doc.UNKNOWN_CHOICE)],
        ),
        (plan(tasks=[{**TASK, "owner": ""}]), [(("tasks", 0, "owner"), doc.REQUIRED)]),
        (plan(tasks=[{**TASK, "due_on": ""}]), [(("tasks", 0, "due_on"), doc.REQUIRED)]),
        (
            plan(tasks=[{**TASK, "due_on": "30/04/2026"}]),
            [(("tasks", 0, "due_on"), doc.NOT_A_DATE)],
        ),
        (plan(tasks=[{**TASK, "status": "late"}]), [(("tasks", 0, "status"), doc.UNKNOWN_CHOICE)]),
        (plan(tasks=[{**TASK, "goal_key": "zz"}]), [(("tasks", 0, "goal_key"), doc.UNKNOWN_GOAL)]),
        (
            plan(conditions_for_return=[{**CONDITION, "status": "maybe"}]),
            [(("conditions_for_return", 0, "status"), doc.UNKNOWN_CHOICE)],
        ),
        (
            plan(
                children=[
                    {"person_id": 1, "goal": "adoption", "concurrent_goal": "adoption", "needs": []}
                ]
            ),
            [(("children", 0, "concurrent_goal"), doc.SAME_GOALS)],
        ),
        (
            plan(children=[{"person_id": 1, "goal": "foster", "concurrent_goal": "", "needs": []}]),
            [(("children", 0, "goal"), doc.UNKNOWN_CHOICE)],
        ),
        (
            plan(children=[{"person_id": 1, "goal": "", "needs": [{**NEED, "area": "sports"}]}]),
            [(("children", 0, "needs", 0, "area"), doc.UNKNOWN_CHOICE)],
        ),
        (
            plan(children=[{"person_id": 1, "goal": "", "needs": [{**NEED, "who_meets_it": ""}]}]),
            [(("children", 0, "needs", 0, "who_meets_it"), doc.REQUIRED)],
        ),
        (
            plan(
                children=[
                    {
                        "person_id": 1,
                        "goal": "",
                        "needs": [],
                        "youth": {"own_words": "", "team_members": ["a", "b", "c"]},
                    }
                ]
            ),
            [(("children", 0, "youth", "team_members"), doc.TOO_MANY_TEAM)],
        ),
    ],
)
def test_validate_names_each_problem(document, expected):
    assert problems(document) == expected


def test_youth_part_only_for_14_or_older_and_children_of_the_case():
    youth = {"own_words": "I want to go home", "team_members": ["Coach Lee"]}
    document = plan(children=[{"person_id": 1, "goal": "", "needs": [], "youth": youth}])
    assert problems(document, child_ages={1: 14}) == []
    assert problems(document, child_ages={1: 13}) == [(("children", 0, "youth"), doc.NOT_YOUTH)]
    assert problems(document, child_ages={2: 15}) == [
        (("children", 0, "person_id"), doc.UNKNOWN_CHILD)
    ]
    # An unknown age does not refuse the youth's part.
    assert problems(document, child_ages={1: None}) == []


def test_problem_name_is_the_field():
    (problem,) = doc.validate(plan(tasks=[{**TASK, "due_on": ""}]))
    assert problem.name == "due_on"


def test_missing_for_final():
    document = plan(goals=[], tasks=[], children=[{"person_id": 1, "goal": "", "needs": []}])
    assert [p.message for p in doc.missing_for_final(document)] == [
        doc.NEEDS_GOAL,
        doc.NEEDS_CHANGE_GOAL,
    ]


# ---- differences ----------------------------------------------------------------------------


def test_no_change_no_difference():
    assert doc.diff(plan(), plan()) == []


def test_diff_matches_items_by_key_with_field_changes():
    new = plan(
        goals=[{**GOAL, "change": "I will ask for help."}, {**GOAL, "key": "g2", "change": "New"}],
        tasks=[],
        conditions_for_return=[{**CONDITION, "status": "met"}],
    )
    changes = doc.diff(plan(), new)
    summary = [(c.kind, c.action, c.label) for c in changes]
    assert summary == [
        ("goal", "changed", "I will ask for help."),
        ("goal", "added", "New"),
        ("condition", "changed", CONDITION["text"]),
        ("task", "removed", TASK["text"]),
    ]
    assert changes[0].fields == (doc.FieldChange("change", GOAL["change"], "I will ask for help."),)
    assert changes[2].fields == (doc.FieldChange("status", "not_met", "met"),)


def test_diff_reorder_is_not_a_change():
    two = plan(goals=[GOAL, {**GOAL, "key": "g2"}])
    swapped = plan(goals=[{**GOAL, "key": "g2"}, GOAL])
    assert doc.diff(two, swapped) == []


def test_diff_children_needs_youth_and_efforts():
    new = plan(
        children=[
            {
                "person_id": 1,
                "goal": "reunification",
                "concurrent_goal": "guardianship",
                "needs": [{**NEED, "who_meets_it": "Clinic"}],
                "youth": {"own_words": "Hi", "team_members": []},
            }
        ],
        agency_efforts="Weekly bus passes",
    )
    changes = doc.diff(plan(), new)
    assert [(c.kind, c.action, c.person_id) for c in changes] == [
        ("child", "changed", 1),
        ("need", "changed", 1),
        ("youth", "added", 1),
        ("agency_efforts", "changed", None),
    ]
    assert changes[0].fields == (doc.FieldChange("concurrent_goal", "", "guardianship"),)
    assert changes[1].fields == (doc.FieldChange("who_meets_it", "Dr. Ruiz", "Clinic"),)


# ---- editing helpers --------------------------------------------------------------------------


def test_put_replaces_by_key_and_leaves_the_original():
    original = plan()
    changed = doc.put(original, "goals", {**GOAL, "change": "Other"})
    assert original["goals"][0]["change"] == GOAL["change"]
    assert [g["change"] for g in changed["goals"]] == ["Other"]


def test_removing_a_goal_unlinks_its_tasks():
    result = doc.remove(plan(), "goals", "g1")
    assert result["goals"] == []
    assert result["tasks"][0]["goal_key"] == ""
    assert doc.validate(result) == []


# ---- names and progress -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "ok"),
    [
        ("María José López", True),
        ("maria jose lopez", True),
        ("  MARIA   LOPEZ ", True),
        ("Lopez, Maria", True),
        ("Maria", False),
        ("Maria Lopez Smith", False),
        ("", False),
    ],
)
def test_name_matches_loosely(typed, ok):
    assert doc.name_matches(typed, first="María", middle="José", last="López") is ok


@pytest.mark.parametrize(("rating", "met"), [(None, False), (1, False), (3, False), (4, True)])
def test_only_sustained_change_meets_a_goal(rating, met):
    assert doc.goal_met(rating) is met
