"""Case plans. One plan per family case (`FamilyPlan`), written with the family in versions
(`PlanVersion`, content in `document.py`); planning meetings, parents' signatures, and progress
per goal kept apart from service attendance. `CasePlan` is the completion event per child's
removal episode that the statutory clocks read: making a version final records one per child."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from reunify.case_plans import document
from reunify.cases.models import FamilyCase, RemovalEpisode
from reunify.core.actor import history_user
from reunify.core.models import Versioned
from reunify.people.models import Person


class CasePlan(models.Model):
    class Kind(models.TextChoices):
        INITIAL = "initial", _("Initial case plan")
        UPDATE = "update", _("Case plan update")

    episode = models.ForeignKey(RemovalEpisode, on_delete=models.PROTECT, related_name="case_plans")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    completed_on = models.DateField(_("completed on"))
    developed_with_parents = models.BooleanField(_("written with the parents"), default=True)
    parents_not_involved_reason = models.CharField(
        _("why the parents did not take part"), max_length=300, blank=True
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    # The plan version whose completion this is (None: recorded directly on the record page).
    plan_version = models.ForeignKey(
        "case_plans.PlanVersion",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="completions",
    )
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        ordering = ["completed_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(developed_with_parents=True)
                | ~models.Q(parents_not_involved_reason=""),
                name="case_plan_parent_involvement_explained",
                violation_error_message=_("Say why the parents did not take part in the plan."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.completed_on}"


class FamilyPlan(Versioned):
    """The case plan of a family case. `version` goes up with every change to any of its
    versions, meetings or signatures: an edit form opened before a change is refused."""

    case = models.OneToOneField(FamilyCase, on_delete=models.PROTECT, related_name="family_plan")
    created_at = models.DateTimeField(_("started"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords(get_user=history_user)

    def __str__(self) -> str:
        return f"Case plan of {self.case}"


class VersionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    FINAL = "final", _("Final")
    SUPERSEDED = "superseded", _("Replaced by a later version")


class PlanVersion(models.Model):
    """One version of the plan. Only a draft changes; a final version is kept as it was, and the
    next change starts a new draft copying it. At most one draft and one final version at a
    time; older final versions are superseded."""

    plan = models.ForeignKey(FamilyPlan, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    status = models.CharField(
        _("status"), max_length=10, choices=VersionStatus.choices, default=VersionStatus.DRAFT
    )
    document = models.JSONField(_("content"), default=dict)
    created_at = models.DateTimeField(_("started"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    finalized_at = models.DateTimeField(_("made final"), null=True, blank=True)
    finalized_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        ordering = ["plan", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="plan_version_number_once"),
            models.UniqueConstraint(
                fields=["plan"],
                condition=Q(status="draft"),
                name="one_draft_per_plan",
                violation_error_message=_("The plan already has a draft version."),
            ),
            models.UniqueConstraint(
                fields=["plan"], condition=Q(status="final"), name="one_final_version_per_plan"
            ),
            models.CheckConstraint(
                condition=Q(status="draft", finalized_at__isnull=True)
                | (~Q(status="draft") & Q(finalized_at__isnull=False)),
                name="plan_version_final_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"Version {self.number} ({self.status})"

    @property
    def is_draft(self) -> bool:
        return self.status == VersionStatus.DRAFT


class PlanningMeeting(models.Model):
    """Who took part in writing a version, and the parents' own words."""

    version = models.ForeignKey(PlanVersion, on_delete=models.PROTECT, related_name="meetings")
    held_on = models.DateField(_("meeting date"))
    youth_present = models.BooleanField(_("the youth took part"), default=False)
    resource_family_present = models.BooleanField(_("the resource family took part"), default=False)
    parent_partner_present = models.BooleanField(_("a parent partner took part"), default=False)
    others = models.CharField(_("others who took part"), max_length=300, blank=True)
    strengths = models.TextField(_("the parents' strengths, in their words"), blank=True)
    needs = models.TextField(_("what the parents need, in their words"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded"))
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return f"Planning meeting {self.held_on}"


class MeetingParent(models.Model):
    """Each parent of the case at a planning meeting: present, or the reason they were not."""

    meeting = models.ForeignKey(PlanningMeeting, on_delete=models.CASCADE, related_name="parents")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    present = models.BooleanField(_("took part"))
    absence_reason = models.CharField(_("why they did not take part"), max_length=300, blank=True)

    class Meta:
        ordering = ["meeting", "person__last_name", "person__first_name"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "person"], name="meeting_parent_once"),
            models.CheckConstraint(
                condition=Q(present=True) | ~Q(absence_reason=""),
                name="absent_parent_has_reason",
                violation_error_message=_("Say why the parent did not take part."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} {'present' if self.present else 'absent'}"


class Signature(models.Model):
    """A parent's or youth's signature on a version: the name they typed, when, and their own
    account when they sign in the portal (None when the worker records a signature in person)."""

    version = models.ForeignKey(PlanVersion, on_delete=models.PROTECT, related_name="signatures")
    signer = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    typed_name = models.CharField(_("name typed by the signer"), max_length=200)
    signed_at = models.DateTimeField(_("signed at"))
    account = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["signed_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["version", "signer"], name="sign_a_version_once"),
        ]

    def __str__(self) -> str:
        return f"{self.typed_name} {self.signed_at:%Y-%m-%d}"


class Rating(models.IntegerChoices):
    """Behavioural progress on a goal (`document.RATINGS`); 4 is the only rating that meets it."""

    NO_CHANGE = 1, _("1 — No change yet")
    SOME_CHANGE = 2, _("2 — Some change, not yet steady")
    CHANGE_SHOWN = 3, _("3 — Change shown")
    SUSTAINED = 4, _("4 — Change sustained")


class GoalProgress(models.Model):
    """Behaviour change on a goal, rated with the evidence seen. Attendance is another record."""

    plan = models.ForeignKey(FamilyPlan, on_delete=models.PROTECT, related_name="progress")
    goal_key = models.CharField(max_length=36)
    recorded_on = models.DateField(_("date"))
    rating = models.PositiveSmallIntegerField(_("progress"), choices=Rating.choices)
    evidence = models.TextField(_("what shows it"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        ordering = ["-recorded_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(rating__gte=1) & Q(rating__lte=document.CHANGE_SUSTAINED),
                name="goal_progress_rating_1_to_4",
            ),
            models.CheckConstraint(
                condition=~Q(evidence=""),
                name="goal_progress_has_evidence",
                violation_error_message=_("Describe what shows the progress."),
            ),
        ]
        indexes = [models.Index(fields=["plan", "goal_key", "-recorded_on"], name="progress_goal")]

    def __str__(self) -> str:
        return f"{self.goal_key} {self.rating} {self.recorded_on}"


class ServiceAttendance(models.Model):
    """Service compliance on a goal over a period: sessions attended of those scheduled. It shows
    that a parent went, never that the behaviour changed."""

    plan = models.ForeignKey(FamilyPlan, on_delete=models.PROTECT, related_name="attendance")
    goal_key = models.CharField(max_length=36)
    service_name = models.CharField(_("service"), max_length=200)
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("to"))
    sessions_scheduled = models.PositiveSmallIntegerField(_("sessions scheduled"))
    sessions_attended = models.PositiveSmallIntegerField(_("sessions attended"))
    note = models.CharField(_("note"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        ordering = ["-period_end", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(sessions_attended__lte=F("sessions_scheduled")),
                name="attended_at_most_scheduled",
                violation_error_message=_("Sessions attended cannot exceed sessions scheduled."),
            ),
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")), name="attendance_period_order"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.service_name} {self.sessions_attended}/{self.sessions_scheduled}"
