"""Messages between a family account (a parent or a youth) and the staff of their case.

A `Thread` belongs to a case and a family account; the staff side is whoever may edit the case
(its worker and the unit's supervisor), so a reassignment hands the threads over with the case.
A parent partner may join later as another participant kind. Messages are never edited or
deleted. A `Receipt` says who read a message when; an `Attachment` is an image re-encoded without
its metadata, stored outside any public URL and streamed only through a view that asks the
policy again (reliability.md AZ-11)."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.storage import FileSystemStorage, Storage, storages
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from reunify.cases.models import FamilyCase
from reunify.core.actor import history_user
from reunify.portal.models import PortalAccount


class PrivateFileStorage(FileSystemStorage):
    """A directory no URL serves: asking for an address is a mistake (reliability.md AZ-11)."""

    def url(self, name: str | None) -> str:
        raise ValueError("message attachments have no public address")


def attachment_storage() -> Storage:
    """STORAGES["messaging"] when the deployment names one (e.g. a private object-store bucket),
    else a directory under REUNIFY_VAR_DIR that no URL serves."""
    if "messaging" in settings.STORAGES:
        return storages["messaging"]
    return PrivateFileStorage(location=Path(settings.VAR_DIR) / "private" / "messaging")


def attachment_path(instance: Any, filename: str) -> str:
    """A random name: the stored key says nothing of the family or of the original file."""
    return f"messaging/{uuid.uuid4().hex}{Path(filename).suffix.lower()}"


class Thread(models.Model):
    case = models.ForeignKey(FamilyCase, on_delete=models.PROTECT, related_name="message_threads")
    account = models.ForeignKey(
        PortalAccount,
        on_delete=models.PROTECT,
        related_name="message_threads",
        verbose_name=_("family member"),
    )
    subject = models.CharField(_("subject"), max_length=120)
    started_at = models.DateTimeField(_("started"))
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    last_message_at = models.DateTimeField(_("last message"))
    # The first family message the staff have not answered yet (None: nothing waits).
    awaiting_reply_since = models.DateTimeField(_("waiting since"), null=True, blank=True)
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        ordering = ["-last_message_at", "-id"]
        indexes = [
            models.Index(fields=["case", "-last_message_at"], name="thread_case_recent"),
            models.Index(fields=["awaiting_reply_since"], name="thread_waiting"),
        ]

    def __str__(self) -> str:
        return self.subject


class Message(models.Model):
    thread = models.ForeignKey(Thread, on_delete=models.PROTECT, related_name="messages")
    sender = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    from_family = models.BooleanField(_("sent by the family"))
    body = models.TextField(_("message"), max_length=5000, blank=True)
    sent_at = models.DateTimeField(_("sent"))
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        ordering = ["sent_at", "id"]
        indexes = [models.Index(fields=["thread", "sent_at"], name="message_thread_time")]

    def __str__(self) -> str:
        return f"{self.sender} {self.sent_at:%Y-%m-%d %H:%M}"


class Receipt(models.Model):
    """Who read a message, and when they first opened it."""

    message = models.ForeignKey(Message, on_delete=models.PROTECT, related_name="receipts")
    reader = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    read_at = models.DateTimeField(_("read"))

    class Meta:
        ordering = ["read_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["message", "reader"], name="receipt_once_per_reader")
        ]

    def __str__(self) -> str:
        return f"{self.reader} {self.read_at:%Y-%m-%d %H:%M}"


class Attachment(models.Model):
    class Kind(models.TextChoices):
        JPEG = "image/jpeg", _("JPEG image")
        PNG = "image/png", _("PNG image")

    message = models.ForeignKey(Message, on_delete=models.PROTECT, related_name="attachments")
    file = models.FileField(storage=attachment_storage, upload_to=attachment_path, max_length=200)
    content_type = models.CharField(max_length=20, choices=Kind.choices)
    size = models.PositiveIntegerField(_("size in bytes"))
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    name = models.CharField(_("file name"), max_length=120)
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(content_type__in=["image/jpeg", "image/png"]),
                name="attachment_is_an_image",
            )
        ]

    def __str__(self) -> str:
        return self.name
