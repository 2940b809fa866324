"""The tracing rules (pure): the case's states, candidates, verification guards, the two-person
decision, closure after follow-up, the consent gate and the disclosure rule."""

from __future__ import annotations

import pytest

from reunify.tracing import rules
from reunify.tracing.rules import InterviewFacts


@pytest.mark.parametrize(
    ("status", "step", "expected"),
    [
        ("open", "start_tracing", "tracing"),
        ("tracing", "verify", "verified"),
        ("verified", "reunify", "reunified"),
        ("reunified", "close", "closed"),
        ("tracing", "alternative_care", "alternative_care"),
        ("verified", "alternative_care", "alternative_care"),
        ("verified", "start_tracing", "tracing"),
        ("alternative_care", "start_tracing", "tracing"),
        ("alternative_care", "close", "closed"),
        ("open", "verify", None),
        ("open", "reunify", None),
        ("tracing", "reunify", None),
        ("reunified", "alternative_care", None),
        ("verified", "close", None),
        ("closed", "start_tracing", None),
        ("closed", "close", None),
    ],
)
def test_child_status_machine(status, step, expected):
    assert rules.next_status(status, step) == expected


def test_allowed_steps_from_open():
    assert rules.allowed_steps("open") == ("start_tracing", "alternative_care", "close")


@pytest.mark.parametrize(
    ("consent", "status", "expected"),
    [
        (True, "open", True),
        (True, "verified", True),
        (False, "open", False),
        (True, "closed", False),
    ],
)
def test_consent_gate(consent, status, expected):
    assert rules.matchable(consent_given=consent, status=status) is expected


@pytest.mark.parametrize(
    ("status", "step", "expected"),
    [
        ("proposed", "confirm", "confirmed"),
        ("proposed", "reject", "rejected"),
        ("confirmed", "reject", "rejected"),
        ("confirmed", "verify", "verified"),
        ("proposed", "verify", None),
        ("rejected", "confirm", None),
        ("verified", "reject", None),
    ],
)
def test_candidate_steps(status, step, expected):
    assert rules.next_match_status(status, step) == expected


@pytest.mark.parametrize(
    ("status", "expected"),
    [(None, True), ("proposed", True), ("rejected", False), ("confirmed", False)],
)
def test_rejected_pair_never_proposed_again(status, expected):
    assert rules.may_propose(status) is expected


CHILD_OK = InterviewFacts("child", consistent=True, recognises="yes", wishes="yes")
ADULT_OK = InterviewFacts("adult", consistent=True, willing=True, able=True, corroborated=True)


@pytest.mark.parametrize(
    ("interviews", "gaps"),
    [
        ([CHILD_OK, ADULT_OK], ()),
        ([], ("no_child_interview", "no_adult_interview", "no_corroboration")),
        ([ADULT_OK], ("no_child_interview",)),
        ([CHILD_OK], ("no_adult_interview", "no_corroboration")),
        (
            [CHILD_OK, InterviewFacts("adult", consistent=False, willing=True, able=True)],
            ("accounts_inconsistent", "no_corroboration"),
        ),
        (
            [InterviewFacts("child", consistent=True, recognises="unsure", wishes="yes"), ADULT_OK],
            ("child_does_not_recognise",),
        ),
        # The latest account counts: an inconsistent first interview, consistent second.
        (
            [
                InterviewFacts("child", consistent=False, recognises="no", wishes="no"),
                CHILD_OK,
                ADULT_OK,
            ],
            (),
        ),
    ],
)
def test_verification_gaps(interviews, gaps):
    assert rules.verification_gaps(interviews) == gaps


@pytest.mark.parametrize(
    ("first", "second", "by", "problem"),
    [
        (None, None, 2, None),
        (None, None, 1, "approver_is_proposer"),
        (2, None, 2, "approver_already_approved"),
        (2, None, 1, "approver_is_proposer"),
        (2, None, 3, None),
        (2, 3, 4, "already_approved"),
    ],
)
def test_two_different_people_approve_neither_the_proposer(first, second, by, problem):
    assert (
        rules.approval_problem(
            proposer_id=1, first_approver_id=first, second_approver_id=second, by=by
        )
        == problem
    )


def test_decision_approved_needs_both():
    assert not rules.decision_approved(first_approver_id=2, second_approver_id=None)
    assert rules.decision_approved(first_approver_id=2, second_approver_id=3)


@pytest.mark.parametrize(
    ("verified", "decision", "approved", "problem"),
    [
        (True, "reunify", True, None),
        (True, "reunify_with_support", True, None),
        (False, "reunify", True, "not_verified"),
        (True, None, False, "no_approved_decision"),
        (True, "reunify", False, "no_approved_decision"),
        (True, "alternative_care", True, "decision_not_reunify"),
    ],
)
def test_reunification_guard(verified, decision, approved, problem):
    assert (
        rules.reunification_problem(
            match_verified=verified, decision=decision, decision_approved=approved
        )
        == problem
    )


@pytest.mark.parametrize(
    ("status", "stable", "reason", "problem"),
    [
        ("reunified", False, "done", "no_stable_follow_up"),
        ("reunified", True, "", None),
        ("alternative_care", False, "", "reason_required"),
        ("alternative_care", False, "Durable solution: long-term foster care", None),
        ("verified", True, "x", "step_not_allowed"),
    ],
)
def test_closure_needs_a_stable_follow_up(status, stable, reason, problem):
    assert (
        rules.closure_problem(status=status, stable_follow_up_done=stable, reason=reason) == problem
    )


@pytest.mark.parametrize(
    ("verified", "decision", "approved", "expected"),
    [
        (True, "reunify", True, True),
        (True, "reunify_with_support", True, True),
        (True, "reunify", False, False),
        (False, "reunify", True, False),
        (True, "alternative_care", True, False),
        (True, None, False, False),
    ],
)
def test_disclosure_complete(verified, decision, approved, expected):
    assert (
        rules.disclosure_complete(match_verified=verified, decision=decision, approved=approved)
        is expected
    )


@pytest.mark.parametrize(
    ("child_side", "team", "works", "disclosed", "expected"),
    [
        (True, True, True, False, True),  # the child's worker on the child's page
        (False, True, True, False, False),  # the same worker on a request page, before
        (True, False, True, False, False),  # another worker on the child's page
        (False, False, True, False, False),  # the request's worker
        (False, False, True, True, True),  # ... after disclosure
        (False, False, False, True, False),  # a read-only administrator, even after
    ],
)
def test_confidential_visible(child_side, team, works, disclosed, expected):
    assert (
        rules.confidential_visible(
            on_child_side=child_side, child_team=team, works_tracing=works, disclosed=disclosed
        )
        is expected
    )
