"""Backup and restore drills on the database the suite runs on (SQLite, or PostgreSQL with
DATABASE_URL): a backup restored into a fresh database has every table with the same row count
and content hash, the private files come back byte for byte, a damaged backup restores nothing,
and a database that already has tables is not overwritten unless asked."""

from __future__ import annotations

import io
import sqlite3
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from reunify.cases.models import FamilyCase
from reunify.cases.tests.factories import open_case
from reunify.core import backup
from reunify.core import backup_manifest as manifest_rules

# The dump tools and a second connection must see the rows: committed, not in a test transaction.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def files(tmp_path, settings) -> dict[str, Path]:
    """This installation's private file directories, in the test's own directory, each with a
    file in it."""
    settings.VAR_DIR = tmp_path / "var"
    settings.REUNIFY_PORTAL_FILES_DIR = tmp_path / "portal"
    roots = backup.file_roots()
    (roots["private"] / "messaging").mkdir(parents=True)
    (roots["private"] / "messaging" / "a1.jpg").write_bytes(b"\xff\xd8 attachment \x00\x01")
    (roots["portal_files"] / "shared" / "2026").mkdir(parents=True)
    (roots["portal_files"] / "shared" / "2026" / "plan.pdf").write_bytes(b"%PDF-1.7 shared")
    return roots


@pytest.fixture
def fresh(tmp_path) -> Iterator[backup.Database]:
    """An empty database of the same engine, dropped afterwards."""
    current = backup.Database.of()
    if current.engine == "sqlite":
        yield backup.Database("sqlite", str(tmp_path / "drill.sqlite3"))
        return
    name = f"reunify_drill_{uuid.uuid4().hex[:12]}"
    admin = psycopg.connect(current.conninfo(), password=current.password or None, autocommit=True)
    admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield backup.Database(
            "postgresql", name, current.host, current.port, current.user, current.password
        )
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


def test_restore_drill_into_a_fresh_database(tmp_path, caseworker, files, fresh):
    # Given an agency with two cases and private files
    open_case(worker=caseworker, children=2)
    open_case(worker=caseworker, children=1)

    # When it is backed up and restored into a fresh database and fresh file directories
    manifest = backup.backup(tmp_path / "backup")
    elsewhere = {name: tmp_path / "restored" / name for name in files}
    restored = backup.restore(tmp_path / "backup", database=fresh, files_to=elsewhere)

    # Then every table has the backup's row count and content hash
    assert restored.problems == []
    assert restored.tables == len(manifest["tables"]) > 50
    assert manifest["tables"][FamilyCase._meta.db_table]["rows"] == 2
    assert manifest["engine"] == fresh.engine
    # and the private files came back byte for byte
    assert restored.files == 2
    for name, root in files.items():
        for original in (p for p in root.rglob("*") if p.is_file()):
            copy = elsewhere[name] / original.relative_to(root)
            assert copy.read_bytes() == original.read_bytes()

    # And a row changed in the restored database is caught by the comparison
    table = FamilyCase._meta.db_table
    change = f"UPDATE {table} SET number = 'X-1' WHERE id = (SELECT min(id) FROM {table})"  # noqa: S608
    _execute(fresh, change)
    assert manifest_rules.compare_tables(manifest, backup.database_states(fresh)) == [
        f"table {FamilyCase._meta.db_table}: content differs from the backup"
    ]


def _execute(database: backup.Database, sql: str) -> None:
    if database.engine == "sqlite":
        with sqlite3.connect(database.name) as db:
            db.execute(sql)
        return
    with database.connect_pg() as conn:
        conn.execute(sql)


def test_a_damaged_backup_restores_nothing(tmp_path, caseworker, files, fresh):
    open_case(worker=caseworker)
    manifest = backup.backup(tmp_path / "backup")
    database_file = next(n for n in manifest["files"] if n.startswith("database."))
    with (tmp_path / "backup" / database_file).open("r+b") as handle:
        handle.seek(200)
        byte = handle.read(1)
        handle.seek(200)
        handle.write(bytes([byte[0] ^ 0xFF]))

    with pytest.raises(backup.BackupError, match=rf"{database_file}: content differs"):
        backup.restore(tmp_path / "backup", database=fresh, files_to={})
    assert backup.database_states(fresh) == []  # nothing written


def test_the_commands_refuse_to_overwrite_and_restore_into_a_fresh_database(
    tmp_path, caseworker, files, fresh
):
    open_case(worker=caseworker)
    call_command("backup", str(tmp_path / "backup"))
    with pytest.raises(CommandError, match="not empty"):
        call_command("backup", str(tmp_path / "backup"))
    # the configured database already has tables: refused without --replace
    with pytest.raises(CommandError, match="already has tables"):
        call_command("restore", str(tmp_path / "backup"))
    with pytest.raises(CommandError, match="not a Reunify backup"):
        call_command("restore", str(tmp_path))

    url = (
        f"sqlite:///{fresh.name}"
        if fresh.engine == "sqlite"
        else f"postgres://{fresh.user}:{fresh.password}@{fresh.host or 'localhost'}:"
        f"{fresh.port or 5432}/{fresh.name}"
    )
    out = io.StringIO()
    call_command("restore", str(tmp_path / "backup"), "--database-url", url, stdout=out)
    assert "every table matches the manifest" in out.getvalue()
