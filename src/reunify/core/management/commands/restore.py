"""`reunify restore DIR`: check a backup against its manifest, restore it, compare the tables."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import dj_database_url
from django.core.management.base import BaseCommand, CommandError, CommandParser

from reunify.core import backup


class Command(BaseCommand):
    help = (
        "Restore a backup made by `reunify backup`: every file is checked against the manifest "
        "first (nothing is written if one differs); then the database and the private files are "
        "restored and every table's row count and content hash compared with the manifest."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("directory", type=Path, help="the backup's directory")
        parser.add_argument(
            "--database-url",
            help="restore into this database instead of the configured one (e.g. a fresh "
            "database for a restore drill)",
        )
        parser.add_argument(
            "--replace",
            action="store_true",
            help="overwrite a database that already has tables",
        )

    def handle(self, *args: Any, directory: Path, **options: Any) -> None:
        url = options.get("database_url")
        try:
            database = (
                backup.Database.from_settings(dj_database_url.parse(url))
                if url
                else backup.Database.of()
            )
            restored = backup.restore(directory, database=database, replace=options["replace"])
        except backup.BackupError as error:
            raise CommandError(str(error)) from error
        if restored.problems:
            raise CommandError(
                "Restored, but the database differs from the backup: "
                + "; ".join(restored.problems)
            )
        self.stdout.write(
            f"Restored {restored.tables} tables and {restored.files} files from {directory}; "
            "every table matches the manifest."
        )
