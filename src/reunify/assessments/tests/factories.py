"""Assessment test data, recorded through the real services."""

from __future__ import annotations

from typing import Any

from reunify.assessments import services
from reunify.assessments.display import (
    CLOSING_SAFETY,
    FAMILY_FUNCTIONING,
    IN_HOME_SAFETY,
    PROTECTIVE_FACTORS,
    RETURN_HOME_REVIEW,
    REUNIFICATION,
)
from reunify.assessments.instruments import builtin
from reunify.assessments.models import Response
from reunify.assessments.scoring import Answer
from reunify.cases.models import FamilyCase
from reunify.people.models import Person

SAFETY_QUESTIONS = (
    "parents_willing",
    "home_calm",
    "services_available",
    "manageable_without_evaluation",
    "stable_residence",
)


def children_of(case: FamilyCase) -> list[Person]:
    return [e.child for e in case.episodes.select_related("child").order_by("child_id")]


def safety_answers(no: tuple[str, ...] = ()) -> dict[str, Any]:
    return {
        q: Answer("no", note=f"why not {q}", follow_up=f"what for {q}") if q in no else "yes"
        for q in SAFETY_QUESTIONS
    }


def record_safety(*, actor, case: FamilyCase, no: tuple[str, ...] = (), **kw) -> Response:
    return services.response_record(
        actor=actor, case=case, instrument_key=IN_HOME_SAFETY, answers=safety_answers(no), **kw
    )


def visitation(
    children: list[Person],
    *,
    scheduled: int = 0,
    completed: int = 0,
    compliance: str = "excellent",
    quality: str = "strong",
    reason: str = "Visits at the parents' church are not recorded.",
    exhausted: str = "no",
) -> dict[str, Any]:
    """Visitation answers for each child; values that differ from an empty record give a
    reason."""
    keys = [str(c.pk) for c in children]
    return {
        "no_visitation": {k: Answer("no", reason=reason) for k in keys},
        "time_frame_exhausted": {k: Answer(exhausted, reason=reason) for k in keys},
        "visits_scheduled": {k: Answer(scheduled, reason=reason) for k in keys},
        "visits_completed": {k: Answer(completed, reason=reason) for k in keys},
        "visit_compliance": {k: Answer(compliance, reason=reason) for k in keys},
        "visit_quality": {k: Answer(quality, reason=reason) for k in keys},
    }


def reunification_answers(
    children: list[Person],
    *,
    prior: str = "low",
    investigation: str = "no",
    progress: str = "substantial",
    compliance: str = "excellent",
    quality: str = "strong",
    safety: str | None = "safe",
) -> dict[str, Any]:
    answers: dict[str, Any] = {
        "risk_prior_level": prior,
        "risk_new_investigation": investigation,
        "risk_caregiver_progress": progress,
        **visitation(children, compliance=compliance, quality=quality),
    }
    if safety is not None:
        answers.update(danger_1="no", danger_2="no", danger_3="no", safety_decision=safety)
    return answers


def record_reunification(*, actor, case: FamilyCase, **kw) -> Response:
    children = kw.pop("children", None) or children_of(case)
    answer_kw = {
        k: kw.pop(k)
        for k in ("prior", "investigation", "progress", "compliance", "quality", "safety")
        if k in kw
    }
    # answers for the items of the version recorded (v3 added the "no visitation" flag and the
    # time frame)
    items = builtin(REUNIFICATION, kw.get("instrument_version")).items
    answers = {k: v for k, v in reunification_answers(children, **answer_kw).items() if k in items}
    return services.response_record(
        actor=actor,
        case=case,
        instrument_key=REUNIFICATION,
        answers=answers,
        children=children,
        **kw,
    )


def all_items(key: str, value: Any) -> dict[str, Any]:
    return dict.fromkeys(builtin(key).items, value)


def record_family_functioning(*, actor, case, timepoint="intake", value=0, **kw) -> Response:
    return services.response_record(
        actor=actor,
        case=case,
        instrument_key=FAMILY_FUNCTIONING,
        answers=all_items(FAMILY_FUNCTIONING, value),
        timepoint=timepoint,
        **kw,
    )


def record_protective(*, actor, case, timepoint="pre", value=2, **kw) -> Response:
    return services.response_record(
        actor=actor,
        case=case,
        instrument_key=PROTECTIVE_FACTORS,
        answers=all_items(PROTECTIVE_FACTORS, value),
        timepoint=timepoint,
        **kw,
    )


def return_home_answers(value: str = "yes") -> dict[str, Any]:
    instrument = builtin(RETURN_HOME_REVIEW)
    answers: dict[str, Any] = {}
    for section in instrument.sections:
        for item in section.items:
            if section.id == "underlying_conditions":
                if item.id in ("substance_use", "poverty"):
                    answers[item.id] = "improving"
            else:
                answers[item.id] = Answer(value, note=f"seen at the home visit ({item.id})")
    return answers


def closing_answers(present: tuple[str, ...] = ()) -> dict[str, Any]:
    instrument = builtin(CLOSING_SAFETY)
    answers: dict[str, Any] = {}
    for section in instrument.sections:
        for item in section.items:
            if section.id == "threats":
                answers[item.id] = (
                    Answer("present", note="seen") if item.id in present else "absent"
                )
    answers["safety_decision"] = "unsafe" if present else "safe"
    return answers


def assessments_for_matrix(*, worker, case: FamilyCase) -> dict[str, Any]:
    """The authorization matrix's objects (tests/authz_matrix.d/assessments.yaml): an in-home
    safety analysis with one "no", and the open condition for return it created."""
    response = record_safety(actor=worker, case=case, no=("stable_residence",))
    return {"response": response, "condition": response.conditions.get()}
