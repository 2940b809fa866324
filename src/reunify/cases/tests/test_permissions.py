"""The case policy: who sees which cases. Lists, search and detail all go through it."""

import pytest

from reunify.cases import permissions
from reunify.cases.tests.factories import open_case
from reunify.people import permissions as people_permissions

pytestmark = pytest.mark.django_db


@pytest.fixture
def cases(caseworker, other_caseworker, other_supervisor):
    return {
        "mine": open_case(worker=caseworker),
        "colleague": open_case(worker=other_caseworker),
        "other_unit": open_case(worker=other_supervisor),
    }


def visible(user):
    return set(permissions.cases_visible_to(user).values_list("name", flat=True))


def test_caseworker_sees_only_assigned_cases(caseworker, cases):
    assert visible(caseworker) == {cases["mine"].name}


def test_supervisor_sees_the_units_cases(supervisor, cases):
    assert visible(supervisor) == {cases["mine"].name, cases["colleague"].name}


def test_admin_sees_the_agency_and_no_other(agency_admin, foreign_admin, cases):
    assert visible(agency_admin) == {c.name for c in cases.values()}
    assert visible(foreign_admin) == set()


def test_anonymous_and_inactive_see_nothing(caseworker, cases):
    from django.contrib.auth.models import AnonymousUser

    assert visible(AnonymousUser()) == set()
    caseworker.is_active = False
    assert visible(caseworker) == set()


def test_edit_and_reassign_rights(
    caseworker, other_caseworker, supervisor, other_supervisor, agency_admin, cases
):
    mine = cases["mine"]
    assert permissions.can_edit_case(caseworker, mine)
    assert not permissions.can_edit_case(other_caseworker, mine)
    assert permissions.can_edit_case(supervisor, mine)
    assert not permissions.can_edit_case(other_supervisor, mine)
    assert not permissions.can_edit_case(agency_admin, mine)
    assert permissions.can_reassign_case(supervisor, mine)
    assert not permissions.can_reassign_case(caseworker, mine)
    assert not permissions.can_reassign_case(agency_admin, mine)


def test_people_follow_their_cases(caseworker, other_caseworker, cases):
    child = cases["mine"].participants.get(role="child").person
    assert people_permissions.can_view_person(caseworker, child)
    assert people_permissions.can_edit_person(caseworker, child)
    assert not people_permissions.can_view_person(other_caseworker, child)
    assert not people_permissions.can_edit_person(other_caseworker, child)
