"""Starting threads, sending messages, read receipts and the family's notice. Refusals change
nothing."""

from __future__ import annotations

import io

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from PIL import Image

from reunify.cases.tests.factories import open_case
from reunify.core import clock
from reunify.core.models import AuditEvent
from reunify.court import services as court_services
from reunify.messaging import services
from reunify.messaging.models import Attachment, Message, Receipt, Thread
from reunify.messaging.tests.factories import GPS_IFD, conversation, photo_bytes, upload
from reunify.portal.tests.factories import family_account, parent_of
from reunify.reminders import sms

pytestmark = pytest.mark.django_db


def _counts():
    return (
        Thread.objects.count(),
        Message.objects.count(),
        Attachment.objects.count(),
        Receipt.objects.count(),
        AuditEvent.objects.filter(action__startswith="messaging.").count(),
        len(mail.outbox),
    )


def test_a_family_message_waits_until_the_worker_answers(
    caseworker, django_capture_on_commit_callbacks
):
    # Given a parent who wrote to the worker
    case = open_case(worker=caseworker)
    user, thread = conversation(worker=caseworker, case=case)
    thread.refresh_from_db()
    asked = thread.awaiting_reply_since
    assert asked is not None
    assert thread.messages.get().from_family

    # When the parent writes again, and then the worker answers
    services.message_send(actor=user, thread=thread, body="Or Sunday afternoon?")
    thread.refresh_from_db()
    assert thread.awaiting_reply_since == asked  # still the first unanswered message
    with django_capture_on_commit_callbacks(execute=True):
        services.message_send(actor=caseworker, thread=thread, body="Saturday at 10 works.")

    # Then nothing waits any more, and every message was audited without its text
    thread.refresh_from_db()
    assert thread.awaiting_reply_since is None
    events = AuditEvent.objects.filter(action="messaging.message_sent")
    assert events.count() == 3
    assert not any("Saturday" in e.summary or "Saturday" in str(e.changes) for e in events)


def test_the_notice_says_only_that_there_is_a_message(
    caseworker, django_capture_on_commit_callbacks
):
    case = open_case(worker=caseworker)
    _user, thread = conversation(worker=caseworker, case=case)
    assert [m.subject for m in mail.outbox] == ["Your invitation to Reunify"]  # nothing more
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        services.message_send(actor=caseworker, thread=thread, body="Secretcanary visit moved")

    (notice,) = mail.outbox
    assert notice.to == ["rosa@example.org"]
    assert notice.subject == "You have a new message in Reunify"
    assert "http://testserver/portal/messages/" in notice.body
    for private in ("Secretcanary", "About Sunday", case.name, caseworker.last_name):
        assert private not in notice.body
        assert private not in notice.subject


def test_the_notice_goes_by_text_message_when_the_account_has_no_e_mail(
    caseworker, django_capture_on_commit_callbacks
):
    sms.outbox.clear()
    case = open_case(worker=caseworker)
    user, thread = conversation(worker=caseworker, case=case)
    type(user).objects.filter(pk=user.pk).update(email="")
    thread.account.user.refresh_from_db()
    from reunify.portal.models import Invitation

    Invitation.objects.filter(account=thread.account).update(phone="+15555550100")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.message_send(actor=caseworker, thread=thread, body="Secretcanary")
    assert mail.outbox == []
    (text,) = sms.outbox
    assert "You have a new message in Reunify" in text.body
    assert "Secretcanary" not in text.body
    sms.outbox.clear()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ("Hello\x00there", "body"),
        ("Broken \ud800 text", "body"),
        ("", "body"),
        ("   \n ", "body"),
        ("x" * 5001, "body"),
    ],
    ids=["nul", "lone-surrogate", "empty", "blank", "too-long"],
)
def test_bad_text_is_refused_and_changes_nothing(caseworker, body, field):
    case = open_case(worker=caseworker)
    user, thread = conversation(worker=caseworker, case=case)
    before = _counts()
    for actor in (user, caseworker):
        with pytest.raises(ValidationError) as refused:
            services.message_send(actor=actor, thread=thread, body=body)
        assert field in refused.value.message_dict
    assert _counts() == before


def test_a_nul_in_a_subject_is_refused_with_a_clear_message(caseworker):
    case = open_case(worker=caseworker)
    user = family_account(worker=caseworker, case=case)
    before = _counts()
    with pytest.raises(ValidationError) as refused:
        services.thread_start(
            actor=user, case=case, account=user.portal_account, subject="Hi\x00", body="Hello"
        )
    assert "null character" in refused.value.message_dict["subject"][0]
    assert _counts() == before


@pytest.mark.parametrize(
    "data",
    [b"%PDF-1.7 not a photo", photo_bytes(fmt="GIF", gps=False)],
    ids=["pdf", "gif"],
)
def test_a_file_that_is_not_a_photo_is_refused_and_changes_nothing(caseworker, data):
    case = open_case(worker=caseworker)
    user, thread = conversation(worker=caseworker, case=case)
    before = _counts()
    with pytest.raises(ValidationError) as refused:
        services.message_send(actor=user, thread=thread, body="See attached", upload=upload(data))
    assert "attachment" in refused.value.message_dict
    assert _counts() == before


def test_a_photo_is_stored_without_its_location(caseworker):
    case = open_case(worker=caseworker)
    user, thread = conversation(worker=caseworker, case=case)

    message = services.message_send(actor=user, thread=thread, body="", upload=upload())

    attachment = message.attachments.get()
    with attachment.file.open("rb") as stored:
        data = stored.read()
    assert b"CanaryCam" not in data
    image = Image.open(io.BytesIO(data))
    assert not image.getexif().get_ifd(GPS_IFD)
    assert attachment.content_type == "image/jpeg"
    assert attachment.name == "IMG_0001.jpg"
    assert "IMG_0001" not in attachment.file.name  # the stored key is random


def test_read_receipts_are_for_the_other_side_and_recorded_once(caseworker, supervisor):
    case = open_case(worker=caseworker)
    user, thread = conversation(worker=caseworker, case=case)
    services.message_send(actor=caseworker, thread=thread, body="Yes")

    assert services.thread_read(reader=caseworker, thread=thread) == 1  # the parent's message
    assert services.thread_read(reader=caseworker, thread=thread) == 0
    assert services.thread_read(reader=user, thread=thread) == 1  # the worker's reply
    receipt = Receipt.objects.get(reader=user)
    assert receipt.message.sender == caseworker
    assert receipt.read_at <= clock.now()


def test_nobody_writes_to_a_parent_whose_rights_were_terminated(caseworker):
    case = open_case(worker=caseworker)
    user, thread = conversation(worker=caseworker, case=case)
    court_services.order_record(
        actor=caseworker,
        case=case,
        kind="tpr",
        issued_on=clock.today(),
        text="Parental rights terminated.",
        parent=parent_of(case),
    )
    before = _counts()
    for actor in (caseworker, user):
        with pytest.raises(ValidationError) as refused:
            services.message_send(actor=actor, thread=thread, body="Hello")
        assert "can no longer read messages" in refused.value.messages[0]
    assert _counts() == before


def test_a_family_member_writes_only_in_their_own_threads(caseworker):
    case = open_case(worker=caseworker)
    _user, thread = conversation(worker=caseworker, case=case)
    other_case = open_case(worker=caseworker)
    other = family_account(worker=caseworker, case=other_case, username="lupe")
    before = _counts()
    with pytest.raises(ValidationError):
        services.message_send(actor=other, thread=thread, body="Hello")
    assert _counts() == before
