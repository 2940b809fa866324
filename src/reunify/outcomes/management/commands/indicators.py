"""`reunify indicators --episodes E.csv --placements P.csv --period-start YYYY-MM-DD
[--as-of YYYY-MM-DD] [--json] [--strict] [--engine duckdb|python]`: the five CFSR Round 4
permanency indicators for one 12-month period from a cfsr.md §11 extract (docs/outcomes.md).

Exit status 0 when the indicators were computed; 2 for bad arguments, an unreadable file or,
with --strict, any malformed row (each named by file, line and field on stderr).
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any, NoReturn

from django.core.management.base import BaseCommand, CommandError, CommandParser

from reunify.outcomes import engine
from reunify.outcomes import indicators as rules
from reunify.outcomes.extract import ExtractRefused, read_extract

MAX_PROBLEMS_SHOWN = 20


def _iso_date(value: str) -> date:
    try:
        if len(value) != 10:
            raise ValueError(value)
        return date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{value!r} is not a date (YYYY-MM-DD)") from None


class Command(BaseCommand):
    help = "Compute the CFSR Round 4 permanency indicators from an episodes/placements extract."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--episodes", type=Path, required=True, help="episodes.csv (§11)")
        parser.add_argument("--placements", type=Path, required=True, help="placements.csv (§11)")
        parser.add_argument(
            "--period-start", required=True, help="first day of the 12-month period"
        )
        parser.add_argument("--as-of", help="data-as-of date (default: latest date in the extract)")
        parser.add_argument("--json", action="store_true", help="print one JSON object")
        parser.add_argument("--strict", action="store_true", help="refuse any malformed row")
        parser.add_argument(
            "--engine",
            choices=("duckdb", "python"),
            default="duckdb",
            help="DuckDB (default) or the pure-Python rules; both give the same result",
        )

    def _fail(self, message: str) -> NoReturn:
        raise CommandError(message, returncode=2)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            period_start = _iso_date(options["period_start"])
            as_of = _iso_date(options["as_of"]) if options["as_of"] else None
        except ValueError as error:
            self._fail(f"Bad argument: {error}")
        if as_of is not None and as_of < period_start:
            self._fail("Bad argument: --as-of is before --period-start.")
        for option in ("episodes", "placements"):
            if not options[option].is_file():
                self._fail(f"Bad argument: --{option} {options[option]} is not a file.")
        try:
            extract = read_extract(
                options["episodes"], options["placements"], strict=options["strict"]
            )
        except ExtractRefused as refused:
            for problem in refused.problems[:MAX_PROBLEMS_SHOWN]:
                self.stderr.write(str(problem))
            more = len(refused.problems) - MAX_PROBLEMS_SHOWN
            if more > 0:
                self.stderr.write(f"...and {more} more problems.")
            self._fail("The extract was refused; nothing was computed.")
        compute = engine.compute if options["engine"] == "duckdb" else rules.compute
        report = compute(
            extract.episodes, extract.placements, period_start=period_start, as_of=as_of
        )
        if options["json"]:
            data = report.as_dict()
            if extract.skipped:
                data["skipped_rows"] = {
                    "count": len(extract.skipped),
                    "rows": [problem.as_dict() for problem in extract.skipped],
                }
            self.stdout.write(json.dumps(data, indent=2))
            return
        self._table(report, extract.skipped)

    def _table(self, report: rules.Report, skipped: list[Any]) -> None:
        period = report.period
        self.stdout.write(
            f"CFSR Round 4 permanency indicators (observed), period {period.start} to "
            f"{period.last_day}, data as of {report.as_of}"
        )
        header = f"{'indicator':<40} {'numerator':>10} {'denominator':>12} {'value':>9} {'national':>9}  better  excluded"
        self.stdout.write(header)
        for key in rules.KEYS:
            result = report.results[key]
            definition = result.definition
            value = "-" if result.value is None else f"{result.value:.2f}"
            unit = "%" if definition.unit == rules.PERCENT else ""
            self.stdout.write(
                f"{definition.title:<40} {result.numerator:>10} {result.denominator:>12} "
                f"{value + unit:>9} {f'{definition.national_performance}{unit}':>9}  "
                f"{definition.direction:<6}  {len(result.excluded)}"
            )
        self.stdout.write("Placement stability: numerator = moves, denominator = days in care.")
        if skipped:
            self.stdout.write(f"{len(skipped)} malformed rows were skipped:")
            for problem in skipped[:MAX_PROBLEMS_SHOWN]:
                self.stdout.write(f"  {problem}")
            if len(skipped) > MAX_PROBLEMS_SHOWN:
                self.stdout.write(f"  ...and {len(skipped) - MAX_PROBLEMS_SHOWN} more.")
