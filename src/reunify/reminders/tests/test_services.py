"""Consent, planning and sending (once only, never in quiet hours), and answers."""

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from reunify.cases.models import Placement
from reunify.cases.tests.factories import ProviderFactory, open_case
from reunify.core.models import AuditEvent
from reunify.family_time import services as family_time_services
from reunify.family_time.models import LocationType
from reunify.family_time.tests.factories import TODAY
from reunify.reminders import compose, rules, selectors, services, sms
from reunify.reminders.models import Reminder, Status, Subscription
from reunify.reminders.tests.factories import (
    FIRST_SESSION,
    NOW,
    PHONE,
    first_session,
    plan_for,
    subscribe,
)

pytestmark = pytest.mark.django_db
HOUR = dt.timedelta(hours=1)


def message(error: pytest.ExceptionInfo[ValidationError]) -> str:
    return " ".join(error.value.messages)


def audited(action: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=action).order_by("id"))


# ---- consent ---------------------------------------------------------------------------------


def test_consent_is_recorded_with_history_and_audit(caseworker):
    plan = plan_for(caseworker)

    sub = subscribe(caseworker, plan, destination="(314) 555-0123", language="es")

    assert (sub.channel, sub.destination, sub.language, sub.active) == ("sms", PHONE, "es", True)
    assert sub.recorded_by == caseworker
    assert sub.history.count() == 1
    [event] = audited("reminders.subscription_add")
    assert event.actor == caseworker
    assert event.case_id == plan.episode.case_id
    assert event.changes["recipient"] == sub.person.full_name


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({"consent": False}, services.NO_CONSENT),
        ({"destination": "555-0123"}, rules.BAD_PHONE),
        ({"channel": "email", "destination": "rosa.example.com"}, services.BAD_EMAIL),
        ({"channel": "fax"}, services.UNKNOWN_CHANNEL),
        ({"language": "fr"}, services.UNKNOWN_LANGUAGE),
        ({"person": "child"}, services.NOT_A_RECIPIENT),
        ({"provider": "another"}, services.NOT_A_RECIPIENT),
    ],
)
def test_bad_consent_is_refused_and_changes_nothing(caseworker, overrides, expected):
    plan = plan_for(caseworker)
    if overrides.get("person") == "child":
        overrides["person"] = plan.episode.child
    if overrides.get("provider") == "another":
        overrides["provider"] = ProviderFactory(agency=caseworker.agency)
    before = AuditEvent.objects.count()

    with pytest.raises(ValidationError) as error:
        subscribe(caseworker, plan, **overrides)

    assert expected in message(error)
    assert not Subscription.objects.exists()
    assert AuditEvent.objects.count() == before


def test_the_same_number_twice_is_refused_until_stopped(caseworker):
    plan = plan_for(caseworker)
    first = subscribe(caseworker, plan)
    with pytest.raises(ValidationError) as error:
        subscribe(caseworker, plan, destination="+1 (314) 555-0123")
    assert services.ALREADY_SUBSCRIBED in message(error)

    services.subscription_stop(actor=caseworker, subscription=first, now=NOW)
    again = subscribe(caseworker, plan)

    assert again.active
    first.refresh_from_db()
    assert (first.active, first.stopped_by, first.stopped_at) == (False, caseworker, NOW)
    with pytest.raises(ValidationError) as error:
        services.subscription_stop(actor=caseworker, subscription=first, now=NOW)
    assert services.ALREADY_STOPPED in message(error)
    assert len(audited("reminders.subscription_stop")) == 1


def test_the_resource_family_of_the_current_placement_may_receive_reminders(caseworker):
    plan = plan_for(caseworker)
    provider = selectors.current_provider(plan.episode)

    sub = subscribe(caseworker, plan, provider=provider, channel="email", destination="f@x.org")

    assert sub.provider == provider
    assert sub.person is None
    keys = [r.key for r in selectors.recipients_for_episode(plan.episode)]
    assert keys == [f"person:{p.pk}" for p in plan.participants.all()] + [f"provider:{provider.pk}"]


# ---- planning and sending --------------------------------------------------------------------


def test_due_reminders_go_out_once_by_sms_and_email(caseworker):
    plan = plan_for(caseworker)
    subscribe(caseworker, plan)
    subscribe(caseworker, plan, channel="email", destination="rosa@example.org")

    counts = services.reminders_send_due(now=NOW)
    again = services.reminders_send_due(now=NOW + 0.25 * HOUR)

    assert counts == {"planned": 2, "sent": 2, "failed": 0, "skipped": 0}
    assert again == {"planned": 0, "sent": 0, "failed": 0, "skipped": 0}
    assert [m.to for m in sms.outbox] == [PHONE]
    assert [m.to for m in mail.outbox] == [["rosa@example.org"]]
    reminders = Reminder.objects.all()
    assert {(r.session_id, r.status, r.sent_at) for r in reminders} == {
        (first_session(plan).pk, Status.SENT, NOW)
    }
    assert len({r.token for r in reminders}) == 2
    assert all(len(r.token) >= 43 for r in reminders)
    assert len(audited("reminders.sent")) == 2
    assert len(audited("reminders.planned")) == 1


def test_only_sessions_within_the_lead_time_are_planned(caseworker, settings):
    plan = plan_for(caseworker)
    subscribe(caseworker, plan)

    assert services.reminders_send_due(now=FIRST_SESSION - 25 * HOUR)["planned"] == 0
    settings.REUNIFY_REMINDER_LEAD_HOURS = 48
    assert services.reminders_send_due(now=FIRST_SESSION - 25 * HOUR)["sent"] == 1


def test_a_reminder_due_in_quiet_hours_waits_for_the_morning(caseworker):
    plan = plan_for(caseworker)  # Wednesday 4 March, 17:00 CST (23:00 UTC)
    subscribe(caseworker, plan)
    night = dt.datetime(2026, 3, 4, 9, 0, tzinfo=dt.UTC)  # 03:00 in Chicago

    counts = services.reminders_send_due(now=night)

    assert (counts["planned"], counts["sent"]) == (1, 0)
    reminder = Reminder.objects.get()
    assert reminder.status == Status.PENDING
    assert reminder.send_at == dt.datetime(2026, 3, 4, 14, 0, tzinfo=dt.UTC)  # 08:00 CST
    assert services.reminders_send_due(now=reminder.send_at - HOUR)["sent"] == 0
    assert services.reminders_send_due(now=reminder.send_at)["sent"] == 1
    assert len(sms.outbox) == 1


def test_a_late_run_in_quiet_hours_defers_rather_than_sends(caseworker):
    plan = plan_for(caseworker)
    subscribe(caseworker, plan)
    services.reminders_plan(now=NOW - 1.5 * HOUR)  # planned, but not sent (no worker ran)
    late = dt.datetime(2026, 3, 4, 4, 0, tzinfo=dt.UTC)  # 22:00 in Chicago

    assert services.reminders_send_due(now=late)["sent"] == 0
    assert Reminder.objects.get().send_at == dt.datetime(2026, 3, 4, 14, 0, tzinfo=dt.UTC)
    assert sms.outbox == []


def test_a_reminder_that_quiet_hours_would_delay_past_the_start_is_skipped(caseworker):
    plan = plan_for(caseworker, start_time=dt.time(7, 30))  # Wednesday 07:30 CST
    subscribe(caseworker, plan)
    night = dt.datetime(2026, 3, 4, 9, 0, tzinfo=dt.UTC)  # 03:00 in Chicago

    services.reminders_send_due(now=night)

    reminder = Reminder.objects.get()
    assert (reminder.status, reminder.reason) == (Status.SKIPPED, services.SKIP_QUIET)
    assert services.reminders_send_due(now=night + 5 * HOUR)["sent"] == 0
    assert sms.outbox == []


def test_cancelled_sessions_and_stopped_consent_are_not_reminded(caseworker):
    plan = plan_for(caseworker)
    sub = subscribe(caseworker, plan)
    email = subscribe(caseworker, plan, channel="email", destination="rosa@example.org")
    night = dt.datetime(2026, 3, 4, 9, 0, tzinfo=dt.UTC)
    services.reminders_send_due(now=night)  # both wait for 08:00
    services.subscription_stop(actor=caseworker, subscription=sub, now=night)
    session = first_session(plan)
    family_time_services.session_record(
        actor=caseworker,
        session=session,
        expected_version=session.version,
        status="cancelled",
        cancelled_by="agency",
        cancel_reason="Staff unavailable",
        now=night,
    )

    counts = services.reminders_send_due(now=night + 6 * HOUR)

    assert (counts["sent"], counts["skipped"]) == (0, 1)
    reasons = dict(Reminder.objects.values_list("subscription_id", "reason"))
    assert reasons == {sub.pk: services.SKIP_STOPPED, email.pk: services.SKIP_CANCELLED}
    assert sms.outbox == []
    assert mail.outbox == []


def test_a_resource_family_no_longer_caring_for_the_child_gets_nothing(caseworker):
    plan = plan_for(caseworker)
    provider = selectors.current_provider(plan.episode)
    subscribe(caseworker, plan, provider=provider, channel="email", destination="f@x.org")
    Placement.objects.filter(episode=plan.episode).update(
        provider=ProviderFactory(agency=caseworker.agency)
    )  # set-up: the child moved

    assert services.reminders_send_due(now=NOW)["planned"] == 0
    assert mail.outbox == []


def test_a_failed_send_is_recorded_and_not_retried(caseworker, settings):
    settings.REUNIFY_SMS_BACKEND = "reunify.reminders.sms.DisabledBackend"
    plan = plan_for(caseworker)
    subscribe(caseworker, plan)

    counts = services.reminders_send_due(now=NOW)

    assert counts["failed"] == 1
    reminder = Reminder.objects.get()
    assert (reminder.status, reminder.reason, reminder.sent_at) == (
        Status.FAILED,
        services.FAILED,
        None,
    )
    assert services.reminders_send_due(now=NOW + HOUR)["failed"] == 0
    assert len(audited("reminders.failed")) == 1


def test_sending_a_reminder_already_handled_does_nothing(caseworker):
    plan = plan_for(caseworker)
    subscribe(caseworker, plan)
    services.reminders_send_due(now=NOW)
    reminder = Reminder.objects.get()

    assert services.reminder_send(reminder_id=reminder.pk, now=NOW) == "done"
    assert len(sms.outbox) == 1


def test_the_email_speaks_the_recipients_language_and_hides_a_confidential_place(caseworker):
    plan = plan_for(
        caseworker, location_type=LocationType.RESOURCE_HOME, address="12 Secret Street"
    )
    subscribe(caseworker, plan, channel="email", destination="rosa@example.org", language="es")
    subscribe(caseworker, plan, language="es")

    services.reminders_send_due(now=NOW)

    [email] = mail.outbox
    html, mimetype = email.alternatives[0]
    [(name, ics, ics_type)] = email.attachments
    assert (mimetype, name, ics_type) == ("text/html", "family-time.ics", "text/calendar")
    token = Reminder.objects.get(subscription__channel="email").token
    for text in (email.subject, email.body, html, ics, sms.outbox[0].body):
        assert "Secret" not in text
    for text in (email.body, html, ics):
        assert "Lo coordina la agencia" in text
        assert f"/es/reminders/r/{token}/" in text.replace("\r\n ", "")
    assert "Miércoles, 4 de marzo de 2026" in email.body  # in Spanish
    assert "17:00" in email.body  # Spanish time format, agency zone
    assert "DTSTART:20260304T230000Z" in ics
    assert len(sms.outbox[0].body) <= compose.SMS_LIMIT


def test_the_text_message_fits_in_320_characters(caseworker):
    plan = plan_for(caseworker, location_type=LocationType.COMMUNITY, address="Park " * 55)
    subscribe(caseworker, plan)

    services.reminders_send_due(now=NOW)

    [text] = sms.outbox
    token = Reminder.objects.get().token
    assert len(text.body) <= 320
    assert text.body.endswith(f"http://testserver/reminders/r/{token}/")
    assert text.body.startswith("Reunify: family time with Child0 on Wednesday")


# ---- answers ---------------------------------------------------------------------------------


def _sent(caseworker, **plan_overrides) -> Reminder:
    plan = plan_for(caseworker, **plan_overrides)
    subscribe(caseworker, plan)
    services.reminders_send_due(now=NOW)
    return Reminder.objects.select_related("session").get()


def test_an_answer_is_recorded_audited_and_may_change_until_the_start(caseworker):
    reminder = _sent(caseworker)

    services.reminder_respond(reminder=reminder, response="confirmed", now=NOW + HOUR)
    services.reminder_respond(
        reminder=reminder, response="cannot_come", note=" Bus strike ", now=NOW + 2 * HOUR
    )

    reminder.refresh_from_db()
    assert (reminder.response, reminder.response_note, reminder.responded_at) == (
        "cannot_come",
        "Bus strike",
        NOW + 2 * HOUR,
    )
    events = audited("reminders.response")
    assert [e.actor for e in events] == [None, None]
    assert events[-1].actor_label == "system"
    assert "Rosa" in events[-1].summary
    assert events[-1].changes["response"] == ["confirmed", "cannot_come"]
    assert events[-1].case_id == reminder.session.plan.episode.case_id


@pytest.mark.parametrize(
    ("response", "at", "cancel", "expected"),
    [
        ("maybe", NOW + HOUR, False, services.UNKNOWN_RESPONSE),
        ("confirmed", FIRST_SESSION, False, services.SESSION_STARTED),
        ("confirmed", NOW + HOUR, True, services.SESSION_CANCELLED),
    ],
)
def test_a_refused_answer_changes_nothing(caseworker, response, at, cancel, expected):
    reminder = _sent(caseworker)
    if cancel:
        session = reminder.session
        family_time_services.session_record(
            actor=caseworker,
            session=session,
            expected_version=session.version,
            status="cancelled",
            cancelled_by="parent",
            cancel_reason="Sick",
            now=NOW,
        )
    before = AuditEvent.objects.count()

    with pytest.raises(ValidationError) as error:
        services.reminder_respond(reminder=reminder, response=response, now=at)

    assert expected in message(error)
    reminder.refresh_from_db()
    assert (reminder.response, reminder.responded_at) == ("", None)
    assert AuditEvent.objects.count() == before


def test_responses_for_sessions_in_two_queries(caseworker, django_assert_num_queries):
    reminder = _sent(caseworker)
    services.reminder_respond(reminder=reminder, response="confirmed", note="Yes", now=NOW + HOUR)
    other = open_case(worker=caseworker, today=TODAY)
    unsent = first_session(plan_for(caseworker, case=other))

    with django_assert_num_queries(2):  # the reminders, and the answers given in the portal
        rows = selectors.responses_for_sessions([reminder.session_id, unsent.pk])

    [row] = rows[reminder.session_id]
    assert (row.response, row.note, row.channel, row.sent_at) == ("confirmed", "Yes", "sms", NOW)
    assert row.recipient == reminder.subscription.person.full_name
    assert unsent.pk not in rows


def test_no_reminders_without_consent(caseworker):
    plan_for(caseworker)
    assert services.reminders_send_due(now=NOW)["planned"] == 0
    assert not Reminder.objects.exists()


def test_the_family_time_page_shows_the_answers(client, caseworker):
    reminder = _sent(caseworker)
    services.reminder_respond(
        reminder=reminder, response="cannot_come", note="Bus strike", now=NOW + HOUR
    )
    client.force_login(caseworker)
    with time_machine.travel(NOW + 2 * HOUR):
        page = client.get(reverse("family_time:child", args=[reminder.session.plan.episode_id]))
    text = page.content.decode()
    assert f"{reminder.subscription.person.full_name}: " in text
    assert "Cannot come" in text
    assert "“Bus strike”" in text
