"""Community services: the agency's directory of services (Open Referral HSDS), and later the
referrals made to them.

The directory is imported, never typed in (`services.directory_import`): each row keeps the id
it has in the HSDS data (`hsds_id`, unique in the agency), so a re-import updates rows in place.
A service missing from a later import is made inactive rather than deleted, because referrals may
point to it. Each agency has its own directory; nobody sees another agency's.

Search reads the derived link tables `ServiceCategory` (Reunify's need categories) and
`ServiceLanguage` (ISO 639 codes), both indexed by value first, and the locations' coordinates
(indexed for the bounding-box prefilter in `selectors.service_search`)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from reunify.accounts.models import Agency
from reunify.core.actor import history_user
from reunify.services.categories import CATEGORIES

# The labels are marked with gettext_noop in categories.py; translated here when shown.
NEED_CATEGORY_CHOICES = [(c.key, _(c.label)) for c in CATEGORIES]


class ServiceStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    TEMPORARILY_CLOSED = "temporarily_closed", _("Temporarily closed")
    INACTIVE = "inactive", _("Inactive")


class Cost(models.TextChoices):
    FREE = "free", _("Free")
    SLIDING_SCALE = "sliding_scale", _("Sliding scale")
    FEE = "fee", _("Fee")
    UNKNOWN = "", _("Not stated")


# ---- the directory (HSDS) ----------------------------------------------------------------------


class Organization(models.Model):
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    hsds_id = models.CharField(_("HSDS id"), max_length=100)
    name = models.CharField(_("name"), max_length=250)
    description = models.TextField(_("description"), blank=True)
    email = models.CharField(_("e-mail"), max_length=254, blank=True)
    website = models.CharField(_("website"), max_length=500, blank=True)
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "hsds_id"], name="organization_hsds_id")
        ]

    def __str__(self) -> str:
        return self.name


class Location(models.Model):
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    hsds_id = models.CharField(_("HSDS id"), max_length=100)
    organization = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.SET_NULL, related_name="locations"
    )
    name = models.CharField(_("name"), max_length=250, blank=True)
    description = models.TextField(_("description"), blank=True)
    address_1 = models.CharField(_("street address"), max_length=200, blank=True)
    address_2 = models.CharField(_("address line 2"), max_length=200, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    state = models.CharField(_("state"), max_length=100, blank=True)
    postal_code = models.CharField(_("ZIP code"), max_length=20, blank=True)
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "hsds_id"], name="location_hsds_id"),
            models.CheckConstraint(
                condition=(Q(latitude__isnull=True) & Q(longitude__isnull=True))
                | (
                    Q(latitude__gte=-90, latitude__lte=90)
                    & Q(longitude__gte=-180, longitude__lte=180)
                ),
                name="location_coordinates_valid",
                violation_error_message=_(
                    "Coordinates must be a valid latitude and longitude pair."
                ),
            ),
        ]
        indexes = [
            # The bounding-box prefilter of a distance search: a latitude range in one agency.
            models.Index(fields=["agency", "latitude", "longitude"], name="location_agency_coords"),
            models.Index(fields=["agency", "postal_code"], name="location_agency_zip"),
        ]

    def __str__(self) -> str:
        return self.name or self.address

    @property
    def address(self) -> str:
        region = " ".join(p for p in [self.state, self.postal_code] if p)
        return ", ".join(p for p in [self.address_1, self.address_2, self.city, region] if p)

    @property
    def has_coordinates(self) -> bool:
        return self.latitude is not None and self.longitude is not None


class TaxonomyTerm(models.Model):
    """A term of the directory's own taxonomy, with the need category it maps to (if any)."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    hsds_id = models.CharField(_("HSDS id"), max_length=100)
    name = models.CharField(_("name"), max_length=250)
    code = models.CharField(_("code"), max_length=100, blank=True)
    taxonomy = models.CharField(_("taxonomy"), max_length=250, blank=True)
    category = models.CharField(
        _("need category"), max_length=30, choices=NEED_CATEGORY_CHOICES, blank=True
    )
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "hsds_id"], name="taxonomy_term_hsds_id")
        ]

    def __str__(self) -> str:
        return self.name


class Service(models.Model):
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    hsds_id = models.CharField(_("HSDS id"), max_length=100)
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="services"
    )
    name = models.CharField(_("name"), max_length=250)
    alternate_name = models.CharField(_("also known as"), max_length=250, blank=True)
    description = models.TextField(_("description"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=ServiceStatus.choices, default=ServiceStatus.ACTIVE
    )
    accepting_new_clients = models.BooleanField(_("accepting new clients"), default=True)
    fees_description = models.TextField(_("fees"), blank=True)
    cost = models.CharField(_("cost"), max_length=20, choices=Cost.choices, blank=True)
    eligibility_description = models.TextField(_("eligibility"), blank=True)
    minimum_age = models.PositiveSmallIntegerField(_("minimum age"), null=True, blank=True)
    maximum_age = models.PositiveSmallIntegerField(_("maximum age"), null=True, blank=True)
    application_process = models.TextField(_("how to apply"), blank=True)
    interpretation_services = models.TextField(_("interpretation"), blank=True)
    url = models.CharField(_("website"), max_length=500, blank=True)
    email = models.CharField(_("e-mail"), max_length=254, blank=True)
    terms = models.ManyToManyField(
        TaxonomyTerm, through="ServiceTerm", related_name="services", blank=True
    )
    # The name, organization name and description in lower case, for word search without a
    # join or a function on every row (written by the import, with the rest of the row).
    search_text = models.TextField(editable=False, blank=True)
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "hsds_id"], name="service_hsds_id"),
            models.CheckConstraint(
                condition=Q(minimum_age__isnull=True)
                | Q(maximum_age__isnull=True)
                | Q(minimum_age__lte=models.F("maximum_age")),
                name="service_ages_ordered",
                violation_error_message=_("The minimum age is above the maximum age."),
            ),
        ]
        indexes = [models.Index(fields=["agency", "status", "name"], name="service_agency_status")]

    def __str__(self) -> str:
        return self.name

    @property
    def is_active(self) -> bool:
        return self.status == ServiceStatus.ACTIVE


def search_text(*parts: str) -> str:
    """The text word search looks in: the parts, lower case, on one line."""
    return " ".join(" ".join(parts).lower().split())


class ServiceTerm(models.Model):
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="term_links")
    term = models.ForeignKey(TaxonomyTerm, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["service", "term"], name="service_term_once")
        ]

    def __str__(self) -> str:
        return f"{self.service_id} {self.term_id}"


class ServiceCategory(models.Model):
    """A need category the service meets (derived from its taxonomy terms on import)."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="categories")
    category = models.CharField(_("need category"), max_length=30, choices=NEED_CATEGORY_CHOICES)

    class Meta:
        ordering = ["category"]
        constraints = [
            models.UniqueConstraint(fields=["service", "category"], name="service_category_once")
        ]
        indexes = [models.Index(fields=["category", "service"], name="service_category_search")]

    def __str__(self) -> str:
        return self.get_category_display()


class ServiceLanguage(models.Model):
    """A language the service is delivered in, as an ISO 639-1 code (639-3 where none)."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="languages")
    code = models.CharField(_("language"), max_length=8)

    class Meta:
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(fields=["service", "code"], name="service_language_once")
        ]
        indexes = [models.Index(fields=["code", "service"], name="service_language_search")]

    def __str__(self) -> str:
        return self.code


class ServiceAtLocation(models.Model):
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    hsds_id = models.CharField(_("HSDS id"), max_length=100)
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="service_locations")
    location = models.ForeignKey(
        Location, on_delete=models.CASCADE, related_name="location_services"
    )
    description = models.TextField(_("description"), blank=True)
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "hsds_id"], name="service_at_location_hsds_id"
            ),
            models.UniqueConstraint(
                fields=["service", "location"], name="service_at_location_once"
            ),
        ]
        indexes = [models.Index(fields=["location", "service"], name="service_at_location_loc")]

    def __str__(self) -> str:
        return f"{self.service_id} @ {self.location_id}"


class PhoneType(models.TextChoices):
    VOICE = "voice", _("Voice")
    TEXT = "text", _("Text messages")
    CELL = "cell", _("Mobile")
    FAX = "fax", _("Fax")
    VIDEO = "video", _("Video")
    PAGER = "pager", _("Pager")
    TEXTPHONE = "textphone", _("Textphone (TTY)")
    UNKNOWN = "", _("Phone")


class Phone(models.Model):
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    hsds_id = models.CharField(_("HSDS id"), max_length=100)
    service = models.ForeignKey(
        Service, null=True, blank=True, on_delete=models.CASCADE, related_name="phones"
    )
    location = models.ForeignKey(
        Location, null=True, blank=True, on_delete=models.CASCADE, related_name="phones"
    )
    organization = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.CASCADE, related_name="phones"
    )
    number = models.CharField(_("number"), max_length=50)
    extension = models.CharField(_("extension"), max_length=20, blank=True)
    type = models.CharField(_("type"), max_length=10, choices=PhoneType.choices, blank=True)
    description = models.CharField(_("description"), max_length=300, blank=True)
    language = models.CharField(_("language"), max_length=8, blank=True)
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "hsds_id"], name="phone_hsds_id"),
            models.CheckConstraint(
                condition=Q(service__isnull=False)
                | Q(location__isnull=False)
                | Q(organization__isnull=False),
                name="phone_has_owner",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} x{self.extension}" if self.extension else self.number


class Schedule(models.Model):
    """When a service (or a location) is open, as HSDS gives it: RFC 5545 `freq` and `byday`
    with opening and closing times, or a description alone."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    hsds_id = models.CharField(_("HSDS id"), max_length=100)
    service = models.ForeignKey(
        Service, null=True, blank=True, on_delete=models.CASCADE, related_name="schedules"
    )
    location = models.ForeignKey(
        Location, null=True, blank=True, on_delete=models.CASCADE, related_name="schedules"
    )
    freq = models.CharField(_("frequency"), max_length=10, blank=True)
    byday = models.CharField(_("days"), max_length=60, blank=True)
    opens_at = models.TimeField(_("opens at"), null=True, blank=True)
    closes_at = models.TimeField(_("closes at"), null=True, blank=True)
    description = models.CharField(_("description"), max_length=500, blank=True)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "hsds_id"], name="schedule_hsds_id"),
            models.CheckConstraint(
                condition=Q(service__isnull=False) | Q(location__isnull=False),
                name="schedule_has_owner",
            ),
        ]

    def __str__(self) -> str:
        return self.description or f"{self.byday} {self.opens_at}-{self.closes_at}"
