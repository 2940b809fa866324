"""Who may see and work family-tracing records. Deny by default; another agency's records are 404.

- Caseworkers and supervisors of the agency work its tracing records: register children, take
  requests, record tracing actions, decide on candidates, interview, propose and approve
  best-interests decisions, record reunifications and follow-ups.
- The agency administrator reads them (every page, no change).
- The child's team (the assigned tracing worker and the supervisor of that worker's unit) sees
  the child's confidential facts (current location, caregiver, care arrangement, photo) on the
  child's pages and edits the registration.
- Everything else is the inquirer's side (request pages, candidate pages, e-mails about a
  request, any other worker on the child's pages): it sees only the identifying facts needed to
  verify, and the confidential ones only once disclosure is complete (rules.confidential_visible,
  rules.disclosure_complete). `selectors.child_view` is the only reader of those fields.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from reunify.accounts.models import Role
from reunify.accounts.permissions import is_staff_member
from reunify.tracing import rules
from reunify.tracing.models import (
    BestInterestsDecision,
    CandidateMatch,
    MatchStatus,
    SeparatedChild,
    TracingRequest,
)

WORKING_ROLES = (Role.CASEWORKER, Role.SUPERVISOR)


def can_view_tracing(user: Any) -> bool:
    return is_staff_member(user)


def can_work_tracing(user: Any) -> bool:
    return is_staff_member(user) and user.role in WORKING_ROLES


def children_visible_to(user: Any) -> QuerySet[SeparatedChild]:
    if not can_view_tracing(user):
        return SeparatedChild.objects.none()
    return SeparatedChild.objects.filter(agency_id=user.agency_id)


def requests_visible_to(user: Any) -> QuerySet[TracingRequest]:
    if not can_view_tracing(user):
        return TracingRequest.objects.none()
    return TracingRequest.objects.filter(agency_id=user.agency_id)


def candidates_visible_to(user: Any) -> QuerySet[CandidateMatch]:
    """Candidates of the agency whose child gave consent for tracing: a child without consent is
    never shown in any candidate list."""
    if not can_view_tracing(user):
        return CandidateMatch.objects.none()
    return CandidateMatch.objects.filter(
        request__agency_id=user.agency_id,
        child__agency_id=user.agency_id,
        child__consent_given=True,
    )


def decisions_visible_to(user: Any) -> QuerySet[BestInterestsDecision]:
    if not can_view_tracing(user):
        return BestInterestsDecision.objects.none()
    return BestInterestsDecision.objects.filter(child__agency_id=user.agency_id)


def _same_agency(user: Any, agency_id: int) -> bool:
    return is_staff_member(user) and user.agency_id == agency_id


def can_view_child(user: Any, child: SeparatedChild) -> bool:
    return _same_agency(user, child.agency_id)


def can_work_child(user: Any, child: SeparatedChild) -> bool:
    return can_work_tracing(user) and user.agency_id == child.agency_id


def can_work_request(user: Any, request: TracingRequest) -> bool:
    return can_work_tracing(user) and user.agency_id == request.agency_id


def is_child_team(user: Any, child: SeparatedChild) -> bool:
    """The child's assigned tracing worker, or the supervisor of that worker's unit."""
    if not can_work_child(user, child):
        return False
    if user.pk == child.worker_id:
        return True
    return (
        user.role == Role.SUPERVISOR
        and user.unit_id is not None
        and (user.unit_id == child.worker.unit_id)
    )


def can_edit_registration(user: Any, child: SeparatedChild) -> bool:
    """The registration form holds the confidential facts: the child's team only."""
    return is_child_team(user, child)


def disclosed(child: SeparatedChild) -> bool:
    """Is verification complete for the child (a verified match and a best-interests decision to
    reunify approved by two people)?"""
    if child.status not in (rules.VERIFIED, rules.REUNIFIED, rules.CLOSED):
        return False  # no verified relationship stands: nothing to look up
    decision = (
        BestInterestsDecision.objects.filter(child=child, second_approver__isnull=False)
        .order_by("-second_approved_at", "-id")
        .values_list("decision", flat=True)
        .first()
    )
    verified = CandidateMatch.objects.filter(child=child, status=MatchStatus.VERIFIED).exists()
    return rules.disclosure_complete(
        match_verified=verified, decision=decision, approved=decision is not None
    )


def can_see_confidential(user: Any, child: SeparatedChild, *, on_child_side: bool) -> bool:
    """The one check behind every display of the child's confidential facts."""
    if not can_view_child(user, child):
        return False
    team = is_child_team(user, child)
    if on_child_side and team:
        return True
    return rules.confidential_visible(
        on_child_side=on_child_side,
        child_team=team,
        works_tracing=can_work_child(user, child),
        disclosed=disclosed(child),
    )


def can_approve_decision(user: Any, decision: BestInterestsDecision) -> bool:
    """Anyone who works the agency's tracing records, but not the proposer nor the first
    approver (rules.approval_problem; the service gives the reason)."""
    return can_work_child(user, decision.child)
