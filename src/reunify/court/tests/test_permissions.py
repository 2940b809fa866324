"""The court policy follows the case policy: visible with the case, recorded by whoever may edit
the case, read only for the agency administrator, invisible to other agencies."""

import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser
from django.template import Context, Template

from reunify.cases.tests.factories import open_case
from reunify.court import permissions, services
from reunify.court.models import HearingKind

pytestmark = pytest.mark.django_db


@pytest.fixture
def hearings(caseworker, other_caseworker, other_supervisor):
    def hearing(worker):
        case = open_case(worker=worker)
        return services.hearing_schedule(
            actor=worker, case=case, kind=HearingKind.REVIEW, scheduled_for=dt.date(2026, 3, 2)
        )

    return {
        "mine": hearing(caseworker),
        "colleague": hearing(other_caseworker),
        "other_unit": hearing(other_supervisor),
    }


def visible(user, hearings):
    names = {h.pk: name for name, h in hearings.items()}
    return {names[pk] for pk in permissions.hearings_visible_to(user).values_list("pk", flat=True)}


def test_hearings_are_visible_with_their_cases(
    caseworker, supervisor, agency_admin, foreign_admin, hearings
):
    assert visible(caseworker, hearings) == {"mine"}
    assert visible(supervisor, hearings) == {"mine", "colleague"}
    assert visible(agency_admin, hearings) == {"mine", "colleague", "other_unit"}
    assert visible(foreign_admin, hearings) == set()
    assert visible(AnonymousUser(), hearings) == set()
    caseworker.is_active = False
    assert visible(caseworker, hearings) == set()


def test_court_records_are_edited_by_whoever_edits_the_case(
    caseworker,
    other_caseworker,
    supervisor,
    other_supervisor,
    agency_admin,
    foreign_admin,
    hearings,
):
    mine = hearings["mine"]
    assert permissions.can_edit_hearing(caseworker, mine)
    assert permissions.can_edit_hearing(supervisor, mine)
    assert not permissions.can_edit_hearing(other_caseworker, mine)
    assert not permissions.can_edit_hearing(other_supervisor, mine)
    assert not permissions.can_edit_hearing(agency_admin, mine)  # read only
    assert not permissions.can_edit_hearing(foreign_admin, mine)
    assert permissions.can_view_court(agency_admin, mine.case)
    assert not permissions.can_view_court(foreign_admin, mine.case)


def _panel(case, user):
    template = Template("{% load court_tags %}{% court_panel case user %}")
    return template.render(Context({"case": case, "user": user}))


def test_the_case_page_panel_shows_nothing_to_who_may_not_see_the_case(
    caseworker, other_caseworker, agency_admin, hearings
):
    case = hearings["mine"].case
    assert "Review hearing" in _panel(case, caseworker)
    assert "Schedule a hearing" in _panel(case, caseworker)
    admin_view = _panel(case, agency_admin)
    assert "Review hearing" in admin_view
    assert "Schedule a hearing" not in admin_view
    assert _panel(case, other_caseworker).strip() == ""
