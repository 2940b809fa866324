"""Road-home pages: refusals are shown on the form with nothing changed; the closure checklist
shows passing and failing items; the case page links to the road home."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from reunify.cases import road_home as rules
from reunify.cases.tests.factories import open_case
from reunify.road_home.models import ClosureRequest, ThvStatus, TrialHomeVisit
from reunify.road_home.tests.factories import (
    START,
    aftercare,
    episode_of,
    prepared_thv,
    reunified,
)

NOW = dt.datetime(2026, 11, 1, 18, 0, tzinfo=dt.UTC)
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def case(caseworker):
    return open_case(worker=caseworker)


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_case_page_links_to_the_road_home(caseworker, case):
    body = _client(caseworker).get(reverse("cases:case-detail", args=[case.pk])).content.decode()
    assert reverse("road_home:case", args=[case.pk]) in body
    assert reverse("road_home:closure", args=[case.pk]) in body


def test_preparing_a_visit_leads_to_its_page_listing_what_is_missing(caseworker, case):
    episode = episode_of(case)
    response = _client(caseworker).post(
        reverse("road_home:thv-new", args=[episode.pk]),
        {"returning_to": "Rosa (mother)", "planned_start": "2026-11-15"},
    )
    thv = TrialHomeVisit.objects.get(episode=episode)
    assert response.status_code == 302
    assert response["Location"] == reverse("road_home:thv", args=[thv.pk])
    page = _client(caseworker).get(response["Location"]).content.decode()
    assert rules.NO_RECOMMENDATION in page
    assert rules.NO_TRANSITION_SESSIONS in page


def test_a_refused_start_shows_each_problem_and_changes_nothing(caseworker, case):
    thv = prepared_thv(worker=caseworker, case=case, visit=False, conditions_met=False)
    response = _client(caseworker).post(
        reverse("road_home:thv-start", args=[thv.pk]),
        {"started_on": START.isoformat(), "version": thv.version},
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert rules.NO_RECOMMENDATION in body
    assert rules.NO_TRANSITION_SESSIONS in body
    thv.refresh_from_db()
    assert thv.status == ThvStatus.PLANNED
    assert episode_of(case).placements.count() == 1


def test_a_ready_visit_starts_from_its_page(caseworker, case):
    thv = prepared_thv(worker=caseworker, case=case)
    response = _client(caseworker).post(
        reverse("road_home:thv-start", args=[thv.pk]),
        {"started_on": START.isoformat(), "version": thv.version},
    )
    assert response.status_code == 302
    thv.refresh_from_db()
    assert thv.status == ThvStatus.ACTIVE
    page = _client(caseworker).get(reverse("road_home:thv", args=[thv.pk])).content.decode()
    assert "April 1, 2027" in page  # the six-month limit


def test_the_closure_page_shows_passing_and_failing_items(caseworker, case):
    body = _client(caseworker).get(reverse("road_home:closure", args=[case.pk])).content.decode()
    assert rules.SAFETY_MISSING in body  # failing
    assert rules.SAFETY_PLAN_OK in body  # passing
    assert rules.COURT_NOT_INVOLVED in body


def test_asking_to_close_too_early_is_refused_on_the_page(caseworker, case):
    response = _client(caseworker).post(
        reverse("road_home:closure", args=[case.pk]), {"version": case.version}
    )
    assert response.status_code == 400
    assert rules.RISK_MISSING in response.content.decode()
    assert not ClosureRequest.objects.exists()


def test_the_aftercare_page_shows_overdue_contacts_and_the_service_window(caseworker, case):
    reunified(worker=caseworker, case=case, on=dt.date(2026, 10, 1))
    plan = aftercare(worker=caseworker, case=case)
    body = _client(caseworker).get(reverse("road_home:aftercare", args=[plan.pk])).content.decode()
    assert "4 overdue" in body  # Oct 8, 15, 22, 29
    assert "Jan. 1, 2028" in body  # 15 months after the return home


def test_the_supervisor_decides_from_the_decision_page(caseworker, supervisor, case):
    request = ClosureRequest.objects.create(
        case=case, requested_by=caseworker, requested_at=NOW, checklist=[]
    )
    response = _client(supervisor).post(
        reverse("road_home:closure-decide", args=[request.pk]),
        {"decision": "return", "reason": "Wait for the dismissal hearing"},
    )
    assert response.status_code == 302, response.context["form"].errors
    request.refresh_from_db()
    assert (request.status, request.return_reason) == ("returned", "Wait for the dismissal hearing")
