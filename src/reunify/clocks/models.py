"""Computed clocks, kept for the lists that need them (What's due, digests, unit views), and the
exceptions workers record. The clocks themselves are computed by `clocks.rules` from events;
`ClockSnapshot` rows are a cache rewritten whenever the case's events change and nightly."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from reunify.cases.models import FamilyCase, RemovalEpisode
from reunify.core.actor import history_user
from reunify.people.models import Person


class ClockStatus(models.TextChoices):
    OVERDUE = "overdue", _("Overdue")
    DUE_SOON = "due_soon", _("Due soon")
    RUNNING = "running", _("Running")
    NOT_STARTED = "not_started", _("Not started")
    MET = "met", _("Met")
    EXCEPTED = "excepted", _("Exception recorded")
    NOT_APPLICABLE = "not_applicable", _("Not applicable")


class ClockSnapshot(models.Model):
    case = models.ForeignKey(FamilyCase, on_delete=models.CASCADE, related_name="clock_snapshots")
    episode = models.ForeignKey(
        RemovalEpisode, on_delete=models.CASCADE, related_name="clock_snapshots"
    )
    child = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=40)
    name = models.CharField(max_length=120)
    basis = models.CharField(max_length=120)
    status = models.CharField(max_length=16, choices=ClockStatus.choices)
    due = models.DateField(null=True)
    met_on = models.DateField(null=True)
    message = models.CharField(max_length=300)
    params = models.JSONField(default=dict)
    profile = models.CharField(max_length=40)
    computed_on = models.DateField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["episode", "key"], name="one_snapshot_per_clock")
        ]
        indexes = [
            models.Index(fields=["case", "status", "due"], name="clock_case_status_due"),
            models.Index(fields=["status", "due"], name="clock_status_due"),
        ]

    def __str__(self) -> str:
        return f"{self.key} {self.status} {self.due}"


class ClockException(models.Model):
    """An exception that stops a clock's alert, e.g. 15 of 22: the child is placed with a
    relative, a compelling reason is documented, or services in the plan were not provided."""

    class Reason(models.TextChoices):
        PLACED_WITH_RELATIVE = "placed_with_relative", _("The child is placed with a relative")
        COMPELLING_REASON = "compelling_reason", _("A compelling reason is documented")
        SERVICES_NOT_PROVIDED = (
            "services_not_provided",
            _("Services in the case plan were not provided"),
        )

    episode = models.ForeignKey(
        RemovalEpisode, on_delete=models.PROTECT, related_name="clock_exceptions"
    )
    clock_key = models.CharField(max_length=40, default="tpr_15_22")
    reason = models.CharField(_("exception"), max_length=30, choices=Reason.choices)
    recorded_on = models.DateField(_("recorded on"))
    note = models.CharField(_("documentation"), max_length=500)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        ordering = ["recorded_on", "id"]

    def __str__(self) -> str:
        return f"{self.clock_key}: {self.get_reason_display()}"


class SchedulerRun(models.Model):
    """One row per scheduled job per day, so the scheduler enqueues each job once even when
    several schedulers run."""

    name = models.CharField(max_length=40)
    run_on = models.DateField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["name", "run_on"], name="scheduler_run_once_a_day")
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.run_on}"
