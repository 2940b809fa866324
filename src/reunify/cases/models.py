"""The family case and what hangs from it: participants, worker assignments, resource
providers, removal episodes, placements and permanency goals.

Case, removal episode and placement are three different things (DESIGN §4.2): a case holds a
family; each removal of a child opens an episode; an episode holds placements. A trial home visit
is a placement setting inside an open episode, not a discharge."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from reunify.accounts.models import Agency, Unit
from reunify.core.actor import history_user
from reunify.core.models import Versioned
from reunify.people.models import Address, Person


class FamilyCase(Versioned):
    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="cases")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="cases")
    number = models.CharField(_("case number"), max_length=30)
    name = models.CharField(_("family name"), max_length=120)
    opened_on = models.DateField(_("opened on"))
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    # The current assigned worker, kept in step with the open CaseAssignment by the services so
    # that caseload queries need no subquery.
    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="cases",
        verbose_name=_("assigned worker"),
    )
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "number"], name="case_number_unique"),
            models.CheckConstraint(
                condition=Q(closed_on__isnull=True) | Q(closed_on__gte=F("opened_on")),
                name="case_closed_after_opened",
            ),
        ]
        indexes = [
            models.Index(fields=["worker", "status"], name="case_worker_status"),
            models.Index(fields=["unit", "status"], name="case_unit_status"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.number})"


class ParticipantRole(models.TextChoices):
    CHILD = "child", _("Child")
    PARENT = "parent", _("Parent")
    RELATIVE = "relative", _("Relative")
    SUPPORT = "support", _("Support")


class CaseParticipant(models.Model):
    case = models.ForeignKey(FamilyCase, on_delete=models.CASCADE, related_name="participants")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="participations")
    role = models.CharField(_("role"), max_length=10, choices=ParticipantRole.choices)
    added_on = models.DateField(_("added on"))
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        ordering = ["role", "person__last_name", "person__first_name"]
        constraints = [
            models.UniqueConstraint(fields=["case", "person"], name="participant_once_per_case")
        ]

    def __str__(self) -> str:
        return f"{self.person} ({self.get_role_display()})"


class CaseAssignment(models.Model):
    """Who carried the case and when: continuity of worker is itself an outcome to watch."""

    case = models.ForeignKey(FamilyCase, on_delete=models.CASCADE, related_name="assignments")
    worker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    started_on = models.DateField()
    ended_on = models.DateField(null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        ordering = ["-started_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["case"], condition=Q(ended_on__isnull=True), name="one_current_assignment"
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=F("started_on")),
                name="assignment_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.worker} from {self.started_on}"


class PlacementSetting(models.TextChoices):
    """AFCARS placement settings (cfsr.md §11), plus respite as a temporary absence."""

    PRE_ADOPTIVE_HOME = "pre_adoptive_home", _("Pre-adoptive home")
    FOSTER_FAMILY_RELATIVE = "foster_family_relative", _("Foster family home, relative (kin)")
    FOSTER_FAMILY_NONRELATIVE = "foster_family_nonrelative", _("Foster family home, non-relative")
    GROUP_HOME = "group_home", _("Group home")
    INSTITUTION = "institution", _("Institution")
    SUPERVISED_INDEPENDENT_LIVING = (
        "supervised_independent_living",
        _("Supervised independent living"),
    )
    RUNAWAY = "runaway", _("Runaway")
    TRIAL_HOME_VISIT = "trial_home_visit", _("Trial home visit")
    RESPITE = "respite", _("Respite")


# Settings that need a provider (a resource family or facility); the others do not.
SETTINGS_WITH_PROVIDER = {
    PlacementSetting.PRE_ADOPTIVE_HOME,
    PlacementSetting.FOSTER_FAMILY_RELATIVE,
    PlacementSetting.FOSTER_FAMILY_NONRELATIVE,
    PlacementSetting.GROUP_HOME,
    PlacementSetting.INSTITUTION,
    PlacementSetting.RESPITE,
}


class ResourceProvider(Versioned):
    """A resource (foster or kin) family or a facility. Its address is confidential: it is never
    shown to birth parents (DESIGN §4.5)."""

    class Kind(models.TextChoices):
        KIN_FAMILY = "kin_family", _("Kin (relative) family")
        FOSTER_FAMILY = "foster_family", _("Non-relative foster family")
        PRE_ADOPTIVE = "pre_adoptive", _("Pre-adoptive family")
        GROUP_HOME = "group_home", _("Group home")
        INSTITUTION = "institution", _("Institution or residential facility")

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="providers")
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    address = models.ForeignKey(
        Address, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    capacity = models.PositiveSmallIntegerField(_("capacity"), default=2)
    is_active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_kin(self) -> bool:
        return self.kind == self.Kind.KIN_FAMILY


class RemovalReason(models.TextChoices):
    """AFCARS circumstances of removal (45 CFR 1355 Appendix A, element 26-40)."""

    PHYSICAL_ABUSE = "physical_abuse", _("Physical abuse")
    SEXUAL_ABUSE = "sexual_abuse", _("Sexual abuse")
    NEGLECT = "neglect", _("Neglect")
    PARENT_ALCOHOL = "parent_alcohol", _("Parent alcohol use")
    PARENT_DRUGS = "parent_drugs", _("Parent drug use")
    CHILD_ALCOHOL = "child_alcohol", _("Child alcohol use")
    CHILD_DRUGS = "child_drugs", _("Child drug use")
    CHILD_DISABILITY = "child_disability", _("Child disability")
    CHILD_BEHAVIOR = "child_behavior", _("Child behavior problem")
    PARENT_DEATH = "parent_death", _("Death of parent")
    PARENT_INCARCERATION = "parent_incarceration", _("Incarceration of parent")
    CARETAKER_UNABLE = "caretaker_unable", _("Caretaker unable to cope")
    ABANDONMENT = "abandonment", _("Abandonment")
    RELINQUISHMENT = "relinquishment", _("Relinquishment")
    INADEQUATE_HOUSING = "inadequate_housing", _("Inadequate housing")


class LegalAuthority(models.TextChoices):
    COURT_ORDER = "court_order", _("Court order")
    VOLUNTARY = "voluntary", _("Voluntary placement agreement")


class DischargeReason(models.TextChoices):
    """AFCARS reasons for discharge (cfsr.md §11)."""

    REUNIFICATION = "reunification", _("Reunified with parent or primary caretaker")
    LIVING_WITH_RELATIVE = "living_with_relative", _("Living with other relative")
    ADOPTION = "adoption", _("Adoption")
    EMANCIPATION = "emancipation", _("Emancipation")
    GUARDIANSHIP = "guardianship", _("Guardianship")
    TRANSFER = "transfer_to_another_agency", _("Transfer to another agency")
    RUNAWAY = "runaway", _("Runaway")
    DEATH = "death", _("Death of child")


class RemovalEpisode(Versioned):
    case = models.ForeignKey(FamilyCase, on_delete=models.PROTECT, related_name="episodes")
    child = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="episodes")
    removed_on = models.DateField(_("removal date"))
    legal_authority = models.CharField(
        _("legal authority"), max_length=20, choices=LegalAuthority.choices
    )
    discharged_on = models.DateField(_("discharge date"), null=True, blank=True)
    discharge_reason = models.CharField(
        _("discharge reason"), max_length=30, choices=DischargeReason.choices, blank=True
    )
    # Re-entry (issue 6): the child's previous episode, and whether this removal came within 12
    # months of a discharge to reunification, a relative or guardianship (road_home.reentry).
    previous_episode = models.OneToOneField(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="next_episode",
        verbose_name=_("previous episode"),
    )
    reentry_within_12_months = models.BooleanField(
        _("re-entered care within 12 months"), default=False
    )
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        ordering = ["removed_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(discharged_on__isnull=True) & Q(discharge_reason=""))
                | (Q(discharged_on__isnull=False) & ~Q(discharge_reason="")),
                name="episode_discharge_has_reason",
                violation_error_message=_("A discharge needs both a date and a reason."),
            ),
            models.CheckConstraint(
                condition=Q(discharged_on__isnull=True) | Q(discharged_on__gte=F("removed_on")),
                name="episode_discharge_after_removal",
                violation_error_message=_("A discharge cannot be dated before the removal."),
            ),
            models.UniqueConstraint(
                fields=["child"],
                condition=Q(discharged_on__isnull=True),
                name="one_open_episode_per_child",
                violation_error_message=_("The child already has an open removal episode."),
            ),
        ]
        indexes = [
            models.Index(fields=["case", "discharged_on"], name="episode_case_open"),
            models.Index(
                fields=["case"],
                condition=Q(reentry_within_12_months=True),
                name="episode_case_reentry",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.child} removed {self.removed_on}"

    @property
    def is_open(self) -> bool:
        return self.discharged_on is None


class EpisodeRemovalReason(models.Model):
    episode = models.ForeignKey(RemovalEpisode, on_delete=models.CASCADE, related_name="reasons")
    reason = models.CharField(max_length=30, choices=RemovalReason.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["episode", "reason"], name="removal_reason_once")
        ]

    def __str__(self) -> str:
        return self.get_reason_display()


class PlacementEndReason(models.TextChoices):
    STEP_DOWN = "step_down", _("Move to a less restrictive setting")
    KIN_FOUND = "kin_found", _("Move to kin")
    SIBLINGS_TOGETHER = "siblings_together", _("Placing siblings together")
    PROVIDER_REQUEST = "provider_request", _("Resource family asked for a move")
    CHILD_NEEDS = "child_needs", _("Child's needs changed")
    SAFETY = "safety", _("Safety concern in the placement")
    RUNAWAY = "runaway", _("Child ran away")
    RETURNED = "returned", _("Child returned from runaway or respite")
    TRIAL_HOME_VISIT = "trial_home_visit", _("Trial home visit began")
    TRIAL_HOME_VISIT_ENDED = "trial_home_visit_ended", _("Trial home visit ended")
    DISCHARGE = "discharge", _("Discharged from care")
    OTHER = "other", _("Other")


class Placement(Versioned):
    episode = models.ForeignKey(RemovalEpisode, on_delete=models.PROTECT, related_name="placements")
    setting = models.CharField(_("setting"), max_length=30, choices=PlacementSetting.choices)
    provider = models.ForeignKey(
        ResourceProvider,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="placements",
        verbose_name=_("resource family or facility"),
    )
    is_kinship = models.BooleanField(_("kinship placement"), default=False)
    # The school the child attends from this placement. It locates the resource family, so it is
    # as confidential as their address (reliability.md AZ-4): staff and the resource family only.
    school = models.CharField(_("school"), max_length=200, blank=True)
    started_on = models.DateField(_("start date"))
    ended_on = models.DateField(_("end date"), null=True, blank=True)
    end_reason = models.CharField(
        _("end reason"), max_length=30, choices=PlacementEndReason.choices, blank=True
    )
    distance_miles = models.DecimalField(
        _("distance from parents' home (miles)"),
        max_digits=6,
        decimal_places=1,
        null=True,
        blank=True,
    )
    distance_computed = models.BooleanField(default=False)
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        ordering = ["started_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=F("started_on")),
                name="placement_ends_after_start",
                violation_error_message=_("A placement cannot end before it starts."),
            ),
            models.CheckConstraint(
                condition=(Q(ended_on__isnull=True) & Q(end_reason=""))
                | (Q(ended_on__isnull=False) & ~Q(end_reason="")),
                name="placement_end_has_reason",
                violation_error_message=_("Ending a placement needs a reason."),
            ),
            models.CheckConstraint(
                condition=Q(distance_miles__isnull=True) | Q(distance_miles__gte=0),
                name="placement_distance_not_negative",
            ),
            models.UniqueConstraint(
                fields=["episode"],
                condition=Q(ended_on__isnull=True),
                name="one_current_placement",
                violation_error_message=_(
                    "The child already has a current placement in this episode."
                ),
            ),
        ]
        # Overlapping placements within an episode are also refused by an exclusion constraint on
        # PostgreSQL (migration 0002); SQLite relies on the service check.

    def __str__(self) -> str:
        return f"{self.get_setting_display()} from {self.started_on}"


class GoalKind(models.TextChoices):
    REUNIFICATION = "reunification", _("Reunification")
    ADOPTION = "adoption", _("Adoption")
    GUARDIANSHIP = "guardianship", _("Legal guardianship")
    RELATIVE = "fit_willing_relative", _("Placement with a fit and willing relative")
    APPLA = "appla", _("Another planned permanent living arrangement (APPLA)")


class PermanencyGoal(models.Model):
    """One goal in force over a time span. A change ends the old row and starts a new one, so the
    rows are the goal's history. At most one primary and one concurrent goal are current."""

    episode = models.ForeignKey(RemovalEpisode, on_delete=models.PROTECT, related_name="goals")
    kind = models.CharField(_("goal"), max_length=30, choices=GoalKind.choices)
    is_concurrent = models.BooleanField(_("concurrent goal"), default=False)
    started_on = models.DateField(_("set on"))
    ended_on = models.DateField(null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        ordering = ["is_concurrent", "-started_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["episode", "is_concurrent"],
                condition=Q(ended_on__isnull=True),
                name="one_current_goal_per_slot",
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=F("started_on")),
                name="goal_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        label = _("concurrent") if self.is_concurrent else _("primary")
        return f"{self.get_kind_display()} ({label})"


class RelativeNotice(models.Model):
    """Due diligence to identify and notify adult relatives after a removal (SSA 471(a)(29))."""

    episode = models.ForeignKey(
        RemovalEpisode, on_delete=models.PROTECT, related_name="relative_notices"
    )
    sent_on = models.DateField(_("notices sent on"))
    relatives_notified = models.PositiveSmallIntegerField(_("relatives notified"), default=1)
    note = models.CharField(_("note"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        ordering = ["sent_on", "id"]

    def __str__(self) -> str:
        return f"{self.episode} notices {self.sent_on}"


class ConcurrentPlanningReview(models.Model):
    """The six-month review of whether reunification within six months is likely. When it is not,
    a concurrent goal is required (DOMAIN.md, concurrent planning)."""

    episode = models.ForeignKey(
        RemovalEpisode, on_delete=models.PROTECT, related_name="concurrent_reviews"
    )
    reviewed_on = models.DateField(_("reviewed on"))
    reunification_likely = models.BooleanField(_("reunification within 6 months is likely"))
    note = models.CharField(_("note"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        ordering = ["reviewed_on", "id"]

    def __str__(self) -> str:
        return f"{self.episode} review {self.reviewed_on}"


class ReentryFactor(models.TextChoices):
    """What the team thinks contributed to a re-entry (several may apply)."""

    SUBSTANCE_RELAPSE = "substance_relapse", _("Relapse in substance use")
    DOMESTIC_VIOLENCE = "domestic_violence", _("Domestic violence")
    MENTAL_HEALTH = "mental_health", _("A parent's mental health")
    NEW_ADULT = "new_adult", _("A new adult in the household")
    HOUSING = "housing", _("Housing lost or unstable")
    INCOME = "income", _("Loss of income or concrete supports")
    SUPPORTS_ENDED = "supports_ended", _("Informal supports fell away")
    AFTERCARE_GAP = "aftercare_gap", _("Aftercare services ended or were not in place")
    CHILD_NEEDS = "child_needs", _("The child's behaviour or needs exceeded the family's capacity")
    RETURN_TOO_SOON = "return_too_soon", _("Return before the conditions for return were met")
    OTHER = "other", _("Other")


class ReentryReview(models.Model):
    """The team's reading of why a child came back into care, recorded on the new episode."""

    episode = models.OneToOneField(
        RemovalEpisode, on_delete=models.PROTECT, related_name="reentry_review"
    )
    factors = models.JSONField(_("what contributed"), default=list)
    note = models.TextField(_("what the team thinks contributed"), blank=True)
    reviewed_on = models.DateField(_("reviewed on"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords(get_user=history_user)

    def __str__(self) -> str:
        return f"{self.episode} re-entry review"


class TransitionSummary(models.Model):
    """What the new worker is handed when a case is reassigned: a snapshot built at the handover
    (history, goals, conditions for return, open clocks, family time, key contacts, recent notes),
    kept as it was so the record shows what the worker was told, and acknowledged by them."""

    case = models.ForeignKey(FamilyCase, on_delete=models.CASCADE, related_name="transitions")
    assignment = models.OneToOneField(
        CaseAssignment, on_delete=models.CASCADE, related_name="transition"
    )
    built_at = models.DateTimeField()
    content = models.JSONField(default=dict)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-built_at", "-id"]

    def __str__(self) -> str:
        return f"{self.case} handover {self.built_at:%Y-%m-%d}"


class IntakeReport(Versioned):
    """The report that brought the family to the agency and what the investigation found. The
    reporter's identity and the narrative are confidential (reliability.md AZ-7, AZ-8): staff
    with access to the case see them; no family member, resource family or parent partner ever
    does, on any page, document, feed or message."""

    class ReporterRole(models.TextChoices):
        EDUCATION = "education", _("School staff")
        MEDICAL = "medical", _("Medical staff")
        LAW_ENFORCEMENT = "law_enforcement", _("Law enforcement")
        SOCIAL_SERVICES = "social_services", _("Social services")
        RELATIVE = "relative", _("Relative")
        NEIGHBOR = "neighbor", _("Neighbour or friend")
        ANONYMOUS = "anonymous", _("Anonymous")
        OTHER = "other", _("Other")

    case = models.OneToOneField(FamilyCase, on_delete=models.CASCADE, related_name="intake_report")
    received_on = models.DateField(_("report received on"))
    reporter_role = models.CharField(_("who reported"), max_length=20, choices=ReporterRole.choices)
    reporter_name = models.CharField(_("reporter's name"), max_length=200, blank=True)
    reporter_contact = models.CharField(_("reporter's phone or e-mail"), max_length=200, blank=True)
    narrative = models.TextField(_("investigation narrative"), blank=True)
    allegations = models.TextField(_("allegation details"), blank=True)
    recorded_at = models.DateTimeField(auto_now=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords(get_user=history_user)

    def __str__(self) -> str:
        return f"{self.case} intake report"
