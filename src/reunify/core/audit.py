"""Writing the audit trail. Services call `record` inside their transaction; nothing else writes
AuditEvent rows."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.db import connection, models, transaction

from reunify.core import clock
from reunify.core.audit_chain import GENESIS, event_hash, verify_chain
from reunify.core.models import AuditEvent
from reunify.core.request_context import current_request_meta

# Any fixed number: the PostgreSQL advisory lock that serialises appends to the chain.
_CHAIN_LOCK_KEY = 7_420_113


def _lock_chain() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_CHAIN_LOCK_KEY])
    # SQLite: transactions open with BEGIN IMMEDIATE (settings), so writers are already serial.


def _last_hash() -> str:
    last = AuditEvent.objects.order_by("-id").values_list("hash", flat=True).first()
    return last or GENESIS


def describe(obj: models.Model) -> tuple[str, int | None]:
    return obj._meta.label_lower, obj.pk


@transaction.atomic
def record(
    *,
    actor: Any,
    action: str,
    summary: str,
    kind: str = AuditEvent.Kind.CHANGE,
    obj: models.Model | None = None,
    case_id: int | None = None,
    agency_id: int | None = None,
    changes: Mapping[str, Any] | None = None,
) -> AuditEvent:
    """Append one event. `actor` is a user or None (system)."""
    _lock_chain()
    meta = current_request_meta()
    object_type, object_id = describe(obj) if obj is not None else ("", None)
    authenticated = actor is not None and getattr(actor, "is_authenticated", False)
    event = AuditEvent(
        occurred_at=clock.now(),
        actor=actor if authenticated else None,
        actor_label=(actor.get_username() if authenticated else "system")[:150],
        kind=kind,
        action=action,
        object_type=object_type,
        object_id=object_id,
        case_id=case_id,
        agency_id=agency_id if agency_id is not None else getattr(actor, "agency_id", None),
        summary=summary[:300],
        changes=dict(changes or {}),
        ip_address=meta.ip_address,
        request_id=meta.request_id,
    )
    event.prev_hash = _last_hash()
    event.hash = event_hash(prev_hash=event.prev_hash, fields=event.chain_fields())
    event.save()
    return event


def bulk_append(events: Iterable[AuditEvent], *, batch_size: int = 2000) -> int:
    """Append many prepared events at once (demo data, imports), chained in order."""
    with transaction.atomic():
        _lock_chain()
        prev = _last_hash()
        pending = []
        for event in events:
            event.prev_hash = prev
            event.hash = event_hash(prev_hash=prev, fields=event.chain_fields())
            prev = event.hash
            pending.append(event)
        AuditEvent.objects.bulk_create(pending, batch_size=batch_size)
    return len(pending)


def chain_verify() -> str | None:
    """Walk the whole chain; return a description of the first break, or None when intact."""
    rows = (
        (e.id, e.prev_hash, e.hash, e.chain_fields())
        for e in AuditEvent.objects.order_by("id").iterator(chunk_size=5000)
    )
    broken = verify_chain(rows)
    return None if broken is None else f"event {broken.event_id}: {broken.reason}"


def field_changes(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, list[Any]]:
    """{field: [old, new]} for the fields whose value differs, as strings for the record."""
    return {
        key: [_plain(before.get(key)), _plain(after.get(key))]
        for key in after
        if before.get(key) != after.get(key)
    }


def _plain(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)
