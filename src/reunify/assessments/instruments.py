"""Instruments as data: versioned definitions of sections, items, scales, scoring, bands,
overrides and a decision table, validated when loaded. Pure; no Django (import-linter).

A definition is a JSON document (or an already-parsed mapping) with `key`, `version` (a whole
number from 1), `title`, `scales` and `sections`, and optionally `timepoints`, `licensed`,
`scoring`, `bands`, `overrides` and `decision_table`. ADR 0009 describes the schema and how a
decision table reads. A malformed definition is refused with `InstrumentError`, whose problems
each read "field path: problem", e.g. "sections[2].items[0].scale: unknown scale 'yesno'".

Item wording of licensed instruments (NCFAS-R, SDM) is never shipped: the built-ins carry ids
and short labels, and an agency holding the licence supplies the text through `wording`.
"""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

DEFINITIONS_DIR = Path(__file__).resolve().parent / "definitions"

Value = str | int

NOT_DONE = "not_done"  # the value of a variable whose section was not asked or item not answered
HOUSEHOLD = "household"
CHILD = "child"
POLICY = "policy"
DISCRETIONARY = "discretionary"
DECISION = "decision"  # the override target naming the decision table's outcome
SUM = "sum"

_ID = re.compile(r"^[a-z][a-z0-9_]*$")
_FILE = re.compile(r"^(?P<key>[a-z][a-z0-9_]*)\.v(?P<version>[1-9][0-9]*)\.json$")


class InstrumentError(ValueError):
    """A definition that cannot be used; each problem reads "field path: problem"."""

    def __init__(self, source: str, problems: Sequence[str]) -> None:
        self.source = source
        self.problems = tuple(problems)
        super().__init__(f"{source}: " + "; ".join(self.problems))


@dataclass(frozen=True)
class Option:
    value: Value
    label: str
    label_es: str = ""
    points: int | None = None


@dataclass(frozen=True)
class Scale:
    """Either a list of options, or the whole numbers from `minimum` to `maximum` (no
    `maximum`: unbounded, for counts that are recorded but not scored)."""

    id: str
    options: tuple[Option, ...] = ()
    minimum: int | None = None
    maximum: int | None = None
    labels: Mapping[int, str] = field(default_factory=dict)

    def allows(self, value: object) -> bool:
        if self.options:
            return any(o.value == value and type(o.value) is type(value) for o in self.options)
        if isinstance(value, bool) or not isinstance(value, int):
            return False
        if self.minimum is None:
            return False
        return value >= self.minimum and (self.maximum is None or value <= self.maximum)

    def points(self, value: Value) -> int | None:
        if self.options:
            return next(o.points for o in self.options if o.value == value)
        return value if isinstance(value, int) else None

    def values(self) -> tuple[Value, ...]:
        if self.options:
            return tuple(o.value for o in self.options)
        if self.minimum is None or self.maximum is None:
            return ()
        return tuple(range(self.minimum, self.maximum + 1))

    def point_bounds(self) -> tuple[int, int] | None:
        """Least and greatest points an answer can carry; None when not every value scores."""
        if self.options:
            points = [o.points for o in self.options]
            if any(p is None for p in points):
                return None
            whole = [p for p in points if p is not None]
            return min(whole), max(whole)
        if self.minimum is None or self.maximum is None:
            return None
        return self.minimum, self.maximum

    def describe(self) -> str:
        if self.options:
            return ", ".join(str(o.value) for o in self.options)
        top = "" if self.maximum is None else str(self.maximum)
        return f"{self.minimum}..{top}"


@dataclass(frozen=True)
class Item:
    id: str
    label: str
    scale: Scale
    label_es: str = ""
    text: str = ""  # full wording: ours, or the agency's for a licensed instrument
    required: bool = True
    scored: bool = True
    prefilled: bool = False  # filled from records; a changed value needs a reason
    note_required_for: tuple[Value, ...] = ()
    creates_condition_on: tuple[Value, ...] = ()  # answers that create a condition for return


@dataclass(frozen=True)
class Section:
    id: str
    title: str
    items: tuple[Item, ...]
    title_es: str = ""
    per: str = HOUSEHOLD
    asked_when: Mapping[str, tuple[Value, ...]] = field(default_factory=dict)


@dataclass(frozen=True)
class Band:
    level: str
    label: str
    minimum: int | None
    maximum: int | None

    def contains(self, score: int) -> bool:
        return (self.minimum is None or score >= self.minimum) and (
            self.maximum is None or score <= self.maximum
        )


@dataclass(frozen=True)
class ScoringRule:
    section: str
    method: str = SUM
    bands: str = ""


@dataclass(frozen=True)
class Override:
    id: str
    kind: str
    target: str  # a banded section's id, or DECISION
    label: str
    force: str = ""  # policy overrides: the level or outcome forced


@dataclass(frozen=True)
class Row:
    id: str
    when: Mapping[str, tuple[Value, ...]]
    outcome: str
    label: str = ""


@dataclass(frozen=True)
class DecisionTable:
    outcomes: tuple[str, ...]
    rows: tuple[Row, ...]
    outcome_labels: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Variable:
    name: str
    scope: str
    domain: tuple[Value, ...]  # empty: any value (an unbounded count)


@dataclass(frozen=True)
class Instrument:
    key: str
    version: int
    title: str
    sections: tuple[Section, ...]
    scales: Mapping[str, Scale]
    scoring: tuple[ScoringRule, ...] = ()
    bands: Mapping[str, tuple[Band, ...]] = field(default_factory=dict)
    overrides: tuple[Override, ...] = ()
    decision_table: DecisionTable | None = None
    timepoints: tuple[str, ...] = ()
    licensed: bool = False
    source: str = ""

    @property
    def items(self) -> dict[str, Item]:
        return {item.id: item for section in self.sections for item in section.items}

    def section_of(self, item_id: str) -> Section:
        return next(s for s in self.sections if any(i.id == item_id for i in s.items))

    def rule_for(self, section_id: str) -> ScoringRule | None:
        return next((r for r in self.scoring if r.section == section_id), None)

    def levels(self, target: str) -> tuple[str, ...]:
        """The ordered levels an override on `target` moves between."""
        if target == DECISION:
            return self.decision_table.outcomes if self.decision_table else ()
        rule = self.rule_for(target)
        if rule is None or not rule.bands:
            return ()
        return tuple(b.level for b in self.bands[rule.bands])

    @property
    def per_child(self) -> bool:
        return any(s.per == CHILD for s in self.sections)

    def variables(self) -> dict[str, Variable]:
        """What decision rows and `asked_when` may test: every item's answer and every banded
        section's final level, each with the values it can take."""
        found: dict[str, Variable] = {}
        for section in self.sections:
            skip = (NOT_DONE,) if section.asked_when else ()
            for item in section.items:
                values = item.scale.values()
                optional = skip if item.required else (NOT_DONE,)
                domain = (*values, *optional) if values else ()
                found[item.id] = Variable(item.id, section.per, domain)
            levels = self.levels(section.id)
            if levels:
                found[section.id] = Variable(section.id, section.per, (*levels, *skip))
        return found


# --- loading ---------------------------------------------------------------------------------


class _Problems:
    def __init__(self) -> None:
        self.found: list[str] = []

    def add(self, path: str, problem: str) -> None:
        self.found.append(f"{path}: {problem}")

    def fields(self, raw: Mapping[str, Any], path: str, allowed: set[str]) -> None:
        for name in raw:
            if name not in allowed:
                self.add(f"{path}.{name}" if path else name, "unknown field")

    def take(
        self,
        raw: Mapping[str, Any],
        name: str,
        path: str,
        kind: type | tuple[type, ...],
        *,
        required: bool = True,
    ) -> Any:
        where = f"{path}.{name}" if path else name
        if name not in raw:
            if required:
                self.add(where, "missing")
            return None
        value = raw[name]
        kinds = kind if isinstance(kind, tuple) else (kind,)
        wrong_bool = isinstance(value, bool) and bool not in kinds
        if wrong_bool or not isinstance(value, kinds):
            self.add(where, f"must be {' or '.join(_KIND_NAMES[k] for k in kinds)}")
            return None
        if isinstance(value, str) and not value.strip():
            self.add(where, "must not be empty")
            return None
        return value

    def ident(self, raw: Mapping[str, Any], name: str, path: str) -> str | None:
        value = self.take(raw, name, path, str)
        if value is not None and not _ID.match(value):
            self.add(f"{path}.{name}" if path else name, f"{value!r} is not a lower_snake id")
            return None
        return value  # type: ignore[no-any-return]  # checked str above


_KIND_NAMES: dict[type, str] = {
    str: "text",
    int: "a whole number",
    bool: "true or false",
    list: "a list",
    dict: "an object",
}

_TOP = {
    "key",
    "version",
    "title",
    "licensed",
    "timepoints",
    "scales",
    "sections",
    "scoring",
    "bands",
    "overrides",
    "decision_table",
    "notes",
}


def load(
    text_or_mapping: str | Mapping[str, Any],
    source_name: str,
    *,
    wording: Mapping[str, str] | None = None,
) -> Instrument:
    """Parse and validate a definition; `wording` maps item ids to the agency's item text."""
    if isinstance(text_or_mapping, str):
        try:
            raw = json.loads(text_or_mapping)
        except json.JSONDecodeError as error:
            raise InstrumentError(source_name, [f"(document): not JSON ({error})"]) from error
    else:
        raw = text_or_mapping
    if not isinstance(raw, Mapping):
        raise InstrumentError(source_name, ["(document): must be an object"])
    p = _Problems()
    p.fields(raw, "", _TOP)
    key = p.ident(raw, "key", "")
    version = p.take(raw, "version", "", int)
    if version is not None and version < 1:
        p.add("version", f"must be 1 or more, got {version}")
    title = p.take(raw, "title", "", str)
    licensed = p.take(raw, "licensed", "", bool, required=False) or False
    timepoints = _timepoints(p, raw)
    scales = _scales(p, raw)
    sections = _sections(p, raw, scales)
    draft = Instrument(
        key=key or "",
        version=version or 0,
        title=title or "",
        sections=tuple(sections),
        scales=scales,
        timepoints=timepoints,
        licensed=bool(licensed),
        source=source_name,
    )
    bands = _bands(p, raw)
    scoring = _scoring(p, raw, draft, bands)
    draft = dataclasses.replace(draft, scoring=tuple(scoring), bands=bands)
    draft = dataclasses.replace(draft, decision_table=_decision_table(p, raw, draft))
    _asked_when_refs(p, raw, draft)
    draft = dataclasses.replace(draft, overrides=tuple(_overrides(p, raw, draft)))
    if wording:
        draft = _with_wording(p, draft, wording)
    if p.found:
        raise InstrumentError(source_name, p.found)
    return draft


def _timepoints(p: _Problems, raw: Mapping[str, Any]) -> tuple[str, ...]:
    points = p.take(raw, "timepoints", "", list, required=False) or []
    found: list[str] = []
    for i, point in enumerate(points):
        if not isinstance(point, str) or not _ID.match(point):
            p.add(f"timepoints[{i}]", "must be a lower_snake id")
        elif point in found:
            p.add(f"timepoints[{i}]", f"duplicate timepoint {point!r}")
        else:
            found.append(point)
    return tuple(found)


def _scales(p: _Problems, raw: Mapping[str, Any]) -> dict[str, Scale]:
    scales: dict[str, Scale] = {}
    for name, body in (p.take(raw, "scales", "", dict) or {}).items():
        path = f"scales.{name}"
        if not _ID.match(name):
            p.add(path, "scale names must be lower_snake ids")
            continue
        if not isinstance(body, dict):
            p.add(path, "must be an object")
            continue
        p.fields(body, path, {"options", "min", "max", "labels"})
        if "options" in body:
            if "min" in body or "max" in body:
                p.add(path, "give either options or min/max, not both")
            options: list[Option] = []
            for j, opt in enumerate(p.take(body, "options", path, list) or []):
                where = f"{path}.options[{j}]"
                if not isinstance(opt, dict):
                    p.add(where, "must be an object")
                    continue
                p.fields(opt, where, {"value", "label", "label_es", "points"})
                value = p.take(opt, "value", where, (str, int))
                label = p.take(opt, "label", where, str)
                points = p.take(opt, "points", where, int, required=False)
                label_es = p.take(opt, "label_es", where, str, required=False) or ""
                if value is None or label is None:
                    continue
                if any(o.value == value for o in options):
                    p.add(f"{where}.value", f"duplicate value {value!r}")
                    continue
                options.append(Option(value, label, label_es, points))
            if not options:
                p.add(f"{path}.options", "must list at least one option")
            scales[name] = Scale(name, options=tuple(options))
        else:
            low = p.take(body, "min", path, int)
            high = p.take(body, "max", path, int, required=False)
            if low is not None and high is not None and high < low:
                p.add(f"{path}.max", f"{high} is below min {low}")
                continue
            labels: dict[int, str] = {}
            for value_text, label in (
                p.take(body, "labels", path, dict, required=False) or {}
            ).items():
                try:
                    labels[int(value_text)] = str(label)
                except ValueError:
                    p.add(f"{path}.labels.{value_text}", "must be a whole number")
            if low is not None:
                scales[name] = Scale(name, minimum=low, maximum=high, labels=labels)
    return scales


def _condition_map(
    p: _Problems, raw: Mapping[str, Any], name: str, path: str, *, required: bool
) -> dict[str, tuple[Value, ...]]:
    body = p.take(raw, name, path, dict, required=required) or {}
    found: dict[str, tuple[Value, ...]] = {}
    for variable, values in body.items():
        if not isinstance(values, list) or not values:
            p.add(f"{path}.{name}.{variable}", "must be a non-empty list of values")
            continue
        found[variable] = tuple(values)
    return found


def _values_list(
    p: _Problems, raw: Mapping[str, Any], name: str, path: str, scale: Scale | None
) -> tuple[Value, ...]:
    values = p.take(raw, name, path, list, required=False) or []
    for value in values:
        if scale is not None and not scale.allows(value):
            p.add(f"{path}.{name}", f"{value!r} is not on scale {scale.id!r}")
    return tuple(values)


_ITEM_FIELDS = {
    "id",
    "label",
    "label_es",
    "text",
    "scale",
    "required",
    "scored",
    "prefilled",
    "note_required_for",
    "creates_condition_on",
}


def _sections(p: _Problems, raw: Mapping[str, Any], scales: Mapping[str, Scale]) -> list[Section]:
    sections: list[Section] = []
    seen: dict[str, str] = {}
    raw_sections = p.take(raw, "sections", "", list) or []
    if "sections" in raw and not raw_sections and isinstance(raw["sections"], list):
        p.add("sections", "must list at least one section")
    for i, body in enumerate(raw_sections):
        path = f"sections[{i}]"
        if not isinstance(body, dict):
            p.add(path, "must be an object")
            continue
        p.fields(body, path, {"id", "title", "title_es", "per", "asked_when", "items"})
        section_id = p.ident(body, "id", path)
        title = p.take(body, "title", path, str)
        per = p.take(body, "per", path, str, required=False) or HOUSEHOLD
        if per not in (HOUSEHOLD, CHILD):
            p.add(f"{path}.per", f"must be {HOUSEHOLD!r} or {CHILD!r}, got {per!r}")
        if section_id is not None:
            if section_id in seen:
                p.add(f"{path}.id", f"duplicate id {section_id!r} (also {seen[section_id]})")
            seen[section_id] = f"{path}.id"
        asked_when = _condition_map(p, body, "asked_when", path, required=False)
        items: list[Item] = []
        raw_items = p.take(body, "items", path, list) or []
        if "items" in body and isinstance(body["items"], list) and not raw_items:
            p.add(f"{path}.items", "must list at least one item")
        for j, item_body in enumerate(raw_items):
            where = f"{path}.items[{j}]"
            if not isinstance(item_body, dict):
                p.add(where, "must be an object")
                continue
            p.fields(item_body, where, _ITEM_FIELDS)
            item_id = p.ident(item_body, "id", where)
            label = p.take(item_body, "label", where, str)
            scale_name = p.take(item_body, "scale", where, str)
            scale = scales.get(scale_name) if scale_name else None
            if scale_name and scale is None:
                p.add(f"{where}.scale", f"unknown scale {scale_name!r}")
            if item_id is not None:
                if item_id in seen:
                    p.add(f"{where}.id", f"duplicate id {item_id!r} (also {seen[item_id]})")
                seen[item_id] = f"{where}.id"
            note_for = _values_list(p, item_body, "note_required_for", where, scale)
            creates = _values_list(p, item_body, "creates_condition_on", where, scale)
            scored = p.take(item_body, "scored", where, bool, required=False)
            scored = True if scored is None else scored
            if scale is not None and scored and scale.point_bounds() is None:
                p.add(f"{where}.scored", f"scale {scale.id!r} has values without points")
            required = p.take(item_body, "required", where, bool, required=False)
            if item_id is None or label is None or scale is None:
                continue
            items.append(
                Item(
                    id=item_id,
                    label=label,
                    scale=scale,
                    label_es=p.take(item_body, "label_es", where, str, required=False) or "",
                    text=p.take(item_body, "text", where, str, required=False) or "",
                    required=True if required is None else required,
                    scored=scored,
                    prefilled=p.take(item_body, "prefilled", where, bool, required=False) or False,
                    note_required_for=note_for,
                    creates_condition_on=creates,
                )
            )
        if section_id is not None and title is not None:
            sections.append(
                Section(
                    id=section_id,
                    title=title,
                    items=tuple(items),
                    title_es=p.take(body, "title_es", path, str, required=False) or "",
                    per=per,
                    asked_when=asked_when,
                )
            )
    return sections


def _bands(p: _Problems, raw: Mapping[str, Any]) -> dict[str, tuple[Band, ...]]:
    bands: dict[str, tuple[Band, ...]] = {}
    for name, body in (p.take(raw, "bands", "", dict, required=False) or {}).items():
        path = f"bands.{name}"
        if not isinstance(body, list) or not body:
            p.add(path, "must be a non-empty list of bands")
            continue
        found: list[Band] = []
        for i, band in enumerate(body):
            where = f"{path}[{i}]"
            if not isinstance(band, dict):
                p.add(where, "must be an object")
                continue
            p.fields(band, where, {"level", "label", "min", "max"})
            level = p.ident(band, "level", where)
            label = p.take(band, "label", where, str)
            low = p.take(band, "min", where, int, required=False)
            high = p.take(band, "max", where, int, required=False)
            if level is None or label is None:
                continue
            if any(b.level == level for b in found):
                p.add(f"{where}.level", f"duplicate level {level!r}")
                continue
            if low is None and i > 0:
                p.add(f"{where}.min", "only the first band may be open below")
            if high is None and i < len(body) - 1:
                p.add(f"{where}.max", "only the last band may be open above")
            if low is not None and high is not None and high < low:
                p.add(where, f"max {high} is below min {low}")
            if found and low is not None and found[-1].maximum is not None:
                previous = found[-1].maximum
                if low <= previous:
                    p.add(f"{where}.min", f"overlaps the band before (which ends at {previous})")
                elif low > previous + 1:
                    p.add(f"{where}.min", f"gap after the band before: {previous + 1}..{low - 1}")
            found.append(Band(level, label, low, high))
        bands[name] = tuple(found)
    return bands


def _scoring(
    p: _Problems,
    raw: Mapping[str, Any],
    draft: Instrument,
    bands: Mapping[str, tuple[Band, ...]],
) -> list[ScoringRule]:
    rules: list[ScoringRule] = []
    sections = {s.id: s for s in draft.sections}
    used_bands: set[str] = set()
    for i, body in enumerate(p.take(raw, "scoring", "", list, required=False) or []):
        path = f"scoring[{i}]"
        if not isinstance(body, dict):
            p.add(path, "must be an object")
            continue
        p.fields(body, path, {"section", "method", "bands"})
        section_id = p.take(body, "section", path, str)
        method = p.take(body, "method", path, str, required=False) or SUM
        band_name = p.take(body, "bands", path, str, required=False) or ""
        if method != SUM:
            p.add(f"{path}.method", f"unknown method {method!r} (known: {SUM!r})")
        if section_id is None:
            continue
        section = sections.get(section_id)
        if section is None:
            p.add(f"{path}.section", f"unknown section {section_id!r}")
            continue
        if any(r.section == section_id for r in rules):
            p.add(f"{path}.section", f"section {section_id!r} is already scored")
            continue
        scored = [item for item in section.items if item.scored]
        if not scored:
            p.add(f"{path}.section", f"section {section_id!r} has no scored items")
            continue
        if band_name:
            band_list = bands.get(band_name)
            if band_list is None:
                p.add(f"{path}.bands", f"unknown bands {band_name!r}")
                continue
            used_bands.add(band_name)
            _check_cover(p, f"bands.{band_name}", band_list, scored)
        rules.append(ScoringRule(section_id, method, band_name))
    for name in bands:
        if name not in used_bands:
            p.add(f"bands.{name}", "not used by any scoring rule")
    return rules


def _check_cover(p: _Problems, path: str, bands: Sequence[Band], items: Sequence[Item]) -> None:
    """Every total the items can add up to must fall in a band."""
    low = high = 0
    for item in items:
        bounds = item.scale.point_bounds()
        if bounds is None:
            return  # reported on the item
        low += min(bounds[0], 0) if not item.required else bounds[0]
        high += max(bounds[1], 0) if not item.required else bounds[1]
    first, last = bands[0], bands[-1]
    if first.minimum is not None and first.minimum > low:
        p.add(f"{path}[0].min", f"the lowest possible score {low} falls below every band")
    if last.maximum is not None and last.maximum < high:
        p.add(
            f"{path}[{len(bands) - 1}].max",
            f"the highest possible score {high} is above every band",
        )


def _check_refs(
    p: _Problems,
    path: str,
    when: Mapping[str, tuple[Value, ...]],
    variables: Mapping[str, Variable],
) -> None:
    for name, values in when.items():
        variable = variables.get(name)
        if variable is None:
            p.add(f"{path}.{name}", f"unknown variable {name!r}")
            continue
        for value in values:
            if variable.domain and value not in variable.domain:
                known = ", ".join(str(v) for v in variable.domain)
                p.add(f"{path}.{name}", f"{value!r} is not a value of {name!r} ({known})")


def _asked_when_refs(p: _Problems, raw: Mapping[str, Any], draft: Instrument) -> None:
    variables = draft.variables()
    defined: set[str] = set()
    for i, section in enumerate(draft.sections):
        path = f"sections[{i}].asked_when"
        _check_refs(p, path, section.asked_when, variables)
        for name in section.asked_when:
            if name in variables and name not in defined:
                p.add(f"{path}.{name}", f"{name!r} is not set by an earlier section")
        defined.update(item.id for item in section.items)
        defined.add(section.id)


def _decision_table(
    p: _Problems, raw: Mapping[str, Any], draft: Instrument
) -> DecisionTable | None:
    body = p.take(raw, "decision_table", "", dict, required=False)
    if body is None:
        return None
    path = "decision_table"
    p.fields(body, path, {"outcomes", "rows"})
    outcomes: list[str] = []
    labels: dict[str, str] = {}
    for i, outcome in enumerate(p.take(body, "outcomes", path, list) or []):
        where = f"{path}.outcomes[{i}]"
        if not isinstance(outcome, dict):
            p.add(where, "must be an object")
            continue
        p.fields(outcome, where, {"id", "label"})
        outcome_id = p.ident(outcome, "id", where)
        label = p.take(outcome, "label", where, str)
        if outcome_id is None or label is None:
            continue
        if outcome_id in outcomes:
            p.add(f"{where}.id", f"duplicate outcome {outcome_id!r}")
            continue
        outcomes.append(outcome_id)
        labels[outcome_id] = label
    rows: list[Row] = []
    variables = draft.variables()
    raw_rows = p.take(body, "rows", path, list) or []
    if "rows" in body and isinstance(body["rows"], list) and not raw_rows:
        p.add(f"{path}.rows", "must list at least one row")
    for i, row in enumerate(raw_rows):
        where = f"{path}.rows[{i}]"
        if not isinstance(row, dict):
            p.add(where, "must be an object")
            continue
        p.fields(row, where, {"id", "when", "outcome", "label"})
        row_id = p.take(row, "id", where, str)
        when = _condition_map(p, row, "when", where, required=True)
        _check_refs(p, f"{where}.when", when, variables)
        outcome = p.take(row, "outcome", where, str)
        if outcome is not None and outcome not in outcomes:
            p.add(f"{where}.outcome", f"unknown outcome {outcome!r}")
        if row_id is not None and any(r.id == row_id for r in rows):
            p.add(f"{where}.id", f"duplicate row id {row_id!r}")
        if row_id is not None and outcome is not None:
            label = p.take(row, "label", where, str, required=False) or ""
            rows.append(Row(row_id, when, outcome, label))
    return DecisionTable(tuple(outcomes), tuple(rows), labels)


def _overrides(p: _Problems, raw: Mapping[str, Any], draft: Instrument) -> list[Override]:
    found: list[Override] = []
    for i, body in enumerate(p.take(raw, "overrides", "", list, required=False) or []):
        path = f"overrides[{i}]"
        if not isinstance(body, dict):
            p.add(path, "must be an object")
            continue
        p.fields(body, path, {"id", "kind", "target", "label", "force"})
        override_id = p.ident(body, "id", path)
        kind = p.take(body, "kind", path, str)
        target = p.take(body, "target", path, str)
        label = p.take(body, "label", path, str)
        force = p.take(body, "force", path, str, required=False) or ""
        if kind not in (None, POLICY, DISCRETIONARY):
            p.add(f"{path}.kind", f"must be {POLICY!r} or {DISCRETIONARY!r}, got {kind!r}")
            continue
        levels = draft.levels(target) if target else ()
        if target is not None and not levels:
            p.add(f"{path}.target", f"{target!r} is neither a banded section nor {DECISION!r}")
        if kind == POLICY and not force:
            p.add(f"{path}.force", "a policy override must name the level it forces")
        if kind == DISCRETIONARY and force:
            p.add(f"{path}.force", "a discretionary override moves one level; it forces none")
        if force and levels and force not in levels:
            p.add(f"{path}.force", f"{force!r} is not a level of {target!r}")
        if override_id is not None and any(o.id == override_id for o in found):
            p.add(f"{path}.id", f"duplicate override {override_id!r}")
        if None not in (override_id, kind, target, label):
            found.append(Override(override_id, kind, target, label, force))  # type: ignore[arg-type]  # None excluded above
    return found


def _with_wording(p: _Problems, draft: Instrument, wording: Mapping[str, str]) -> Instrument:
    known = draft.items
    for item_id, text in wording.items():
        if item_id not in known:
            p.add(f"wording.{item_id}", "unknown item")
        elif not isinstance(text, str) or not text.strip():
            p.add(f"wording.{item_id}", "must be non-empty text")
    sections = tuple(
        Section(
            id=s.id,
            title=s.title,
            title_es=s.title_es,
            per=s.per,
            asked_when=s.asked_when,
            items=tuple(_reworded(item, wording.get(item.id)) for item in s.items),
        )
        for s in draft.sections
    )
    return dataclasses.replace(draft, sections=sections)


def _reworded(item: Item, text: str | None) -> Item:
    if not text:
        return item
    return dataclasses.replace(item, text=text)


# --- built-ins -------------------------------------------------------------------------------


@cache
def _builtin_files() -> dict[str, dict[int, Path]]:
    found: dict[str, dict[int, Path]] = {}
    for path in sorted(DEFINITIONS_DIR.glob("*.json")):
        match = _FILE.match(path.name)
        if match is None:
            raise InstrumentError(path.name, ["(file name): must read '<key>.v<version>.json'"])
        found.setdefault(match["key"], {})[int(match["version"])] = path
    return found


def builtin_keys() -> tuple[str, ...]:
    return tuple(sorted(_builtin_files()))


def builtin_versions(key: str) -> tuple[int, ...]:
    """The versions of a built-in instrument, oldest first (empty for an unknown key)."""
    return tuple(sorted(_builtin_files().get(key, {})))


def builtin(
    key: str, version: int | None = None, *, wording: Mapping[str, str] | None = None
) -> Instrument:
    """A built-in instrument: the latest version, or the version a stored response names."""
    versions = _builtin_files().get(key)
    if not versions:
        raise KeyError(f"no built-in instrument {key!r}")
    chosen = max(versions) if version is None else version
    path = versions.get(chosen)
    if path is None:
        raise KeyError(f"built-in instrument {key!r} has no version {chosen}")
    instrument = load(path.read_text(encoding="utf-8"), path.name, wording=wording)
    if (instrument.key, instrument.version) != (key, chosen):
        raise InstrumentError(path.name, ["key/version: do not match the file name"])
    return instrument
