"""The message pages, staff and family: policy from the very next request, receipts, attachments
streamed only through the policy, What's due and the unit's response times."""

from __future__ import annotations

import datetime as dt
import io

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.urls import reverse
from PIL import Image

from reunify.cases.models import FamilyCase
from reunify.cases.tests.factories import open_case
from reunify.core import clock
from reunify.court import services as court_services
from reunify.messaging import services
from reunify.messaging.models import Message, Receipt, Thread
from reunify.messaging.tests.factories import GPS_IFD, conversation, photo_bytes, upload
from reunify.portal.tests.factories import family_account, otp_client, parent_of

pytestmark = pytest.mark.django_db


def staff(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _order(case, kind, caseworker):
    court_services.order_record(
        actor=caseworker,
        case=case,
        kind=kind,
        issued_on=clock.today(),
        text="Order.",
        parent=parent_of(case),
    )


# ---- family side ---------------------------------------------------------------------------------


def test_a_parent_writes_reads_the_reply_and_sees_it_was_read(
    caseworker, django_capture_on_commit_callbacks
):
    case = open_case(worker=caseworker)
    user = family_account(worker=caseworker, case=case)
    client = otp_client(user)

    # Given the parent starts a conversation from their phone
    page = client.get(reverse("portal:messages"))
    assert page.status_code == 200
    assert b"Write to your worker" in page.content
    response = client.post(
        reverse("portal:messages-new"),
        {"to": case.pk, "subject": "Sunday", "body": "Can we move the visit?"},
    )
    thread = Thread.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("portal:messages-thread", args=[thread.pk])

    # When the worker opens it and replies with a photo
    worker = staff(caseworker)
    assert worker.get(reverse("messaging:thread", args=[thread.pk])).status_code == 200
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = worker.post(
            reverse("messaging:reply", args=[thread.pk]),
            {"body": "Saturday at 10.", "attachment": upload()},
        )
    assert response.status_code == 302
    assert len(mail.outbox) == 1

    # Then the parent's list shows one new message
    assert "1 new" in client.get(reverse("portal:messages")).content.decode()
    # and the thread shows the reply, the photo, and that the worker read their message
    page = client.get(reverse("portal:messages-thread", args=[thread.pk])).content.decode()
    assert "Saturday at 10." in page
    assert f"Read by {caseworker.get_full_name()}" in page
    attachment = Message.objects.get(from_family=False).attachments.get()
    assert reverse("portal:messages-attachment", args=[attachment.pk]) in page
    assert "1 new" not in client.get(reverse("portal:messages")).content.decode()
    # and the worker sees the parent has read the reply
    staff_page = worker.get(reverse("messaging:thread", args=[thread.pk])).content.decode()
    assert f"Read by {user.get_full_name()}" in staff_page


def test_attachments_are_streamed_without_metadata_and_not_cached(caseworker):
    case = open_case(worker=caseworker)
    user, thread = conversation(worker=caseworker, case=case)
    message = services.message_send(actor=user, thread=thread, body="", upload=upload())
    attachment = message.attachments.get()

    for client, name in [
        (otp_client(user), "portal:messages-attachment"),
        (staff(caseworker), "messaging:attachment"),
    ]:
        response = client.get(reverse(name, args=[attachment.pk]))
        assert response.status_code == 200
        assert response["Content-Type"] == "image/jpeg"
        assert "no-store" in response["Cache-Control"]
        data = response.content
        assert response["Content-Disposition"].startswith("inline")
        assert b"CanaryCam" not in data
        assert not Image.open(io.BytesIO(data)).getexif().get_ifd(GPS_IFD)


def test_a_bad_message_is_refused_with_a_message_and_changes_nothing(caseworker):
    case = open_case(worker=caseworker)
    user, thread = conversation(worker=caseworker, case=case)
    client = otp_client(user)
    before = (Message.objects.count(), Thread.objects.count())
    url = reverse("portal:messages-reply", args=[thread.pk])

    not_a_photo = client.post(url, {"body": "see", "attachment": upload(b"%PDF-1.4", "a.pdf")})
    gif = client.post(
        url, {"body": "", "attachment": upload(photo_bytes(fmt="GIF", gps=False), "a.gif")}
    )
    empty = client.post(url, {"body": ""})

    assert not_a_photo.status_code == gif.status_code == empty.status_code == 400
    assert b"Only photos (JPEG or PNG) can be attached." in gif.content
    assert b"Write a message or attach a photo." in empty.content
    assert (Message.objects.count(), Thread.objects.count()) == before


@pytest.mark.parametrize("event", ["tpr", "closure"])
def test_termination_or_closure_cuts_messages_from_the_next_request(caseworker, event):
    case = open_case(worker=caseworker)
    user, thread = conversation(worker=caseworker, case=case)
    message = services.message_send(actor=caseworker, thread=thread, body="Hi", upload=upload())
    attachment = message.attachments.get()
    client = otp_client(user)
    urls = [
        reverse("portal:messages-thread", args=[thread.pk]),
        reverse("portal:messages-attachment", args=[attachment.pk]),
    ]
    assert all(client.get(url).status_code == 200 for url in urls)

    if event == "tpr":
        _order(case, "tpr", caseworker)
    else:
        FamilyCase.objects.filter(pk=case.pk).update(status=FamilyCase.Status.CLOSED)

    for url in urls:
        assert client.get(url).status_code == 404
    reply = client.post(reverse("portal:messages-reply", args=[thread.pk]), {"body": "Hello?"})
    assert reply.status_code == 404
    listing = client.get(reverse("portal:messages")).content.decode()
    assert "About Sunday" not in listing
    assert "Write to your worker" not in listing
    new = client.post(reverse("portal:messages-new"), {"to": case.pk, "subject": "x", "body": "y"})
    assert new.status_code == 404
    assert Message.objects.count() == 2


def test_a_no_contact_order_keeps_messages_with_the_worker(caseworker):
    case = open_case(worker=caseworker)
    user, thread = conversation(worker=caseworker, case=case)
    _order(case, "no_contact", caseworker)
    client = otp_client(user)
    assert client.get(reverse("portal:messages-thread", args=[thread.pk])).status_code == 200
    response = client.post(
        reverse("portal:messages-reply", args=[thread.pk]), {"body": "Still ok?"}
    )
    assert response.status_code == 302


def test_another_familys_thread_does_not_exist_for_them(caseworker):
    case = open_case(worker=caseworker)
    _user, thread = conversation(worker=caseworker, case=case)
    attachment = services.message_send(
        actor=caseworker, thread=thread, body="x", upload=upload()
    ).attachments.get()
    other = family_account(worker=caseworker, case=open_case(worker=caseworker), username="lupe")
    client = otp_client(other)
    assert client.get(reverse("portal:messages-thread", args=[thread.pk])).status_code == 404
    assert (
        client.get(reverse("portal:messages-attachment", args=[attachment.pk])).status_code == 404
    )
    assert (
        client.post(reverse("portal:messages-reply", args=[thread.pk]), {"body": "hi"}).status_code
        == 404
    )
    assert b"About Sunday" not in client.get(reverse("portal:messages")).content


def test_a_family_account_reaches_no_staff_message_page(caseworker):
    case = open_case(worker=caseworker)
    user, thread = conversation(worker=caseworker, case=case)
    client = otp_client(user)
    for url in [
        reverse("messaging:case-threads", args=[case.pk]),
        reverse("messaging:thread", args=[thread.pk]),
        reverse("messaging:unit-response-times", args=[caseworker.unit_id]),
    ]:
        assert client.get(url).status_code == 404, url


def test_staff_get_404_on_the_family_pages(caseworker, supervisor):
    case = open_case(worker=caseworker)
    _user, thread = conversation(worker=caseworker, case=case)
    for user in (caseworker, supervisor):
        client = staff(user)
        assert client.get(reverse("portal:messages")).status_code == 404
        assert client.get(reverse("portal:messages-thread", args=[thread.pk])).status_code == 404


def test_the_family_pages_speak_spanish(caseworker):
    case = open_case(worker=caseworker)
    user, _thread = conversation(worker=caseworker, case=case)
    response = otp_client(user).get("/es" + reverse("portal:messages"))
    assert response.status_code == 200
    assert response.headers["Content-Language"] == "es"


# ---- staff side ----------------------------------------------------------------------------------


def test_the_worker_starts_a_thread_with_a_family_member(
    caseworker, django_capture_on_commit_callbacks
):
    case = open_case(worker=caseworker)
    user = family_account(worker=caseworker, case=case)
    client = staff(caseworker)
    page = client.get(reverse("messaging:case-threads", args=[case.pk]))
    assert b"Write to a family member" in page.content
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("messaging:thread-new", args=[case.pk]),
            {"to": user.portal_account.pk, "subject": "Court", "body": "The hearing is at 9."},
        )
    assert response.status_code == 302
    thread = Thread.objects.get()
    assert thread.awaiting_reply_since is None
    assert [m.subject for m in mail.outbox] == ["You have a new message in Reunify"]


def test_the_admin_reads_but_leaves_no_receipt_and_cannot_reply(caseworker, agency_admin):
    case = open_case(worker=caseworker)
    _user, thread = conversation(worker=caseworker, case=case)
    client = staff(agency_admin)
    page = client.get(reverse("messaging:thread", args=[thread.pk]))
    assert page.status_code == 200
    assert b"Can we move" in page.content
    assert b'name="body"' not in page.content
    assert Receipt.objects.count() == 0
    assert (
        client.post(reverse("messaging:reply", args=[thread.pk]), {"body": "x"}).status_code == 403
    )
    assert Message.objects.count() == 1


def test_whats_due_lists_waiting_family_messages_oldest_first(caseworker, other_caseworker):
    case = open_case(worker=caseworker)
    monday = dt.datetime(2026, 11, 2, 15, tzinfo=clock.agency_zone())  # Monday 15:00
    with time_machine.travel(monday, tick=False):
        _u1, older = conversation(worker=caseworker, case=case)
    with time_machine.travel(monday + dt.timedelta(hours=1), tick=False):
        _u2, newer = conversation(
            worker=caseworker, case=open_case(worker=caseworker), username="lupe"
        )
    with time_machine.travel(monday + dt.timedelta(days=1, hours=1), tick=False):  # Tue 16:00
        page = staff(caseworker).get(reverse("clocks:due")).content.decode()
        other = staff(other_caseworker).get(reverse("clocks:due")).content.decode()

    assert "Family messages waiting for a reply" in page
    first = page.index(reverse("messaging:thread", args=[older.pk]))
    second = page.index(reverse("messaging:thread", args=[newer.pk]))
    assert first < second
    assert "9.0 business hours" in page  # Mon 15-17 (2) + Tue 9-16 (7)
    assert "8.0 business hours" in page
    assert "Family messages waiting for a reply" not in other

    services.message_send(actor=caseworker, thread=older, body="Answered")
    page = staff(caseworker).get(reverse("clocks:due")).content.decode()
    assert reverse("messaging:thread", args=[older.pk]) not in page


def test_the_supervisor_sees_the_units_response_times(caseworker, supervisor, other_supervisor):
    case = open_case(worker=caseworker)
    monday = dt.datetime(2026, 11, 2, 10, tzinfo=clock.agency_zone())
    with time_machine.travel(monday, tick=False):
        _user, thread = conversation(worker=caseworker, case=case)
    with time_machine.travel(monday + dt.timedelta(hours=3), tick=False):
        services.message_send(actor=caseworker, thread=thread, body="Yes")

    url = reverse("messaging:unit-response-times", args=[caseworker.unit_id])
    page = staff(supervisor).get(url, {"start": "2026-11-01", "end": "2026-11-30"})
    assert page.status_code == 200
    body = page.content.decode()
    assert str(caseworker) in body
    assert "3.0" in body  # median first reply: 3 business hours
    assert "100 %" in body
    assert (
        url
        in staff(supervisor)
        .get(reverse("cases:unit-caseloads", args=[caseworker.unit_id]))
        .content.decode()
    )
    assert staff(caseworker).get(url).status_code == 404
    assert staff(other_supervisor).get(url).status_code == 404
