"""Reminders of upcoming family time: who agreed to receive them and how (`Subscription`), and
one `Reminder` per session and subscription with what became of it and the recipient's answer."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from reunify.cases.models import RemovalEpisode, ResourceProvider
from reunify.core.actor import history_user
from reunify.family_time.models import FamilyTimeSession
from reunify.people.models import Person


class Channel(models.TextChoices):
    EMAIL = "email", _("E-mail")
    SMS = "sms", _("Text message (SMS)")


class Language(models.TextChoices):
    ENGLISH = "en", _("English")
    SPANISH = "es", _("Spanish")


class Subscription(models.Model):
    """Consent to receive family-time reminders for one child's removal episode, by one channel,
    recorded by a worker. The recipient is a parent or relative who takes part in the child's
    family-time plan (`person`) or the resource family the child lives with (`provider`)."""

    episode = models.ForeignKey(
        RemovalEpisode, on_delete=models.PROTECT, related_name="reminder_subscriptions"
    )
    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    provider = models.ForeignKey(
        ResourceProvider, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    channel = models.CharField(_("send by"), max_length=5, choices=Channel.choices)
    destination = models.CharField(_("e-mail address or mobile number"), max_length=254)
    language = models.CharField(_("language"), max_length=2, choices=Language.choices)
    active = models.BooleanField(_("active"), default=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("consent recorded"))
    stopped_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    stopped_at = models.DateTimeField(_("stopped"), null=True, blank=True)
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        ordering = ["-active", "-recorded_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(person__isnull=False, provider__isnull=True)
                | Q(person__isnull=True, provider__isnull=False),
                name="subscription_one_recipient",
            ),
            models.CheckConstraint(
                condition=Q(active=True, stopped_at__isnull=True)
                | Q(active=False, stopped_at__isnull=False),
                name="subscription_stopped_when_inactive",
            ),
            models.UniqueConstraint(
                fields=["episode", "channel", "destination"],
                condition=Q(active=True),
                name="subscription_once_per_destination",
                violation_error_message=_(
                    "Reminders for this child already go to that address or number."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.recipient_label} by {self.channel}"

    @property
    def recipient_label(self) -> str:
        if self.person_id:
            return self.person.full_name
        return gettext("Resource family: %(name)s") % {"name": self.provider.name}


class Status(models.TextChoices):
    PENDING = "pending", _("Waiting to be sent")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Could not be sent")
    SKIPPED = "skipped", _("Not sent")


class Response(models.TextChoices):
    CONFIRMED = "confirmed", _("Will be there")
    CANNOT_COME = "cannot_come", _("Cannot come")


class Reminder(models.Model):
    """One reminder of one session to one subscription. The token in the response link is the
    recipient's only credential for answering: it opens that session's page and nothing else."""

    session = models.ForeignKey(
        FamilyTimeSession, on_delete=models.PROTECT, related_name="reminders"
    )
    subscription = models.ForeignKey(
        Subscription, on_delete=models.PROTECT, related_name="reminders"
    )
    send_at = models.DateTimeField(_("to be sent at"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    reason = models.CharField(_("why it was not sent"), max_length=300, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    language = models.CharField(_("language"), max_length=2, choices=Language.choices)
    token = models.CharField(max_length=64, unique=True)
    response = models.CharField(_("answer"), max_length=12, choices=Response.choices, blank=True)
    responded_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    response_note = models.CharField(_("note from the recipient"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("planned at"))
    history = HistoricalRecords(get_user=history_user, excluded_fields=["token"])

    class Meta:
        ordering = ["send_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "subscription"], name="reminder_once_per_session"
            ),
            models.CheckConstraint(
                condition=Q(status="sent", sent_at__isnull=False)
                | (~Q(status="sent") & Q(sent_at__isnull=True)),
                name="reminder_sent_has_time",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["skipped", "failed"]) & ~Q(reason="")
                | (~Q(status__in=["skipped", "failed"]) & Q(reason="")),
                name="reminder_not_sent_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(response="", responded_at__isnull=True)
                | (~Q(response="") & Q(responded_at__isnull=False, status="sent")),
                name="reminder_answer_after_sending",
            ),
        ]
        indexes = [models.Index(fields=["status", "send_at"], name="reminder_due")]

    def __str__(self) -> str:
        return f"reminder {self.pk} ({self.status})"
