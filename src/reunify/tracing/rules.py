"""Family tracing: the states of a separated child's case and of a candidate match, the guards of
verification (domain.md §10.3, V1-V6), the two-person best-interests approval, closure after
follow-up, the consent gate and the one disclosure rule. Pure; no Django.

The child's case follows domain.md §4.5 (Primero `lookup-tracing-status`):

    open ─► tracing ─► verified ─► reunified ─► closed (after a stable follow-up)
                │          │ (failed verification, adult declines, decision says no)
                └──────────┴──► alternative care ─► (tracing again | closed)

A best-interests decision of further tracing takes a verified case back to tracing.

Decisions recorded in docs/adr/0014-tracing-records-and-verification.md.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

# ---- the child's case --------------------------------------------------------------------------

OPEN = "open"
TRACING = "tracing"
VERIFIED = "verified"
REUNIFIED = "reunified"
ALTERNATIVE_CARE = "alternative_care"
CLOSED = "closed"
CHILD_STATUSES = (OPEN, TRACING, VERIFIED, REUNIFIED, ALTERNATIVE_CARE, CLOSED)

START_TRACING = "start_tracing"
VERIFY = "verify"
REUNIFY = "reunify"
TO_ALTERNATIVE_CARE = "alternative_care"
CLOSE = "close"
CHILD_STEPS = (START_TRACING, VERIFY, REUNIFY, TO_ALTERNATIVE_CARE, CLOSE)

# step -> (states it may start from, state it leads to)
CHILD_TRANSITIONS: dict[str, tuple[frozenset[str], str]] = {
    START_TRACING: (frozenset({OPEN, VERIFIED, ALTERNATIVE_CARE}), TRACING),
    VERIFY: (frozenset({TRACING}), VERIFIED),
    REUNIFY: (frozenset({VERIFIED}), REUNIFIED),
    TO_ALTERNATIVE_CARE: (frozenset({OPEN, TRACING, VERIFIED}), ALTERNATIVE_CARE),
    CLOSE: (frozenset({OPEN, TRACING, ALTERNATIVE_CARE, REUNIFIED}), CLOSED),
}


def next_status(status: str, step: str) -> str | None:
    """The state `step` leads to from `status`, or None when the step is not allowed there."""
    sources, target = CHILD_TRANSITIONS[step]
    return target if status in sources else None


def allowed_steps(status: str) -> tuple[str, ...]:
    return tuple(step for step in CHILD_STEPS if status in CHILD_TRANSITIONS[step][0])


def matchable(*, consent_given: bool, status: str) -> bool:
    """A child is matched and shown in candidate lists only with consent for tracing, and only
    while the case is not closed."""
    return consent_given and status != CLOSED


# ---- the tracing request -----------------------------------------------------------------------

REQUEST_OPEN = "open"
REQUEST_TRACING = "tracing"
REQUEST_VERIFIED = "verified"
REQUEST_CLOSED = "closed"
REQUEST_STATUSES = (REQUEST_OPEN, REQUEST_TRACING, REQUEST_VERIFIED, REQUEST_CLOSED)


# ---- a candidate match -------------------------------------------------------------------------

PROPOSED = "proposed"
CONFIRMED = "confirmed"  # confirmed for verification
REJECTED = "rejected"
MATCH_VERIFIED = "verified"
MATCH_STATUSES = (PROPOSED, CONFIRMED, REJECTED, MATCH_VERIFIED)

CONFIRM = "confirm"
REJECT = "reject"
MATCH_STEPS = (CONFIRM, REJECT, VERIFY)

MATCH_TRANSITIONS: dict[str, tuple[frozenset[str], str]] = {
    CONFIRM: (frozenset({PROPOSED}), CONFIRMED),
    REJECT: (frozenset({PROPOSED, CONFIRMED}), REJECTED),
    VERIFY: (frozenset({CONFIRMED}), MATCH_VERIFIED),
}

LIKELY = 0.5  # a candidate at or above this probability is a "likely match" (workers are told)
FLOOR = 0.05  # candidates below this are not stored


def next_match_status(status: str, step: str) -> str | None:
    sources, target = MATCH_TRANSITIONS[step]
    return target if status in sources else None


def may_propose(status: str | None) -> bool:
    """A pair once rejected is never proposed again; a new pair, or one still proposed, is."""
    return status in (None, PROPOSED)


# ---- verification (V2-V5) ----------------------------------------------------------------------

CHILD = "child"
ADULT = "adult"
YES = "yes"
NO = "no"
UNSURE = "unsure"

NO_CHILD_INTERVIEW = "no_child_interview"
NO_ADULT_INTERVIEW = "no_adult_interview"
ACCOUNTS_INCONSISTENT = "accounts_inconsistent"
CHILD_DOES_NOT_RECOGNISE = "child_does_not_recognise"
NO_CORROBORATION = "no_corroboration"


@dataclass(frozen=True)
class InterviewFacts:
    """What the guards need of one verification interview."""

    interviewee: str  # CHILD | ADULT
    consistent: bool
    recognises: str = ""  # the child's: YES | NO | UNSURE
    wishes: str = ""  # the child's wish to be reunified: YES | NO | UNSURE
    willing: bool | None = None  # the adult's
    able: bool | None = None  # the adult's
    corroborated: bool = False  # photo among others, community, or documents


def verification_gaps(interviews: Iterable[InterviewFacts]) -> tuple[str, ...]:
    """What still stands between a confirmed candidate and a verified relationship (empty: it may
    be verified). V2: the child and the adult were interviewed separately and the latest account
    of each agrees with the other's; V3: the child recognises the adult (and their wishes are on
    record, which the interview form requires); V4: the adult's willingness and ability are on
    record (required by the form; an unwilling adult goes to the best-interests decision, V6);
    V5: at least one corroboration. `interviews` are in the order they were recorded."""
    latest: dict[str, InterviewFacts] = {}
    corroborated = False
    for interview in interviews:
        latest[interview.interviewee] = interview
        corroborated = corroborated or interview.corroborated
    gaps: list[str] = []
    child, adult = latest.get(CHILD), latest.get(ADULT)
    if child is None:
        gaps.append(NO_CHILD_INTERVIEW)
    if adult is None:
        gaps.append(NO_ADULT_INTERVIEW)
    if (child is not None and not child.consistent) or (adult is not None and not adult.consistent):
        gaps.append(ACCOUNTS_INCONSISTENT)
    if child is not None and child.recognises != YES:
        gaps.append(CHILD_DOES_NOT_RECOGNISE)
    if not corroborated:
        gaps.append(NO_CORROBORATION)
    return tuple(gaps)


# ---- the best-interests decision (V6) ----------------------------------------------------------

REUNIFY_DECISION = "reunify"
REUNIFY_WITH_SUPPORT = "reunify_with_support"
ALTERNATIVE_CARE_DECISION = "alternative_care"
FURTHER_TRACING = "further_tracing"
DECISIONS = (REUNIFY_DECISION, REUNIFY_WITH_SUPPORT, ALTERNATIVE_CARE_DECISION, FURTHER_TRACING)
REUNIFYING = frozenset({REUNIFY_DECISION, REUNIFY_WITH_SUPPORT})

APPROVER_IS_PROPOSER = "approver_is_proposer"
APPROVER_ALREADY_APPROVED = "approver_already_approved"
ALREADY_APPROVED = "already_approved"


def approval_problem(
    *, proposer_id: int, first_approver_id: int | None, second_approver_id: int | None, by: int
) -> str | None:
    """Why `by` may not approve the decision now, or None. Two different people approve, and
    neither is the one who proposed it: the proposal is one person's view, and the decision that
    lets an inquirer learn where a child is must be seen by two more."""
    if second_approver_id is not None:
        return ALREADY_APPROVED
    if by == proposer_id:
        return APPROVER_IS_PROPOSER
    if by == first_approver_id:
        return APPROVER_ALREADY_APPROVED
    return None


def decision_approved(*, first_approver_id: int | None, second_approver_id: int | None) -> bool:
    return first_approver_id is not None and second_approver_id is not None


# ---- reunification (V1) and closure ------------------------------------------------------------

NOT_VERIFIED = "not_verified"
NO_APPROVED_DECISION = "no_approved_decision"
DECISION_NOT_REUNIFY = "decision_not_reunify"


def reunification_problem(
    *, match_verified: bool, decision: str | None, decision_approved: bool
) -> str | None:
    """V1: no reunification without a completed verification of this adult, and (the issue's
    reading of V6) without a best-interests decision to reunify approved by two people."""
    if not match_verified:
        return NOT_VERIFIED
    if decision is None or not decision_approved:
        return NO_APPROVED_DECISION
    if decision not in REUNIFYING:
        return DECISION_NOT_REUNIFY
    return None


NO_STABLE_FOLLOW_UP = "no_stable_follow_up"
REASON_REQUIRED = "reason_required"


def closure_problem(*, status: str, stable_follow_up_done: bool, reason: str) -> str | None:
    """A reunified case closes only once a follow-up visit found the child's situation stable
    (domain.md §4.5: "Reunified → Closed only after follow-up"); any other case that may close
    needs a reason."""
    if next_status(status, CLOSE) is None:
        return "step_not_allowed"
    if status == REUNIFIED:
        return None if stable_follow_up_done else NO_STABLE_FOLLOW_UP
    return None if reason.strip() else REASON_REQUIRED


# ---- the one disclosure rule -------------------------------------------------------------------


def disclosure_complete(*, match_verified: bool, decision: str | None, approved: bool) -> bool:
    """The inquirer's side may learn where the child is, who cares for them and how, only once
    the relationship is verified and a best-interests decision to reunify is approved by two
    people (DOMAIN.md "Tracing")."""
    return match_verified and approved and decision in REUNIFYING


def confidential_visible(
    *, on_child_side: bool, child_team: bool, works_tracing: bool, disclosed: bool
) -> bool:
    """May a reader see the child's current location, caregiver, care arrangement and photo?

    - on the child's own pages, the child's team (assigned worker, the worker's supervisor) may;
    - everything else is the inquirer's side: request pages, candidate pages, e-mails about a
      request, and any other worker on the child's pages. It sees them only once disclosure is
      complete, and then only staff who work tracing records (not a read-only administrator)."""
    if on_child_side and child_team:
        return True
    return disclosed and works_tracing
