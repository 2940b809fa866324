"""Caseworker contacts. This slice records visits with a child (date, face to face, where): the
events the clocks read. Purposes, notes, private interviews and monthly compliance come with the
family-time and contacts issue."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from reunify.cases.models import FamilyCase
from reunify.core.actor import history_user
from reunify.people.models import Person


class CaseworkerContact(models.Model):
    case = models.ForeignKey(FamilyCase, on_delete=models.PROTECT, related_name="contacts")
    child = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="caseworker_contacts")
    occurred_on = models.DateField(_("date"))
    face_to_face = models.BooleanField(_("face to face"), default=True)
    in_child_residence = models.BooleanField(_("in the child's residence"), default=True)
    note = models.TextField(_("note"), blank=True)
    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        ordering = ["-occurred_on", "-id"]
        indexes = [models.Index(fields=["child", "occurred_on"], name="contact_child_date")]

    def __str__(self) -> str:
        return f"{self.child} {self.occurred_on}"
