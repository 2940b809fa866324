"""The road home after the reunification decision (issue 6): safety plans, the trial home visit
that a child's return begins with, the aftercare (post-reunification) plan and its follow-up
contacts, and the request to close the case with a supervisor's decision.

A trial home visit is a placement setting inside the child's open removal episode (DESIGN §4.2):
`TrialHomeVisit` holds what must be in place before it starts and points at the placement that
starting it created. The rules are `cases.road_home` (pure); the writes are `services.py`."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from reunify.cases import road_home as rules
from reunify.cases.models import FamilyCase, Placement, RemovalEpisode
from reunify.core.actor import history_user
from reunify.core.models import Versioned
from reunify.court.models import CourtOrder
from reunify.family_time.models import FamilyTimeSession
from reunify.people.models import Person


def _iff(condition: Q, then: Q) -> Q:
    """`then` holds exactly when `condition` does."""
    return (condition & then) | (~condition & ~then)


# ---- safety plans ----------------------------------------------------------------------------


class SafetyPlanStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class SafetyPlan(Versioned):
    """What keeps a child safe at home: actions, who is responsible for each and how it is
    checked. A trial home visit has one; a case may have others (an in-home safety plan). A case
    does not close while any is open."""

    case = models.ForeignKey(FamilyCase, on_delete=models.PROTECT, related_name="safety_plans")
    child = models.ForeignKey(
        Person,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("child"),
        help_text=_("Empty when the plan protects all the children of the case."),
    )
    purpose = models.CharField(_("what the plan is for"), max_length=200)
    status = models.CharField(
        _("status"), max_length=10, choices=SafetyPlanStatus.choices, default=SafetyPlanStatus.OPEN
    )
    opened_on = models.DateField(_("opened on"))
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    close_reason = models.CharField(_("why it was closed"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        ordering = ["-opened_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=_iff(
                    Q(status=SafetyPlanStatus.CLOSED),
                    Q(closed_on__isnull=False) & ~Q(close_reason=""),
                ),
                name="safety_plan_closed_has_date_and_reason",
                violation_error_message=_("A closed safety plan needs the date and the reason."),
            ),
            models.CheckConstraint(
                condition=Q(closed_on__isnull=True) | Q(closed_on__gte=models.F("opened_on")),
                name="safety_plan_closed_after_opened",
            ),
        ]
        indexes = [models.Index(fields=["case", "status"], name="safety_plan_case_status")]

    def __str__(self) -> str:
        return f"{self.purpose} ({self.status})"

    @property
    def is_open(self) -> bool:
        return self.status == SafetyPlanStatus.OPEN


class SafetyAction(models.Model):
    plan = models.ForeignKey(SafetyPlan, on_delete=models.CASCADE, related_name="actions")
    action = models.CharField(_("safety action"), max_length=300)
    # Both may follow later; a trial home visit does not start until every action has them.
    responsible_adult = models.CharField(_("responsible adult"), max_length=200, blank=True)
    how_checked = models.CharField(_("how it is checked"), max_length=300, blank=True)
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.action


# ---- trial home visit ------------------------------------------------------------------------


class ThvStatus(models.TextChoices):
    PLANNED = "planned", _("Being prepared")
    ACTIVE = "active", _("Under way")
    CONVERTED = "converted", _("Converted to reunification")
    DISRUPTED = "disrupted", _("Disrupted")


UNFINISHED = (ThvStatus.PLANNED, ThvStatus.ACTIVE)
ENDED = (ThvStatus.CONVERTED, ThvStatus.DISRUPTED)


class ThvBasis(models.TextChoices):
    RECOMMENDATION = "recommendation", _("The reunification assessment recommends return home")
    CONDITIONS = "conditions", _("Every condition for return is met")


class TrialHomeVisit(Versioned):
    """A child's trial home visit, from its preparation to its end. Starting it ends the current
    placement and begins one with the setting "trial home visit" in the same episode; ending it
    either discharges the child to reunification or places the child again (same episode)."""

    episode = models.ForeignKey(
        RemovalEpisode, on_delete=models.PROTECT, related_name="trial_home_visits"
    )
    returning_to = models.CharField(_("whose home the child returns to"), max_length=200)
    planned_start = models.DateField(_("planned start"))
    status = models.CharField(
        _("status"), max_length=10, choices=ThvStatus.choices, default=ThvStatus.PLANNED
    )
    safety_plan = models.OneToOneField(
        SafetyPlan, on_delete=models.PROTECT, related_name="trial_home_visit"
    )
    crisis_who_to_call = models.CharField(
        _("whom the family calls in a crisis"), max_length=200, blank=True
    )
    crisis_phone = models.CharField(_("their phone number"), max_length=40, blank=True)
    crisis_what_happens = models.TextField(_("what happens then"), max_length=2000, blank=True)
    basis = models.CharField(
        _("why the child may go home"), max_length=20, choices=ThvBasis.choices, blank=True
    )
    court_order = models.ForeignKey(
        CourtOrder,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("court authorization"),
    )
    placement = models.OneToOneField(
        Placement, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    started_on = models.DateField(_("started on"), null=True, blank=True)
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    end_reason = models.TextField(_("how it ended"), max_length=2000, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        ordering = ["-planned_start", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["episode"],
                condition=Q(status__in=UNFINISHED),
                name="thv_one_unfinished_per_episode",
                violation_error_message=_(
                    "This child already has a trial home visit being prepared or under way."
                ),
            ),
            models.CheckConstraint(
                condition=_iff(
                    Q(status=ThvStatus.PLANNED),
                    Q(started_on__isnull=True) & Q(placement__isnull=True),
                ),
                name="thv_started_has_date_and_placement",
            ),
            models.CheckConstraint(
                condition=_iff(Q(status__in=ENDED), Q(ended_on__isnull=False) & ~Q(end_reason="")),
                name="thv_ended_has_date_and_reason",
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                name="thv_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"Trial home visit {self.pk} ({self.status})"

    @property
    def is_planned(self) -> bool:
        return self.status == ThvStatus.PLANNED

    @property
    def is_active(self) -> bool:
        return self.status == ThvStatus.ACTIVE


class BackgroundCheck(models.TextChoices):
    CLEARED = rules.CLEARED, _("Cleared")
    PENDING = rules.PENDING, _("Pending")
    NOT_CLEARED = rules.NOT_CLEARED, _("Not cleared")


class HouseholdAdult(models.Model):
    """Another adult living in the home the child returns to, and their background check."""

    thv = models.ForeignKey(TrialHomeVisit, on_delete=models.CASCADE, related_name="adults")
    name = models.CharField(_("name"), max_length=200)
    relationship = models.CharField(_("relationship to the child"), max_length=100)
    background_check = models.CharField(
        _("background check"), max_length=15, choices=BackgroundCheck.choices
    )
    checked_on = models.DateField(_("checked on"), null=True, blank=True)
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(background_check=BackgroundCheck.PENDING) | Q(checked_on__isnull=False),
                name="household_adult_check_has_date",
                violation_error_message=_("Give the date of the background check result."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.background_check})"


class TransitionKind(models.TextChoices):
    DAY = "day", _("Day visit at home")
    OVERNIGHT = "overnight", _("Overnight at home")
    WEEKEND = "weekend", _("Weekend at home")
    EXTENDED = "extended", _("Extended stay at home")


class TransitionVisit(models.Model):
    """A family-time visit of the transition home, before the trial home visit: the link from the
    visit to its session in the child's family-time plan with the parents (where it is scheduled,
    recorded, reminded and put on calendars), with what kind of stay it is. Visits planned before
    sessions were created have none and do not count toward starting (ADR 0010)."""

    thv = models.ForeignKey(
        TrialHomeVisit, on_delete=models.CASCADE, related_name="transition_visits"
    )
    session = models.OneToOneField(
        FamilyTimeSession,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="transition_visit",
        verbose_name=_("family-time session"),
    )
    on = models.DateField(_("date"))
    kind = models.CharField(_("kind of visit"), max_length=10, choices=TransitionKind.choices)
    note = models.CharField(_("note"), max_length=300, blank=True)
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        ordering = ["on", "id"]

    def __str__(self) -> str:
        return f"{self.kind} {self.on}"


# ---- aftercare -------------------------------------------------------------------------------


class AftercarePlan(Versioned):
    """Support after the return home: services, follow-up contacts on the profile's schedule,
    informal supports the family named, and what happens if things slip."""

    case = models.ForeignKey(FamilyCase, on_delete=models.PROTECT, related_name="aftercare_plans")
    children = models.ManyToManyField(Person, related_name="+", verbose_name=_("children"))
    returned_on = models.DateField(_("returned home on"))
    months = models.PositiveSmallIntegerField(_("months of aftercare"))
    services = models.TextField(_("services after the return"), max_length=2000)
    informal_supports = models.TextField(
        _("informal supports named with the family"), max_length=2000
    )
    relapse_plan = models.TextField(_("what happens if things slip"), max_length=2000)
    crisis_who_to_call = models.CharField(_("whom the family calls in a crisis"), max_length=200)
    crisis_phone = models.CharField(_("their phone number"), max_length=40, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("written"))
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        ordering = ["-returned_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "returned_on"],
                name="aftercare_plan_once_per_return",
                violation_error_message=_("This return home already has an aftercare plan."),
            )
        ]

    def __str__(self) -> str:
        return f"Aftercare from {self.returned_on}"


class ContactStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    HELD = "held", _("Held")
    MISSED = "missed", _("Missed")


class ContactWay(models.TextChoices):
    HOME_VISIT = "home_visit", _("Visit at home")
    OFFICE = "office", _("At the office")
    PHONE = "phone", _("Phone")
    VIDEO = "video", _("Video call")
    OTHER = "other", _("Other")


class AftercareContact(models.Model):
    """One follow-up contact of the schedule: planned for `due_on`, then held or missed."""

    plan = models.ForeignKey(AftercarePlan, on_delete=models.CASCADE, related_name="contacts")
    due_on = models.DateField(_("planned for"))
    status = models.CharField(
        _("status"), max_length=10, choices=ContactStatus.choices, default=ContactStatus.PLANNED
    )
    held_on = models.DateField(_("held on"), null=True, blank=True)
    how = models.CharField(_("how"), max_length=12, choices=ContactWay.choices, blank=True)
    who_seen = models.CharField(_("who was seen"), max_length=300, blank=True)
    note = models.TextField(_("note"), max_length=2000, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded"), null=True, blank=True)
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        ordering = ["due_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=_iff(
                    Q(status=ContactStatus.HELD),
                    Q(held_on__isnull=False) & ~Q(how="") & ~Q(who_seen=""),
                ),
                name="aftercare_contact_held_has_details",
                violation_error_message=_("A held contact needs the date, how and who was seen."),
            ),
            models.CheckConstraint(
                condition=~Q(status=ContactStatus.MISSED) | ~Q(note=""),
                name="aftercare_contact_missed_has_note",
                violation_error_message=_("Say why the contact was missed."),
            ),
        ]
        indexes = [models.Index(fields=["status", "due_on"], name="aftercare_contact_due")]

    def __str__(self) -> str:
        return f"{self.due_on} {self.status}"


# ---- closure ---------------------------------------------------------------------------------


class ClosureStatus(models.TextChoices):
    REQUESTED = "requested", _("Waiting for the supervisor")
    APPROVED = "approved", _("Approved: the case is closed")
    RETURNED = "returned", _("Returned to the worker")


class ClosureRequest(models.Model):
    """A worker's request to close the case, made when every checklist item passed (the items
    are kept as they stood), and the supervisor's decision."""

    case = models.ForeignKey(FamilyCase, on_delete=models.PROTECT, related_name="closure_requests")
    status = models.CharField(
        _("status"), max_length=10, choices=ClosureStatus.choices, default=ClosureStatus.REQUESTED
    )
    note = models.TextField(_("note for the supervisor"), max_length=2000, blank=True)
    checklist = models.JSONField(_("checklist"), default=list, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(_("requested"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    return_reason = models.CharField(_("why it was returned"), max_length=500, blank=True)
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["case"],
                condition=Q(status="requested"),
                name="closure_one_request_waiting",
                violation_error_message=_("A closure request is already waiting for a decision."),
            ),
            models.CheckConstraint(
                condition=_iff(Q(status=ClosureStatus.REQUESTED), Q(decided_at__isnull=True)),
                name="closure_decided_has_time",
            ),
            models.CheckConstraint(
                condition=_iff(Q(status=ClosureStatus.RETURNED), ~Q(return_reason="")),
                name="closure_returned_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"Closure request {self.pk} ({self.status})"

    @property
    def is_waiting(self) -> bool:
        return self.status == ClosureStatus.REQUESTED
