"""How answers, overrides and results are kept in a response's JSON columns, and read back.

Answers are stored per item as {"value", "note", "follow_up", "prefilled", "reason"} (empty
parts left out); a per-child item as {child key: that}. Results are `scoring.Result` as
`dataclasses.asdict` gives it; `result_load` rebuilds the dataclasses, so a page renders a
stored result exactly as it was scored, whatever version of the instrument is current.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from typing import Any

from reunify.assessments.instruments import CHILD, Instrument
from reunify.assessments.scoring import (
    Answer,
    AnswerInput,
    AppliedOverride,
    Check,
    ConditionForReturn,
    Decision,
    ItemScore,
    OverrideRequest,
    Result,
    RowTrace,
    SectionScore,
)


def _answer_dump(raw: AnswerInput) -> dict[str, Any]:
    answer = raw if isinstance(raw, Answer) else Answer(raw)
    found: dict[str, Any] = {"value": answer.value}
    for name in ("note", "follow_up", "reason"):
        if getattr(answer, name):
            found[name] = getattr(answer, name)
    if answer.prefilled is not None:
        found["prefilled"] = answer.prefilled
    return found


def _answer_load(raw: Mapping[str, Any]) -> Answer:
    return Answer(
        value=raw["value"],
        note=raw.get("note", ""),
        follow_up=raw.get("follow_up", ""),
        prefilled=raw.get("prefilled"),
        reason=raw.get("reason", ""),
    )


def answers_dump(instrument: Instrument, answers: Mapping[str, Any]) -> dict[str, Any]:
    items = instrument.items
    stored: dict[str, Any] = {}
    for item_id, raw in answers.items():
        if raw is None:
            continue
        section = instrument.section_of(item_id) if item_id in items else None
        if section is not None and section.per == CHILD and isinstance(raw, Mapping):
            stored[item_id] = {
                str(child): _answer_dump(value) for child, value in raw.items() if value is not None
            }
        else:
            stored[item_id] = _answer_dump(raw)
    return stored


def answers_load(instrument: Instrument, stored: Mapping[str, Any]) -> dict[str, Any]:
    answers: dict[str, Any] = {}
    for item_id, raw in stored.items():
        if "value" in raw and not isinstance(raw["value"], Mapping):
            answers[item_id] = _answer_load(raw)
        else:
            answers[item_id] = {child: _answer_load(value) for child, value in raw.items()}
    return answers


def overrides_dump(requests: Iterable[OverrideRequest]) -> list[dict[str, str]]:
    return [dataclasses.asdict(r) for r in requests]


def overrides_load(stored: Iterable[Mapping[str, str]]) -> list[OverrideRequest]:
    return [OverrideRequest(**dict(r)) for r in stored]


def result_dump(result: Result) -> dict[str, Any]:
    return dataclasses.asdict(result)


def _applied(raw: Iterable[Mapping[str, Any]]) -> tuple[AppliedOverride, ...]:
    return tuple(AppliedOverride(**dict(a)) for a in raw)


def result_load(raw: Mapping[str, Any]) -> Result:
    return Result(
        instrument_key=raw["instrument_key"],
        instrument_version=raw["instrument_version"],
        timepoint=raw.get("timepoint", ""),
        items=tuple(ItemScore(**dict(i)) for i in raw.get("items", [])),
        sections=tuple(
            SectionScore(**{**s, "overrides": _applied(s.get("overrides", []))})
            for s in raw.get("sections", [])
        ),
        decisions=tuple(
            Decision(
                child=d["child"],
                initial=d["initial"],
                final=d["final"],
                rows=tuple(
                    RowTrace(
                        row=r["row"],
                        outcome=r["outcome"],
                        checks=tuple(
                            Check(
                                variable=c["variable"],
                                expected=tuple(c["expected"]),
                                actual=c["actual"],
                                held=c["held"],
                            )
                            for c in r["checks"]
                        ),
                        matched=r["matched"],
                        chosen=r["chosen"],
                    )
                    for r in d["rows"]
                ),
                overrides=_applied(d.get("overrides", [])),
            )
            for d in raw.get("decisions", [])
        ),
        conditions_for_return=tuple(
            ConditionForReturn(**dict(c)) for c in raw.get("conditions_for_return", [])
        ),
    )
