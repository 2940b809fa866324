"""Demo assessments, recorded through the services (so results, conditions for return, history
and audit are what a worker's would be) for a subset of the open cases with children in care:

- an in-home safety analysis: most with one or two "no" answers (conditions for return), some
  of which a later review marks met; the rest all "yes";
- a reunification assessment for most of them, visitation read from the recorded family time
  (a rating the records cannot give is the worker's), risk and safety varied so the outcomes mix;
- a return-home review for about half; family functioning at intake (interim for some) and
  protective factors before services (after, for some); a closing safety assessment for a few.

Capped at `MAX_CASES` cases so that the demo stays fast whatever its size."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from reunify.accounts.models import Agency
from reunify.assessments import selectors, services
from reunify.assessments.display import (
    CLOSING_SAFETY,
    FAMILY_FUNCTIONING,
    IN_HOME_SAFETY,
    PROTECTIVE_FACTORS,
    RETURN_HOME_REVIEW,
    REUNIFICATION,
)
from reunify.assessments.instruments import builtin
from reunify.assessments.models import ConditionForReturn, ConditionStatus
from reunify.assessments.scoring import Answer, ResponseError, score
from reunify.cases.models import FamilyCase, RemovalEpisode
from reunify.core import clock

SHARE = 0.4
MAX_CASES = 60

WHY = {
    "parents_willing": (
        "The father refuses to let safety providers into the home.",
        "Both parents agree to a written in-home safety plan and to unannounced visits.",
    ),
    "home_calm": (
        "Police were called to the home twice last month for fighting.",
        "Three months without violent incidents; the mother's partner completes the batterer "
        "intervention programme.",
    ),
    "services_available": (
        "No in-home parenting support is available in the county until spring.",
        "An in-home parenting aide three times a week, and a relative who can stay evenings.",
    ),
    "manageable_without_evaluation": (
        "The mother's mental-health evaluation is needed before the risk can be judged.",
        "The evaluation is complete and its treatment recommendations are under way.",
    ),
    "stable_residence": (
        "The family is staying with friends and may have to leave at any time.",
        "A lease in the parents' names, or a place in supported housing, for at least six months.",
    ),
}
QUESTIONS = tuple(WHY)
EVIDENCE = [
    "Seen at the home visit on a weekday evening.",
    "Reported by the parent-partner mentor and confirmed by the worker.",
    "School and therapist reports agree.",
]


def _on(rng: random.Random, earliest: dt.date, latest: dt.date) -> dt.date:
    span = (latest - earliest).days
    return earliest + dt.timedelta(days=rng.randint(0, span)) if span > 0 else latest


def _safety(rng: random.Random, noes: int) -> dict[str, Any]:
    chosen = set(rng.sample(QUESTIONS, noes))
    return {
        q: Answer("no", note=WHY[q][0], follow_up=WHY[q][1]) if q in chosen else "yes"
        for q in QUESTIONS
    }


NO_VISITATION_NOTE = "No family time came due in the period."


def _reunification(
    rng: random.Random, case: FamilyCase, children: list[Any], on: dt.date
) -> tuple[dict[str, Any], list[Any]]:
    """Answers whose risk and safety vary; visitation from the records (the worker rates what
    the records cannot)."""
    prefill = selectors.visitation_prefill(case=case, children=children, on=on)
    answers: dict[str, Any] = {
        "risk_prior_level": rng.choice(["low", "moderate", "moderate", "high", "very_high"]),
        "risk_new_investigation": "yes" if rng.random() < 0.15 else "no",
        "risk_caregiver_progress": rng.choice(["substantial", "some", "some", "minimal", "none"]),
    }
    for item, choices in (
        ("no_visitation", ["no"]),
        ("time_frame_exhausted", ["no"]),
        ("visits_scheduled", None),
        ("visits_completed", None),
        ("visit_compliance", ["excellent", "good", "fair", "poor"]),
        ("visit_quality", ["strong", "adequate", "adequate", "limited"]),
    ):
        per_child: dict[str, Any] = {}
        for child in children:
            recorded = prefill[str(child.pk)].values.get(item)
            if recorded is None:
                recorded = rng.choice(choices) if choices else 0
            if item == "no_visitation" and recorded == "yes":
                recorded = Answer("yes", note=NO_VISITATION_NOTE)
            per_child[str(child.pk)] = recorded
        answers[item] = per_child
    return answers, children


def _with_safety_if_asked(rng: random.Random, answers: dict[str, Any]) -> dict[str, Any]:
    """Add the safety section when the table asks for it (risk low or moderate, visitation
    acceptable for a child): the engine refuses it otherwise."""
    instrument = builtin(REUNIFICATION)
    danger = "yes" if rng.random() < 0.2 else "no"
    with_safety = {
        **answers,
        "danger_1": Answer(danger, note="Threats to the child's mother at the last visit.")
        if danger == "yes"
        else "no",
        "danger_2": "no",
        "danger_3": "no",
        "safety_decision": "unsafe"
        if danger == "yes"
        else rng.choice(["safe", "safe_with_plan", "safe_with_plan"]),
    }
    try:
        score(instrument, with_safety, children=list(answers["visits_scheduled"]))
    except ResponseError:
        return answers
    return with_safety


def _review_answers(rng: random.Random) -> dict[str, Any]:
    instrument = builtin(RETURN_HOME_REVIEW)
    answers: dict[str, Any] = {}
    for section in instrument.sections:
        for item in section.items:
            if section.id == "underlying_conditions":
                if rng.random() < 0.3:
                    answers[item.id] = rng.choice(["improving", "improving", "unchanged", "worse"])
            else:
                value = rng.choices(["yes", "partly", "no"], [6, 3, 1])[0]
                answers[item.id] = Answer(value, note=rng.choice(EVIDENCE))
    return answers


def _ratings(key: str, rng: random.Random, low: int, high: int) -> dict[str, Any]:
    return {item_id: rng.randint(low, high) for item_id in builtin(key).items}


def _closing(rng: random.Random) -> dict[str, Any]:
    instrument = builtin(CLOSING_SAFETY)
    threats = instrument.sections[0].items
    present = {t.id for t in threats if rng.random() < 0.05}
    answers: dict[str, Any] = {
        t.id: Answer("present", note="Seen at the closing visit.") if t.id in present else "absent"
        for t in threats
    }
    answers["safety_decision"] = "safe_with_plan" if present else "safe"
    return answers


def demo_assessments(*, agency: Agency, as_of: dt.date, rng: random.Random) -> int:
    """Record the demo assessments; returns how many responses were recorded."""
    latest = min(as_of, clock.today())
    episodes: dict[int, list[RemovalEpisode]] = {}
    for episode in (
        RemovalEpisode.objects.filter(
            case__agency=agency, case__status=FamilyCase.Status.OPEN, discharged_on__isnull=True
        )
        .select_related("child")
        .order_by("case_id", "child_id")
    ):
        episodes.setdefault(episode.case_id, []).append(episode)
    chosen = [pk for pk in sorted(episodes) if rng.random() < SHARE][:MAX_CASES]
    cases = FamilyCase.objects.select_related("worker").in_bulk(chosen)
    recorded = 0
    for case_id in chosen:
        case = cases[case_id]
        actor = case.worker
        children = [e.child for e in episodes[case_id]]
        removed = min(e.removed_on for e in episodes[case_id])
        earliest = max(removed + dt.timedelta(days=14), latest - dt.timedelta(days=120))
        if earliest > latest:
            continue
        first = _on(rng, earliest, latest)
        noes = rng.choices([0, 1, 2], [3, 4, 3])[0]
        services.response_record(
            actor=actor,
            case=case,
            instrument_key=IN_HOME_SAFETY,
            answers=_safety(rng, noes),
            children=children,
            recorded_on=first,
        )
        recorded += 1
        if noes and rng.random() < 0.4:
            condition = ConditionForReturn.objects.filter(
                case=case, status=ConditionStatus.OPEN
            ).first()
            if condition is not None:
                services.condition_review(
                    actor=actor,
                    condition=condition,
                    status=ConditionStatus.MET,
                    note="Confirmed at two unannounced visits.",
                    reviewed_on=_on(rng, first, latest),
                )
        later = _on(rng, first, latest)
        if rng.random() < 0.8:
            answers, kids = _reunification(rng, case, children, later)
            services.response_record(
                actor=actor,
                case=case,
                instrument_key=REUNIFICATION,
                answers=_with_safety_if_asked(rng, answers),
                children=kids,
                recorded_on=later,
            )
            recorded += 1
        if rng.random() < 0.5:
            services.response_record(
                actor=actor,
                case=case,
                instrument_key=RETURN_HOME_REVIEW,
                answers=_review_answers(rng),
                children=children,
                recorded_on=later,
            )
            recorded += 1
        if rng.random() < 0.6:
            services.response_record(
                actor=actor,
                case=case,
                instrument_key=FAMILY_FUNCTIONING,
                answers=_ratings(FAMILY_FUNCTIONING, rng, -3, 0),
                children=children,
                timepoint="intake",
                recorded_on=first,
            )
            recorded += 1
            if rng.random() < 0.5:
                services.response_record(
                    actor=actor,
                    case=case,
                    instrument_key=FAMILY_FUNCTIONING,
                    answers=_ratings(FAMILY_FUNCTIONING, rng, -2, 2),
                    children=children,
                    timepoint="interim",
                    recorded_on=later,
                )
                recorded += 1
        if rng.random() < 0.5:
            services.response_record(
                actor=actor,
                case=case,
                instrument_key=PROTECTIVE_FACTORS,
                answers=_ratings(PROTECTIVE_FACTORS, rng, 1, 3),
                children=children,
                timepoint="pre",
                recorded_on=first,
            )
            recorded += 1
            if rng.random() < 0.4:
                services.response_record(
                    actor=actor,
                    case=case,
                    instrument_key=PROTECTIVE_FACTORS,
                    answers=_ratings(PROTECTIVE_FACTORS, rng, 2, 5),
                    children=children,
                    timepoint="post",
                    recorded_on=later,
                )
                recorded += 1
        if rng.random() < 0.1:
            services.response_record(
                actor=actor,
                case=case,
                instrument_key=CLOSING_SAFETY,
                answers=_closing(rng),
                children=children,
                recorded_on=latest,
            )
            recorded += 1
    return recorded
