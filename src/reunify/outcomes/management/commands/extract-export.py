"""`reunify extract-export --out DIR [--agency NAME]`: Reunify's own removal episodes and
placements as a cfsr.md §11 extract (episodes.csv, placements.csv), the AFCARS-style files an
agency reconciles with its state system and that `reunify indicators` reads.

The rows are those the Outcomes page counts (`outcomes.source.own_data`): child ids are Reunify's
person keys, settings and discharge reasons already §11 codes, provider ids the resource
provider's key. Children with no date of birth cannot be placed in a cohort and are left out; the
command names how many. The export is audited (who, which agency, how many rows), never the rows.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from reunify.accounts.models import Agency
from reunify.core import audit
from reunify.core.models import AuditEvent
from reunify.outcomes import engine, source


class Command(BaseCommand):
    help = "Export the agency's episodes and placements as a cfsr.md §11 extract (CSV pair)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--out", type=Path, required=True, help="a directory for the pair")
        parser.add_argument(
            "--agency", help="the agency's name (needed when the database holds several)"
        )

    def handle(self, *args: Any, out: Path, agency: str | None = None, **options: Any) -> None:
        agencies = Agency.objects.all() if agency is None else Agency.objects.filter(name=agency)
        found = list(agencies[:2])
        if not found:
            raise CommandError(f"No agency named {agency!r}." if agency else "No agency yet.")
        if len(found) > 1:
            raise CommandError("Several agencies: name one with --agency.")
        chosen = found[0]
        for name in ("episodes.csv", "placements.csv"):
            if (out / name).exists():
                raise CommandError(f"{out / name} exists: choose another directory.")
        out.mkdir(parents=True, exist_ok=True)
        data = source.own_data(chosen.pk)
        episodes_csv, placements_csv = engine.write_csv_pair(out, data.episodes, data.placements)
        audit.record(
            actor=None,
            action="outcomes.extract_exported",
            kind=AuditEvent.Kind.ACCESS,
            agency_id=chosen.pk,
            summary=(
                f"Exported the §11 extract of {chosen.name}: {len(data.episodes)} episodes, "
                f"{len(data.placements)} placements"
            )[:300],
        )
        self.stdout.write(
            f"Wrote {episodes_csv} ({len(data.episodes)} episodes) and {placements_csv} "
            f"({len(data.placements)} placements)"
            + (
                f"; left out {len(data.skipped)} children with no date of birth"
                if data.skipped
                else ""
            )
        )
