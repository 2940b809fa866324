"""Reads for the assessment pages: a case's assessments, one response shown in full (answers,
scores, bands, overrides and the decision with every row), change scores between timepoints,
and the readiness page of a child in care. Each renders a stored result with the definition of
the version it names (`selectors.instrument_of`), never the latest one.

Selectors in the HackSoft sense, kept apart from `selectors.py` (the small contract other apps
code against)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from reunify.assessments import display, selectors, stored
from reunify.assessments.display import (
    FAMILY_FUNCTIONING,
    IN_HOME_SAFETY,
    INSTRUMENTS,
    PROTECTIVE_FACTORS,
    RETURN_HOME_REVIEW,
    REUNIFICATION,
)
from reunify.assessments.instruments import DECISION, Instrument
from reunify.assessments.models import ConditionForReturn, Response
from reunify.assessments.scoring import HOUSEHOLD_KEY, AppliedOverride, Result, change
from reunify.case_plans import selectors as plan_selectors
from reunify.cases.models import FamilyCase, RemovalEpisode
from reunify.clocks import selectors as clock_selectors
from reunify.clocks.models import ClockSnapshot
from reunify.core import clock
from reunify.family_time import evaluation as ft_evaluation
from reunify.family_time import selectors as family_time_selectors
from reunify.people.models import Person
from reunify.referrals import selectors as referral_selectors
from reunify.referrals.models import Referral

# ---- a case's assessments ---------------------------------------------------------------------


@dataclass
class InstrumentGroup:
    key: str
    name: str
    responses: list[Response]
    record_url: str = ""


def case_assessments(*, case: FamilyCase) -> list[InstrumentGroup]:
    """Every built-in instrument, with the case's responses to it, newest first."""
    by_key: dict[str, list[Response]] = defaultdict(list)
    for response in selectors.responses(case=case):
        by_key[response.instrument_key].append(response)
    return [
        InstrumentGroup(key, str(name), by_key.get(key, [])) for key, name in INSTRUMENTS.items()
    ]


# ---- one response ---------------------------------------------------------------------------------


@dataclass
class OverrideLine:
    label: str
    kind: str
    before: str
    after: str
    reason: str


@dataclass
class AnswerLine:
    label: str
    text: str
    value: str
    note: str = ""
    follow_up: str = ""
    reason: str = ""
    prefilled: str = ""  # the value recorded family time gave, when it was changed


@dataclass
class SectionLine:
    title: str
    child: Person | None
    asked: bool
    scored: bool
    score: int | None
    band: str
    level: str
    overrides: list[OverrideLine]
    answers: list[AnswerLine]


@dataclass
class CheckLine:
    variable: str
    expected: str
    actual: str
    held: bool


@dataclass
class RowLine:
    row: str
    label: str
    outcome: str
    checks: list[CheckLine]
    matched: bool
    chosen: bool


@dataclass
class DecisionLine:
    child: Person | None
    initial: str
    final: str
    rows: list[RowLine]
    overrides: list[OverrideLine]


@dataclass
class ResponsePage:
    response: Response
    instrument: Instrument
    name: str
    children: list[Person]
    sections: list[SectionLine]
    decisions: list[DecisionLine]
    conditions: list[ConditionForReturn]
    superseded_by: int | None  # a newer version of the instrument exists


def _override_lines(
    instrument: Instrument, applied: tuple[AppliedOverride, ...]
) -> list[OverrideLine]:
    labels = {o.id: o.label for o in instrument.overrides}
    name = display.outcome_label if any(a.target == DECISION for a in applied) else None
    lines = []
    for a in applied:
        if a.target == DECISION and name is not None:
            before, after = name(a.before, instrument), name(a.after, instrument)
        else:
            before = display.level_label(a.before, instrument)
            after = display.level_label(a.after, instrument)
        lines.append(
            OverrideLine(labels.get(a.override, a.override), a.kind, before, after, a.reason)
        )
    return lines


def _raw_answer(response: Response, item_id: str, child: str) -> dict[str, Any]:
    raw = response.answers.get(item_id) or {}
    if child:
        raw = raw.get(child) or {}
    return raw if isinstance(raw, dict) else {}


def response_page(response: Response) -> ResponsePage:
    instrument = selectors.instrument_of(response)
    result: Result = stored.result_load(response.result)
    children = [rc.child for rc in response.covered.select_related("child").order_by("child_id")]
    people = {str(c.pk): c for c in children}
    item_scores = {(i.item, i.child): i for i in result.items}
    sections: list[SectionLine] = []
    for score in result.sections:
        section = next(s for s in instrument.sections if s.id == score.section)
        answers = []
        for item in section.items:
            scored = item_scores.get((item.id, score.child))
            if scored is None:
                continue
            raw = _raw_answer(response, item.id, score.child)
            prefilled = raw.get("prefilled")
            answers.append(
                AnswerLine(
                    label=display.item_label(item),
                    text=item.text,
                    value=display.value_label(item, scored.value),
                    note=scored.note,
                    follow_up=raw.get("follow_up", ""),
                    reason=scored.reason,
                    prefilled=display.value_label(item, prefilled)
                    if prefilled is not None and prefilled != scored.value
                    else "",
                )
            )
        sections.append(
            SectionLine(
                title=display.section_title(section),
                child=people.get(score.child) if score.child else None,
                asked=score.asked,
                scored=score.score is not None,
                score=score.score,
                band=display.level_label(score.band, instrument),
                level=display.level_label(score.level, instrument),
                overrides=_override_lines(instrument, score.overrides),
                answers=answers,
            )
        )
    rows = {r.id: r for r in instrument.decision_table.rows} if instrument.decision_table else {}
    decisions = [
        DecisionLine(
            child=people.get(d.child) if d.child else None,
            initial=display.outcome_label(d.initial, instrument),
            final=display.outcome_label(d.final, instrument),
            rows=[
                RowLine(
                    row=r.row,
                    label=rows[r.row].label if r.row in rows else "",
                    outcome=display.outcome_label(r.outcome, instrument),
                    checks=[
                        CheckLine(
                            variable=display.variable_label(instrument, c.variable),
                            expected=", ".join(
                                display.variable_value(instrument, c.variable, v)
                                for v in c.expected
                            ),
                            actual=display.variable_value(instrument, c.variable, c.actual),
                            held=c.held,
                        )
                        for c in r.checks
                    ],
                    matched=r.matched,
                    chosen=r.chosen,
                )
                for r in d.rows
            ],
            overrides=_override_lines(instrument, d.overrides),
        )
        for d in result.decisions
    ]
    latest = selectors.latest_version(response.instrument_key)
    return ResponsePage(
        response=response,
        instrument=instrument,
        name=display.instrument_name(response.instrument_key, instrument),
        children=children,
        sections=sections,
        decisions=decisions,
        conditions=list(response.conditions.order_by("id")),
        superseded_by=latest if latest != response.instrument_version else None,
    )


# ---- change scores ------------------------------------------------------------------------------


@dataclass
class ChangeLine:
    label: str
    values: list[str]  # one per timepoint shown, "" when not rated then
    change: int | None


@dataclass
class ChangeTable:
    key: str
    name: str
    timepoints: list[str]
    responses: list[Response]
    lines: list[ChangeLine]

    @property
    def columns(self) -> list[tuple[str, Response]]:
        return list(zip(self.timepoints, self.responses, strict=True))

    @property
    def has_change(self) -> bool:
        return len(self.responses) > 1


def change_tables(*, case: FamilyCase) -> list[ChangeTable]:
    """Family functioning (intake, interim, closure) and protective factors (pre, post): the
    latest response at each timepoint, and the change from the first timepoint rated to the
    last (scoring.change)."""
    tables = []
    for key in (FAMILY_FUNCTIONING, PROTECTIVE_FACTORS):
        found = Response.objects.filter(case=case, instrument_key=key).order_by(
            "-recorded_on", "-id"
        )
        latest: dict[str, Response] = {}
        for response in found:
            latest.setdefault(response.timepoint, response)
        instrument = selectors.latest_instrument(key, agency_id=case.agency_id)
        shown = [latest[t] for t in instrument.timepoints if t in latest]
        results = [stored.result_load(r.result) for r in shown]
        changes = change(results[0], results[-1]) if len(results) > 1 else None
        lines = []
        for item_id, item in instrument.items.items():
            values = []
            for result in results:
                score = next(
                    (i for i in result.items if i.item == item_id and i.child == HOUSEHOLD_KEY),
                    None,
                )
                values.append(display.value_label(item, score.value) if score else "")
            delta = None
            if changes is not None:
                delta = next((c.change for c in changes.items if c.item == item_id), None)
            lines.append(ChangeLine(display.item_label(item), values, delta))
        tables.append(
            ChangeTable(
                key=key,
                name=display.instrument_name(key),
                timepoints=[display.timepoint_label(r.timepoint) for r in shown],
                responses=shown,
                lines=lines,
            )
        )
    return tables


# ---- conditions for return on the case plan -----------------------------------------------------


@dataclass
class ConditionLine:
    condition: ConditionForReturn
    question: str
    children: list[Person]
    review_due: bool
    last_review: Any


def condition_lines(
    *, case: FamilyCase, today: dt.date, child: Person | None = None
) -> list[ConditionLine]:
    """The conditions for return with the children they apply to, whether the monthly review
    is due, and the last review."""
    found = selectors.conditions(case=case, child=child)
    reviews: dict[int, Any] = {}
    for condition in ConditionForReturn.objects.filter(
        pk__in=[c.pk for c in found]
    ).prefetch_related("reviews__by", "response__covered__child"):
        reviews[condition.pk] = condition
    lines = []
    for c in found:
        full = reviews[c.pk]
        kids = [c.child] if c.child else [rc.child for rc in full.response.covered.all()]
        history = list(full.reviews.all())
        lines.append(
            ConditionLine(
                condition=c,
                question=c.question,
                children=kids,
                review_due=c.review_is_due(today),
                last_review=history[0] if history else None,
            )
        )
    return lines


# ---- readiness -------------------------------------------------------------------------------------

READY = "ready"


@dataclass
class Visitation:
    evaluation: ft_evaluation.Evaluation
    values: dict[str, str]  # item label -> what the records say, as the assessment would read it


@dataclass
class ReturnHomeSummary:
    response: Response
    counts: dict[str, int]  # answer label -> number of questions
    not_yet: list[tuple[str, str, str]]  # (question, answer, note) answered no or partly
    underlying: list[tuple[str, str]]  # (condition, trend)


@dataclass
class Readiness:
    case: FamilyCase
    episode: RemovalEpisode
    child: Person
    today: dt.date
    days_in_care: int
    conditions: list[ConditionLine]
    conditions_met: bool
    safety_analysis: Response | None
    recommendation: selectors.Recommendation | None
    decision: DecisionLine | None
    risk_level: str
    safety_decision: str
    visitation: Visitation
    goals: list[Any]
    referrals: list[Referral]
    return_home: ReturnHomeSummary | None
    clocks: list[ClockSnapshot]
    open_conditions: int = field(init=False)

    def __post_init__(self) -> None:
        self.open_conditions = sum(1 for c in self.conditions if c.condition.is_open)

    @property
    def goals_met(self) -> int:
        return sum(1 for g in self.goals if g.met)

    @property
    def fifteen_of_22(self) -> ClockSnapshot | None:
        return next((c for c in self.clocks if c.key == "tpr_15_22"), None)


def _return_home(case: FamilyCase) -> ReturnHomeSummary | None:
    response = (
        Response.objects.filter(case=case, instrument_key=RETURN_HOME_REVIEW)
        .order_by("-recorded_on", "-id")
        .first()
    )
    if response is None:
        return None
    instrument = selectors.instrument_of(response)
    result = stored.result_load(response.result)
    counts: dict[str, int] = defaultdict(int)
    not_yet, underlying = [], []
    for score in result.items:
        item = instrument.items[score.item]
        section = instrument.section_of(score.item)
        label = display.value_label(item, score.value)
        if section.id == "underlying_conditions":
            underlying.append((display.item_label(item), label))
            continue
        counts[label] += 1
        if score.value in ("no", "partly"):
            not_yet.append((display.item_label(item), label, score.note))
    return ReturnHomeSummary(response, dict(counts), not_yet, underlying)


def _decision_for(response: Response | None, child: Person) -> DecisionLine | None:
    if response is None:
        return None
    page = response_page(response)
    return next((d for d in page.decisions if d.child is not None and d.child.pk == child.pk), None)


def readiness(*, episode: RemovalEpisode, today: dt.date | None = None) -> Readiness:
    """Can this child go home, and if not, what is left: everything the page shows, read
    live (visitation from recorded family time, clocks from the latest snapshot)."""
    today = today or clock.today()
    case, child = episode.case, episode.child
    recommendation = selectors.recommendation(case=case, child=child)
    latest_reunification = recommendation.response if recommendation else None
    ev = family_time_selectors.visitation_evaluation(
        episode=episode, now=clock.now(), tz=clock.agency_zone()
    )
    instrument = selectors.latest_instrument(REUNIFICATION, agency_id=case.agency_id)
    values = {
        display.item_label(instrument.items[k]): display.value_label(instrument.items[k], v)
        for k, v in selectors.visitation_answers(ev).items()
    }
    plan = plan_selectors.plan_page(case=case, today=today)
    analysis = (
        Response.objects.filter(case=case, instrument_key=IN_HOME_SAFETY, covered__child=child)
        .order_by("-recorded_on", "-id")
        .first()
    )
    return Readiness(
        case=case,
        episode=episode,
        child=child,
        today=today,
        days_in_care=(today - episode.removed_on).days,
        conditions=condition_lines(case=case, today=today, child=child),
        conditions_met=selectors.conditions_met(case=case, child=child),
        safety_analysis=analysis,
        recommendation=recommendation,
        decision=_decision_for(latest_reunification, child),
        risk_level=selectors.risk_level(case=case),
        safety_decision=selectors.safety_decision(case=case, child=child),
        visitation=Visitation(ev, values),
        goals=plan.goals,
        referrals=referral_selectors.referrals_for_case(case),
        return_home=_return_home(case),
        clocks=[
            c
            for c in clock_selectors.case_clocks(case=case).get(child.pk, [])
            if c.episode_id == episode.pk
        ],
    )
