"""The audit trail is append-only (in the application and in the database) and hash-chained."""

import pytest
from django.db import DatabaseError, connection, transaction

from reunify.core import audit
from reunify.core.audit_chain import GENESIS, event_hash, verify_chain
from reunify.core.models import AppendOnlyError, AuditEvent

pytestmark = pytest.mark.django_db


def _event(summary="Something happened"):
    return audit.record(actor=None, action="test.event", summary=summary)


def test_events_chain_to_the_previous_hash():
    first, second = _event("one"), _event("two")
    assert first.prev_hash == GENESIS
    assert second.prev_hash == first.hash
    assert audit.chain_verify() is None


def test_application_cannot_update_or_delete_events():
    event = _event()
    event.summary = "rewritten"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).update(summary="rewritten")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).delete()


@pytest.mark.parametrize(
    "statement", ["UPDATE core_auditevent SET summary = 'x'", "DELETE FROM core_auditevent"]
)
def test_database_refuses_update_and_delete(statement):
    if statement.startswith("DELETE") and connection.vendor == "sqlite":
        pytest.skip(
            "SQLite guards UPDATE only (its test flush deletes rows); PostgreSQL guards both"
        )
    _event()
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement)
    assert AuditEvent.objects.filter(summary="Something happened").count() == 1


def test_verify_chain_finds_an_edited_row():
    fields = [{"summary": "a"}, {"summary": "b"}, {"summary": "c"}]
    rows, prev = [], GENESIS
    for i, f in enumerate(fields, start=1):
        h = event_hash(prev_hash=prev, fields=f)
        rows.append((i, prev, h, f))
        prev = h
    assert verify_chain(rows) is None
    tampered = [*rows[:1], (2, rows[1][1], rows[1][2], {"summary": "B"}), rows[2]]
    broken = verify_chain(tampered)
    assert broken is not None
    assert broken.event_id == 2
    reordered = [rows[0], rows[2], rows[1]]
    assert verify_chain(reordered).event_id == 3


def test_record_carries_request_meta_when_present(client, caseworker):
    client.force_login(caseworker)
    from reunify.cases.tests.factories import open_case

    case = open_case(worker=caseworker)
    response = client.get(f"/cases/{case.pk}/", HTTP_X_REQUEST_ID="req-123")
    assert response.status_code == 200
    viewed = AuditEvent.objects.get(action="case.viewed", case_id=case.pk)
    assert viewed.request_id == "req-123"
    assert viewed.ip_address == "127.0.0.1"
    assert viewed.actor == caseworker


def _tamper(sql: str, params: list) -> None:
    """Change stored audit rows the way someone with database access could: around the
    append-only trigger."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("DROP TRIGGER audit_no_update")
            cursor.execute(sql, params)
        else:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no pending trigger events
            cursor.execute("ALTER TABLE core_auditevent DISABLE TRIGGER audit_no_update_delete")
            cursor.execute(sql, params)
            cursor.execute("ALTER TABLE core_auditevent ENABLE TRIGGER audit_no_update_delete")


@pytest.mark.parametrize("change", ["edit", "delete"])
def test_audit_verify_names_the_first_row_altered_or_removed_through_raw_sql(change):
    from django.core.management import call_command
    from django.core.management.base import CommandError

    events = [_event(f"event {i}") for i in range(5)]
    call_command("audit", "verify")  # intact
    target = events[2]
    if change == "edit":
        _tamper("UPDATE core_auditevent SET summary = %s WHERE id = %s", ["nothing", target.pk])
        broken_at = target.pk
    else:
        _tamper("DELETE FROM core_auditevent WHERE id = %s", [target.pk])
        broken_at = events[3].pk  # its predecessor is gone
    with pytest.raises(CommandError, match=rf"Audit chain broken at event {broken_at}:"):
        call_command("audit", "verify")
