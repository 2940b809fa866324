"""`reunify directory-import PATH --agency ID|NAME`: replace an agency's community service
directory with an HSDS CSV package (folder or .zip) or HSDS JSON file (docs/service-directory.md).
A file with any problem is refused, each problem named by file, row and field, and nothing is
changed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from reunify.accounts.models import Agency
from reunify.services import services
from reunify.services.hsds_schema import HsdsError


class Command(BaseCommand):
    help = "Import an agency's community service directory from Open Referral HSDS data."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path, help="folder or .zip of HSDS CSV files, or .json")
        parser.add_argument("--agency", required=True, help="the agency's id or exact name")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["path"]
        if not path.exists():
            raise CommandError(f"{path} does not exist.")
        agency = _agency(options["agency"])
        try:
            result = services.directory_import(actor=None, agency=agency, source=path)
        except HsdsError as error:
            for problem in error.problems:
                self.stderr.write(str(problem))
            if error.more:
                self.stderr.write(f"...and {error.more} more problems.")
            raise CommandError(f"{path.name} was refused; nothing was changed.") from error
        self.stdout.write(f"Imported {path.name} into {agency.name}:")
        for table, tally in result.tallies.items():
            counts = ", ".join(f"{key} {value}" for key, value in tally.as_dict().items())
            self.stdout.write(f"  {table}: {counts}")


def _agency(value: str) -> Agency:
    agency = (
        Agency.objects.filter(pk=int(value)).first()
        if value.isdigit()
        else Agency.objects.filter(name__iexact=value.strip()).first()
    )
    if agency is None:
        raise CommandError(f"No agency has the id or name {value!r}.")
    return agency
