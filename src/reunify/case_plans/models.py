"""Case plans. This slice records when a plan was completed for a child's episode (the event the
statutory clocks read); the plan's content (goals, conditions for return, services, signatures)
comes with the case-plan issue."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from reunify.cases.models import RemovalEpisode
from reunify.core.actor import history_user


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
