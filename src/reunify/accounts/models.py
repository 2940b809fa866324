"""Agencies, their units, and staff accounts with one role each."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from reunify.core.actor import history_user
from reunify.core.models import Versioned


class Agency(models.Model):
    name = models.CharField(_("name"), max_length=200, unique=True)
    jurisdiction = models.CharField(_("jurisdiction"), max_length=2, default="US")
    # Which statutory-clock profile (clocks/profiles/<key>.toml) applies to the agency's cases.
    clock_profile = models.CharField(_("statutory clock rules"), max_length=40, default="federal")
    # Staff sign in with a second factor too (families always do). Empty: the deployment's default
    # (settings.REUNIFY_STAFF_SECOND_FACTOR: on in production settings, off in development).
    staff_second_factor = models.BooleanField(
        _("staff sign in with a second factor"), null=True, blank=True, default=None
    )

    class Meta:
        verbose_name_plural = _("agencies")

    def __str__(self) -> str:
        return self.name


class Unit(Versioned):
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="units")
    name = models.CharField(_("name"), max_length=120)
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "name"], name="unit_name_unique_in_agency")
        ]

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    CASEWORKER = "caseworker", _("Caseworker")
    SUPERVISOR = "supervisor", _("Supervisor")
    AGENCY_ADMIN = "agency_admin", _("Agency administrator")
    # Family portal accounts (issue 7): they see only the portal, never a staff page.
    PARENT = "parent", _("Parent")
    RESOURCE_PARENT = "resource_parent", _("Resource parent")
    YOUTH = "youth", _("Youth")
    PARENT_PARTNER = "parent_partner", _("Parent partner")


STAFF_ROLES = frozenset({Role.CASEWORKER, Role.SUPERVISOR, Role.AGENCY_ADMIN})
PORTAL_ROLES = frozenset({Role.PARENT, Role.RESOURCE_PARENT, Role.YOUTH, Role.PARENT_PARTNER})


class User(AbstractUser, Versioned):
    """A staff account. Staff belong to one agency; caseworkers and supervisors to one unit.
    A supervisor supervises the unit they belong to."""

    agency = models.ForeignKey(Agency, null=True, on_delete=models.PROTECT, related_name="staff")
    unit = models.ForeignKey(
        Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="members"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.CASEWORKER)
    wants_digest = models.BooleanField(_("daily e-mail of what is due"), default=True)
    history = HistoricalRecords(excluded_fields=["password", "last_login"], get_user=history_user)

    objects = UserManager()

    class Meta:
        ordering = ["last_name", "first_name"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(role__in=["caseworker", "supervisor"])
                | models.Q(unit__isnull=False)
                | models.Q(agency__isnull=True),
                name="user_worker_has_unit",
                violation_error_message=_("Caseworkers and supervisors belong to a unit."),
            ),
            models.CheckConstraint(
                condition=models.Q(role__in=["caseworker", "supervisor", "agency_admin"])
                | models.Q(unit__isnull=True),
                name="user_portal_has_no_unit",
                violation_error_message=_("Family and partner accounts belong to no unit."),
            ),
        ]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    @property
    def display_name(self) -> str:
        return str(self)

    @property
    def is_caseworker(self) -> bool:
        return self.role == Role.CASEWORKER

    @property
    def is_supervisor(self) -> bool:
        return self.role == Role.SUPERVISOR

    @property
    def is_agency_admin(self) -> bool:
        return self.role == Role.AGENCY_ADMIN

    @property
    def is_staff_role(self) -> bool:
        return self.role in STAFF_ROLES

    @property
    def is_portal_user(self) -> bool:
        return self.role in PORTAL_ROLES
