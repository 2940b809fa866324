"""Writes for assessments: recording a response (scored with the instrument version it names,
the conditions for return an in-home safety analysis drafts) and the monthly review of a
condition. Each runs in one transaction (`@write`), validates, records history and an audit
event; a refused call changes nothing and says which item is wrong."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from reunify.assessments import display, scoring, selectors, stored
from reunify.assessments.display import IN_HOME_SAFETY, REUNIFICATION
from reunify.assessments.instruments import CHILD, Instrument, InstrumentError, builtin
from reunify.assessments.models import (
    ConditionForReturn,
    ConditionReview,
    ConditionStatus,
    InstrumentWording,
    Response,
    ResponseChild,
)
from reunify.assessments.scoring import Answer, OverrideRequest
from reunify.cases.models import FamilyCase
from reunify.core import audit, clock
from reunify.core.actor import write
from reunify.people.models import Person

# Messages shared with the tests (English source, translated when raised).
CASE_CLOSED = gettext_noop("The case is closed.")
UNKNOWN_INSTRUMENT = gettext_noop("Choose one of the instruments offered.")
IN_FUTURE = gettext_noop("The assessment cannot be dated in the future.")
NOT_A_CHILD = gettext_noop("Choose children of this case.")
NOT_IN_CARE = gettext_noop("This assessment rates children in care; %(name)s is not in care.")
NEEDS_CHILD = gettext_noop("This assessment rates each child in care; the case has none.")
NO_ROW = gettext_noop(
    "The instrument's decision table has no row for these answers; tell your administrator."
)
ANSWER_REQUIRED = gettext_noop("Answer this question.")
NOTE_REQUIRED = gettext_noop("Add an evidence note for this answer.")
OFF_SCALE = gettext_noop("Choose one of the answers offered.")
WHY_REQUIRED = gettext_noop("Say why the child cannot return home now.")
WHAT_REQUIRED = gettext_noop("Say what must exist for the child to return home.")
CHANGED_WITHOUT_REASON = gettext_noop(
    "The records say %(recorded)s; give a reason for changing it to %(value)s."
)
NOT_ASKED = gettext_noop("Not asked for these answers; leave it blank.")
OVERRIDE_REASON = gettext_noop("Give a reason for the override.")
REVIEW_NOTE_REQUIRED = gettext_noop("Say what the review found.")
REVIEW_STATUS = gettext_noop("Choose open, met or withdrawn.")
REVIEW_IN_FUTURE = gettext_noop("A review cannot be dated in the future.")
REVIEW_BEFORE_CREATED = gettext_noop("The review is dated before the condition was created.")
CONDITION_CLOSED = gettext_noop("This condition is no longer open.")
STILL_OPEN_NOTE = gettext_noop("Still a condition in the in-home safety analysis of %(date)s.")
MET_BY_ANALYSIS = gettext_noop("Answered yes in the in-home safety analysis of %(date)s.")
NOT_LICENSED = gettext_noop("Only a licensed instrument takes the agency's wording.")
UNKNOWN_ITEM = gettext_noop("%(item)s is not an item of this instrument version.")
SPANISH_WITHOUT_ENGLISH = gettext_noop("Give the English wording too.")
WORDING_EMPTY = gettext_noop("Give the wording as text.")
NO_AGENCY = gettext_noop("Only staff of an agency can set its wording.")

# The pure module's problems ("item: problem"), read back into our translated messages.
_PROBLEMS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"^an answer is required$"), ANSWER_REQUIRED),
    (re.compile(r"^a note is required for the answer "), NOTE_REQUIRED),
    (re.compile(r"^.* is not on the scale "), OFF_SCALE),
    (re.compile(r"^expected one answer"), OFF_SCALE),
    (re.compile(r"^say why return is not possible now"), WHY_REQUIRED),
    (re.compile(r"^say what must exist"), WHAT_REQUIRED),
    (re.compile(r"^answered, but section .* is not asked$"), NOT_ASKED),
    (re.compile(r"^a reason is required$"), OVERRIDE_REASON),
)
_CHANGED = re.compile(
    r"^changed from the recorded (?P<recorded>.+) to (?P<value>.+) without a reason$"
)
_NAMED = re.compile(r"^(?P<item>[a-z][a-z0-9_]*)(\[(?P<child>[^\]]+)\])?$")
_OVERRIDE = re.compile(r"^override '(?P<override>[^']+)'$")


def _audit(
    *, actor: Any, case: FamilyCase, obj: Any, action: str, summary: str, **changes: Any
) -> None:
    audit.record(
        actor=actor,
        action=f"assessments.{action}",
        obj=obj,
        case_id=case.pk,
        agency_id=case.agency_id,
        summary=summary,
        changes=changes,
    )


def _plain(text: str) -> str:
    return text.strip("'\"")


def response_errors(
    instrument: Instrument, error: scoring.ResponseError, names: Mapping[str, str]
) -> ValidationError:
    """A ResponseError as a ValidationError keyed by item (`item` or `item[child key]`), each
    message naming the item (and child) in words; override problems go under "overrides"."""
    items = instrument.items
    overrides = {o.id: o for o in instrument.overrides}
    found: dict[str, list[str]] = {}
    for problem in error.problems:
        where, _sep, what = problem.partition(": ")
        message = next((_(msg) for pattern, msg in _PROBLEMS if pattern.search(what)), what)
        changed = _CHANGED.match(what)
        if changed:
            message = _(CHANGED_WITHOUT_REASON) % {
                "recorded": _plain(changed["recorded"]),
                "value": _plain(changed["value"]),
            }
        named, override = _NAMED.match(where), _OVERRIDE.match(where)
        if named and named["item"] in items:
            label = display.item_label(items[named["item"]])
            if named["child"]:
                label = f"{label} ({names.get(named['child'], named['child'])})"
            key = where
        elif override:
            definition = overrides.get(override["override"])
            label = definition.label if definition else override["override"]
            key = "overrides"
        else:
            label, key = "", where if where in ("timepoint", "children") else NON_FIELD_ERRORS
        found.setdefault(key, []).append(f"{label}: {message}" if label else message)
    return ValidationError(found)


def _answer(raw: Any) -> Answer:
    if isinstance(raw, Answer):
        return raw
    return Answer(raw)


def _with_prefill(
    instrument: Instrument,
    answers: Mapping[str, Any],
    prefill: Mapping[str, selectors.VisitationPrefill],
) -> dict[str, Any]:
    """The answers with each prefilled item's recorded value taken from the records (never from
    the caller), so that a changed value needs a reason."""
    found = dict(answers)
    for section in instrument.sections:
        if section.per != CHILD:
            continue
        for item in section.items:
            if not item.prefilled or not isinstance(answers.get(item.id), Mapping):
                continue
            per_child = dict(answers[item.id])
            for child_key, raw in per_child.items():
                if raw is None or isinstance(raw, Mapping):
                    continue
                recorded = prefill.get(str(child_key))
                answer = _answer(raw)
                per_child[child_key] = Answer(
                    value=answer.value,
                    note=answer.note,
                    follow_up=answer.follow_up,
                    prefilled=recorded.values.get(item.id) if recorded else None,
                    reason=answer.reason,
                )
            found[item.id] = per_child
    return found


def _children(
    case: FamilyCase, instrument: Instrument, children: Iterable[Person] | None
) -> list[Person]:
    in_care = [child for child, _episode in selectors.children_in_care(case)]
    if children is None:
        chosen = in_care
    else:
        chosen = list(children)
        of_case = {c.pk for c in selectors.case_children(case)} | {c.pk for c in in_care}
        if any(c.pk not in of_case for c in chosen):
            raise ValidationError({"children": _(NOT_A_CHILD)})
    if instrument.per_child:
        if not chosen:
            raise ValidationError({"children": _(NEEDS_CHILD)})
        care = {c.pk for c in in_care}
        for child in chosen:
            if child.pk not in care:
                raise ValidationError({"children": _(NOT_IN_CARE) % {"name": child.full_name}})
    return chosen


@write
def response_record(
    *,
    actor: Any,
    case: FamilyCase,
    instrument_key: str,
    answers: Mapping[str, Any],
    overrides: Iterable[OverrideRequest] = (),
    children: Iterable[Person] | None = None,
    timepoint: str = "",
    recorded_on: dt.date | None = None,
    instrument_version: int | None = None,
    now: dt.datetime | None = None,
) -> Response:
    """Score and keep one administration of a built-in instrument (the latest version unless
    `instrument_version` names another, as imports do). `children` are the children it covers
    (default: the case's children in care); per-child answers are keyed by str(child.pk).
    Prefilled visitation items are compared with recorded family time: a changed value needs a
    reason. An in-home safety analysis drafts a condition for return per "no"."""
    now = now or clock.now()
    recorded_on = recorded_on or clock.today()
    if case.status != FamilyCase.Status.OPEN:
        raise ValidationError(_(CASE_CLOSED))
    if recorded_on > clock.today():
        raise ValidationError({"recorded_on": _(IN_FUTURE)})
    try:
        # With the agency's wording, so that refusals name items as the form shows them; the
        # wording never changes a score.
        instrument = selectors.instrument_for(
            key=instrument_key, version=instrument_version, agency_id=case.agency_id
        )
    except KeyError:
        raise ValidationError({"instrument_key": _(UNKNOWN_INSTRUMENT)}) from None
    chosen = _children(case, instrument, children)
    keys = [str(c.pk) for c in chosen]
    names = {str(c.pk): c.full_name for c in chosen}
    requests = tuple(overrides)
    given = dict(answers)
    if instrument.per_child:
        prefill = selectors.visitation_prefill(case=case, children=chosen, on=recorded_on)
        given = _with_prefill(instrument, given, prefill)
    try:
        result = scoring.score(
            instrument,
            given,
            requests,
            children=keys if instrument.per_child else (),
            timepoint=timepoint,
        )
    except scoring.ResponseError as error:
        raise response_errors(instrument, error, names) from error
    except InstrumentError as error:
        raise ValidationError(_(NO_ROW)) from error
    risk = ""
    safety = ""
    if instrument.key == REUNIFICATION:
        risk = result.section("risk").level or ""
        asked = any(s.section == "safety" and s.asked for s in result.sections)
        safety_item = next((i for i in result.items if i.item == "safety_decision"), None)
        safety = str(safety_item.value) if asked and safety_item and safety_item.value else ""
    response = Response(
        case=case,
        instrument_key=instrument.key,
        instrument_version=instrument.version,
        timepoint=timepoint,
        answers=stored.answers_dump(instrument, given),
        overrides=stored.overrides_dump(requests),
        result=stored.result_dump(result),
        recorded_on=recorded_on,
        recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
        created_at=now,
        risk_level=risk,
        safety_decision=safety,
    )
    response.full_clean()
    response.save()
    decisions = {d.child: d for d in result.decisions}
    household = decisions.get(scoring.HOUSEHOLD_KEY)
    rows = []
    for child in chosen:
        decision = decisions.get(str(child.pk)) or household
        rows.append(
            ResponseChild(
                response=response,
                child=child,
                initial_outcome=decision.initial if decision else "",
                outcome=decision.final if decision else "",
            )
        )
    ResponseChild.objects.bulk_create(rows)
    created = met = 0
    if instrument.key == IN_HOME_SAFETY:
        created, met = _conditions_from(
            actor=actor, instrument=instrument, response=response, result=result, children=chosen
        )
    outcomes = {names[d.child]: d.final for d in result.decisions if d.child in names}
    _audit(
        actor=actor,
        case=case,
        obj=response,
        action="response_record",
        summary=f"{instrument.title} v{instrument.version} recorded for {recorded_on}",
        instrument=instrument.key,
        version=instrument.version,
        timepoint=timepoint,
        children=keys,
        risk_level=risk,
        safety_decision=safety,
        outcomes=outcomes,
        overrides=[r.override for r in requests],
        conditions_created=created,
        conditions_met=met,
    )
    return response


def _conditions_from(
    *,
    actor: Any,
    instrument: Instrument,
    response: Response,
    result: scoring.Result,
    children: list[Person],
) -> tuple[int, int]:
    """One condition per "no": a new one, unless an open condition on the same question already
    covers these children (then it stays open and is reviewed, without a duplicate). An open
    condition whose question is now answered "yes" for all the children it covers is met."""
    case = response.case
    covered = {c.pk for c in children}
    on = response.recorded_on
    items = instrument.items
    open_conditions = list(
        ConditionForReturn.objects.filter(
            case=case, status=ConditionStatus.OPEN, child__isnull=True
        ).prefetch_related("response__covered")
    )

    def scope(condition: ConditionForReturn) -> set[int]:
        return {rc.child_id for rc in condition.response.covered.all()}

    created = met = 0
    asked_no = {c.question_key for c in result.conditions_for_return}
    for drafted in result.conditions_for_return:
        same = next(
            (
                c
                for c in open_conditions
                if c.question_key == drafted.question_key and covered <= scope(c)
            ),
            None,
        )
        if same is not None:
            _review(
                actor=actor,
                condition=same,
                status=ConditionStatus.OPEN,
                note=_(STILL_OPEN_NOTE) % {"date": on.isoformat()} + " " + drafted.why_not_now,
                reviewed_on=on,
            )
            continue
        item = items[drafted.question_key]
        condition = ConditionForReturn(
            case=case,
            child=None,
            response=response,
            question_key=drafted.question_key,
            question_label=item.label,
            question_label_es=item.label_es,
            why_not_now=drafted.why_not_now.strip(),
            what_must_exist=drafted.what_must_exist.strip(),
            status=ConditionStatus.OPEN,
            created_on=on,
            review_due_on=ConditionForReturn.next_review(on),
        )
        condition.full_clean()
        condition.save()
        created += 1
    answered = {i.item for i in result.items if i.value is not None}
    for condition in open_conditions:
        key = condition.question_key
        if key in answered and key not in asked_no and scope(condition) <= covered:
            _review(
                actor=actor,
                condition=condition,
                status=ConditionStatus.MET,
                note=_(MET_BY_ANALYSIS) % {"date": on.isoformat()},
                reviewed_on=on,
            )
            met += 1
    return created, met


def _review(
    *,
    actor: Any,
    condition: ConditionForReturn,
    status: str,
    note: str,
    reviewed_on: dt.date,
) -> ConditionReview:
    before = condition.status
    condition.status = status
    condition.met_on = reviewed_on if status == ConditionStatus.MET else None
    if status == ConditionStatus.OPEN:
        condition.review_due_on = ConditionForReturn.next_review(reviewed_on)
    condition.full_clean()
    condition.save()
    review = ConditionReview(
        condition=condition,
        reviewed_on=reviewed_on,
        status=status,
        note=note.strip(),
        by=actor if getattr(actor, "is_authenticated", False) else None,
        created_at=clock.now(),
    )
    review.full_clean()
    review.save()
    _audit(
        actor=actor,
        case=condition.case,
        obj=condition,
        action="condition_review",
        summary=f"Condition for return {condition.question_key} reviewed: {before} -> {status}",
        status=[before, status],
        reviewed_on=reviewed_on.isoformat(),
    )
    return review


@write
def condition_review(
    *,
    actor: Any,
    condition: ConditionForReturn,
    status: str,
    note: str,
    reviewed_on: dt.date | None = None,
) -> ConditionReview:
    """The monthly review of an open condition: still open (next review a month on), met, or
    withdrawn, with what was seen."""
    reviewed_on = reviewed_on or clock.today()
    condition = (
        ConditionForReturn.objects.select_for_update().select_related("case").get(pk=condition.pk)
    )
    errors: dict[str, str] = {}
    if status not in ConditionStatus.values:
        errors["status"] = _(REVIEW_STATUS)
    if not note.strip():
        errors["note"] = _(REVIEW_NOTE_REQUIRED)
    if reviewed_on > clock.today():
        errors["reviewed_on"] = _(REVIEW_IN_FUTURE)
    elif reviewed_on < condition.created_on:
        errors["reviewed_on"] = _(REVIEW_BEFORE_CREATED)
    if not condition.is_open:
        raise ValidationError(_(CONDITION_CLOSED))
    if condition.case.status != FamilyCase.Status.OPEN:
        raise ValidationError(_(CASE_CLOSED))
    if errors:
        raise ValidationError(errors)
    return _review(
        actor=actor, condition=condition, status=status, note=note, reviewed_on=reviewed_on
    )


# ---- the agency's licensed wording ----------------------------------------------------------

_WORDING_PROBLEM = re.compile(r"^wording\.(?P<item>[^:]+): (?P<what>.+)$")


def _wording_errors(error: InstrumentError) -> ValidationError:
    found: dict[str, list[str]] = {}
    for problem in error.problems:
        match = _WORDING_PROBLEM.match(problem)
        if match is None:
            found.setdefault(NON_FIELD_ERRORS, []).append(problem)
            continue
        item = match["item"]
        message = (
            _(UNKNOWN_ITEM) % {"item": item}
            if match["what"] == "unknown item"
            else _(WORDING_EMPTY)
        )
        found.setdefault(item, []).append(message)
    return ValidationError(found)


@write
def wording_set(
    *,
    actor: Any,
    instrument_key: str,
    instrument_version: int,
    texts: Mapping[str, tuple[str, str]],
    now: dt.datetime | None = None,
) -> int:
    """Set the actor's agency's wording of a licensed instrument version: per item id, the
    English and Spanish text (both blank: back to the built-in short label). Every item is
    checked by the pure loader, so wording for an item the version does not have is refused,
    naming it, and nothing is saved. Returns how many items changed."""
    now = now or clock.now()
    agency_id = getattr(actor, "agency_id", None)
    if agency_id is None:
        raise ValidationError(_(NO_AGENCY))
    try:
        plain = builtin(instrument_key, instrument_version)
    except KeyError:
        raise ValidationError({"instrument_key": _(UNKNOWN_INSTRUMENT)}) from None
    if not plain.licensed:
        raise ValidationError({"instrument_key": _(NOT_LICENSED)})
    cleaned = {item: (en.strip(), es.strip()) for item, (en, es) in texts.items()}
    errors: dict[str, list[str]] = {}
    for item, (en, es) in cleaned.items():
        if es and not en:
            errors.setdefault(item, []).append(_(SPANISH_WITHOUT_ENGLISH))
    for column in (0, 1):
        wording = {item: pair[column] for item, pair in cleaned.items() if pair[column]}
        unknown = {item: "-" for item in cleaned if item not in wording}
        try:
            builtin(instrument_key, instrument_version, wording={**wording, **unknown})
        except InstrumentError as error:
            for key, messages in _wording_errors(error).message_dict.items():
                # Blank entries of known items were only there to test the item id.
                for message in messages:
                    if message not in errors.get(key, []):
                        errors.setdefault(key, []).append(message)
    if errors:
        raise ValidationError(errors)
    current = selectors.wording_rows(
        agency_id=agency_id, key=instrument_key, version=instrument_version
    )
    changed: dict[str, list[str]] = {}
    for item, (en, es) in cleaned.items():
        row = current.get(item)
        if not en:
            if row is not None:
                row.delete()
                changed[item] = ["", ""]
            continue
        if row is not None and (row.text, row.text_es) == (en, es):
            continue
        row = row or InstrumentWording(
            agency_id=agency_id,
            instrument_key=instrument_key,
            instrument_version=instrument_version,
            item_id=item,
        )
        row.text, row.text_es = en, es
        row.updated_by = actor if getattr(actor, "is_authenticated", False) else None
        row.updated_at = now
        row.full_clean()
        row.save()
        changed[item] = [en, es]
    if changed:
        audit.record(
            actor=actor,
            action="assessments.wording_set",
            summary=(
                f"Licensed wording of {instrument_key} v{instrument_version} changed: "
                + ", ".join(sorted(changed))
            ),
            agency_id=agency_id,
            changes={"instrument": instrument_key, "version": instrument_version, **changed},
        )
    return len(changed)
