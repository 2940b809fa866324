"""Family-time pages through the test client: the child's page in bounded queries, forms putting
the services' messages by their fields, nothing changed on a refusal."""

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reunify.cases.tests.factories import open_case
from reunify.core.models import AuditEvent
from reunify.family_time import services
from reunify.family_time.models import (
    ChangeStatus,
    FamilyTimePlan,
    FamilyTimeSession,
    Level,
    LevelChange,
    LocationType,
    SessionStatus,
)
from reunify.family_time.tests.factories import episode_of, make_plan, parents_of, visitation_order

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 3, 20, 15, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(NOW, tick=False):
        yield


def child_url(plan):
    return reverse("family_time:child", args=[plan.episode_id])


def add_sessions(plan, count):
    """Test set-up: `count` past sessions, a mix of held, cancelled and no-shows."""
    start = dt.datetime(2026, 3, 1, 23, 0, tzinfo=dt.UTC)
    rows = []
    for i in range(count):
        at = start - dt.timedelta(days=i)
        status = [SessionStatus.HELD, SessionStatus.CANCELLED, SessionStatus.NO_SHOW][i % 3]
        rows.append(
            FamilyTimeSession(
                plan=plan,
                starts_at=at,
                ends_at=at + dt.timedelta(hours=1),
                status=status,
                cancelled_by="parent" if status == SessionStatus.CANCELLED else "",
                cancel_reason="Sick" if status == SessionStatus.CANCELLED else "",
                quality=3 if status == SessionStatus.HELD else None,
                actual_minutes=50 if status == SessionStatus.HELD else None,
            )
        )
    FamilyTimeSession.objects.bulk_create(rows)


def page_queries(client, plan):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(child_url(plan))
    assert response.status_code == 200
    return len(queries)


def test_child_page_queries_do_not_grow_with_sessions(client, caseworker):
    small = make_plan(worker=caseworker)
    large = make_plan(worker=caseworker)
    add_sessions(small, 5)
    add_sessions(large, 50)
    for plan in (small, large):
        services.level_propose(
            actor=caseworker, plan=plan, expected_version=1, to_level="monitored", reason="Good"
        )
    client.force_login(caseworker)
    assert page_queries(client, small) == page_queries(client, large)


def test_child_page_shows_plan_month_and_causes(client, caseworker):
    plan = make_plan(worker=caseworker, location_type=LocationType.RESOURCE_HOME)
    session = plan.sessions.first()  # Wednesday 4 March, 17:00
    services.session_record(
        actor=caseworker,
        session=session,
        expected_version=1,
        status="cancelled",
        cancelled_by="resource_family",
        cancel_reason="Car broke down",
    )
    second = plan.sessions.all()[1]
    services.session_record(
        actor=caseworker, session=second, expected_version=1, status="held", actual_minutes=90
    )
    client.force_login(caseworker)
    body = client.get(child_url(plan)).content.decode()
    assert "Supervised" in body
    assert "Confidential" in body
    assert "1 of 4 planned sessions held" in body  # Wednesdays 4, 11, 18 and 25 March
    assert "1.5 of 4.0 hours" in body
    assert "Cancelled by Resource family: 1" in body
    assert "5 p.m." in body  # local time
    assert "10 p.m." not in body  # not UTC


def test_child_page_without_a_plan_offers_to_create_one(client, caseworker, agency_admin):
    case = open_case(worker=caseworker)
    url = reverse("family_time:child", args=[episode_of(case).pk])
    client.force_login(caseworker)
    assert reverse("family_time:plan-create", args=[episode_of(case).pk]) in (
        client.get(url).content.decode()
    )
    client.force_login(agency_admin)
    body = client.get(url).content.decode()
    assert "No family-time plan yet." in body
    assert "plan/" not in body


def test_create_a_plan_through_the_form(client, caseworker):
    case = open_case(worker=caseworker)
    episode = episode_of(case)
    client.force_login(caseworker)
    response = client.post(
        reverse("family_time:plan-create", args=[episode.pk]),
        {
            "level": "supervised",
            "participants": [p.pk for p in parents_of(case)],
            "weekdays": ["1", "4"],
            "start_time": "17:00",
            "duration_minutes": "90",
            "location_type": "agency_room",
            "effective_from": "2026-03-20",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("family_time:child", args=[episode.pk])
    plan = FamilyTimePlan.objects.get(episode=episode)
    assert plan.weekdays == "1,4"
    assert plan.sessions.count() == 16


def test_plan_form_refuses_level_past_the_court_floor(client, caseworker):
    case = open_case(worker=caseworker)
    order = visitation_order(case, caseworker)
    episode = episode_of(case)
    client.force_login(caseworker)
    response = client.post(
        reverse("family_time:plan-create", args=[episode.pk]),
        {
            "level": "unsupervised_day",
            "weekdays": ["1"],
            "start_time": "17:00",
            "duration_minutes": "60",
            "location_type": "community",
            "effective_from": "2026-03-20",
            "court_floor": "supervised",
            "court_order": str(order.pk),
        },
    )
    assert response.status_code == 400
    assert "Visitation conditions" in response.content.decode()
    assert not FamilyTimePlan.objects.exists()


def test_record_a_cancellation_needs_who_and_why(client, caseworker):
    plan = make_plan(worker=caseworker)
    session = plan.sessions.first()
    url = reverse("family_time:session-record", args=[session.pk])
    client.force_login(caseworker)
    audits = AuditEvent.objects.count()
    response = client.post(url, {"status": "cancelled", "version": "1"})
    assert response.status_code == 400
    assert services.CANCEL_WHO in response.content.decode()
    session.refresh_from_db()
    assert (session.status, session.version) == (SessionStatus.SCHEDULED, 1)
    assert AuditEvent.objects.count() == audits
    response = client.post(
        url,
        {
            "status": "cancelled",
            "cancelled_by": "agency",
            "cancel_reason": "Staff ill",
            "version": "1",
        },
    )
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.status == SessionStatus.CANCELLED


def test_safety_incident_leads_to_an_immediate_restriction(client, caseworker):
    plan = make_plan(worker=caseworker)
    session = plan.sessions.first()
    client.force_login(caseworker)
    response = client.post(
        reverse("family_time:session-record", args=[session.pk]),
        {
            "status": "held",
            "safety_incident": "on",
            "safety_note": "Threatened the resource parent",
            "version": "1",
        },
    )
    restrict = reverse("family_time:level-restrict", args=[plan.pk]) + f"?session={session.pk}"
    assert response["Location"] == restrict
    page = client.get(restrict).content.decode()
    assert 'value="monitored"' not in page  # only more restrictive levels are offered
    response = client.post(
        restrict, {"to_level": "therapeutic_supervised", "reason": "Incident", "version": "1"}
    )
    assert response.status_code == 302
    change = LevelChange.objects.get()
    assert (change.is_restriction, change.session_id) == (True, session.pk)
    plan.refresh_from_db()
    assert plan.level == Level.THERAPEUTIC_SUPERVISED


def test_propose_then_supervisor_approves(client, caseworker, supervisor):
    plan = make_plan(worker=caseworker)
    client.force_login(caseworker)
    response = client.post(
        reverse("family_time:level-propose", args=[plan.pk]),
        {"to_level": "monitored", "reason": "Steady progress", "version": "1"},
    )
    assert response.status_code == 302
    assert client.get(reverse("family_time:level-decide", args=[plan.pk])).status_code == 403
    client.force_login(supervisor)
    decide = reverse("family_time:level-decide", args=[plan.pk])
    assert "Steady progress" in client.get(decide).content.decode()
    response = client.post(decide, {"decision": "approve", "version": "1"})
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.level == Level.MONITORED
    assert LevelChange.objects.get().status == ChangeStatus.APPLIED
    # Nothing left to decide: back to the child's page.
    assert client.get(decide)["Location"] == child_url(plan)


def test_spanish_page_renders(client, caseworker):
    plan = make_plan(worker=caseworker)
    client.force_login(caseworker)
    response = client.get("/es" + child_url(plan).removeprefix("/en"))
    assert response.status_code == 200


@pytest.mark.django_db
def test_family_time_page_records_an_access_event(client, caseworker):
    from reunify.cases.tests.factories import open_case
    from reunify.core.models import AuditEvent

    episode = open_case(worker=caseworker).episodes.get()
    client.force_login(caseworker)
    response = client.get(reverse("family_time:child", args=[episode.pk]))
    assert response.status_code == 200
    assert (
        AuditEvent.objects.filter(
            action="family_time.viewed", object_id=episode.pk, actor=caseworker
        ).count()
        == 1
    )
