"""The birth-parent and youth pages: what they show, what they never show, and the policy that
guards each of them from the very next request after a change of standing (issue 7; AZ-4, AZ-6)."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from reunify.cases.models import FamilyCase, ParticipantRole
from reunify.cases.tests.factories import open_case
from reunify.court import services as court_services
from reunify.family_time import services as family_time_services
from reunify.family_time.models import FamilyTimeSession, LocationType
from reunify.portal import access, parent_selectors, parent_services
from reunify.portal.models import Kind, PortalFeedToken, SessionAnswer
from reunify.portal.tests.factories import family_account, otp_client
from reunify.portal.tests.parent_world import (
    CANARIES,
    CONDITION,
    GOAL,
    NOW,
    SERVICE,
    TODAY,
    build,
)
from reunify.reminders.models import Reminder

pytestmark = pytest.mark.django_db

CASE_PAGES = {
    "portal:road-home": access.ROAD_HOME,
    "portal:family-time": access.FAMILY_TIME,
    "portal:court-dates": access.COURT_DATES,
    "portal:tasks": access.TASKS,
    "portal:case-plan": access.CASE_PLAN,
    "portal:documents": access.DOCUMENTS,
}


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def world(caseworker):
    return build(caseworker)


def _no_canary(body: str) -> None:
    for name, canary in CANARIES.items():
        assert canary not in body, name


def _order(world, caseworker, kind: str, **extra) -> None:
    court_services.order_record(
        actor=caseworker,
        case=world.case,
        kind=kind,
        issued_on=TODAY,
        text="Order.",
        parent=world.parent,
        **extra,
    )


def test_every_page_renders_for_the_parent_and_shows_no_canary(world):
    # given a signed-in parent
    client = otp_client(world.user)
    # when every page of the case is opened, then it renders and no protected string appears
    for name in CASE_PAGES:
        response = client.get(reverse(name, args=[world.case.pk]))
        assert response.status_code == 200, name
        _no_canary(response.content.decode())
    home = client.get(reverse("portal:home")).content.decode()
    assert reverse("portal:road-home", args=[world.case.pk]) in home
    _no_canary(home)


def test_the_road_home_in_plain_words(world):
    body = otp_client(world.user).get(reverse("portal:road-home", args=[world.case.pk]))
    text = body.content.decode()
    assert CONDITION in text
    assert GOAL in text
    assert "Some change, not yet steady" in text
    assert "Go to the parenting class every Tuesday" in text  # a task due
    assert "Arranged by the agency" in text  # the next family time's place
    assert "Review hearing" in text


def test_the_road_home_in_spanish(world):
    client = otp_client(world.user)
    response = client.get("/es" + reverse("portal:road-home", args=[world.case.pk]))
    assert response.status_code == 200
    assert response.headers["Content-Language"] == "es"


def test_family_time_hides_a_confidential_place_and_the_session_note(world):
    body = otp_client(world.user).get(reverse("portal:family-time", args=[world.case.pk]))
    text = body.content.decode()
    assert "Arranged by the agency" in text
    assert "Child0" in text
    _no_canary(text)


def test_a_resource_family_home_is_never_named(world):
    plan = world.family_time
    plan.location_type = LocationType.RESOURCE_HOME
    plan.location_confidential = False
    plan.address = "Zqresourcehome"
    assert parent_selectors.place(plan) == "Arranged by the agency"
    plan.location_type = LocationType.PARENT_HOME
    plan.address = "Zqotherparenthome"
    assert "Zqotherparenthome" not in parent_selectors.place(plan)
    plan.location_type = LocationType.AGENCY_ROOM
    plan.address = "Room 4"
    assert parent_selectors.place(plan).endswith("Room 4")


def test_the_parent_confirms_or_cannot_come_and_the_reminder_answer_follows(world):
    client = otp_client(world.user)
    session = FamilyTimeSession.objects.filter(plan=world.family_time, starts_at__gt=NOW).earliest(
        "starts_at"
    )
    url = reverse("portal:session-answer", args=[world.case.pk, session.pk])
    # when the parent says they cannot come
    response = client.post(url, {"answer": "cannot_come", "note": "I have to work"})
    # then the answer is kept and shown
    assert response.status_code == 302
    answer = SessionAnswer.objects.get()
    assert (answer.answer, answer.note) == ("cannot_come", "I have to work")
    assert parent_selectors.answers_for_sessions([session.pk])[session.pk] == [answer]
    page = client.get(reverse("portal:family-time", args=[world.case.pk])).content.decode()
    assert "You said you cannot come" in page
    # and they may change it
    client.post(url, {"answer": "confirmed"})
    assert SessionAnswer.objects.get().answer == "confirmed"
    # a bad answer changes nothing
    assert client.post(url, {"answer": "maybe"}).status_code == 400
    assert SessionAnswer.objects.get().answer == "confirmed"


def test_an_answer_in_the_portal_answers_the_reminder_already_sent(world, caseworker):
    from reunify.reminders import services as reminder_services

    episode = world.family_time.episode
    reminder_services.subscription_add(
        actor=caseworker,
        episode=episode,
        channel="email",
        destination="rosa@example.org",
        language="en",
        consent=True,
        person=world.parent,
    )
    later = NOW + dt.timedelta(days=2)
    with time_machine.travel(later, tick=False):
        reminder_services.reminders_plan(now=later)
        reminder_services.reminders_send_due(now=later)
        reminder = Reminder.objects.filter(status="sent").select_related("session").first()
        assert reminder is not None
        parent_services.session_answer(
            actor=world.user,
            account=world.user.portal_account,
            session=reminder.session,
            answer="confirmed",
        )
    reminder.refresh_from_db()
    assert reminder.response == "confirmed"


def test_an_answer_after_the_session_started_is_refused(world):
    session = FamilyTimeSession.objects.filter(plan=world.family_time).earliest("starts_at")
    started = session.starts_at + dt.timedelta(minutes=1)
    with time_machine.travel(started, tick=False), pytest.raises(ValidationError):
        parent_services.session_answer(
            actor=world.user, account=world.user.portal_account, session=session, answer="confirmed"
        )
    assert not SessionAnswer.objects.exists()


def test_court_dates_without_the_notes(world):
    text = otp_client(world.user).get(reverse("portal:court-dates", args=[world.case.pk]))
    body = text.content.decode()
    assert "Review hearing" in body
    assert CANARIES["hearing_notes"] not in body


def test_tasks_and_services_with_the_directory_details(world):
    body = otp_client(world.user).get(reverse("portal:tasks", args=[world.case.pk]))
    text = body.content.decode()
    assert SERVICE in text
    assert "253-555-0199" in text  # the directory's phone
    assert "Main St" in text  # the directory's address
    assert "Go to the parenting class every Tuesday" in text


@pytest.mark.parametrize("name", list(CASE_PAGES))
def test_another_familys_case_is_404(world, caseworker, name):
    other = open_case(worker=caseworker, name="Okafor", today=TODAY)
    client = otp_client(world.user)
    assert client.get(reverse(name, args=[other.pk])).status_code == 404


@pytest.mark.parametrize(
    ("event", "still_open"),
    [
        ("tpr", set()),
        ("no_contact", set(CASE_PAGES) - {"portal:family-time"}),
        ("closed", {"portal:case-plan"}),
    ],
)
def test_a_change_of_standing_guards_every_page_from_the_next_request(
    world, caseworker, event, still_open
):
    client = otp_client(world.user)
    # when the standing changes
    if event == "closed":
        FamilyCase.objects.filter(pk=world.case.pk).update(status="closed", closed_on=TODAY)
    else:
        _order(world, caseworker, event)
    # then the very next request to each page follows access.py
    for name in CASE_PAGES:
        expected = 200 if name in still_open else 404
        response = client.get(reverse(name, args=[world.case.pk]))
        assert response.status_code == expected, (event, name)
        _no_canary(response.content.decode())
    session = FamilyTimeSession.objects.filter(plan=world.family_time, starts_at__gt=NOW).first()
    answer = client.post(
        reverse("portal:session-answer", args=[world.case.pk, session.pk]), {"answer": "confirmed"}
    )
    assert answer.status_code == 404
    assert not SessionAnswer.objects.exists()


def test_tpr_for_one_child_hides_only_that_childs_family_time(caseworker):
    case = open_case(worker=caseworker, children=2, today=TODAY)
    parent = case.participants.get(role=ParticipantRole.PARENT).person
    kids = [p.person for p in case.participants.filter(role=ParticipantRole.CHILD)]
    for episode in case.episodes.all():
        family_time_services.plan_create(
            actor=caseworker,
            episode=episode,
            level="supervised",
            weekdays=[2],
            start_time=dt.time(17, 0),
            duration_minutes=60,
            location_type=LocationType.AGENCY_ROOM,
            effective_from=TODAY,
            participants=[parent],
            today=TODAY,
        )
    user = family_account(worker=caseworker, case=case)
    court_services.order_record(
        actor=caseworker,
        case=case,
        kind="tpr",
        issued_on=TODAY,
        text="Order.",
        parent=parent,
        child=kids[0],
    )
    lines = parent_selectors.sessions_for(user=user, account=user.portal_account, case=case)
    assert lines
    assert {line.child for line in lines} == {kids[1].first_name}


def test_a_youth_sees_their_own_road_home_and_not_the_parents_pages(caseworker):
    case = open_case(worker=caseworker, today=TODAY)
    child = case.participants.get(role=ParticipantRole.CHILD).person
    child.date_of_birth = dt.date(2011, 1, 1)  # 15
    child.save(update_fields=["date_of_birth"])
    user = family_account(
        worker=caseworker, case=case, kind=Kind.YOUTH, person=child, username="youth"
    )
    client = otp_client(user)
    for name in ("portal:road-home", "portal:family-time", "portal:court-dates"):
        assert client.get(reverse(name, args=[case.pk])).status_code == 200, name
    for name in ("portal:tasks", "portal:case-plan", "portal:documents"):
        assert client.get(reverse(name, args=[case.pk])).status_code == 404, name


def test_a_staff_member_cannot_open_the_parent_pages(world, caseworker):
    client = Client()
    client.force_login(caseworker)
    assert client.get(reverse("portal:road-home", args=[world.case.pk])).status_code == 404


# ---- the calendar feed -----------------------------------------------------------------------


def test_the_calendar_feed_has_family_time_and_court_dates_and_no_confidential_place(world):
    client = otp_client(world.user)
    assert client.post(reverse("portal:calendar")).status_code == 302
    token = PortalFeedToken.objects.get()
    page = client.get(reverse("portal:calendar")).content.decode()
    assert token.token in page
    feed = Client().get(reverse("portal:calendar-feed", args=[token.token]))
    assert feed.status_code == 200
    body = feed.content.decode()
    assert "BEGIN:VCALENDAR" in body
    assert "Family time: Child0 M." in body
    assert "LOCATION:Arranged by the agency" in body
    assert "Review hearing" in body
    _no_canary(body)


def test_the_feed_follows_the_standing_and_stops_when_revoked(world, caseworker):
    token = parent_services.feed_create(actor=world.user, account=world.user.portal_account)
    url = reverse("portal:calendar-feed", args=[token.token])
    _order(world, caseworker, "no_contact")
    body = Client().get(url).content.decode()
    assert "SUMMARY:Family time" not in body
    assert "Review hearing" in body
    client = otp_client(world.user)
    client.post(reverse("portal:calendar-revoke", args=[token.pk]))
    assert Client().get(url).status_code == 404
    assert Client().get(reverse("portal:calendar-feed", args=["nope"])).status_code == 404


# ---- the case plan PDF -----------------------------------------------------------------------


def test_the_case_plan_pdf_is_served_only_through_the_policy(world, caseworker):
    client = otp_client(world.user)
    url = reverse("portal:case-plan-pdf", args=[world.case.pk])
    response = client.get(url + "?lang=es")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    if shutil.which("pdftotext"):
        text = subprocess.run(  # noqa: S603
            [shutil.which("pdftotext"), "-", "-"],
            input=response.content,
            check=True,
            capture_output=True,
        ).stdout.decode()
        assert GOAL in text
        _no_canary(text)
    assert Client().get(url).status_code == 302  # anonymous: to the sign-in page
    _order(world, caseworker, "tpr")
    assert client.get(url).status_code == 404
