"""The portal's pure access rules (portal/access.py): each rule with the case that breaks it."""

from __future__ import annotations

import pytest

from reunify.portal import access
from reunify.portal.access import ParentStanding, Rules

DEFAULT = Rules()


def test_a_parent_in_an_open_case_sees_every_section():
    assert access.parent_sections(ParentStanding(case_open=True), DEFAULT) == access.PARENT_ALL


def test_a_no_contact_order_hides_the_schedule_and_journal_but_not_messages():
    seen = access.parent_sections(ParentStanding(case_open=True, no_contact_order=True), DEFAULT)
    assert access.FAMILY_TIME not in seen
    assert access.JOURNAL not in seen
    assert {access.MESSAGES, access.ROAD_HOME, access.COURT_DATES} <= seen


@pytest.mark.parametrize(("court_dates", "expected"), [(False, set()), (True, {"court_dates"})])
def test_after_termination_only_what_the_profile_allows(court_dates, expected):
    rules = Rules(after_tpr_court_dates=court_dates)
    standing = ParentStanding(case_open=True, parental_rights_terminated=True)
    assert access.parent_sections(standing, rules) == expected


@pytest.mark.parametrize(("keep_plan", "expected"), [(True, {"case_plan"}), (False, set())])
def test_a_closed_case_keeps_only_what_the_profile_allows(keep_plan, expected):
    rules = Rules(after_closure_case_plan=keep_plan)
    assert access.parent_sections(ParentStanding(case_open=False), rules) == expected


def test_a_resource_parent_sees_a_child_only_while_placed_with_them():
    assert access.resource_sections(placed_now=True, case_open=True) == access.RESOURCE_ALL
    assert access.resource_sections(placed_now=False, case_open=True) == frozenset()
    assert access.resource_sections(placed_now=True, case_open=False) == frozenset()


@pytest.mark.parametrize(
    ("age", "open_", "sees"),
    [(14, True, True), (13, True, False), (None, True, False), (16, False, False)],
)
def test_a_youth_sees_their_own_case_from_14_while_it_is_open(age, open_, sees):
    assert bool(access.youth_sections(age=age, case_open=open_)) is sees


@pytest.mark.parametrize(
    ("matched", "on_file", "current", "sees"),
    [
        (True, True, True, True),
        (False, True, True, False),
        (True, False, True, False),
        (True, True, False, False),
    ],
)
def test_a_partner_needs_a_match_and_current_consent(matched, on_file, current, sees):
    allowed = access.partner_sections(
        matched=matched, consent_on_file=on_file, consent_current=current
    )
    assert bool(allowed) is sees
