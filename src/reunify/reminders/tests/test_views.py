"""The worker's reminders page and the recipient's answer page."""

import datetime as dt

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import translation

from reunify.core.models import AuditEvent
from reunify.family_time import services as family_time_services
from reunify.family_time.models import LocationType
from reunify.reminders import services
from reunify.reminders.models import Reminder, Status, Subscription
from reunify.reminders.tests.factories import FIRST_SESSION, NOW, first_session, plan_for, subscribe

pytestmark = pytest.mark.django_db
HOUR = dt.timedelta(hours=1)


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(NOW + HOUR, tick=False):
        yield


def _page(plan):
    return reverse("reminders:episode", args=[plan.episode_id])


# ---- the worker's page -----------------------------------------------------------------------


def test_the_worker_sees_recipients_reminders_and_answers(client, caseworker):
    plan = plan_for(caseworker)
    subscribe(caseworker, plan, language="es")
    services.reminders_send_due(now=NOW)
    reminder = Reminder.objects.get()
    services.reminder_respond(reminder=reminder, response="cannot_come", note="Bus strike")
    client.force_login(caseworker)

    response = client.get(_page(plan))

    html = response.content.decode()
    assert response.status_code == 200
    assert "+13145550123" in html
    assert "Cannot come" in html
    assert "Bus strike" in html
    assert "Record consent" in html
    assert AuditEvent.objects.filter(
        action="reminders.viewed", actor=caseworker, kind=AuditEvent.Kind.ACCESS
    ).exists()


def test_the_worker_records_consent(client, caseworker):
    plan = plan_for(caseworker)
    parent = plan.participants.get()
    client.force_login(caseworker)
    data = {
        "recipient": f"person:{parent.pk}",
        "channel": "sms",
        "destination": "314 555 0199",
        "language": "es",
        "consent": "on",
    }

    response = client.post(_page(plan), data)

    assert response.status_code == 302
    sub = Subscription.objects.get()
    assert (sub.person, sub.destination, sub.language) == (parent, "+13145550199", "es")


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"destination": "555"}, "Enter a mobile number with its country code"),
        ({"consent": ""}, "Reminders go only to people who agreed to receive them"),
        ({"recipient": "person:999999"}, "Select a valid choice"),
    ],
)
def test_bad_consent_shows_why_and_saves_nothing(client, caseworker, change, expected):
    plan = plan_for(caseworker)
    parent = plan.participants.get()
    client.force_login(caseworker)
    data = {
        "recipient": f"person:{parent.pk}",
        "channel": "sms",
        "destination": "+13145550199",
        "language": "en",
        "consent": "on",
        **change,
    }

    response = client.post(_page(plan), data)

    assert response.status_code == 400
    assert expected in response.content.decode()
    assert not Subscription.objects.exists()


def test_the_agency_admin_reads_but_does_not_change(client, caseworker, agency_admin):
    plan = plan_for(caseworker)
    sub = subscribe(caseworker, plan)
    client.force_login(agency_admin)

    page = client.get(_page(plan)).content.decode()
    refused = client.post(
        reverse("reminders:subscription-stop", args=[plan.episode_id]), {"subscription": sub.pk}
    )

    assert "+13145550123" in page
    assert "Record consent" not in page
    assert "Stop reminders" not in page
    assert refused.status_code == 403
    sub.refresh_from_db()
    assert sub.active


def test_the_worker_stops_reminders_of_this_child_only(client, caseworker):
    plan = plan_for(caseworker)
    other = plan_for(caseworker)
    sub = subscribe(caseworker, plan)
    foreign = subscribe(caseworker, other)
    client.force_login(caseworker)
    stop = reverse("reminders:subscription-stop", args=[plan.episode_id])

    assert client.post(stop, {"subscription": foreign.pk}).status_code == 404
    assert client.post(stop, {"subscription": sub.pk}).status_code == 302
    again = client.post(stop, {"subscription": sub.pk}, follow=True)

    assert "These reminders were already stopped." in again.content.decode()
    assert list(Subscription.objects.filter(active=True)) == [foreign]


# ---- the answer page -------------------------------------------------------------------------


def _sent(caseworker, **extra):
    plan = plan_for(
        caseworker,
        location_type=LocationType.RESOURCE_HOME,
        address="12 Hidden Street",
        **extra.pop("plan", {}),
    )
    subscribe(caseworker, plan, **extra)
    services.reminders_send_due(now=NOW)
    return Reminder.objects.select_related("session__plan__episode__child").get()


def _respond_url(reminder, language=""):
    with translation.override("en"):  # a request to /es/ leaves Spanish active in the thread
        path = reverse("reminders:respond", args=[reminder.token])
    return f"/{language}{path}" if language else path


def test_a_recipient_answers_without_signing_in(caseworker):
    reminder = _sent(caseworker)
    child = reminder.session.plan.episode.child
    client = Client()

    page = client.get(_respond_url(reminder))
    html = page.content.decode()
    answered = client.post(_respond_url(reminder), {"response": "confirmed", "note": "See you"})

    assert page.status_code == 200
    assert f"Family time with {child.first_name}" in html
    assert child.last_name not in html
    assert "Arranged by the agency" in html
    assert "Hidden" not in html
    assert "Wednesday, March 4, 2026" in html
    assert "I'll be there" in html
    assert page["Cache-Control"] == "private, no-store"
    assert answered.status_code == 200
    assert "We recorded that you will be there." in answered.content.decode()
    reminder.refresh_from_db()
    assert (reminder.response, reminder.response_note) == ("confirmed", "See you")


def test_the_page_speaks_the_reminders_language_unless_the_address_says_otherwise(caseworker):
    reminder = _sent(caseworker, language="es")
    client = Client()

    spanish = client.get(_respond_url(reminder)).content.decode()
    also_spanish = client.get(_respond_url(reminder, "es")).content.decode()
    client.cookies["django_language"] = "en"
    chosen_english = client.get(_respond_url(reminder)).content.decode()

    assert "Lo coordina la agencia" in spanish
    assert '<html lang="es">' in spanish
    assert "Lo coordina la agencia" in also_spanish
    assert "Arranged by the agency" in chosen_english


def test_unknown_and_unsent_links_are_not_found(caseworker):
    reminder = _sent(caseworker)
    Reminder.objects.filter(pk=reminder.pk).update(status=Status.SKIPPED, reason="x", sent_at=None)
    client = Client()

    assert client.get(reverse("reminders:respond", args=["no-such-token"])).status_code == 404
    assert client.get(_respond_url(reminder)).status_code == 404
    assert client.post(_respond_url(reminder), {"response": "confirmed"}).status_code == 404


def test_an_answer_after_the_start_is_refused(caseworker):
    reminder = _sent(caseworker)
    client = Client()

    with time_machine.travel(FIRST_SESSION + HOUR, tick=False):
        page = client.get(_respond_url(reminder)).content.decode()
        refused = client.post(_respond_url(reminder), {"response": "confirmed"})

    assert "already started" in page
    assert "I'll be there" not in page
    assert refused.status_code == 400
    assert "already started" in refused.content.decode()
    reminder.refresh_from_db()
    assert reminder.response == ""


def test_a_cancelled_session_says_so(caseworker):
    reminder = _sent(caseworker)
    session = first_session(reminder.session.plan)
    family_time_services.session_record(
        actor=caseworker,
        session=session,
        expected_version=session.version,
        status="cancelled",
        cancelled_by="agency",
        cancel_reason="Staff unavailable",
    )
    client = Client()

    page = client.get(_respond_url(reminder)).content.decode()
    refused = client.post(_respond_url(reminder), {"response": "confirmed"})

    assert "This family time was cancelled." in page
    assert "Staff unavailable" not in page
    assert refused.status_code == 400
    reminder.refresh_from_db()
    assert reminder.response == ""


def test_an_answer_without_a_choice_is_refused(caseworker):
    reminder = _sent(caseworker)

    response = Client().post(_respond_url(reminder), {"note": "hm"})

    assert response.status_code == 400
    assert "Choose “I&#x27;ll be there” or “I can&#x27;t come”." in response.content.decode()
    reminder.refresh_from_db()
    assert reminder.response == ""
