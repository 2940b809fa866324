"""Writes for messages: starting a thread, sending a message (with at most one image), reading a
thread (read receipts). Each runs in one transaction (`@write`), validates, records history and
an audit event, and a refused call changes nothing. The audit trail never holds a message's
text. When staff write, the family account is told by e-mail (or text message) that there is a
new message, never what it says; when the family writes, the thread waits on the worker's
What's due (`selectors.waiting_for`)."""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from reunify.accounts.models import PORTAL_ROLES, User
from reunify.cases.models import FamilyCase
from reunify.core import audit, clock
from reunify.core.actor import write
from reunify.messaging import images
from reunify.messaging.models import Attachment, Message, Receipt, Thread
from reunify.messaging.permissions import family_may_message
from reunify.portal.models import Invitation, PortalAccount
from reunify.reminders.sms import send_sms

logger = logging.getLogger(__name__)

BODY_MAX = 5000
SUBJECT_MAX = 120

# Messages shared with the tests (English source, translated when raised).
EMPTY = gettext_noop("Write a message or attach a photo.")
TOO_LONG = gettext_noop("Keep the message under 5,000 characters.")
SUBJECT_REQUIRED = gettext_noop("Give the conversation a subject.")
SUBJECT_TOO_LONG = gettext_noop("Keep the subject under 120 characters.")
BAD_CHARACTERS = gettext_noop(
    "The text contains characters that cannot be stored (for example a null character). "
    "Remove them and send again."
)
RECIPIENT_GONE = gettext_noop("This family member can no longer read messages in this case.")
NOT_YOURS = gettext_noop("You can only write in your own conversations.")
IMAGE_REFUSED = {
    images.TOO_BIG: gettext_noop("The photo is larger than 10 MB. Send a smaller one."),
    images.WRONG_TYPE: gettext_noop("Only photos (JPEG or PNG) can be attached."),
    images.NOT_AN_IMAGE: gettext_noop(
        "The file could not be read as a photo. Only photos (JPEG or PNG) can be attached."
    ),
    images.TOO_MANY_PIXELS: gettext_noop("The photo is too large (over 40 megapixels)."),
}


def is_family(user: Any) -> bool:
    return getattr(user, "role", None) in PORTAL_ROLES


def _storable(text: str) -> bool:
    """PostgreSQL stores no NUL character, and no text that is not valid UTF-8 (lone
    surrogates). SQLite would take both: refuse them everywhere."""
    if "\x00" in text:
        return False
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _clean_body(body: str, *, has_attachment: bool) -> str:
    if not _storable(body):
        raise ValidationError({"body": _(BAD_CHARACTERS)})
    body = body.strip()
    if len(body) > BODY_MAX:
        raise ValidationError({"body": _(TOO_LONG)})
    if not body and not has_attachment:
        raise ValidationError({"body": _(EMPTY)})
    return body


def _clean_subject(subject: str) -> str:
    if not _storable(subject):
        raise ValidationError({"subject": _(BAD_CHARACTERS)})
    subject = " ".join(subject.split())
    if not subject:
        raise ValidationError({"subject": _(SUBJECT_REQUIRED)})
    if len(subject) > SUBJECT_MAX:
        raise ValidationError({"subject": _(SUBJECT_TOO_LONG)})
    return subject


def _clean_image(upload: Any) -> images.CleanImage:
    if upload.size is not None and upload.size > images.MAX_BYTES:
        raise ValidationError({"attachment": _(IMAGE_REFUSED[images.TOO_BIG])})
    data = upload.read(images.MAX_BYTES + 1)
    try:
        return images.clean(data)
    except images.ImageRefusedError as refused:
        raise ValidationError({"attachment": _(IMAGE_REFUSED[refused.code])}) from None


def _display_name(upload: Any, extension: str) -> str:
    stem = str(getattr(upload, "name", "") or "photo").rsplit("/", 1)[-1].rsplit(".", 1)[0]
    stem = "".join(c for c in stem if c.isalnum() or c in " -_")[:80].strip() or "photo"
    return f"{stem}{extension}"


def _check_sender(actor: User, account: PortalAccount, case: FamilyCase) -> None:
    if is_family(actor) and account.user_id != actor.pk:
        raise ValidationError(_(NOT_YOURS))
    if not family_may_message(account.user, case):
        raise ValidationError(_(RECIPIENT_GONE))


def _record(
    actor: Any, thread: Thread, action: str, summary: str, obj: Any, **changes: Any
) -> None:
    audit.record(
        actor=actor,
        action=f"messaging.{action}",
        obj=obj,
        case_id=thread.case_id,
        agency_id=thread.case.agency_id,
        summary=summary,
        changes=changes,
    )


def _post(*, actor: User, thread: Thread, body: str, upload: Any) -> Message:
    clean_body = _clean_body(body, has_attachment=upload is not None)
    picture = _clean_image(upload) if upload is not None else None
    now = clock.now()
    family = is_family(actor)
    message = Message(thread=thread, sender=actor, from_family=family, body=clean_body, sent_at=now)
    message.full_clean()
    message.save()
    if picture is not None:
        attachment = Attachment(
            message=message,
            content_type=picture.content_type,
            size=len(picture.data),
            width=picture.width,
            height=picture.height,
            name=_display_name(upload, picture.extension),
        )
        attachment.file.save(f"x{picture.extension}", ContentFile(picture.data), save=False)
        attachment.full_clean()
        attachment.save()
    thread.last_message_at = now
    if family:
        thread.awaiting_reply_since = thread.awaiting_reply_since or now
    else:
        thread.awaiting_reply_since = None
    thread.save(update_fields=["last_message_at", "awaiting_reply_since"])
    _record(
        actor,
        thread,
        "message_sent",
        f"Message sent in thread {thread.pk} by the {'family' if family else 'staff'}",
        message,
        thread_id=thread.pk,
        attachments=int(picture is not None),
    )
    if not family:
        transaction.on_commit(lambda: _notify_family(thread.account))
    return message


@write
def thread_start(
    *,
    actor: User,
    case: FamilyCase,
    account: PortalAccount,
    subject: str,
    body: str,
    upload: Any = None,
) -> Thread:
    """A new conversation in `case` between `account` (a parent or youth of the case) and the
    case's staff, with its first message. The actor is the family member or a staff member."""
    _check_sender(actor, account, case)
    now = clock.now()
    thread = Thread(
        case=case,
        account=account,
        subject=_clean_subject(subject),
        started_at=now,
        started_by=actor,
        last_message_at=now,
    )
    _clean_body(body, has_attachment=upload is not None)  # refuse before writing anything
    thread.full_clean()
    thread.save()
    _record(actor, thread, "thread_started", f"Message thread {thread.pk} started", thread)
    _post(actor=actor, thread=thread, body=body, upload=upload)
    return thread


@write
def message_send(*, actor: User, thread: Thread, body: str, upload: Any = None) -> Message:
    """A message in an existing thread, with at most one image (re-encoded without metadata)."""
    thread = Thread.objects.select_for_update().select_related("case", "account").get(pk=thread.pk)
    _check_sender(actor, thread.account, thread.case)
    return _post(actor=actor, thread=thread, body=body, upload=upload)


@write
def thread_read(*, reader: User, thread: Thread) -> int:
    """Receipts for every message of the thread the reader did not send and had not read yet.
    Returns how many were new."""
    unread = list(
        thread.messages.exclude(sender=reader)
        .exclude(receipts__reader=reader)
        .values_list("pk", flat=True)
    )
    if not unread:
        return 0
    now = clock.now()
    Receipt.objects.bulk_create(
        [Receipt(message_id=pk, reader=reader, read_at=now) for pk in unread],
        ignore_conflicts=True,
    )
    return len(unread)


def _language(account: PortalAccount) -> str:
    invitation = Invitation.objects.filter(account=account).order_by("-accepted_at", "-pk").first()
    return invitation.language if invitation else settings.LANGUAGE_CODE


def _notify_family(account: PortalAccount) -> None:
    """ "You have a new message in Reunify" and the link: no name, no text, nothing else, so a
    message read by someone else gives nothing away."""
    user = account.user
    with translation.override(_language(account)):
        link = settings.REUNIFY_BASE_URL.rstrip("/") + reverse("portal:messages")
        text = render_to_string("messaging/new_message.txt", {"link": link}).strip()
        try:
            if user.email:
                EmailMessage(
                    subject=_("You have a new message in Reunify"), body=text, to=[user.email]
                ).send()
                return
            phone = (
                Invitation.objects.filter(account=account)
                .exclude(phone="")
                .values_list("phone", flat=True)
                .first()
            )
            if phone:
                send_sms(phone, text, reference=f"message-account-{account.pk}")
        except Exception:  # the message is sent; a failed notice must not undo it
            logger.exception("New-message notice to portal account %s failed", account.pk)
