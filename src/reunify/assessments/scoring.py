"""Scoring a response against the instrument version it was made with. Pure; no Django.

`score(instrument, answers, overrides=(), children=(), timepoint="")` checks every answer,
scores items and banded sections, applies overrides, evaluates the decision table row by row
(per child when the instrument has per-child sections) and drafts the conditions for return.
Bad input is refused with `ResponseError`, whose problems each name the item or override.

The caller passes the instrument the stored response names (`builtin(key, version)`), so a
newer version of a definition never changes an old result.

Overrides (ADR 0009): a *policy* override forces the level its definition names; a
*discretionary* override moves one level up or down and may not undo a policy override. Both
need a reason.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from reunify.assessments.instruments import (
    CHILD,
    DECISION,
    DISCRETIONARY,
    NOT_DONE,
    POLICY,
    Instrument,
    InstrumentError,
    Item,
    Override,
    Section,
    Value,
)

HOUSEHOLD_KEY = ""  # the "child" of household-scope results and of a single decision


class ResponseError(ValueError):
    """A response that cannot be scored; each problem reads "item or field: problem"."""

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems = tuple(problems)
        super().__init__("; ".join(self.problems))


@dataclass(frozen=True)
class Answer:
    value: Value
    note: str = ""  # evidence, or why return is not possible now
    follow_up: str = ""  # what must exist for the child to return (conditions for return)
    prefilled: Value | None = None  # the value filled from records, when the item is prefilled
    reason: str = ""  # why a prefilled value was changed


AnswerInput = Value | Answer
Answers = Mapping[str, AnswerInput | Mapping[str, AnswerInput]]


@dataclass(frozen=True)
class OverrideRequest:
    override: str
    reason: str = ""
    to: str = ""  # discretionary: the level or outcome chosen
    child: str = HOUSEHOLD_KEY


@dataclass(frozen=True)
class ItemScore:
    item: str
    child: str
    value: Value | None
    points: int | None
    note: str = ""
    reason: str = ""


@dataclass(frozen=True)
class AppliedOverride:
    override: str
    kind: str
    target: str
    child: str
    before: str
    after: str
    reason: str


@dataclass(frozen=True)
class SectionScore:
    section: str
    child: str
    asked: bool
    score: int | None = None
    band: str | None = None  # the level the score falls in
    level: str | None = None  # after overrides
    overrides: tuple[AppliedOverride, ...] = ()


@dataclass(frozen=True)
class Check:
    variable: str
    expected: tuple[Value, ...]
    actual: Value
    held: bool


@dataclass(frozen=True)
class RowTrace:
    row: str
    outcome: str
    checks: tuple[Check, ...]
    matched: bool
    chosen: bool


@dataclass(frozen=True)
class Decision:
    child: str
    initial: str
    final: str
    rows: tuple[RowTrace, ...]
    overrides: tuple[AppliedOverride, ...] = ()


@dataclass(frozen=True)
class ConditionForReturn:
    question_key: str
    why_not_now: str
    what_must_exist: str
    child: str = HOUSEHOLD_KEY


@dataclass(frozen=True)
class Result:
    instrument_key: str
    instrument_version: int
    timepoint: str
    items: tuple[ItemScore, ...]
    sections: tuple[SectionScore, ...]
    decisions: tuple[Decision, ...] = ()
    conditions_for_return: tuple[ConditionForReturn, ...] = ()

    def item(self, item_id: str, child: str = HOUSEHOLD_KEY) -> ItemScore:
        return next(i for i in self.items if i.item == item_id and i.child == child)

    def section(self, section_id: str, child: str = HOUSEHOLD_KEY) -> SectionScore:
        return next(s for s in self.sections if s.section == section_id and s.child == child)

    def decision(self, child: str = HOUSEHOLD_KEY) -> Decision:
        return next(d for d in self.decisions if d.child == child)


def score(
    instrument: Instrument,
    answers: Answers,
    overrides: Iterable[OverrideRequest] = (),
    *,
    children: Sequence[str] = (),
    timepoint: str = "",
) -> Result:
    problems: list[str] = []
    requests = tuple(overrides)
    _check_frame(instrument, answers, children, timepoint, problems)
    _check_requests(instrument, requests, children, problems)
    household: dict[str, Value] = {}
    per_child: dict[str, dict[str, Value]] = {child: {} for child in children}
    items: list[ItemScore] = []
    sections: list[SectionScore] = []
    conditions: list[ConditionForReturn] = []
    for section in instrument.sections:
        units = children if section.per == CHILD else (HOUSEHOLD_KEY,)
        for unit in units:
            variables = household if unit == HOUSEHOLD_KEY else per_child[unit]
            asked = _asked(section, unit, household, per_child)
            if not asked:
                for item in section.items:
                    if _raw(answers, item, unit) is not None:
                        problems.append(
                            f"{item.id}: answered, but section {section.id!r} is not asked"
                        )
                    variables[item.id] = NOT_DONE
                if instrument.levels(section.id):
                    variables[section.id] = NOT_DONE
                for request in requests:
                    if _targets(instrument, request, section.id, unit):
                        problems.append(
                            f"override {request.override!r}: section {section.id!r} is not asked"
                        )
                sections.append(SectionScore(section.id, unit, asked=False))
                continue
            total = 0
            for item in section.items:
                scored = _item(item, unit, _raw(answers, item, unit), problems)
                if scored is None:
                    variables[item.id] = NOT_DONE
                    continue
                items.append(scored[0])
                variables[item.id] = scored[0].value if scored[0].value is not None else NOT_DONE
                if item.scored and scored[0].points is not None:
                    total += scored[0].points
                if scored[1] is not None:
                    conditions.append(scored[1])
            sections.append(
                _section(instrument, section, unit, total, requests, variables, problems)
            )
    if problems:
        raise ResponseError(problems)
    decisions = _decide(instrument, children, household, per_child, requests, problems)
    if problems:
        raise ResponseError(problems)
    return Result(
        instrument_key=instrument.key,
        instrument_version=instrument.version,
        timepoint=timepoint,
        items=tuple(items),
        sections=tuple(sections),
        decisions=decisions,
        conditions_for_return=tuple(conditions),
    )


def _check_frame(
    instrument: Instrument,
    answers: Answers,
    children: Sequence[str],
    timepoint: str,
    problems: list[str],
) -> None:
    if instrument.timepoints and timepoint not in instrument.timepoints:
        known = ", ".join(instrument.timepoints)
        problems.append(f"timepoint: must be one of {known}, got {timepoint!r}")
    if not instrument.timepoints and timepoint:
        problems.append(f"timepoint: {instrument.key!r} has no timepoints")
    if instrument.per_child and not children:
        problems.append("children: this instrument rates each child; name at least one")
    if len(set(children)) != len(children) or HOUSEHOLD_KEY in children:
        problems.append("children: each child must be named once, by a non-empty key")
    known_items = instrument.items
    for key in answers:
        if key not in known_items:
            problems.append(f"{key}: not an item of {instrument.key} v{instrument.version}")


def _check_requests(
    instrument: Instrument,
    requests: Sequence[OverrideRequest],
    children: Sequence[str],
    problems: list[str],
) -> None:
    definitions = {o.id: o for o in instrument.overrides}
    seen: set[tuple[str, str, str]] = set()
    for request in requests:
        definition = definitions.get(request.override)
        if definition is None:
            problems.append(f"override {request.override!r}: unknown override")
            continue
        if not request.reason.strip():
            problems.append(f"override {request.override!r}: a reason is required")
        child_scoped = _target_per_child(instrument, definition)
        if child_scoped and request.child not in children:
            problems.append(f"override {request.override!r}: name one of the children rated")
        if not child_scoped and request.child:
            problems.append(f"override {request.override!r}: applies to the household, not a child")
        if definition.kind == DISCRETIONARY:
            key = (definition.target, request.child, DISCRETIONARY)
            if key in seen:
                problems.append(f"override {request.override!r}: one discretionary override only")
            seen.add(key)
            if request.to not in instrument.levels(definition.target):
                problems.append(
                    f"override {request.override!r}: {request.to!r} is not a level of "
                    f"{definition.target!r}"
                )


def _target_per_child(instrument: Instrument, definition: Override) -> bool:
    if definition.target == DECISION:
        return instrument.per_child
    return next(s for s in instrument.sections if s.id == definition.target).per == CHILD


def _targets(instrument: Instrument, request: OverrideRequest, target: str, unit: str) -> bool:
    definition = next((o for o in instrument.overrides if o.id == request.override), None)
    return definition is not None and definition.target == target and request.child == unit


def _raw(answers: Answers, item: Item, unit: str) -> AnswerInput | Mapping[str, AnswerInput] | None:
    raw = answers.get(item.id)
    if unit == HOUSEHOLD_KEY or raw is None:
        return raw
    if isinstance(raw, Mapping):
        return raw.get(unit)
    return raw  # a bare value for a per-child item: refused in _item


def _item(
    item: Item,
    unit: str,
    raw: AnswerInput | Mapping[str, AnswerInput] | None,
    problems: list[str],
) -> tuple[ItemScore, ConditionForReturn | None] | None:
    name = f"{item.id}[{unit}]" if unit else item.id
    if raw is None:
        if item.required:
            problems.append(f"{name}: an answer is required")
        return None
    if isinstance(raw, Mapping):
        problems.append(f"{name}: expected one answer, got a mapping")
        return None
    answer = raw if isinstance(raw, Answer) else Answer(raw)
    if not item.scale.allows(answer.value):
        problems.append(
            f"{name}: {answer.value!r} is not on the scale {item.scale.id!r} "
            f"({item.scale.describe()})"
        )
        return None
    if answer.value in item.note_required_for and not answer.note.strip():
        problems.append(f"{name}: a note is required for the answer {answer.value!r}")
    condition = None
    if answer.value in item.creates_condition_on:
        if not answer.note.strip() and answer.value not in item.note_required_for:
            problems.append(f"{name}: say why return is not possible now (note)")
        if not answer.follow_up.strip():
            problems.append(f"{name}: say what must exist for the child to return (follow_up)")
        condition = ConditionForReturn(item.id, answer.note, answer.follow_up, unit)
    changed = answer.prefilled is not None and answer.prefilled != answer.value
    if item.prefilled and changed and not answer.reason.strip():
        problems.append(
            f"{name}: changed from the recorded {answer.prefilled!r} to {answer.value!r} "
            "without a reason"
        )
    points = item.scale.points(answer.value)
    return ItemScore(item.id, unit, answer.value, points, answer.note, answer.reason), condition


def asked_preview(
    instrument: Instrument,
    answers: Answers,
    overrides: Iterable[OverrideRequest] = (),
    *,
    children: Sequence[str] = (),
) -> dict[tuple[str, str], bool | None]:
    """For a form being filled in: whether each section with `asked_when` is asked, per
    (section id, unit), given the answers so far. True or False once the answers it depends on
    are given; None while one is missing. Never refuses: `score` stays the authority."""
    requests = tuple(overrides)
    household: dict[str, Value] = {}
    per_child: dict[str, dict[str, Value]] = {child: {} for child in children}
    unknown: set[tuple[str, str]] = set()
    found: dict[tuple[str, str], bool | None] = {}
    for section in instrument.sections:
        units = children if section.per == CHILD else (HOUSEHOLD_KEY,)
        for unit in units:
            variables = household if unit == HOUSEHOLD_KEY else per_child[unit]
            asked: bool | None = True
            if section.asked_when:
                asked = _asked_so_far(section, unit, household, per_child, unknown)
                found[(section.id, unit)] = asked
            names = [item.id for item in section.items]
            if instrument.levels(section.id):
                names.append(section.id)
            if asked is not True:
                for name in names:
                    variables[name] = NOT_DONE
                    if asked is None:
                        unknown.add((unit, name))
                continue
            total, complete = 0, True
            ignored: list[str] = []
            for item in section.items:
                scored = _item(item, unit, _raw(answers, item, unit), ignored)
                if scored is None or scored[0].value is None:
                    variables[item.id] = NOT_DONE
                    if item.required:
                        unknown.add((unit, item.id))
                        complete = complete and not item.scored
                    continue
                variables[item.id] = scored[0].value
                if item.scored and scored[0].points is not None:
                    total += scored[0].points
            _section(instrument, section, unit, total, requests, variables, ignored)
            if not complete and section.id in variables:
                unknown.add((unit, section.id))
    return found


def _asked_so_far(
    section: Section,
    unit: str,
    household: Mapping[str, Value],
    per_child: Mapping[str, Mapping[str, Value]],
    unknown: set[tuple[str, str]],
) -> bool | None:
    states: list[bool | None] = []
    for name, allowed in section.asked_when.items():
        if name in household or (HOUSEHOLD_KEY, name) in unknown:
            known = (HOUSEHOLD_KEY, name) not in unknown
            states.append(household.get(name) in allowed if known else None)
        elif unit:
            known = (unit, name) not in unknown
            states.append(per_child[unit].get(name, NOT_DONE) in allowed if known else None)
        else:
            held = [
                values.get(name, NOT_DONE) in allowed
                for child, values in per_child.items()
                if (child, name) not in unknown
            ]
            if any(held):
                states.append(True)
            elif len(held) < len(per_child):
                states.append(None)
            else:
                states.append(False)
    if False in states:
        return False
    return None if None in states else True


def _asked(
    section: Section,
    unit: str,
    household: Mapping[str, Value],
    per_child: Mapping[str, Mapping[str, Value]],
) -> bool:
    """A condition on a per-child variable holds for a household section when it holds for
    any child (SDM: safety is assessed when visitation is acceptable for at least one)."""
    for name, allowed in section.asked_when.items():
        if name in household:
            held = household[name] in allowed
        elif unit:
            held = per_child[unit].get(name, NOT_DONE) in allowed
        else:
            held = any(values.get(name, NOT_DONE) in allowed for values in per_child.values())
        if not held:
            return False
    return True


def _section(
    instrument: Instrument,
    section: Section,
    unit: str,
    total: int,
    requests: Sequence[OverrideRequest],
    variables: dict[str, Value],
    problems: list[str],
) -> SectionScore:
    rule = instrument.rule_for(section.id)
    if rule is None:
        return SectionScore(section.id, unit, asked=True)
    if not rule.bands:
        return SectionScore(section.id, unit, asked=True, score=total)
    band = next(b.level for b in instrument.bands[rule.bands] if b.contains(total))
    level, applied = _apply(instrument, section.id, unit, band, requests, problems)
    variables[section.id] = level
    return SectionScore(section.id, unit, True, total, band, level, applied)


def _apply(
    instrument: Instrument,
    target: str,
    unit: str,
    initial: str,
    requests: Sequence[OverrideRequest],
    problems: list[str],
) -> tuple[str, tuple[AppliedOverride, ...]]:
    levels = instrument.levels(target)
    definitions = {o.id: o for o in instrument.overrides}
    mine = [(definitions[r.override], r) for r in requests if _targets(instrument, r, target, unit)]
    applied: list[AppliedOverride] = []
    level = initial
    policy = [(d, r) for d, r in mine if d.kind == POLICY]
    if policy:
        forced = max((d.force for d, _ in policy), key=levels.index)
        for definition, request in policy:
            applied.append(
                AppliedOverride(definition.id, POLICY, target, unit, level, forced, request.reason)
            )
        level = forced
    for definition, request in ((d, r) for d, r in mine if d.kind == DISCRETIONARY):
        if request.to not in levels:
            continue  # reported by _check_requests
        step = levels.index(request.to) - levels.index(level)
        if abs(step) != 1:
            problems.append(
                f"override {definition.id!r}: moves one level from {level!r}, not to {request.to!r}"
            )
            continue
        if policy and step < 0:
            problems.append(
                f"override {definition.id!r}: may not lower a level forced by a policy override"
            )
            continue
        applied.append(
            AppliedOverride(
                definition.id, DISCRETIONARY, target, unit, level, request.to, request.reason
            )
        )
        level = request.to
    return level, tuple(applied)


def _decide(
    instrument: Instrument,
    children: Sequence[str],
    household: Mapping[str, Value],
    per_child: Mapping[str, Mapping[str, Value]],
    requests: Sequence[OverrideRequest],
    problems: list[str],
) -> tuple[Decision, ...]:
    table = instrument.decision_table
    if table is None:
        return ()
    units = tuple(children) if instrument.per_child else (HOUSEHOLD_KEY,)
    decisions: list[Decision] = []
    for unit in units:
        variables = {**household, **(per_child[unit] if unit else {})}
        traces: list[RowTrace] = []
        chosen = ""
        for row in table.rows:
            checks = tuple(
                Check(
                    name,
                    allowed,
                    variables.get(name, NOT_DONE),
                    variables.get(name, NOT_DONE) in allowed,
                )
                for name, allowed in row.when.items()
            )
            matched = all(c.held for c in checks)
            first = matched and not chosen
            if first:
                chosen = row.outcome
            traces.append(RowTrace(row.id, row.outcome, checks, matched, first))
        if not chosen:
            facts = ", ".join(f"{k}={v}" for k, v in sorted(variables.items(), key=str))
            raise InstrumentError(
                instrument.source or instrument.key,
                [f"decision_table: no row matches ({facts})"],
            )
        final, applied = _apply(instrument, DECISION, unit, chosen, requests, problems)
        decisions.append(Decision(unit, chosen, final, tuple(traces), applied))
    return tuple(decisions)


# --- change between two administrations ----------------------------------------------------


@dataclass(frozen=True)
class ItemChange:
    item: str
    before: int
    after: int
    change: int


@dataclass(frozen=True)
class Change:
    instrument_key: str
    before_timepoint: str
    after_timepoint: str
    items: tuple[ItemChange, ...]

    def of(self, item_id: str) -> ItemChange:
        return next(c for c in self.items if c.item == item_id)


def change(before: Result, after: Result) -> Change:
    """Change score per item (after - before) for the household items rated both times, in
    the order of the later administration. Versions may differ; items are matched by id."""
    if before.instrument_key != after.instrument_key:
        raise ValueError(f"cannot compare {before.instrument_key!r} with {after.instrument_key!r}")
    earlier = {i.item: i.points for i in before.items if i.child == HOUSEHOLD_KEY}
    items = tuple(
        ItemChange(i.item, old, i.points, i.points - old)
        for i in after.items
        if i.child == HOUSEHOLD_KEY
        and i.points is not None
        and (old := earlier.get(i.item)) is not None
    )
    return Change(after.instrument_key, before.timepoint, after.timepoint, items)
