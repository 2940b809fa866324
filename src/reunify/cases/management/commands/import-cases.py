"""`reunify import-cases FILE --worker USERNAME [--dry-run]`: open a case for each family in a
CSV file (format: `cases/import_rows.py`), assigned to the worker, all or nothing. Every problem
is printed as `line N: field: message`; the exit status is 1 when there is any."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from reunify.accounts.models import User
from reunify.cases import import_rows, imports


class Command(BaseCommand):
    help = "Open cases from a CSV file of families (one row per person), all or nothing."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--worker", required=True, help="the user name the cases go to")
        parser.add_argument("--dry-run", action="store_true", help="check everything, open nothing")

    def handle(self, *args: Any, file: Path, worker: str, dry_run: bool, **options: Any) -> None:
        try:
            text = file.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(f"Cannot read {file}: {error}") from error
        actor = User.objects.filter(username=worker, is_active=True).first()
        if actor is None:
            raise CommandError(f"No active user {worker!r}.")
        plan = import_rows.read(text)
        result = imports.cases_import(actor=actor, plan=plan, dry_run=dry_run)
        for problem in result.problems:
            self.stderr.write(f"{file}: {problem}")
        if result.problems:
            raise CommandError(f"{len(result.problems)} problems; no case was opened.")
        families = len(plan.cases)
        if dry_run:
            self.stdout.write(f"Dry run: {families} cases ({plan.rows} rows) would be opened.")
        else:
            self.stdout.write(f"Opened {families} cases: {', '.join(result.opened)}")
