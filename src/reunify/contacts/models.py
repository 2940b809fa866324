"""Caseworker contacts: who was seen, when, where, face to face or not, what was discussed.

Who was seen is `seen` (the child, the mother, the father, another parent figure, or the resource
parents) with `person` naming the adult for mother, father and other parent figure; `person` is
empty when the child (that is `child`) or the resource family was seen. `child` is always the
child the contact concerns. The clocks read `child`, `occurred_on` and `face_to_face`: a
face-to-face contact with `seen` = child is a visit with the child."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from reunify.cases.models import FamilyCase
from reunify.core.actor import history_user
from reunify.people.models import Person


class Seen(models.TextChoices):
    CHILD = "child", _("The child")
    MOTHER = "mother", _("Mother")
    FATHER = "father", _("Father")
    OTHER_PARENT = "other_parent", _("Other parent figure")
    RESOURCE_PARENTS = "resource_parents", _("Resource parents")


# Roles that name the adult seen in `person`.
SEEN_WITH_PERSON = {Seen.MOTHER, Seen.FATHER, Seen.OTHER_PARENT}


class Purpose(models.TextChoices):
    SAFETY = "safety", _("Safety")
    PERMANENCY = "permanency", _("Permanency")
    WELL_BEING = "well_being", _("Well-being")
    CASE_PLAN = "case_plan", _("Case plan progress")


class CaseworkerContact(models.Model):
    case = models.ForeignKey(FamilyCase, on_delete=models.PROTECT, related_name="contacts")
    child = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="caseworker_contacts")
    seen = models.CharField(
        _("who was seen"), max_length=20, choices=Seen.choices, default=Seen.CHILD
    )
    person = models.ForeignKey(
        Person,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="contacts_seen_in",
        verbose_name=_("person seen"),
    )
    occurred_on = models.DateField(_("date"))
    face_to_face = models.BooleanField(_("face to face"), default=True)
    in_child_residence = models.BooleanField(_("in the child's residence"), default=True)
    location_reason = models.CharField(_("why elsewhere"), max_length=300, blank=True)
    private_conversation = models.BooleanField(
        _("talked with the child privately"), null=True, blank=True
    )
    duration_minutes = models.PositiveSmallIntegerField(
        _("duration (minutes)"), null=True, blank=True, validators=[MinValueValidator(1)]
    )
    note = models.TextField(_("note"), blank=True)
    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        ordering = ["-occurred_on", "-id"]
        indexes = [
            models.Index(fields=["child", "occurred_on"], name="contact_child_date"),
            # A unit's or agency's contacts in a period (compliance pages): without it PostgreSQL
            # scans every contact once there are millions (benchmarks/family_time_5m.py).
            models.Index(fields=["case", "occurred_on"], name="contact_case_date"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(seen__in=["mother", "father", "other_parent"]) & Q(person__isnull=False)
                )
                | (~Q(seen__in=["mother", "father", "other_parent"]) & Q(person__isnull=True)),
                name="contact_person_for_adults",
                violation_error_message=_("Name the person seen for a parent or parent figure."),
            ),
            models.CheckConstraint(
                condition=Q(seen="child") | Q(private_conversation__isnull=True),
                name="contact_private_only_with_child",
                violation_error_message=_("A private conversation is with the child."),
            ),
            models.CheckConstraint(
                condition=Q(duration_minutes__isnull=True) | Q(duration_minutes__gte=1),
                name="contact_duration_positive",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.child} {self.occurred_on}"

    @property
    def seen_label(self) -> str:
        if self.person_id is not None:
            return f"{self.person} ({self.get_seen_display()})"
        return str(self.get_seen_display())


class ContactPurpose(models.Model):
    contact = models.ForeignKey(
        CaseworkerContact, on_delete=models.CASCADE, related_name="purposes"
    )
    purpose = models.CharField(_("purpose"), max_length=20, choices=Purpose.choices)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["contact", "purpose"], name="contact_purpose_once")
        ]

    def __str__(self) -> str:
        return self.get_purpose_display()
