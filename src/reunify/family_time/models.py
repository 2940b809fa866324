"""Family time (parent-child and sibling visits): a plan per child's removal episode, the
sessions it schedules, and the changes of level on the family-time ladder (`rules.LEVELS`)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from reunify.cases.models import RemovalEpisode
from reunify.core.actor import history_user
from reunify.core.models import Versioned
from reunify.court.models import CourtOrder
from reunify.family_time import rules
from reunify.people.models import Person


class Level(models.TextChoices):
    """The default ladder, most restrictive first (the order of `rules.LEVELS`)."""

    SUSPENDED = "suspended", _("Suspended")
    THERAPEUTIC_SUPERVISED = "therapeutic_supervised", _("Therapeutic supervised")
    SUPERVISED = "supervised", _("Supervised")
    MONITORED = "monitored", _("Monitored")
    UNSUPERVISED_DAY = "unsupervised_day", _("Unsupervised, day")
    UNSUPERVISED_OVERNIGHT = "unsupervised_overnight", _("Unsupervised, overnight")
    EXTENDED = "extended", _("Extended")
    TRIAL_HOME_VISIT = "trial_home_visit", _("Trial home visit")


class LocationType(models.TextChoices):
    AGENCY_ROOM = "agency_room", _("Agency visit room")
    COMMUNITY = "community", _("Community")
    PARENT_HOME = "parent_home", _("Parent's home")
    RESOURCE_HOME = "resource_family_home", _("Resource family home")
    OTHER = "other", _("Other")


class PlanKind(models.TextChoices):
    """Whom the child sees. A child has at most one current plan of each kind: family time with
    the parents, with siblings placed elsewhere, and with relatives or other important people."""

    PARENT = "parent", _("Parents")
    SIBLING = "sibling", _("Siblings")
    RELATIVE = "relative", _("Relatives and others")


WEEKDAYS = [
    (0, _("Monday")),
    (1, _("Tuesday")),
    (2, _("Wednesday")),
    (3, _("Thursday")),
    (4, _("Friday")),
    (5, _("Saturday")),
    (6, _("Sunday")),
]


class FamilyTimePlan(Versioned):
    episode = models.ForeignKey(
        RemovalEpisode, on_delete=models.PROTECT, related_name="family_time_plans"
    )
    kind = models.CharField(
        _("family time with"),
        max_length=10,
        choices=PlanKind.choices,
        default=PlanKind.PARENT,
        db_default=PlanKind.PARENT,
    )
    participants = models.ManyToManyField(
        Person, blank=True, related_name="family_time_plans", verbose_name=_("who attends")
    )
    level = models.CharField(_("level"), max_length=30, choices=Level.choices)
    weekdays = models.CharField(_("days of the week"), max_length=13)  # "0,3": Monday, Thursday
    start_time = models.TimeField(_("start time"))
    duration_minutes = models.PositiveSmallIntegerField(_("length in minutes"))
    location_type = models.CharField(_("location"), max_length=30, choices=LocationType.choices)
    address = models.CharField(_("address or place"), max_length=300, blank=True)
    location_confidential = models.BooleanField(
        _("location is confidential (not shown to parents)"), default=False
    )
    supervisor = models.CharField(_("supervised or monitored by"), max_length=200, blank=True)
    transport = models.CharField(_("transport"), max_length=300, blank=True)
    not_permitted = models.CharField(_("who may not attend"), max_length=300, blank=True)
    court_floor = models.CharField(
        _("court-ordered floor (least restrictive level allowed)"),
        max_length=30,
        choices=Level.choices,
        blank=True,
    )
    court_order = models.ForeignKey(
        CourtOrder,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="family_time_plans",
        verbose_name=_("court order"),
    )
    effective_from = models.DateField(_("effective from"))
    effective_to = models.DateField(_("effective to"), null=True, blank=True)
    next_review_on = models.DateField(_("next review"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        ordering = ["-effective_from", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["episode", "kind"],
                condition=Q(effective_to__isnull=True),
                name="one_current_family_time_plan_per_kind",
                violation_error_message=_(
                    "The child already has a current family-time plan of this kind."
                ),
            ),
            models.CheckConstraint(
                condition=Q(effective_to__isnull=True) | Q(effective_to__gte=F("effective_from")),
                name="family_time_plan_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(court_order__isnull=True) | ~Q(court_floor=""),
                name="family_time_order_sets_floor",
                violation_error_message=_("A court order on the plan needs its floor level."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_level_display()} from {self.effective_from}"

    @property
    def weekday_list(self) -> list[int]:
        return rules.parse_weekdays(self.weekdays)

    @property
    def weekday_labels(self) -> list[str]:
        names = dict(WEEKDAYS)
        return [str(names[d]) for d in self.weekday_list]


class SessionStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    HELD = "held", _("Held")
    CANCELLED = "cancelled", _("Cancelled")
    NO_SHOW = "no_show", _("No-show")


class SessionKind(models.TextChoices):
    """Where a session comes from: the plan's weekly schedule, or added once (`session_add`).
    A transition visit is a one-off session on the way to a trial home visit (road_home)."""

    REGULAR = "regular", _("From the schedule")
    ONE_OFF = "one_off", _("Added once")
    TRANSITION = "transition", _("Transition visit")


class CancelledBy(models.TextChoices):
    PARENT = "parent", _("Parent")
    RESOURCE_FAMILY = "resource_family", _("Resource family")
    AGENCY = "agency", _("Agency")
    PROVIDER = "provider", _("Visit provider")
    CHILD = "child", _("Child")


class Quality(models.IntegerChoices):
    CONCERNING = 1, _("1 — Concerning")
    NEEDS_WORK = 2, _("2 — Needs work")
    GOOD = 3, _("3 — Good")
    STRONG = 4, _("4 — Strong")


class FamilyTimeSession(Versioned):
    plan = models.ForeignKey(FamilyTimePlan, on_delete=models.PROTECT, related_name="sessions")
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    status = models.CharField(
        _("status"), max_length=10, choices=SessionStatus.choices, default=SessionStatus.SCHEDULED
    )
    kind = models.CharField(
        _("kind of session"),
        max_length=10,
        choices=SessionKind.choices,
        default=SessionKind.REGULAR,
        db_default=SessionKind.REGULAR,
    )
    note = models.CharField(_("note"), max_length=300, blank=True, default="", db_default="")
    cancelled_by = models.CharField(
        _("cancelled by"), max_length=20, choices=CancelledBy.choices, blank=True
    )
    cancel_reason = models.CharField(_("why it was cancelled"), max_length=300, blank=True)
    attendees = models.CharField(_("who came"), max_length=300, blank=True)
    actual_minutes = models.PositiveSmallIntegerField(_("minutes it lasted"), null=True, blank=True)
    observations = models.TextField(_("observations"), blank=True)
    quality = models.PositiveSmallIntegerField(
        _("quality of the visit"), choices=Quality.choices, null=True, blank=True
    )
    safety_incident = models.BooleanField(_("safety incident"), default=False)
    safety_note = models.TextField(_("what happened"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        ordering = ["starts_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="family_time_session_ends_after_start"
            ),
            models.CheckConstraint(
                condition=(
                    Q(status=SessionStatus.CANCELLED) & ~Q(cancelled_by="") & ~Q(cancel_reason="")
                )
                | (~Q(status=SessionStatus.CANCELLED) & Q(cancelled_by="")),
                name="family_time_cancel_has_who_and_why",
                violation_error_message=_("A cancellation needs who cancelled and why."),
            ),
            models.CheckConstraint(
                condition=Q(quality__isnull=True) | Q(quality__gte=1, quality__lte=4),
                name="family_time_quality_1_to_4",
            ),
            models.CheckConstraint(
                condition=Q(safety_incident=False) | ~Q(safety_note=""),
                name="family_time_incident_has_note",
                violation_error_message=_("Describe the safety incident."),
            ),
        ]
        indexes = [models.Index(fields=["plan", "starts_at"], name="family_time_plan_start")]

    def __str__(self) -> str:
        return f"{self.starts_at:%Y-%m-%d %H:%M} {self.status}"


class ChangeStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    APPROVED = "approved", _("Approved")  # reserved: approval for a later date is not built yet
    REJECTED = "rejected", _("Rejected")
    APPLIED = "applied", _("Applied")


class LevelChange(models.Model):
    """A move on the ladder: proposed by a worker, decided by the unit supervisor when it is toward
    less supervision, applied at once when it is toward more, or by a restriction after a safety
    incident."""

    plan = models.ForeignKey(FamilyTimePlan, on_delete=models.PROTECT, related_name="changes")
    from_level = models.CharField(_("from"), max_length=30, choices=Level.choices)
    to_level = models.CharField(_("to"), max_length=30, choices=Level.choices)
    is_restriction = models.BooleanField(_("immediate restriction"), default=False)
    session = models.ForeignKey(
        FamilyTimeSession, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.CharField(_("reason"), max_length=300)
    evidence = models.TextField(_("evidence"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=ChangeStatus.choices)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    proposed_at = models.DateTimeField(_("proposed at"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.CharField(_("decision note"), max_length=300, blank=True)
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        ordering = ["-proposed_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan"],
                condition=Q(status="proposed"),
                name="one_open_level_proposal",
                violation_error_message=_("A level change is already waiting for a decision."),
            ),
            models.CheckConstraint(
                condition=~Q(reason=""),
                name="level_change_has_reason",
                violation_error_message=_("Give the reason for the change."),
            ),
            models.CheckConstraint(
                condition=~Q(from_level=F("to_level")), name="level_change_changes_level"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.from_level} → {self.to_level} ({self.status})"


class CalendarKind(models.TextChoices):
    WORKER = "worker", _("My schedule")
    CHILD = "child", _("A child's family time")


class CalendarToken(models.Model):
    """A secret address for a calendar app to subscribe to (calendar apps cannot sign in). The feed
    checks the policy for `user` at every request; revoking the token ends the feed at once."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="calendar_tokens"
    )
    kind = models.CharField(_("calendar"), max_length=10, choices=CalendarKind.choices)
    episode = models.ForeignKey(
        RemovalEpisode,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="calendar_tokens",
    )
    token = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("created"))
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="child") & Q(episode__isnull=False))
                | (Q(kind="worker") & Q(episode__isnull=True)),
                name="calendar_token_child_has_episode",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} calendar of {self.user_id}"


class LevelName(models.Model):
    """An agency's own name for a level of the ladder, in English and Spanish; a blank name keeps
    the default. The ladder's order and rules do not change: only what people read."""

    agency = models.ForeignKey(
        "accounts.Agency", on_delete=models.CASCADE, related_name="family_time_level_names"
    )
    level = models.CharField(_("level"), max_length=30, choices=Level.choices)
    name_en = models.CharField(_("name in English"), max_length=60, blank=True)
    name_es = models.CharField(_("name in Spanish"), max_length=60, blank=True)
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        ordering = ["agency", "level"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "level"], name="one_name_per_agency_level")
        ]

    def __str__(self) -> str:
        return f"{self.level}: {self.name_en or '—'} / {self.name_es or '—'}"
