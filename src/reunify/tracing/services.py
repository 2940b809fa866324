"""Writes for family tracing: registering a separated child, a family's tracing request with the
children it seeks, the tracing actions log, deciding on candidates, the verification
interviews, the best-interests decision and its two approvals, the reunification, follow-up
visits and closure. Each runs in one transaction (`@write`), validates, and records history and
an audit event; a refused call changes nothing.

Saving a child (with consent) or a request re-runs matching at once (`realtime`): candidates at
or above rules.FLOOR are stored, a rejected pair is never proposed again, and the other record's
tracing worker is e-mailed (after commit) about each new likely match (>= rules.LIKELY)."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence
from dataclasses import dataclass, fields
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from reunify.accounts.models import User
from reunify.core import audit, clock
from reunify.core.actor import write
from reunify.core.concurrency import lock_for_edit
from reunify.messaging import images
from reunify.tracing import realtime, rules
from reunify.tracing.matching import Match, PartialDate
from reunify.tracing.models import (
    ActionKind,
    ActionOutcome,
    BestInterestsDecision,
    CandidateMatch,
    CareArrangement,
    ChildStatus,
    Decision,
    FollowUpKind,
    FollowUpVisit,
    MatchStatus,
    RequestStatus,
    Reunification,
    ReunificationKind,
    SeparatedChild,
    SoughtChild,
    TracingAction,
    TracingRequest,
    VerificationInterview,
)

logger = logging.getLogger(__name__)

# Messages shared with the tests (English source, translated when raised).
GIVEN_NAME_REQUIRED = gettext_noop("Enter the name the child gives.")
BIRTH_OR_AGE = gettext_noop("Enter a date of birth (even only the year) or an estimated age.")
BAD_PARTIAL_DATE = gettext_noop("Enter a date as YYYY-MM-DD, or YYYY-MM, or YYYY.")
DATE_IN_FUTURE = gettext_noop("The date cannot be in the future.")
AGE_RANGE = gettext_noop("Enter an age between 0 and 25.")
CONSENT_DATE_REQUIRED = gettext_noop("Enter the date consent for tracing was given.")
PHOTO_REFUSED = gettext_noop("The photo could not be used: send a JPEG or PNG image under 10 MB.")
REQUESTER_REQUIRED = gettext_noop("Enter the requester's name and relationship.")
SOUGHT_REQUIRED = gettext_noop("Describe at least one child sought.")
STEP_NOT_ALLOWED = gettext_noop("The case is %(status)s; that step is not possible now.")
CANDIDATE_STEP_NOT_ALLOWED = gettext_noop(
    "This candidate is %(status)s; that step is not possible now."
)
REASON_REQUIRED = gettext_noop("Say why.")
NO_CONSENT = gettext_noop("The child has not consented to tracing.")
DESCRIPTION_REQUIRED = gettext_noop("Describe what was done.")
INTERVIEW_NOT_CONFIRMED = gettext_noop(
    "Confirm the candidate for verification before recording interviews."
)
CHILD_ANSWERS = gettext_noop("Record whether the child recognises the adult and their wishes.")
ADULT_ANSWERS = gettext_noop("Record whether the adult is willing and able to care for the child.")
VERIFICATION_GAPS = {
    rules.NO_CHILD_INTERVIEW: gettext_noop("The child has not been interviewed."),
    rules.NO_ADULT_INTERVIEW: gettext_noop("The adult has not been interviewed."),
    rules.ACCOUNTS_INCONSISTENT: gettext_noop("The child's and the adult's accounts do not agree."),
    rules.CHILD_DOES_NOT_RECOGNISE: gettext_noop("The child has not recognised the adult."),
    rules.NO_CORROBORATION: gettext_noop(
        "Nothing corroborates the relationship yet (photo among others, community, documents)."
    ),
}
RATIONALE_REQUIRED = gettext_noop("Explain the decision.")
DECISION_PENDING = gettext_noop("A best-interests decision is already waiting for approval.")
APPROVAL_PROBLEMS = {
    rules.APPROVER_IS_PROPOSER: gettext_noop(
        "You proposed this decision; two other people must approve it."
    ),
    rules.APPROVER_ALREADY_APPROVED: gettext_noop(
        "You already approved this decision; a second, different person must approve it."
    ),
    rules.ALREADY_APPROVED: gettext_noop("This decision is already approved."),
}
REUNIFICATION_PROBLEMS = {
    rules.NOT_VERIFIED: gettext_noop("Reunify only with a verified adult (complete verification)."),
    rules.NO_APPROVED_DECISION: gettext_noop(
        "A best-interests decision to reunify must be approved by two people first."
    ),
    rules.DECISION_NOT_REUNIFY: gettext_noop(
        "The approved best-interests decision is not to reunify."
    ),
}
NO_STABLE_FOLLOW_UP = gettext_noop(
    "A reunified case closes only after a follow-up visit finds the child's situation stable."
)
NOT_THIS_CHILD = gettext_noop("Choose a verified candidate of this child.")
FOLLOW_UP_BEFORE_REUNIFICATION = gettext_noop("Follow-up visits come after the reunification.")


# ---- inputs ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ChildDetails:
    """A registration as the form gives it (dates of birth and separation as partial dates)."""

    given_name: str
    registered_on: dt.date
    family_name: str = ""
    other_names: str = ""
    sex: str = "U"
    date_of_birth: str = ""
    age_estimate: int | None = None
    origin_country: str = ""
    origin_region: str = ""
    origin_district: str = ""
    origin_village: str = ""
    separation_country: str = ""
    separation_region: str = ""
    separation_district: str = ""
    separation_village: str = ""
    separated_on: str = ""
    father_name: str = ""
    mother_name: str = ""
    caregiver_name: str = ""
    language: str = ""
    nationality: str = ""
    care_arrangement: str = ""
    current_location: str = ""
    current_caregiver: str = ""
    consent_given: bool = False
    consent_on: dt.date | None = None


@dataclass(frozen=True)
class RequestDetails:
    requester_name: str
    requester_relationship: str
    requested_on: dt.date
    requester_contact: str = ""
    language: str = ""
    nationality: str = ""
    separated_on: str = ""
    separation_country: str = ""
    separation_region: str = ""
    separation_district: str = ""
    separation_village: str = ""
    origin_country: str = ""
    origin_region: str = ""
    origin_district: str = ""
    origin_village: str = ""


@dataclass(frozen=True)
class SoughtDetails:
    given_name: str
    family_name: str = ""
    other_names: str = ""
    sex: str = "U"
    date_of_birth: str = ""
    age_at_separation: int | None = None
    father_name: str = ""
    mother_name: str = ""


def _tidy(value: Any) -> Any:
    return " ".join(value.split()) if isinstance(value, str) else value


def _other_names(text: str) -> str:
    """Other names as the exchange files keep them: ";"-separated, commas accepted too."""
    parts = [" ".join(p.split()) for p in text.replace(",", ";").split(";")]
    return "; ".join(p for p in parts if p)


def _partial_date(text: str, field: str, errors: dict[str, str]) -> str:
    try:
        value = PartialDate.parse(text or "")
    except ValueError:
        errors[field] = _(BAD_PARTIAL_DATE)
        return text
    if value is None:
        return ""
    if (value.year, value.month or 1, value.day or 1) > clock.today().timetuple()[:3]:
        errors[field] = _(DATE_IN_FUTURE)
    return value.iso()


def _age(value: int | None, field: str, errors: dict[str, str]) -> None:
    if value is not None and not 0 <= value <= 25:
        errors[field] = _(AGE_RANGE)


def _audit(*, actor: Any, obj: Any, agency_id: int, action: str, summary: str, **changes: Any):
    audit.record(
        actor=actor,
        action=f"tracing.{action}",
        obj=obj,
        agency_id=agency_id,
        summary=summary,
        changes=changes,
    )


# ---- the child's registration ------------------------------------------------------------------


def _child_values(details: ChildDetails) -> dict[str, Any]:
    values = {f.name: _tidy(getattr(details, f.name)) for f in fields(details)}
    errors: dict[str, str] = {}
    if not values["given_name"]:
        errors["given_name"] = _(GIVEN_NAME_REQUIRED)
    values["other_names"] = _other_names(details.other_names)
    values["date_of_birth"] = _partial_date(details.date_of_birth, "date_of_birth", errors)
    values["separated_on"] = _partial_date(details.separated_on, "separated_on", errors)
    _age(details.age_estimate, "age_estimate", errors)
    if (
        not values["date_of_birth"]
        and details.age_estimate is None
        and "date_of_birth" not in errors
    ):
        errors["date_of_birth"] = _(BIRTH_OR_AGE)
    if details.registered_on > clock.today():
        errors["registered_on"] = _(DATE_IN_FUTURE)
    if details.care_arrangement and details.care_arrangement not in CareArrangement.values:
        errors["care_arrangement"] = _("Choose a care arrangement from the list.")
    if details.consent_given:
        if details.consent_on is None:
            errors["consent_on"] = _(CONSENT_DATE_REQUIRED)
        elif details.consent_on > clock.today():
            errors["consent_on"] = _(DATE_IN_FUTURE)
    else:
        values["consent_on"] = None
    if errors:
        raise ValidationError(errors)
    return values


def _clean_photo(photo: bytes | None) -> images.CleanImage | None:
    if not photo:
        return None
    try:
        return images.clean(photo)
    except images.ImageRefusedError:
        raise ValidationError({"photo": _(PHOTO_REFUSED)}) from None


@write
def child_register(
    *,
    actor: User,
    details: ChildDetails,
    photo: bytes | None = None,
    worker: User | None = None,
    now: dt.datetime | None = None,
) -> SeparatedChild:
    """Register a separated child; with consent, candidates are searched at once. The photo is
    re-encoded from its pixels (no EXIF: no GPS position)."""
    now = now or clock.now()
    values = _child_values(details)
    picture = _clean_photo(photo)
    child = SeparatedChild(
        agency_id=actor.agency_id,
        worker=worker or actor,
        created_at=now,
        created_by=actor,
        updated_at=now,
        consent_recorded_by=actor if details.consent_given else None,
        **values,
    )
    if picture is not None:
        child.photo, child.photo_type = picture.data, picture.content_type
    child.full_clean()
    child.save()
    _audit(
        actor=actor,
        obj=child,
        agency_id=child.agency_id,
        action="child_register",
        summary=f"Separated child {child.reference} registered",
        consent=child.consent_given,
        photo=picture is not None,
    )
    realtime.invalidate(child.agency_id, realtime.CHILD_SIDE)
    _match_child(child, actor=actor, now=now)
    return child


@write
def child_update(
    *,
    actor: User,
    child: SeparatedChild,
    expected_version: int,
    details: ChildDetails,
    photo: bytes | None = None,
    remove_photo: bool = False,
    now: dt.datetime | None = None,
) -> SeparatedChild:
    """Change the registration (a stale edit is refused). Withdrawing consent takes the child out
    of every candidate list at once."""
    now = now or clock.now()
    child = lock_for_edit(SeparatedChild, pk=child.pk, expected_version=expected_version)
    values = _child_values(details)
    picture = _clean_photo(photo)
    before = {key: getattr(child, key) for key in ("consent_given", "status")}
    if details.consent_given and (
        not child.consent_given or child.consent_on != values["consent_on"]
    ):
        child.consent_recorded_by = actor
    if not details.consent_given:
        child.consent_recorded_by = None
    for key, value in values.items():
        setattr(child, key, value)
    if picture is not None:
        child.photo, child.photo_type = picture.data, picture.content_type
    elif remove_photo:
        child.photo, child.photo_type = None, ""
    child.updated_at = now
    child.version += 1
    child.full_clean()
    child.save()
    _audit(
        actor=actor,
        obj=child,
        agency_id=child.agency_id,
        action="child_update",
        summary=f"Separated child {child.reference} registration changed",
        consent=[before["consent_given"], child.consent_given],
        photo="replaced" if picture else ("removed" if remove_photo else "kept"),
    )
    realtime.invalidate(child.agency_id, realtime.CHILD_SIDE)
    if not child.consent_given:
        CandidateMatch.objects.filter(child=child, status=MatchStatus.PROPOSED).delete()
    _match_child(child, actor=actor, now=now)
    return child


# ---- the tracing request -----------------------------------------------------------------------


@write
def request_create(
    *,
    actor: User,
    details: RequestDetails,
    sought: Sequence[SoughtDetails],
    worker: User | None = None,
    now: dt.datetime | None = None,
) -> TracingRequest:
    """A family member's request for one or more children (siblings); candidates at once."""
    now = now or clock.now()
    values = {f.name: _tidy(getattr(details, f.name)) for f in fields(details)}
    errors: dict[str, str] = {}
    if not values["requester_name"] or not values["requester_relationship"]:
        errors["requester_name"] = _(REQUESTER_REQUIRED)
    values["separated_on"] = _partial_date(details.separated_on, "separated_on", errors)
    if details.requested_on > clock.today():
        errors["requested_on"] = _(DATE_IN_FUTURE)
    rows = [s for s in sought if _tidy(s.given_name)]
    if not rows:
        errors["sought-0-given_name"] = _(SOUGHT_REQUIRED)
    children: list[dict[str, Any]] = []
    for i, row in enumerate(sought):
        if not _tidy(row.given_name):
            continue
        one = {f.name: _tidy(getattr(row, f.name)) for f in fields(row)}
        one["other_names"] = _other_names(row.other_names)
        one["date_of_birth"] = _partial_date(row.date_of_birth, f"sought-{i}-date_of_birth", errors)
        _age(row.age_at_separation, f"sought-{i}-age_at_separation", errors)
        children.append(one)
    if errors:
        raise ValidationError(errors)
    request = TracingRequest(
        agency_id=actor.agency_id,
        worker=worker or actor,
        created_at=now,
        created_by=actor,
        updated_at=now,
        **values,
    )
    request.full_clean()
    request.save()
    for one in children:
        row = SoughtChild(request=request, **one)
        row.full_clean()
        row.save()
    _audit(
        actor=actor,
        obj=request,
        agency_id=request.agency_id,
        action="request_create",
        summary=f"Tracing request {request.reference} for {len(children)} child(ren) taken",
        sought=len(children),
    )
    realtime.invalidate(request.agency_id, realtime.REQUEST_SIDE)
    _match_request(request, actor=actor, now=now)
    return request


# ---- matching ----------------------------------------------------------------------------------


def _store(found: list[Match], *, now: dt.datetime) -> list[CandidateMatch]:
    """Store or refresh the candidates; returns the new likely ones. Rejected pairs are left
    alone (never proposed again); decided pairs keep their status and get the new score."""
    if not found:
        return []
    sought = {
        s.pk: s
        for s in SoughtChild.objects.filter(pk__in={int(m.request_id) for m in found}).only(
            "pk", "request_id"
        )
    }
    existing = {
        (c.sought_id, c.child_id): c
        for c in CandidateMatch.objects.select_for_update().filter(
            sought_id__in=sought, child_id__in={int(m.child_id) for m in found}
        )
    }
    best: dict[tuple[int, int], Match] = {}
    for m in found:
        key = (int(m.request_id), int(m.child_id))
        if key not in best or m.probability > best[key].probability:
            best[key] = m
    new_likely: list[CandidateMatch] = []
    for (sought_id, child_id), m in best.items():
        row = existing.get((sought_id, child_id))
        if row is not None and not rules.may_propose(row.status):
            if row.status != MatchStatus.REJECTED:
                row.probability, row.weight = m.probability, m.weight
                row.evidence, row.scored_at = realtime.evidence_json(m), now
                row.save(update_fields=["probability", "weight", "evidence", "scored_at"])
            continue
        if row is None:
            row = CandidateMatch(
                request_id=sought[sought_id].request_id,
                sought_id=sought_id,
                child_id=child_id,
                proposed_at=now,
            )
            if m.probability >= rules.LIKELY:
                new_likely.append(row)
        row.probability, row.weight = m.probability, m.weight
        row.evidence, row.scored_at = realtime.evidence_json(m), now
        row.full_clean()
        row.save()
    return new_likely


def _match_child(child: SeparatedChild, *, actor: Any, now: dt.datetime) -> None:
    found = realtime.candidates_for_child(child)
    stale = CandidateMatch.objects.filter(child=child, status=MatchStatus.PROPOSED).exclude(
        sought_id__in=[int(m.request_id) for m in found]
    )
    stale.delete()
    new_likely = _store(found, now=now)
    _after_matching(actor=actor, agency_id=child.agency_id, new_likely=new_likely, side="child")


def _match_request(request: TracingRequest, *, actor: Any, now: dt.datetime) -> None:
    found = realtime.candidates_for_request(request)
    new_likely = _store(found, now=now)
    _after_matching(actor=actor, agency_id=request.agency_id, new_likely=new_likely, side="request")


def _after_matching(
    *, actor: Any, agency_id: int, new_likely: list[CandidateMatch], side: str
) -> None:
    """Audit the new likely matches and tell the other record's worker after commit."""
    if not new_likely:
        return
    audit.record(
        actor=actor,
        action="tracing.candidates_proposed",
        agency_id=agency_id,
        summary=f"{len(new_likely)} new likely match(es) proposed on saving a {side}",
        changes={"candidates": [c.pk for c in new_likely]},
    )
    pks = [c.pk for c in new_likely]
    transaction.on_commit(lambda: notify_likely_matches(pks, saved_side=side))


def notify_likely_matches(candidate_pks: list[int], *, saved_side: str) -> int:
    """E-mail the tracing worker of the other record of each new likely match: the references,
    the probability and the link, nothing of the child's whereabouts. Returns how many went."""
    sent = 0
    rows = CandidateMatch.objects.filter(pk__in=candidate_pks).select_related(
        "request__worker", "child__worker", "request", "child"
    )
    base = settings.REUNIFY_BASE_URL.rstrip("/")
    for candidate in rows:
        worker = candidate.request.worker if saved_side == "child" else candidate.child.worker
        if not worker.email or not worker.is_active:
            continue
        with translation.override(settings.LANGUAGE_CODE):
            context = {
                "candidate": candidate,
                "link": base + reverse("tracing:candidate-detail", args=[candidate.pk]),
            }
            body = render_to_string("tracing/likely_match_email.txt", context).strip()
            subject = _("New likely match in family tracing (%(percent)s%%)") % {
                "percent": candidate.percent
            }
        try:
            EmailMessage(subject=subject, body=body, to=[worker.email]).send()
            sent += 1
        except Exception:  # the candidate is stored; a failed notice must not undo it
            logger.exception("Likely-match notice for candidate %s failed", candidate.pk)
    return sent


# ---- the status of the child's case and of the request -----------------------------------------


def _status_label(status: str) -> str:
    return str(ChildStatus(status).label).lower() if status in ChildStatus.values else status


def _move_child(child: SeparatedChild, step: str, *, now: dt.datetime) -> tuple[str, str]:
    target = rules.next_status(child.status, step)
    if target is None:
        raise ValidationError(
            _(STEP_NOT_ALLOWED) % {"status": _status_label(child.status)}, code="step_not_allowed"
        )
    source = child.status
    child.status = target
    child.updated_at = now
    child.version += 1
    child.save(update_fields=["status", "updated_at", "version"])
    return source, target


def _start_tracing(child: SeparatedChild, *, actor: Any, now: dt.datetime) -> None:
    if rules.next_status(child.status, rules.START_TRACING) and child.status == rules.OPEN:
        source, target = _move_child(child, rules.START_TRACING, now=now)
        _audit(
            actor=actor,
            obj=child,
            agency_id=child.agency_id,
            action="child_status",
            summary=f"Separated child {child.reference}: {source} to {target}",
            from_status=source,
            to_status=target,
        )


def _request_status(request: TracingRequest, status: str, *, now: dt.datetime) -> None:
    order = list(rules.REQUEST_STATUSES)
    if order.index(status) > order.index(request.status):
        request.status = status
        request.updated_at = now
        request.version += 1
        request.save(update_fields=["status", "updated_at", "version"])


def _locked_child(child: SeparatedChild) -> SeparatedChild:
    return SeparatedChild.objects.select_for_update().select_related("worker").get(pk=child.pk)


def _locked_match(match: CandidateMatch) -> CandidateMatch:
    return (
        CandidateMatch.objects.select_for_update()
        .select_related("child", "request", "sought")
        .get(pk=match.pk)
    )


# ---- tracing actions ---------------------------------------------------------------------------


@write
def action_record(
    *,
    actor: User,
    on: dt.date,
    kind: str,
    description: str,
    outcome: str = ActionOutcome.PENDING,
    place: str = "",
    child: SeparatedChild | None = None,
    request: TracingRequest | None = None,
    now: dt.datetime | None = None,
) -> TracingAction:
    """Log one tracing attempt for a child or a request; the first moves an open case to
    tracing in progress."""
    now = now or clock.now()
    errors: dict[str, str] = {}
    if on > clock.today():
        errors["on"] = _(DATE_IN_FUTURE)
    if kind not in ActionKind.values:
        errors["kind"] = _("Choose the type of tracing from the list.")
    if outcome not in ActionOutcome.values:
        errors["outcome"] = _("Choose the outcome from the list.")
    if not description.strip():
        errors["description"] = _(DESCRIPTION_REQUIRED)
    if errors:
        raise ValidationError(errors)
    if child is not None and child.status == rules.CLOSED:
        raise ValidationError(_(STEP_NOT_ALLOWED) % {"status": _status_label(child.status)})
    if request is not None and request.status == rules.REQUEST_CLOSED:
        raise ValidationError(_("The request is closed."))
    action = TracingAction(
        child=child,
        request=request,
        on=on,
        kind=kind,
        place=_tidy(place),
        description=description.strip(),
        outcome=outcome,
        recorded_by=actor,
        recorded_at=now,
    )
    action.full_clean()
    action.save()
    record: Any = child if child is not None else request
    if child is not None:
        _start_tracing(_locked_child(child), actor=actor, now=now)
    elif request is not None:
        _request_status(request, rules.REQUEST_TRACING, now=now)
    _audit(
        actor=actor,
        obj=action,
        agency_id=record.agency_id,
        action="action_record",
        summary=f"Tracing action ({kind}, {outcome}) on {on} for {record.reference}",
    )
    return action


# ---- candidates --------------------------------------------------------------------------------


def _match_step(match: CandidateMatch, step: str) -> tuple[str, str]:
    target = rules.next_match_status(match.status, step)
    if target is None:
        label = MatchStatus(match.status).label if match.status in MatchStatus.values else ""
        raise ValidationError(
            _(CANDIDATE_STEP_NOT_ALLOWED) % {"status": str(label).lower()},
            code="step_not_allowed",
        )
    return match.status, target


@write
def candidate_confirm(
    *, actor: User, match: CandidateMatch, now: dt.datetime | None = None
) -> CandidateMatch:
    """The worker finds the candidate plausible: it goes to verification (interviews), and the
    child's case and the request are tracing in progress."""
    now = now or clock.now()
    match = _locked_match(match)
    if not match.child.consent_given:
        raise ValidationError(_(NO_CONSENT))
    source, target = _match_step(match, rules.CONFIRM)
    match.status, match.decided_by, match.decided_at = target, actor, now
    match.save(update_fields=["status", "decided_by", "decided_at"])
    _start_tracing(_locked_child(match.child), actor=actor, now=now)
    _request_status(match.request, rules.REQUEST_TRACING, now=now)
    _audit(
        actor=actor,
        obj=match,
        agency_id=match.request.agency_id,
        action="candidate_confirm",
        summary=f"Candidate {match.pk} confirmed for verification",
        from_status=source,
        to_status=target,
    )
    return match


@write
def candidate_reject(
    *, actor: User, match: CandidateMatch, reason: str, now: dt.datetime | None = None
) -> CandidateMatch:
    """Not the same child (or verification failed): the pair is never proposed again."""
    now = now or clock.now()
    match = _locked_match(match)
    if not reason.strip():
        raise ValidationError({"reason": _(REASON_REQUIRED)})
    source, target = _match_step(match, rules.REJECT)
    match.status, match.reject_reason = target, reason.strip()[:300]
    match.decided_by, match.decided_at = actor, now
    match.full_clean()
    match.save(update_fields=["status", "reject_reason", "decided_by", "decided_at"])
    _audit(
        actor=actor,
        obj=match,
        agency_id=match.request.agency_id,
        action="candidate_reject",
        summary=f"Candidate {match.pk} rejected",
        from_status=source,
        to_status=target,
        reason=match.reject_reason,
    )
    return match


@write
def interview_record(
    *,
    actor: User,
    match: CandidateMatch,
    interviewee: str,
    on: dt.date,
    consistent: bool,
    notes: str = "",
    recognises: str = "",
    wishes: str = "",
    willing: bool | None = None,
    able: bool | None = None,
    alternate_caregiver: str = "",
    photo_among_others: bool = False,
    community: bool = False,
    documents: bool = False,
    now: dt.datetime | None = None,
) -> VerificationInterview:
    """One separate verification interview, with the child or with the adult (V2-V5)."""
    now = now or clock.now()
    match = _locked_match(match)
    if match.status != MatchStatus.CONFIRMED:
        raise ValidationError(_(INTERVIEW_NOT_CONFIRMED))
    errors: dict[str, str] = {}
    if on > clock.today():
        errors["on"] = _(DATE_IN_FUTURE)
    if interviewee == rules.CHILD:
        if recognises not in (rules.YES, rules.NO, rules.UNSURE) or wishes not in (
            rules.YES,
            rules.NO,
            rules.UNSURE,
        ):
            errors["recognises"] = _(CHILD_ANSWERS)
        willing = able = None
    elif interviewee == rules.ADULT:
        if willing is None or able is None:
            errors["willing"] = _(ADULT_ANSWERS)
        recognises = wishes = ""
    else:
        errors["interviewee"] = _("Choose who was interviewed.")
    if errors:
        raise ValidationError(errors)
    interview = VerificationInterview(
        match=match,
        interviewee=interviewee,
        on=on,
        interviewer=actor,
        consistent=consistent,
        notes=notes.strip(),
        recognises=recognises,
        wishes=wishes,
        willing=willing,
        able=able,
        alternate_caregiver=_tidy(alternate_caregiver) if interviewee == rules.ADULT else "",
        photo_among_others=photo_among_others,
        community=community,
        documents=documents,
        recorded_at=now,
    )
    interview.full_clean()
    interview.save()
    _audit(
        actor=actor,
        obj=interview,
        agency_id=match.request.agency_id,
        action="interview_record",
        summary=f"Verification interview with the {interviewee} for candidate {match.pk}",
        consistent=consistent,
    )
    return interview


def verification_gaps(match: CandidateMatch) -> tuple[str, ...]:
    facts = [
        rules.InterviewFacts(
            interviewee=i.interviewee,
            consistent=i.consistent,
            recognises=i.recognises,
            wishes=i.wishes,
            willing=i.willing,
            able=i.able,
            corroborated=i.corroborated,
        )
        for i in match.interviews.order_by("recorded_at", "id")
    ]
    return rules.verification_gaps(facts)


@write
def candidate_verify(
    *, actor: User, match: CandidateMatch, now: dt.datetime | None = None
) -> CandidateMatch:
    """The relationship is verified (V2-V5 met): the child's case and the request are verified."""
    now = now or clock.now()
    match = _locked_match(match)
    source, target = _match_step(match, rules.VERIFY)
    gaps = verification_gaps(match)
    if gaps:
        raise ValidationError([_(VERIFICATION_GAPS[gap]) for gap in gaps], code="gaps")
    match.status, match.decided_by, match.decided_at = target, actor, now
    match.save(update_fields=["status", "decided_by", "decided_at"])
    child = _locked_child(match.child)
    if child.status == rules.TRACING:
        _move_child(child, rules.VERIFY, now=now)
    _request_status(match.request, rules.REQUEST_VERIFIED, now=now)
    _audit(
        actor=actor,
        obj=match,
        agency_id=match.request.agency_id,
        action="candidate_verify",
        summary=f"Candidate {match.pk} verified; child {child.reference} verified",
        from_status=source,
        to_status=target,
    )
    return match


# ---- the best-interests decision ---------------------------------------------------------------


@write
def decision_propose(
    *,
    actor: User,
    child: SeparatedChild,
    decision: str,
    rationale: str,
    match: CandidateMatch | None = None,
    now: dt.datetime | None = None,
) -> BestInterestsDecision:
    """Propose a best-interests decision for the child; two other people approve it."""
    now = now or clock.now()
    child = _locked_child(child)
    errors: dict[str, str] = {}
    if decision not in Decision.values:
        errors["decision"] = _("Choose a decision from the list.")
    if not rationale.strip():
        errors["rationale"] = _(RATIONALE_REQUIRED)
    if errors:
        raise ValidationError(errors)
    if child.status in (rules.CLOSED, rules.REUNIFIED):
        raise ValidationError(_(STEP_NOT_ALLOWED) % {"status": _status_label(child.status)})
    if child.decisions.filter(second_approver__isnull=True).exists():
        raise ValidationError(_(DECISION_PENDING))
    if match is not None and match.child_id != child.pk:
        raise ValidationError({"match": _(NOT_THIS_CHILD)})
    bid = BestInterestsDecision(
        child=child,
        match=match,
        decision=decision,
        rationale=rationale.strip(),
        proposed_by=actor,
        proposed_at=now,
    )
    bid.full_clean()
    bid.save()
    _audit(
        actor=actor,
        obj=bid,
        agency_id=child.agency_id,
        action="decision_propose",
        summary=f"Best-interests decision ({decision}) proposed for {child.reference}",
        decision=decision,
    )
    return bid


@write
def decision_approve(
    *, actor: User, decision: BestInterestsDecision, now: dt.datetime | None = None
) -> BestInterestsDecision:
    """One approval; the second, by a different person (neither the proposer), makes the decision
    take effect: alternative care moves the case to alternative care, further tracing back to
    tracing; a decision to reunify opens the way to the reunification (and to disclosure)."""
    now = now or clock.now()
    bid = BestInterestsDecision.objects.select_for_update().get(pk=decision.pk)
    problem = rules.approval_problem(
        proposer_id=bid.proposed_by_id,
        first_approver_id=bid.first_approver_id,
        second_approver_id=bid.second_approver_id,
        by=actor.pk,
    )
    if problem is not None:
        raise ValidationError(_(APPROVAL_PROBLEMS[problem]), code=problem)
    child = _locked_child(bid.child)
    if bid.first_approver_id is None:
        bid.first_approver, bid.first_approved_at = actor, now
        which = "first"
    else:
        bid.second_approver, bid.second_approved_at = actor, now
        which = "second"
    bid.full_clean()
    bid.save()
    _audit(
        actor=actor,
        obj=bid,
        agency_id=child.agency_id,
        action="decision_approve",
        summary=f"Best-interests decision {bid.pk}: {which} approval",
        approval=which,
    )
    if bid.approved:
        step = {
            rules.ALTERNATIVE_CARE_DECISION: rules.TO_ALTERNATIVE_CARE,
            rules.FURTHER_TRACING: rules.START_TRACING,
        }.get(bid.decision)
        if step is not None and rules.next_status(child.status, step) is not None:
            source, target = _move_child(child, step, now=now)
            _audit(
                actor=actor,
                obj=child,
                agency_id=child.agency_id,
                action="child_status",
                summary=f"Separated child {child.reference}: {source} to {target}",
                from_status=source,
                to_status=target,
            )
    return bid


def approved_decision(child: SeparatedChild) -> BestInterestsDecision | None:
    return (
        child.decisions.filter(second_approver__isnull=False)
        .order_by("-second_approved_at", "-id")
        .first()
    )


# ---- reunification, follow-up, closure ---------------------------------------------------------


@write
def reunification_record(
    *,
    actor: User,
    child: SeparatedChild,
    match: CandidateMatch,
    on: dt.date,
    relationship: str,
    kind: str = ReunificationKind.FAMILY,
    follow_up_needed: bool = True,
    adult_name: str = "",
    now: dt.datetime | None = None,
) -> Reunification:
    """V1: the child goes home to the verified adult, under an approved decision to reunify."""
    now = now or clock.now()
    child = _locked_child(child)
    match = _locked_match(match)
    if match.child_id != child.pk:
        raise ValidationError({"match": _(NOT_THIS_CHILD)})
    decision = approved_decision(child)
    problem = rules.reunification_problem(
        match_verified=match.status == MatchStatus.VERIFIED,
        decision=decision.decision if decision else None,
        decision_approved=decision is not None,
    )
    if problem is not None:
        raise ValidationError(_(REUNIFICATION_PROBLEMS[problem]), code=problem)
    errors: dict[str, str] = {}
    if on > clock.today():
        errors["on"] = _(DATE_IN_FUTURE)
    if kind not in ReunificationKind.values:
        errors["kind"] = _("Choose the type of reunification.")
    if not relationship.strip():
        errors["relationship"] = _("Enter the adult's relationship to the child.")
    if errors:
        raise ValidationError(errors)
    assert decision is not None  # noqa: S101  (reunification_problem checked it)
    source, target = _move_child(child, rules.REUNIFY, now=now)
    reunification = Reunification(
        child=child,
        match=match,
        decision=decision,
        on=on,
        adult_name=_tidy(adult_name) or match.request.requester_name,
        relationship=_tidy(relationship),
        kind=kind,
        follow_up_needed=follow_up_needed,
        recorded_by=actor,
        recorded_at=now,
    )
    reunification.full_clean()
    reunification.save()
    request = match.request
    request.status, request.close_reason = RequestStatus.CLOSED, "Reunified"
    request.updated_at = now
    request.version += 1
    request.save(update_fields=["status", "close_reason", "updated_at", "version"])
    realtime.invalidate(child.agency_id, realtime.REQUEST_SIDE)
    _audit(
        actor=actor,
        obj=reunification,
        agency_id=child.agency_id,
        action="reunification_record",
        summary=f"Separated child {child.reference} reunified on {on}",
        from_status=source,
        to_status=target,
        request=request.pk,
    )
    return reunification


@write
def follow_up_record(
    *,
    actor: User,
    child: SeparatedChild,
    on: dt.date,
    kind: str,
    stable: bool,
    notes: str = "",
    now: dt.datetime | None = None,
) -> FollowUpVisit:
    now = now or clock.now()
    child = _locked_child(child)
    reunification = Reunification.objects.filter(child=child).first()
    errors: dict[str, str] = {}
    if child.status != rules.REUNIFIED or reunification is None:
        raise ValidationError(_(STEP_NOT_ALLOWED) % {"status": _status_label(child.status)})
    if on > clock.today():
        errors["on"] = _(DATE_IN_FUTURE)
    elif on < reunification.on:
        errors["on"] = _(FOLLOW_UP_BEFORE_REUNIFICATION)
    if kind not in FollowUpKind.values:
        errors["kind"] = _("Choose the type of follow-up.")
    if errors:
        raise ValidationError(errors)
    visit = FollowUpVisit(
        child=child,
        on=on,
        kind=kind,
        notes=notes.strip(),
        stable=stable,
        recorded_by=actor,
        recorded_at=now,
    )
    visit.full_clean()
    visit.save()
    _audit(
        actor=actor,
        obj=visit,
        agency_id=child.agency_id,
        action="follow_up_record",
        summary=f"Follow-up ({kind}) for {child.reference} on {on}: "
        + ("stable" if stable else "not stable"),
        stable=stable,
    )
    return visit


@write
def child_close(
    *, actor: User, child: SeparatedChild, reason: str = "", now: dt.datetime | None = None
) -> SeparatedChild:
    """Close the case: a reunified one after a stable follow-up; any other with a reason."""
    now = now or clock.now()
    child = _locked_child(child)
    reunification = Reunification.objects.filter(child=child).first()
    stable = reunification is not None and (
        child.follow_ups.filter(stable=True, on__gte=reunification.on).exists()
    )
    problem = rules.closure_problem(
        status=child.status, stable_follow_up_done=stable, reason=reason
    )
    if problem == rules.NO_STABLE_FOLLOW_UP:
        raise ValidationError(_(NO_STABLE_FOLLOW_UP), code=problem)
    if problem == rules.REASON_REQUIRED:
        raise ValidationError({"reason": _(REASON_REQUIRED)}, code=problem)
    if problem is not None:
        raise ValidationError(_(STEP_NOT_ALLOWED) % {"status": _status_label(child.status)})
    child.close_reason = reason.strip()[:300] or "Stable after reunification"
    source, target = _move_child(child, rules.CLOSE, now=now)
    child.save(update_fields=["close_reason"])
    realtime.invalidate(child.agency_id, realtime.CHILD_SIDE)
    _audit(
        actor=actor,
        obj=child,
        agency_id=child.agency_id,
        action="child_close",
        summary=f"Separated child {child.reference} case closed",
        from_status=source,
        to_status=target,
        reason=child.close_reason,
    )
    return child
