"""`reunify backup DIR`: the database and the private files, with a checksum manifest."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from reunify.core import backup


class Command(BaseCommand):
    help = (
        "Back up the database (SQLite: online backup API; PostgreSQL: pg_dump of one snapshot) "
        "and the private files into a new directory, with manifest.json (SHA-256 of every file, "
        "row count and content hash of every table)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("directory", type=Path, help="a new or empty directory")

    def handle(self, *args: Any, directory: Path, **options: Any) -> None:
        try:
            manifest = backup.backup(directory)
        except backup.BackupError as error:
            raise CommandError(str(error)) from error
        rows = sum(t["rows"] for t in manifest["tables"].values())
        self.stdout.write(
            f"Backed up {manifest['engine']}: {len(manifest['tables'])} tables, {rows} rows, "
            f"{len(manifest['files'])} files, to {directory}"
        )
