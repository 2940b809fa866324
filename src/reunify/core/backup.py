"""`reunify backup` and `reunify restore`: the database and the private files, with a checksum
manifest (`backup_manifest`), for SQLite and PostgreSQL.

- SQLite: SQLite's online backup API copies a consistent image of the live database (writers
  wait only for the copy of each page batch); the tables are then counted and hashed in the copy.
- PostgreSQL: one REPEATABLE READ transaction exports its snapshot; `pg_dump --snapshot` dumps
  exactly that snapshot while the same transaction counts and hashes every table, so the
  manifest describes the dump even while the agency keeps working.
- Private files (message attachments, shared documents: the directories under
  `REUNIFY_VAR_DIR/private` and `REUNIFY_PORTAL_FILES_DIR`) are copied under `files/`.

A restore checks every file against the manifest first (nothing is written if one differs),
refuses a database that already has tables unless told to replace it, loads the database, copies
the files back, and then compares every table's row count and content hash with the manifest:
the drill (`core/tests/test_backup.py`) restores into a fresh database and expects no difference.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg
from django.conf import settings
from django.db import connections

from reunify.core import backup_manifest as manifest_rules
from reunify.core import clock
from reunify.core.backup_manifest import TableState

SQLITE_FILE = "database.sqlite3"
PG_FILE = "database.dump"
FILES_DIR = "files"
FETCH = 5000


class BackupError(Exception):
    """A backup or restore that cannot go ahead; the message says why."""


@dataclass(frozen=True)
class Database:
    """Where a database is: an SQLite file, or a PostgreSQL server and database."""

    engine: str  # "sqlite" | "postgresql"
    name: str
    host: str = ""
    port: str = ""
    user: str = ""
    password: str = ""

    @classmethod
    def from_settings(cls, entry: dict[str, Any]) -> Database:
        engine = entry["ENGINE"].rsplit(".", 1)[-1]
        if engine == "sqlite3":
            return cls("sqlite", str(entry["NAME"]))
        if engine == "postgresql":
            return cls(
                "postgresql",
                str(entry["NAME"]),
                str(entry.get("HOST") or ""),
                str(entry.get("PORT") or ""),
                str(entry.get("USER") or ""),
                str(entry.get("PASSWORD") or ""),
            )
        raise BackupError(f"backups of {entry['ENGINE']} databases are not supported")

    @classmethod
    def of(cls, alias: str = "default") -> Database:
        return cls.from_settings(connections[alias].settings_dict)

    def conninfo(self) -> str:
        parts = {"dbname": self.name, "host": self.host, "port": self.port, "user": self.user}
        return psycopg.conninfo.make_conninfo(**{k: v for k, v in parts.items() if v})

    def environment(self) -> dict[str, str]:
        """The environment for pg_dump / pg_restore: the password never on a command line."""
        env = dict(os.environ)
        if self.password:
            env["PGPASSWORD"] = self.password
        return env

    def connect_pg(self, *, snapshot: bool = False) -> psycopg.Connection[Any]:
        """A connection; with `snapshot`, its transaction reads one consistent snapshot."""
        conn = psycopg.connect(self.conninfo(), password=self.password or None)
        if snapshot:
            conn.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
            conn.read_only = True
        return conn


# ---- reading a database's tables --------------------------------------------------------------


def _tables(cursor: Any, engine: str) -> list[tuple[str, int]]:
    """(table, number of columns) for every table of the application's schema."""
    if engine == "sqlite":
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
            "ORDER BY name"
        )
        names = [row[0] for row in cursor.fetchall()]
        result = []
        for name in names:
            cursor.execute(f'PRAGMA table_info("{name}")')
            result.append((name, len(cursor.fetchall())))
        return result
    cursor.execute(
        "SELECT c.table_name, count(*) FROM information_schema.columns c "
        "JOIN information_schema.tables t USING (table_schema, table_name) "
        "WHERE c.table_schema = current_schema() AND t.table_type = 'BASE TABLE' "
        "GROUP BY c.table_name ORDER BY c.table_name"
    )
    return [(name, int(count)) for name, count in cursor.fetchall()]


def _rows(cursor: Any, table: str, columns: int) -> Iterator[tuple[Any, ...]]:
    order = ", ".join(str(i) for i in range(1, columns + 1))
    cursor.execute(f'SELECT * FROM "{table}" ORDER BY {order}')  # noqa: S608 (catalogue names)
    while batch := cursor.fetchmany(FETCH):
        yield from batch


def table_states(cursor: Any, engine: str) -> list[TableState]:
    """Every table's row count and content hash, read through a DB-API cursor."""
    return [
        manifest_rules.table_state(name, _rows(cursor, name, columns))
        for name, columns in _tables(cursor, engine)
    ]


def database_states(database: Database) -> list[TableState]:
    """The tables of `database`, read in one consistent snapshot."""
    if database.engine == "sqlite":
        with _sqlite(database.name) as db:
            return table_states(db.cursor(), "sqlite")
    with database.connect_pg(snapshot=True) as conn, conn.cursor() as cursor:
        return table_states(cursor, "postgresql")


@contextmanager
def _sqlite(path: str) -> Iterator[sqlite3.Connection]:
    db = sqlite3.connect(path, uri=path.startswith("file:"))  # the suite's shared in-memory db
    try:
        yield db
    finally:
        db.close()


# ---- private files ------------------------------------------------------------------------


def file_roots() -> dict[str, Path]:
    """The directories of private files a backup carries, by the name they have in it."""
    var = Path(settings.VAR_DIR)
    return {
        "private": var / "private",
        "portal_files": Path(getattr(settings, "REUNIFY_PORTAL_FILES_DIR", var / "portal_files")),
    }


def _copy_files(roots: dict[str, Path], directory: Path) -> list[str]:
    copied = []
    for name, root in roots.items():
        if not root.is_dir():
            continue
        for source in sorted(p for p in root.rglob("*") if p.is_file()):
            relative = Path(FILES_DIR) / name / source.relative_to(root)
            (directory / relative).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, directory / relative)
            copied.append(relative.as_posix())
    return copied


# ---- backup ---------------------------------------------------------------------------------


def backup(directory: Path, *, alias: str = "default") -> dict[str, Any]:
    """Write a backup of the `alias` database and the private files to `directory` (new or
    empty); returns its manifest."""
    if directory.exists() and any(directory.iterdir()):
        raise BackupError(f"{directory} is not empty: choose a new directory for the backup")
    directory.mkdir(parents=True, exist_ok=True)
    database = Database.of(alias)
    if database.engine == "sqlite":
        target = directory / SQLITE_FILE
        connection = connections[alias]
        connection.ensure_connection()
        with _sqlite(str(target)) as copy:
            connection.connection.backup(copy)
        states = database_states(Database("sqlite", str(target)))
        files = [SQLITE_FILE]
    else:
        states = _pg_dump(database, directory / PG_FILE)
        files = [PG_FILE]
    files += _copy_files(file_roots(), directory)
    manifest = manifest_rules.build(
        engine=database.engine,
        created_at=clock.now(),
        directory=directory,
        files=files,
        tables=states,
    )
    manifest_rules.write(directory, manifest)
    return manifest


def _pg_dump(database: Database, target: Path) -> list[TableState]:
    """Dump one exported snapshot and hash the tables in that same snapshot."""
    with database.connect_pg(snapshot=True) as conn:
        snapshot = conn.execute("SELECT pg_export_snapshot()").fetchone()
        if snapshot is None:
            raise BackupError("PostgreSQL exported no snapshot")
        result = subprocess.run(  # noqa: S603 (our own arguments, no shell)
            [
                shutil.which("pg_dump") or "pg_dump",
                "--format=custom",
                "--no-owner",
                "--no-privileges",
                # COMMENT ON EXTENSION needs the extension's owner (a superuser) to restore
                "--no-comments",
                f"--snapshot={snapshot[0]}",
                f"--file={target}",
                f"--dbname={database.conninfo()}",
            ],
            env=database.environment(),
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0:
            raise BackupError(f"pg_dump failed: {result.stderr.strip()}")
        with conn.cursor() as cursor:
            return table_states(cursor, "postgresql")


# ---- restore --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Restored:
    manifest: dict[str, Any]
    tables: int
    files: int
    problems: list[str]  # differences between the restored tables and the manifest


def _has_tables(database: Database) -> bool:
    if database.engine == "sqlite":
        if not database.name.startswith("file:") and not Path(database.name).exists():
            return False
        with _sqlite(database.name) as db:
            return bool(_tables(db.cursor(), "sqlite"))
    with database.connect_pg() as conn, conn.cursor() as cursor:
        return bool(_tables(cursor, "postgresql"))


def restore(
    directory: Path,
    *,
    database: Database,
    replace: bool = False,
    files_to: dict[str, Path] | None = None,
) -> Restored:
    """Restore the backup in `directory` into `database` and the private file directories
    (`files_to`, by default this installation's), then compare the tables with the manifest."""
    try:
        manifest = manifest_rules.read(directory)
    except ValueError as error:
        raise BackupError(str(error)) from error
    problems = manifest_rules.check_files(directory, manifest)
    if problems:
        raise BackupError("the backup is damaged, nothing was restored: " + "; ".join(problems))
    if manifest["engine"] != database.engine:
        raise BackupError(
            f"this is a {manifest['engine']} backup; the target database is {database.engine}"
        )
    if _has_tables(database) and not replace:
        raise BackupError(
            f"the database {database.name} already has tables: restore into an empty database, "
            "or pass --replace to overwrite it"
        )
    if database.engine == "sqlite":
        with _sqlite(str(directory / SQLITE_FILE)) as source, _sqlite(database.name) as target:
            source.backup(target)
    else:
        _pg_restore(database, directory / PG_FILE, replace=replace)
    roots = files_to if files_to is not None else file_roots()
    restored_files = 0
    for name in manifest["files"]:
        parts = Path(name).parts
        if parts[0] != FILES_DIR or parts[1] not in roots:
            continue
        target_path = roots[parts[1]].joinpath(*parts[2:])
        target_path.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(directory / name, target_path)
        restored_files += 1
    states = database_states(database)
    return Restored(
        manifest=manifest,
        tables=len(states),
        files=restored_files,
        problems=manifest_rules.compare_tables(manifest, states),
    )


def _pg_restore(database: Database, dump: Path, *, replace: bool) -> None:
    command = [
        shutil.which("pg_restore") or "pg_restore",
        "--no-owner",
        "--no-privileges",
        "--no-comments",
        "--single-transaction",
        "--exit-on-error",
        f"--dbname={database.conninfo()}",
    ]
    if replace:
        command += ["--clean", "--if-exists"]
    result = subprocess.run(  # noqa: S603 (our own arguments, no shell)
        [*command, str(dump)],
        env=database.environment(),
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise BackupError(f"pg_restore failed, nothing was restored: {result.stderr.strip()}")
