"""The court process in a dependency case: petitions, hearings, findings and orders.

A hearing applies to every child of the case; findings are made about one child; petitions and
orders name one child or, when the child is empty, all the children of the case. A continued
hearing points at the hearing it was moved to (`continued_to`), so the chain of continuances is
the hearing's history. Dates are events: nothing is held, made, filed or issued in the future
(the services check that; the database cannot know today's date)."""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from reunify.cases.models import FamilyCase
from reunify.core.actor import history_user
from reunify.core.models import Versioned
from reunify.people.models import Person


class PetitionKind(models.TextChoices):
    DEPENDENCY = "dependency", _("Dependency (abuse or neglect)")
    TPR = "tpr", _("Termination of parental rights")


class Petition(models.Model):
    case = models.ForeignKey(FamilyCase, on_delete=models.PROTECT, related_name="petitions")
    child = models.ForeignKey(
        Person,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="petitions",
        verbose_name=_("child"),
        help_text=_("Empty when the petition concerns all the children of the case."),
    )
    kind = models.CharField(_("kind of petition"), max_length=20, choices=PetitionKind.choices)
    filed_on = models.DateField(_("filed on"))
    grounds = models.TextField(_("grounds"))
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        ordering = ["filed_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(grounds=""),
                name="petition_has_grounds",
                violation_error_message=_("State the grounds of the petition."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.filed_on})"


class HearingKind(models.TextChoices):
    SHELTER = "shelter", _("Shelter (preliminary) hearing")
    ADJUDICATION = "adjudication", _("Adjudication hearing")
    DISPOSITION = "disposition", _("Disposition hearing")
    REVIEW = "review", _("Review hearing")
    PERMANENCY = "permanency", _("Permanency hearing")
    TPR = "tpr", _("Termination of parental rights hearing")
    POST_PERMANENCY = "post_permanency", _("Post-permanency review hearing")


class HearingStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    HELD = "held", _("Held")
    CONTINUED = "continued", _("Continued")
    VACATED = "vacated", _("Vacated")


class Hearing(Versioned):
    case = models.ForeignKey(FamilyCase, on_delete=models.PROTECT, related_name="hearings")
    kind = models.CharField(_("kind of hearing"), max_length=20, choices=HearingKind.choices)
    scheduled_for = models.DateField(_("date"))
    scheduled_time = models.TimeField(_("time"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=HearingStatus.choices, default=HearingStatus.SCHEDULED
    )
    held_on = models.DateField(_("held on"), null=True, blank=True)
    continuance_reason = models.CharField(
        _("reason for the continuance"), max_length=300, blank=True
    )
    continued_to = models.OneToOneField(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="continued_from",
        verbose_name=_("continued to"),
    )
    vacated_reason = models.CharField(
        _("reason the hearing was vacated"), max_length=300, blank=True
    )
    attendees = models.TextField(
        _("who attended"),
        blank=True,
        help_text=_("Parents, child, attorneys, guardian ad litem or CASA, relatives, others."),
    )
    notes = models.TextField(_("notes"), blank=True)
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        ordering = ["scheduled_for", "scheduled_time", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(status=HearingStatus.HELD) & Q(held_on__isnull=False))
                | (~Q(status=HearingStatus.HELD) & Q(held_on__isnull=True)),
                name="hearing_held_on_iff_held",
                violation_error_message=_("A held hearing needs the date it was held."),
            ),
            models.CheckConstraint(
                condition=(
                    Q(status=HearingStatus.CONTINUED)
                    & ~Q(continuance_reason="")
                    & Q(continued_to__isnull=False)
                )
                | (
                    ~Q(status=HearingStatus.CONTINUED)
                    & Q(continuance_reason="")
                    & Q(continued_to__isnull=True)
                ),
                name="hearing_continuance_iff_continued",
                violation_error_message=_(
                    "A continued hearing needs the reason and the hearing it was continued to."
                ),
            ),
            models.CheckConstraint(
                condition=(Q(status=HearingStatus.VACATED) & ~Q(vacated_reason=""))
                | (~Q(status=HearingStatus.VACATED) & Q(vacated_reason="")),
                name="hearing_vacated_has_reason",
                violation_error_message=_("A vacated hearing needs a reason."),
            ),
            models.UniqueConstraint(
                fields=["case", "kind", "scheduled_for"],
                condition=Q(status=HearingStatus.SCHEDULED),
                name="hearing_scheduled_once_per_date",
                violation_error_message=_(
                    "A hearing of this kind is already scheduled for that date."
                ),
            ),
        ]
        indexes = [
            models.Index(fields=["case", "scheduled_for"], name="hearing_case_date"),
            models.Index(fields=["scheduled_for", "status"], name="hearing_date_status"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.scheduled_for})"

    @property
    def is_scheduled(self) -> bool:
        return self.status == HearingStatus.SCHEDULED


class FindingKind(models.TextChoices):
    CONTRARY_TO_WELFARE = (
        "contrary_to_welfare",
        _("Continuation in the home is contrary to welfare"),
    )
    RE_PREVENT_REMOVAL = "re_prevent_removal", _("Reasonable efforts to prevent removal")
    RE_FINALIZE_PERMANENCY = (
        "re_finalize_permanency",
        _("Reasonable efforts to finalize the permanency plan"),
    )
    AGGRAVATED_CIRCUMSTANCES = (
        "aggravated_circumstances",
        _("Aggravated circumstances (reasonable efforts not required)"),
    )
    COMPELLING_REASON = "compelling_reason", _("Compelling reason not to file for TPR")
    ICWA_ACTIVE_EFFORTS = "icwa_active_efforts", _("ICWA active efforts")
    ABUSE_NEGLECT_ADJUDICATED = (
        "abuse_neglect_adjudicated",
        _("Child adjudicated abused or neglected"),
    )


class Finding(models.Model):
    """A judicial determination about one child."""

    case = models.ForeignKey(FamilyCase, on_delete=models.PROTECT, related_name="findings")
    child = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="findings", verbose_name=_("child")
    )
    hearing = models.ForeignKey(
        Hearing,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="findings",
        verbose_name=_("hearing"),
    )
    kind = models.CharField(_("finding"), max_length=30, choices=FindingKind.choices)
    made_on = models.DateField(_("made on"))
    note = models.TextField(_("note"), blank=True)
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        ordering = ["made_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["hearing", "child", "kind"],
                condition=Q(hearing__isnull=False),
                name="finding_once_per_hearing",
                violation_error_message=_(
                    "This finding is already recorded for this child at this hearing."
                ),
            )
        ]
        indexes = [models.Index(fields=["child", "kind", "made_on"], name="finding_child_kind")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.made_on})"


class OrderKind(models.TextChoices):
    CUSTODY = "custody", _("Custody")
    PLACEMENT = "placement", _("Placement")
    VISITATION_CONDITIONS = "visitation_conditions", _("Visitation conditions")
    SERVICES_ORDERED = "services_ordered", _("Services ordered")
    THV_AUTHORIZATION = "thv_authorization", _("Trial home visit authorization")
    DISMISSAL = "dismissal", _("Dismissal")
    # Orders about one parent (CourtOrder.parent): they change what the parent's portal shows
    # from the very next request (reliability.md AZ-6).
    TPR = "tpr", _("Termination of parental rights")
    NO_CONTACT = "no_contact", _("No-contact order")


PARENT_ORDERS = frozenset({OrderKind.TPR, OrderKind.NO_CONTACT})


class CourtOrder(models.Model):
    case = models.ForeignKey(FamilyCase, on_delete=models.PROTECT, related_name="court_orders")
    child = models.ForeignKey(
        Person,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="court_orders",
        verbose_name=_("child"),
        help_text=_("Empty when the order concerns all the children of the case."),
    )
    hearing = models.ForeignKey(
        Hearing,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="orders",
        verbose_name=_("hearing"),
    )
    kind = models.CharField(_("kind of order"), max_length=30, choices=OrderKind.choices)
    parent = models.ForeignKey(
        Person,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="court_orders_as_parent",
        verbose_name=_("parent"),
        help_text=_("For a termination of parental rights or a no-contact order: whose."),
    )
    issued_on = models.DateField(_("issued on"))
    effective_until = models.DateField(_("effective until"), null=True, blank=True)
    text = models.TextField(_("what the court ordered"))
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        ordering = ["issued_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(effective_until__isnull=True) | Q(effective_until__gt=F("issued_on")),
                name="order_effective_after_issued",
                violation_error_message=_("An order's end date must come after it was issued."),
            ),
            models.CheckConstraint(
                condition=~Q(kind=OrderKind.DISMISSAL) | Q(effective_until__isnull=True),
                name="order_dismissal_has_no_end",
                violation_error_message=_("A dismissal has no end date."),
            ),
            models.CheckConstraint(
                condition=~Q(kind__in=["tpr", "no_contact"]) | Q(parent__isnull=False),
                name="order_parent_orders_name_parent",
                violation_error_message=_("Name the parent the order concerns."),
            ),
            models.CheckConstraint(
                condition=~Q(text=""),
                name="order_has_text",
                violation_error_message=_("Summarise what the court ordered."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.issued_on})"
