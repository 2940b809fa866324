"""Cross-cutting models: the append-only audit trail and the base for versioned records."""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AppendOnlyError(Exception):
    """Raised when code tries to change or remove an audit event."""


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    def update(self, **kwargs: Any) -> int:
        raise AppendOnlyError("Audit events cannot be updated.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("Audit events cannot be deleted.")

    def for_case(self, case_id: int) -> AuditEventQuerySet:
        return self.filter(case_id=case_id)


class AuditEvent(models.Model):
    """Who did or saw what, when. Written only by `core.audit.record`, in the same transaction as
    the change it describes. Rows are hash-chained (`core.audit_chain`) and the database refuses
    UPDATE and DELETE on this table (triggers on both SQLite and PostgreSQL)."""

    class Kind(models.TextChoices):
        CHANGE = "change", _("Change")
        ACCESS = "access", _("Access")
        AUTH = "auth", _("Sign-in")
        DENIAL = "denial", _("Denied")

    occurred_at = models.DateTimeField(db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_label = models.CharField(max_length=150, blank=True)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    action = models.CharField(max_length=60)
    object_type = models.CharField(max_length=60, blank=True)
    object_id = models.BigIntegerField(null=True, blank=True)
    # Plain integers, not foreign keys: core sits below the domain apps.
    case_id = models.BigIntegerField(null=True, blank=True)
    agency_id = models.BigIntegerField(null=True, blank=True)
    summary = models.CharField(max_length=300)
    changes = models.JSONField(default=dict, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    request_id = models.CharField(max_length=36, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    objects: ClassVar[AuditEventQuerySet] = AuditEventQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["case_id", "-id"], name="audit_case_recent"),
            models.Index(fields=["object_type", "object_id", "-id"], name="audit_object_recent"),
            models.Index(fields=["occurred_at", "actor"], name="audit_when_who"),
        ]

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d %H:%M} {self.actor_label} {self.action}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise AppendOnlyError("Audit events cannot be updated.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("Audit events cannot be deleted.")

    def chain_fields(self) -> dict[str, Any]:
        return {
            "occurred_at": self.occurred_at.isoformat(),
            "actor_id": self.actor_id,
            "actor_label": self.actor_label,
            "kind": self.kind,
            "action": self.action,
            "object_type": self.object_type,
            "object_id": self.object_id,
            "case_id": self.case_id,
            "agency_id": self.agency_id,
            "summary": self.summary,
            "changes": self.changes,
        }


class Versioned(models.Model):
    """A record edited through forms: `version` goes up by one on every saved change, and an edit
    made against an older version is refused (`core.concurrency`)."""

    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        abstract = True
