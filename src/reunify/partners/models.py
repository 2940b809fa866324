"""Parent partners: the mentors (parents with lived experience) and each parent's voluntary
participation, the parent's consent to share with the mentor, and the mentor's contact log.

The states and steps are `rules.py`, the ranking `matching.py`, the writes `services.py`."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from reunify.accounts.models import Agency
from reunify.cases.models import FamilyCase
from reunify.core.actor import history_user
from reunify.core.models import Versioned
from reunify.partners import rules
from reunify.people.models import Person

DEFAULT_CAPACITY = 8


class Experience(models.TextChoices):
    """Lived-experience tags, shared by mentors (what they lived) and parents (what they would
    like a mentor to have lived)."""

    RECOVERY = "recovery", _("Recovery from substance use")
    DOMESTIC_VIOLENCE = "domestic_violence", _("Domestic violence")
    INCARCERATION = "incarceration", _("Incarceration")
    CHILD_WELFARE = "child_welfare", _("Child welfare involvement")
    HOUSING = "housing", _("Housing instability")
    MENTAL_HEALTH = "mental_health", _("Mental health")
    REUNIFIED = "reunified", _("Reunified with their children")
    YOUNG_PARENT = "young_parent", _("Young parent")


class Mentor(Versioned):
    """A parent partner. The account (role parent_partner) is made when the mentor follows the
    one-time link an agency administrator or supervisor gave them; until then `user` is empty."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="mentor",
    )
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    experiences = models.JSONField(_("lived experience"), default=list, blank=True)
    languages = models.JSONField(_("languages"), default=list, blank=True)
    counties = models.JSONField(_("counties"), default=list, blank=True)
    zip_codes = models.JSONField(_("ZIP codes"), default=list, blank=True)
    capacity = models.PositiveSmallIntegerField(_("families at most"), default=DEFAULT_CAPACITY)
    is_active = models.BooleanField(_("active"), default=True)
    eligibility_evidence = models.TextField(_("what was verified"), max_length=2000)
    eligibility_verified_on = models.DateField(_("verified on"))
    eligibility_verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("verified by"),
    )
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    setup_token_hash = models.CharField(max_length=64, blank=True)
    setup_expires_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords(get_user=history_user, excluded_fields=["setup_token_hash"])

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(capacity__gte=1) & Q(capacity__lte=30), name="mentor_capacity_range"
            ),
            models.CheckConstraint(
                condition=~Q(eligibility_evidence=""), name="mentor_eligibility_recorded"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def experience_labels(self) -> list[str]:
        return [str(Experience(e).label) for e in self.experiences if e in Experience.values]


class Status(models.TextChoices):
    REFERRED = rules.REFERRED, _("Referred")
    OFFERED = rules.OFFERED, _("Offered to the parent")
    ACCEPTED = rules.ACCEPTED, _("Accepted, waiting for a match")
    DECLINED = rules.DECLINED, _("Declined")
    ACTIVE = rules.ACTIVE, _("Active")
    CLOSED = rules.CLOSED, _("Closed")


class Participation(Versioned):
    """One parent's voluntary participation in the parent-partner programme, in one case. The
    parent's area and goals are what the parent chose to tell the programme; the goals, in the
    parent's own words, are part of what the mentor sees (with consent)."""

    case = models.ForeignKey(FamilyCase, on_delete=models.PROTECT, related_name="+")
    parent = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.REFERRED
    )
    experiences = models.JSONField(_("experience the parent would like shared"), default=list)
    language = models.CharField(_("preferred language"), max_length=60, blank=True)
    county = models.CharField(_("county"), max_length=60, blank=True)
    zip_code = models.CharField(_("ZIP code"), max_length=10, blank=True)
    goals = models.TextField(_("the parent's goals, in their own words"), blank=True)
    mentor = models.ForeignKey(
        Mentor, null=True, blank=True, on_delete=models.PROTECT, related_name="participations"
    )
    match_reasons = models.CharField(_("why this mentor"), max_length=500, blank=True)
    referred_at = models.DateTimeField(_("referred"))
    referred_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    offered_at = models.DateTimeField(_("offered"), null=True, blank=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    matched_at = models.DateTimeField(_("matched"), null=True, blank=True)
    matched_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    close_reason = models.CharField(_("why it closed"), max_length=300, blank=True)
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        ordering = ["-referred_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=rules.STATUSES), name="participation_status_known"
            ),
            models.CheckConstraint(
                condition=~Q(status="active") | Q(mentor__isnull=False),
                name="participation_active_has_mentor",
            ),
            models.CheckConstraint(
                condition=(Q(status="closed") & ~Q(close_reason=""))
                | (~Q(status="closed") & Q(close_reason="")),
                name="participation_closed_has_reason",
            ),
            models.UniqueConstraint(
                fields=["case", "parent"],
                condition=~Q(status__in=["declined", "closed"]),
                name="participation_one_open_per_parent",
            ),
        ]

    def __str__(self) -> str:
        return f"Participation {self.pk} ({self.status})"

    @property
    def is_final(self) -> bool:
        return self.status in rules.FINAL


class PartnerConsent(models.Model):
    """The parent's consent to share the parent-shared field set with their mentor: first name,
    preferred language, phone (only when `share_phone`), the next court date and the next family
    time date (never the place), and their goals in their own words. Nothing else is ever shared.
    It holds from `given_on` until the day before `expires_on`, unless revoked."""

    participation = models.ForeignKey(
        Participation, on_delete=models.PROTECT, related_name="consents"
    )
    share_phone = models.BooleanField(_("share the parent's phone"), default=False)
    given_on = models.DateField(_("consent given on"))
    expires_on = models.DateField(_("consent expires on"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded"))
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        ordering = ["-recorded_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_on__gt=models.F("given_on")),
                name="partner_consent_expires_after_given",
            ),
            models.UniqueConstraint(
                fields=["participation"],
                condition=Q(revoked_at__isnull=True),
                name="partner_consent_one_unrevoked",
            ),
        ]

    def __str__(self) -> str:
        return f"Consent {self.pk} ({self.given_on} to {self.expires_on})"

    def is_current(self, today: dt.date) -> bool:
        return self.revoked_at is None and self.given_on <= today < self.expires_on


def consent_current_q(today: dt.date, prefix: str = "") -> Q:
    """Rows whose consent (at `prefix`) is on file, not revoked and not expired on `today`."""
    return Q(
        **{
            f"{prefix}revoked_at__isnull": True,
            f"{prefix}given_on__lte": today,
            f"{prefix}expires_on__gt": today,
        }
    )


class ContactMode(models.TextChoices):
    PHONE = "phone", _("Phone")
    IN_PERSON = "in_person", _("In person")
    TEXT = "text", _("Text message")
    VIDEO = "video", _("Video")


class ContactEvent(models.TextChoices):
    COURT = "court", _("Court")
    TEAM_MEETING = "team_meeting", _("Team meeting")
    VISIT_SUPPORT = "visit_support", _("Family time support")
    OTHER = "other", _("Other")


class PartnerContact(models.Model):
    """One contact the mentor logged with a matched parent."""

    participation = models.ForeignKey(
        Participation, on_delete=models.PROTECT, related_name="contacts"
    )
    mentor = models.ForeignKey(Mentor, on_delete=models.PROTECT, related_name="contacts")
    on = models.DateField(_("date"))
    mode = models.CharField(_("how"), max_length=10, choices=ContactMode.choices)
    event = models.CharField(_("what for"), max_length=15, choices=ContactEvent.choices)
    note = models.TextField(_("note"), max_length=1000, blank=True)
    recorded_at = models.DateTimeField()
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        ordering = ["-on", "-id"]
        indexes = [models.Index(fields=["mentor", "on"], name="partner_contact_month")]

    def __str__(self) -> str:
        return f"Contact {self.on}"
