"""People, the relationships between them (the family network), and addresses.

A person is recorded as they describe themselves: several races and Hispanic ethnicity are
stored separately, as AFCARS asks, and never inferred."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from reunify.accounts.models import Agency
from reunify.core.actor import history_user
from reunify.core.models import Versioned


class Address(Versioned):
    line1 = models.CharField(_("street address"), max_length=200)
    line2 = models.CharField(_("apartment, suite"), max_length=200, blank=True)
    city = models.CharField(_("city"), max_length=100)
    state = models.CharField(_("state"), max_length=2)
    postal_code = models.CharField(_("ZIP code"), max_length=10, blank=True)
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        verbose_name_plural = _("addresses")
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(latitude__isnull=True) & models.Q(longitude__isnull=True))
                | (
                    models.Q(latitude__gte=-90, latitude__lte=90)
                    & models.Q(longitude__gte=-180, longitude__lte=180)
                ),
                name="address_coordinates_valid",
                violation_error_message=_(
                    "Coordinates must be a valid latitude and longitude pair."
                ),
            )
        ]

    def __str__(self) -> str:
        parts = [self.line1, self.line2, self.city, f"{self.state} {self.postal_code}".strip()]
        return ", ".join(p for p in parts if p)

    @property
    def has_coordinates(self) -> bool:
        return self.latitude is not None and self.longitude is not None


class Sex(models.TextChoices):
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")
    UNKNOWN = "unknown", _("Unknown")


class HispanicEthnicity(models.TextChoices):
    YES = "yes", _("Hispanic or Latino")
    NO = "no", _("Not Hispanic or Latino")
    DECLINED = "declined", _("Declined to answer")
    UNKNOWN = "unknown", _("Unknown")


class Race(models.TextChoices):
    """AFCARS race categories; a person may state several."""

    AMERICAN_INDIAN = "american_indian", _("American Indian or Alaska Native")
    ASIAN = "asian", _("Asian")
    BLACK = "black", _("Black or African American")
    PACIFIC_ISLANDER = "pacific_islander", _("Native Hawaiian or Other Pacific Islander")
    WHITE = "white", _("White")
    DECLINED = "declined", _("Declined to answer")
    UNKNOWN = "unknown", _("Unknown")


class IcwaStatus(models.TextChoices):
    NOT_APPLICABLE = "not_applicable", _("Does not apply")
    REASON_TO_KNOW = "reason_to_know", _("Reason to know (inquiry under way)")
    APPLIES = "applies", _("Applies")
    UNKNOWN = "unknown", _("Not yet asked")


class Person(Versioned):
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="people")
    first_name = models.CharField(_("first name"), max_length=100)
    middle_name = models.CharField(_("middle name"), max_length=100, blank=True)
    last_name = models.CharField(_("last name"), max_length=100)
    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)
    sex = models.CharField(_("sex"), max_length=10, choices=Sex.choices, default=Sex.UNKNOWN)
    hispanic_ethnicity = models.CharField(
        _("Hispanic or Latino ethnicity"),
        max_length=10,
        choices=HispanicEthnicity.choices,
        default=HispanicEthnicity.UNKNOWN,
    )
    primary_language = models.CharField(_("primary language"), max_length=60, blank=True)
    needs_interpreter = models.BooleanField(_("needs an interpreter"), default=False)
    tribal_affiliation = models.CharField(_("tribal affiliation"), max_length=120, blank=True)
    icwa_status = models.CharField(
        _("ICWA applicability"),
        max_length=20,
        choices=IcwaStatus.choices,
        default=IcwaStatus.UNKNOWN,
    )
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    address = models.ForeignKey(
        Address,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="residents",
        verbose_name=_("home address"),
    )
    # Address confidentiality program (reliability.md AZ-5): for a participant the home address
    # above is the program's substitute address; the actual location is kept here, for staff
    # only, and never reaches a family member.
    protected_location = models.TextField(
        _("actual location (address confidentiality program)"), blank=True
    )
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        ordering = ["last_name", "first_name"]
        indexes = [models.Index(fields=["agency", "last_name", "first_name"], name="person_name")]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return " ".join(p for p in [self.first_name, self.middle_name, self.last_name] if p)


class PersonRace(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="races")
    race = models.CharField(max_length=20, choices=Race.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["person", "race"], name="person_race_once")]

    def __str__(self) -> str:
        return self.get_race_display()


class PersonAlias(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="aliases")
    first_name = models.CharField(_("first name"), max_length=100, blank=True)
    last_name = models.CharField(_("last name"), max_length=100)

    class Meta:
        ordering = ["last_name", "first_name"]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


class RelationshipKind(models.TextChoices):
    """`from_person` is the <kind> of `to_person`: a parent row reads "A is the parent of B"."""

    PARENT = "parent", _("Parent")
    SIBLING = "sibling", _("Sibling")
    HALF_SIBLING = "half_sibling", _("Half-sibling")
    GRANDPARENT = "grandparent", _("Grandparent")
    AUNT_UNCLE = "aunt_uncle", _("Aunt or uncle")
    COUSIN = "cousin", _("Cousin")
    OTHER_RELATIVE = "other_relative", _("Other relative")
    FICTIVE_KIN = "fictive_kin", _("Family friend (fictive kin)")
    PARTNER = "partner", _("Partner or spouse")
    SUPPORT = "support", _("Other support")


class ParentType(models.TextChoices):
    LEGAL = "legal", _("Legal")
    BIOLOGICAL = "biological", _("Biological")
    ALLEGED = "alleged", _("Alleged or putative")


class FamilySide(models.TextChoices):
    MATERNAL = "maternal", _("Maternal")
    PATERNAL = "paternal", _("Paternal")
    NOT_APPLICABLE = "", _("—")


class Relationship(Versioned):
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    from_person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="relationships_from"
    )
    to_person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="relationships_to")
    kind = models.CharField(_("relationship"), max_length=20, choices=RelationshipKind.choices)
    parent_type = models.CharField(
        _("parent type"), max_length=12, choices=ParentType.choices, blank=True
    )
    is_custodial = models.BooleanField(_("custodial parent"), default=False)
    side = models.CharField(_("family side"), max_length=10, choices=FamilySide.choices, blank=True)
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["from_person", "to_person", "kind"], name="relationship_once"
            ),
            models.CheckConstraint(
                condition=~models.Q(from_person=models.F("to_person")),
                name="relationship_not_self",
                violation_error_message=_("A person cannot be related to themselves."),
            ),
            models.CheckConstraint(
                condition=models.Q(
                    kind="parent", parent_type__in=["legal", "biological", "alleged"]
                )
                | (
                    ~models.Q(kind="parent")
                    & models.Q(parent_type="")
                    & models.Q(is_custodial=False)
                ),
                name="relationship_parent_type_for_parents",
                violation_error_message=_("A parent needs a parent type; others have none."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.from_person} — {self.get_kind_display()} — {self.to_person}"
