"""Loading definitions: built-ins, agency wording, and malformed definitions named by field."""

import copy
import json
from typing import Any

import pytest

from reunify.assessments.instruments import (
    DEFINITIONS_DIR,
    InstrumentError,
    builtin,
    builtin_keys,
    load,
)
from reunify.assessments.tests.samples import minimal


def test_minimal_definition_loads():
    instrument = load(minimal(), "sample.json")

    assert instrument.key == "sample"
    assert [i.id for i in instrument.sections[0].items] == ["a", "b", "c"]
    assert instrument.levels("first") == ("low", "high")
    assert instrument.levels("decision") == ("go", "stop")


def test_json_text_loads_like_a_mapping():
    assert load(json.dumps(minimal()), "sample.json") == load(minimal(), "sample.json")


def _break(change: Any) -> dict[str, Any]:
    raw = copy.deepcopy(minimal())
    change(raw)
    return raw


MALFORMED = [
    ("missing key", lambda r: r.pop("key"), "key: missing"),
    ("bad key", lambda r: r.update(key="Not An Id"), "key: 'Not An Id' is not a lower_snake id"),
    ("version not a number", lambda r: r.update(version="1"), "version: must be a whole number"),
    ("version zero", lambda r: r.update(version=0), "version: must be 1 or more, got 0"),
    ("version bool", lambda r: r.update(version=True), "version: must be a whole number"),
    ("unknown top field", lambda r: r.update(colour="red"), "colour: unknown field"),
    ("no sections", lambda r: r.update(sections=[]), "sections: must list at least one section"),
    (
        "unknown scale",
        lambda r: r["sections"][0]["items"][0].update(scale="yesno"),
        "sections[0].items[0].scale: unknown scale 'yesno'",
    ),
    (
        "duplicate item id",
        lambda r: r["sections"][0]["items"][1].update(id="a"),
        "sections[0].items[1].id: duplicate id 'a' (also sections[0].items[0].id)",
    ),
    (
        "item id same as a section id",
        lambda r: r["sections"][0]["items"][1].update(id="first"),
        "sections[0].items[1].id: duplicate id 'first'",
    ),
    (
        "item without label",
        lambda r: r["sections"][0]["items"][0].pop("label"),
        "sections[0].items[0].label: missing",
    ),
    (
        "unknown item field",
        lambda r: r["sections"][0]["items"][0].update(wording="x"),
        "sections[0].items[0].wording: unknown field",
    ),
    (
        "bad per",
        lambda r: r["sections"][0].update(per="family"),
        "sections[0].per: must be 'household' or 'child'",
    ),
    (
        "scale max below min",
        lambda r: r["scales"]["points"].update(max=-1),
        "scales.points.max: -1 is below min 0",
    ),
    (
        "duplicate option",
        lambda r: r["scales"]["yes_no"]["options"].append({"value": "yes", "label": "Y"}),
        "scales.yes_no.options[2].value: duplicate value 'yes'",
    ),
    (
        "scored item on a scale without points",
        lambda r: r["sections"][0]["items"][2].update(scored=True),
        "sections[0].items[2].scored: scale 'yes_no' has values without points",
    ),
    (
        "band gap",
        lambda r: r["bands"]["level"][1].update(min=4),
        "bands.level[1].min: gap after the band before: 3..3",
    ),
    (
        "band overlap",
        lambda r: r["bands"]["level"][1].update(min=2),
        "bands.level[1].min: overlaps the band before (which ends at 2)",
    ),
    (
        "band open in the middle",
        lambda r: r["bands"]["level"].insert(1, {"level": "mid", "label": "Mid", "min": 3}),
        "bands.level[1].max: only the last band may be open above",
    ),
    (
        "bands miss the highest score",
        lambda r: r["bands"]["level"][1].update(max=5),
        "bands.level[1].max: the highest possible score 6 is above every band",
    ),
    (
        "bands miss the lowest score",
        lambda r: r["bands"]["level"][0].update(min=1),
        "bands.level[0].min: the lowest possible score 0 falls below every band",
    ),
    (
        "unused bands",
        lambda r: r["bands"].update(spare=[{"level": "x", "label": "X"}]),
        "bands.spare: not used by any scoring rule",
    ),
    (
        "scoring unknown section",
        lambda r: r["scoring"][0].update(section="second"),
        "scoring[0].section: unknown section 'second'",
    ),
    (
        "scoring unknown bands",
        lambda r: r["scoring"][0].update(bands="levels"),
        "scoring[0].bands: unknown bands 'levels'",
    ),
    (
        "scoring unknown method",
        lambda r: r["scoring"][0].update(method="mean"),
        "scoring[0].method: unknown method 'mean'",
    ),
    (
        "decision row with unknown variable",
        lambda r: r["decision_table"]["rows"][0]["when"].update(safety=["safe"]),
        "decision_table.rows[0].when.safety: unknown variable 'safety'",
    ),
    (
        "decision row with a value off the variable",
        lambda r: r["decision_table"]["rows"][0]["when"].update(c=["maybe"]),
        "decision_table.rows[0].when.c: 'maybe' is not a value of 'c'",
    ),
    (
        "decision row with unknown outcome",
        lambda r: r["decision_table"]["rows"][1].update(outcome="wait"),
        "decision_table.rows[1].outcome: unknown outcome 'wait'",
    ),
    (
        "decision row with empty condition",
        lambda r: r["decision_table"]["rows"][1]["when"].update(first=[]),
        "decision_table.rows[1].when.first: must be a non-empty list of values",
    ),
    (
        "duplicate row id",
        lambda r: r["decision_table"]["rows"][1].update(id="1"),
        "decision_table.rows[1].id: duplicate row id '1'",
    ),
    (
        "override of an unbanded target",
        lambda r: r["overrides"][0].update(target="a"),
        "overrides[0].target: 'a' is neither a banded section nor 'decision'",
    ),
    (
        "policy override forcing nothing",
        lambda r: r["overrides"].append(
            {"id": "p", "kind": "policy", "target": "first", "label": "P"}
        ),
        "overrides[1].force: a policy override must name the level it forces",
    ),
    (
        "policy override forcing an unknown level",
        lambda r: r["overrides"].append(
            {"id": "p", "kind": "policy", "target": "first", "label": "P", "force": "top"}
        ),
        "overrides[1].force: 'top' is not a level of 'first'",
    ),
    (
        "override of unknown kind",
        lambda r: r["overrides"][0].update(kind="supervisor"),
        "overrides[0].kind: must be 'policy' or 'discretionary'",
    ),
    (
        "asked_when on a later variable",
        lambda r: r["sections"].insert(
            0,
            {
                "id": "zero",
                "title": "Zero",
                "asked_when": {"c": ["yes"]},
                "items": [{"id": "z", "label": "Z", "scale": "yes_no", "scored": False}],
            },
        ),
        "sections[0].asked_when.c: 'c' is not set by an earlier section",
    ),
]


@pytest.mark.parametrize(
    ("change", "expected"), [m[1:] for m in MALFORMED], ids=[m[0] for m in MALFORMED]
)
def test_malformed_definition_is_refused_naming_the_field(change, expected):
    with pytest.raises(InstrumentError) as caught:
        load(_break(change), "sample.json")

    assert any(p.startswith(expected) for p in caught.value.problems), caught.value.problems
    assert str(caught.value).startswith("sample.json: ")


def test_every_problem_is_listed_at_once():
    def two(raw: dict[str, Any]) -> None:
        raw.pop("key")
        raw["sections"][0]["items"][0]["scale"] = "yesno"

    with pytest.raises(InstrumentError) as caught:
        load(_break(two), "sample.json")

    assert len(caught.value.problems) >= 2


def test_not_json_is_refused():
    with pytest.raises(InstrumentError, match=r"sample.json: \(document\): not JSON"):
        load("{key: 1", "sample.json")


def test_agency_wording_fills_item_text():
    instrument = load(minimal(), "sample.json", wording={"a": "Licensed text of item A."})

    assert instrument.items["a"].text == "Licensed text of item A."
    assert instrument.items["b"].text == ""


def test_wording_for_an_unknown_item_is_refused():
    with pytest.raises(InstrumentError, match=r"wording.zz: unknown item"):
        load(minimal(), "sample.json", wording={"zz": "text"})


def test_builtins_are_the_six_instruments():
    assert builtin_keys() == (
        "closing_safety_assessment",
        "family_functioning",
        "in_home_safety_analysis",
        "protective_factors",
        "return_home_review",
        "reunification_assessment",
    )


@pytest.mark.parametrize("path", sorted(DEFINITIONS_DIR.glob("*.json")), ids=lambda p: p.name)
def test_every_builtin_file_loads(path):
    instrument = load(path.read_text(encoding="utf-8"), path.name)

    assert path.name == f"{instrument.key}.v{instrument.version}.json"


def test_builtin_returns_latest_or_named_version():
    assert builtin("reunification_assessment").version == 3
    assert builtin("reunification_assessment", 1).version == 1
    with pytest.raises(KeyError):
        builtin("reunification_assessment", 9)
    with pytest.raises(KeyError):
        builtin("nope")


def test_licensed_builtins_carry_no_item_text():
    for key in ("reunification_assessment", "family_functioning"):
        instrument = builtin(key)
        assert instrument.licensed
        assert all(not item.text for item in instrument.items.values())


def test_our_own_wording_has_spanish():
    for key in (
        "return_home_review",
        "in_home_safety_analysis",
        "protective_factors",
        "closing_safety_assessment",
    ):
        instrument = builtin(key)
        assert all(item.label_es for item in instrument.items.values()), key


def test_closing_safety_assessment_loads_threats_then_a_decision():
    instrument = builtin("closing_safety_assessment")

    assert instrument.version == 1
    assert not instrument.licensed
    assert instrument.decision_table is None
    threats, decision = instrument.sections
    assert len(threats.items) == 8
    assert all(i.scale.values() == ("absent", "present") for i in threats.items)
    assert all(i.note_required_for == ("present",) for i in threats.items)
    assert [i.id for i in decision.items] == ["safety_decision"]
    assert all(s.title_es for s in instrument.sections)
