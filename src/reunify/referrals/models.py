"""Closed-loop referrals: a worker refers a parent or child of a case to a service of the
community directory (`services.Service`); the provider answers and reports through a secret link
(`ProviderLink`, no account); the parent's consent (`Consent`) decides what the provider sees.
Every change is also a `ReferralEvent` (the referral's timeline); attendance and the barriers
that keep a family from a service are recorded per referral.

The states and steps are `rules.py`; the writes are `services.py`."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from reunify.case_plans.models import FamilyPlan
from reunify.cases.models import FamilyCase
from reunify.core.actor import history_user
from reunify.core.models import Versioned
from reunify.people.models import Person
from reunify.referrals import rules
from reunify.services.models import Service


class Status(models.TextChoices):
    DRAFT = rules.DRAFT, _("Draft")
    SENT = rules.SENT, _("Sent, waiting for an answer")
    ACCEPTED = rules.ACCEPTED, _("Accepted")
    DECLINED = rules.DECLINED, _("Declined")
    IN_SERVICE = rules.IN_SERVICE, _("In service")
    COMPLETED = rules.COMPLETED, _("Completed")
    NOT_COMPLETED = rules.NOT_COMPLETED, _("Not completed")
    WITHDRAWN = rules.WITHDRAWN, _("Withdrawn")


class Action(models.TextChoices):
    CREATE = "create", _("Referral written")
    SEND = rules.SEND, _("Sent to the provider")
    ACCEPT = rules.ACCEPT, _("Accepted")
    DECLINE = rules.DECLINE, _("Declined")
    START = rules.START, _("Service started")
    COMPLETE = rules.COMPLETE, _("Completed")
    NOT_COMPLETE = rules.NOT_COMPLETE, _("Not completed")
    WITHDRAW = rules.WITHDRAW, _("Withdrawn")
    ATTENDANCE = "attendance", _("Attendance recorded")
    CONSENT = "consent", _("Consent recorded")
    CONSENT_REVOKED = "consent_revoked", _("Consent revoked")
    BARRIER = "barrier", _("Barrier recorded")
    BARRIER_RESOLVED = "barrier_resolved", _("Barrier resolved")


class By(models.TextChoices):
    WORKER = rules.WORKER, _("Worker")
    PROVIDER = rules.PROVIDER, _("Provider (secure link)")
    SYSTEM = rules.SYSTEM, _("System")


def _reason_when(status: str, field: str) -> Q:
    """`field` is given exactly when the referral is in `status`."""
    return (Q(status=status) & ~Q(**{field: ""})) | (~Q(status=status) & Q(**{field: ""}))


class Referral(Versioned):
    case = models.ForeignKey(FamilyCase, on_delete=models.PROTECT, related_name="referrals")
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="+", verbose_name=_("who is referred")
    )
    service = models.ForeignKey(
        Service, on_delete=models.PROTECT, related_name="referrals", verbose_name=_("service")
    )
    plan = models.ForeignKey(
        FamilyPlan, null=True, blank=True, on_delete=models.PROTECT, related_name="referrals"
    )
    goal_key = models.CharField(_("case-plan goal"), max_length=40, blank=True)
    reason = models.TextField(_("reason for the referral"), max_length=2000)
    status = models.CharField(
        _("status"), max_length=15, choices=Status.choices, default=Status.DRAFT
    )
    created_at = models.DateTimeField(_("written"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    sent_to = models.CharField(_("sent to"), max_length=254, blank=True)
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    declined_at = models.DateTimeField(_("declined"), null=True, blank=True)
    started_at = models.DateTimeField(_("service started"), null=True, blank=True)
    ended_at = models.DateTimeField(_("service ended"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    decline_reason = models.CharField(_("why it was declined"), max_length=500, blank=True)
    not_completed_reason = models.CharField(
        _("why it was not completed"), max_length=500, blank=True
    )
    withdraw_reason = models.CharField(_("why it was withdrawn"), max_length=500, blank=True)
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=rules.STATUSES), name="referral_status_known"
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(sent_at__isnull=False) | Q(status="withdrawn"),
                name="referral_sent_has_time",
            ),
            models.CheckConstraint(
                condition=_reason_when("declined", "decline_reason"),
                name="referral_declined_has_reason",
            ),
            models.CheckConstraint(
                condition=_reason_when("not_completed", "not_completed_reason"),
                name="referral_not_completed_has_reason",
            ),
            models.CheckConstraint(
                condition=_reason_when("withdrawn", "withdraw_reason"),
                name="referral_withdrawn_has_reason",
            ),
        ]
        indexes = [
            # What's due: sent and unanswered for too long.
            models.Index(fields=["status", "sent_at"], name="referral_waiting"),
            models.Index(fields=["case", "-created_at"], name="referral_case_recent"),
        ]

    def __str__(self) -> str:
        return f"Referral {self.pk} ({self.status})"

    @property
    def is_final(self) -> bool:
        return self.status in rules.FINAL

    @property
    def closing_reason(self) -> str:
        return self.decline_reason or self.not_completed_reason or self.withdraw_reason


class ReferralEvent(models.Model):
    """One line of the referral's timeline: a step, attendance, consent or a barrier, by whom
    (a worker, the provider through the link, or the system) and when."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(_("when"))
    action = models.CharField(_("what"), max_length=20, choices=Action.choices)
    from_status = models.CharField(max_length=15, choices=Status.choices, blank=True)
    to_status = models.CharField(max_length=15, choices=Status.choices, blank=True)
    by = models.CharField(_("by"), max_length=10, choices=By.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["referral", "at"], name="referral_event_timeline")]

    def __str__(self) -> str:
        return f"{self.action} {self.at:%Y-%m-%d}"


class ConsentWay(models.TextChoices):
    SIGNED = rules.SIGNED, _("Signed release")
    VERBAL = rules.VERBAL, _("Spoken, with a witness")


class Consent(models.Model):
    """What the parent agreed to share with the provider of this referral. At most one consent
    is in force; revoking it hides every field it allowed from the provider at once (the link
    keeps working for the provider's answers). A new consent may then be recorded."""

    referral = models.ForeignKey(Referral, on_delete=models.PROTECT, related_name="consents")
    given_by = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="+", verbose_name=_("parent who consented")
    )
    share_name = models.BooleanField(_("name"), default=False)
    share_phone = models.BooleanField(_("phone"), default=False)
    share_email = models.BooleanField(_("e-mail"), default=False)
    share_language = models.BooleanField(_("language"), default=False)
    share_address = models.BooleanField(_("home address"), default=False)
    share_reason = models.BooleanField(_("reason for the referral"), default=False)
    share_goal = models.BooleanField(_("case-plan goal"), default=False)
    how = models.CharField(_("how"), max_length=10, choices=ConsentWay.choices)
    witness = models.CharField(_("witness"), max_length=200, blank=True)
    given_on = models.DateField(_("consent given on"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded"))
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    revoke_note = models.CharField(_("note"), max_length=300, blank=True)
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        ordering = ["-recorded_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["referral"],
                condition=Q(revoked_at__isnull=True),
                name="consent_one_in_force",
                violation_error_message=_("This referral already has a consent in force."),
            ),
            models.CheckConstraint(
                condition=~Q(how="verbal") | ~Q(witness=""), name="consent_verbal_has_witness"
            ),
        ]

    def __str__(self) -> str:
        return f"Consent {self.pk} ({', '.join(self.fields) or '-'})"

    @property
    def fields(self) -> tuple[str, ...]:
        return tuple(f for f in rules.SHAREABLE if getattr(self, f"share_{f}"))

    @property
    def in_force(self) -> bool:
        return self.revoked_at is None


class ProviderLink(models.Model):
    """The provider's only credential: a secret token for one referral, for one purpose
    (answering and reporting on the service). Only its SHA-256 is kept, with the token's first
    characters for the lookup; it expires, and withdrawing the referral revokes it."""

    PURPOSE = "respond_update"

    referral = models.ForeignKey(Referral, on_delete=models.PROTECT, related_name="links")
    prefix = models.CharField(max_length=8, db_index=True)
    digest = models.CharField(max_length=64, unique=True)
    purpose = models.CharField(max_length=20, default=PURPOSE, editable=False)
    sent_to = models.CharField(_("sent to"), max_length=254)
    created_at = models.DateTimeField(_("created"))
    expires_at = models.DateTimeField(_("expires"))
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["referral"],
                condition=Q(revoked_at__isnull=True),
                name="provider_link_one_live",
            ),
            models.CheckConstraint(
                condition=Q(purpose="respond_update"), name="provider_link_single_purpose"
            ),
        ]

    def __str__(self) -> str:
        return f"provider link {self.prefix}… of referral {self.referral_id}"


class Attendance(models.Model):
    referral = models.ForeignKey(Referral, on_delete=models.PROTECT, related_name="attendance")
    on = models.DateField(_("date"))
    attended = models.BooleanField(_("attended"))
    note = models.CharField(_("note"), max_length=300, blank=True)
    by = models.CharField(_("recorded by"), max_length=10, choices=By.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded"))
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        ordering = ["-on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["referral", "on"],
                name="attendance_once_a_day",
                violation_error_message=_("Attendance on that date is already recorded."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.on} {'attended' if self.attended else 'missed'}"


class BarrierKind(models.TextChoices):
    TRANSPORT = "transport", _("Transport")
    CHILDCARE = "childcare", _("Childcare")
    COST = "cost", _("Cost")
    LANGUAGE = "language", _("Language")
    WAITLIST = "waitlist", _("Waiting list")
    SCHEDULE = "schedule", _("Schedule")
    OTHER = "other", _("Other")


class Barrier(models.Model):
    """Something that keeps the family from the service; summarised per unit so that leaders
    see which services families cannot reach."""

    referral = models.ForeignKey(Referral, on_delete=models.PROTECT, related_name="barriers")
    kind = models.CharField(_("barrier"), max_length=10, choices=BarrierKind.choices)
    note = models.CharField(_("note"), max_length=300, blank=True)
    recorded_at = models.DateTimeField(_("recorded"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        ordering = ["resolved_at", "-recorded_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=rules.BARRIER_KINDS), name="barrier_kind_known"
            ),
            models.CheckConstraint(
                condition=Q(resolved_at__isnull=True) | Q(resolved_at__gte=models.F("recorded_at")),
                name="barrier_resolved_after_recorded",
            ),
        ]
        indexes = [models.Index(fields=["recorded_at"], name="barrier_recorded")]

    def __str__(self) -> str:
        return self.get_kind_display()
