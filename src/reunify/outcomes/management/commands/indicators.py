"""`reunify indicators --episodes E.csv --placements P.csv --period-start YYYY-MM-DD
[--as-of YYYY-MM-DD] [--trend] [--json] [--strict] [--engine duckdb|python]`: the five CFSR
Round 4 permanency indicators for one 12-month period from a cfsr.md §11 extract, or with
--trend over the last eight rolling 12-month periods ending with that one (docs/outcomes.md).

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
from reunify.outcomes.extract import ExtractRefused, Problem, read_extract

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
        parser.add_argument(
            "--trend",
            action="store_true",
            help=(
                f"each indicator over the last {rules.TREND_PERIODS} rolling 12-month periods "
                f"({rules.TREND_STEP_MONTHS} months apart) ending with the one from --period-start"
            ),
        )
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
        if options["engine"] == "duckdb":
            # DuckDB checks the rows in SQL first: a clean extract needs no Python pass.
            reports = engine.checked_csv_reports(
                options["episodes"],
                options["placements"],
                period_start=period_start,
                as_of=as_of,
                trend=options["trend"],
            )
            if reports is not None:  # no malformed row: nothing to skip or refuse
                self._output(reports, [], options)
                return
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
        in_duckdb = options["engine"] == "duckdb"
        if options["trend"]:
            trend = engine.trend if in_duckdb else rules.trend
            reports = trend(
                extract.episodes, extract.placements, latest_start=period_start, as_of=as_of
            )
        else:
            compute = engine.compute if in_duckdb else rules.compute
            reports = [
                compute(
                    extract.episodes, extract.placements, period_start=period_start, as_of=as_of
                )
            ]
        self._output(reports, extract.skipped, options)

    def _output(
        self, reports: list[rules.Report], skipped: list[Problem], options: dict[str, Any]
    ) -> None:
        if options["json"]:
            data = (
                {"trend": [r.as_dict() for r in reports]}
                if options["trend"]
                else reports[0].as_dict()
            )
            if skipped:
                data["skipped_rows"] = {
                    "count": len(skipped),
                    "rows": [problem.as_dict() for problem in skipped],
                }
            self.stdout.write(json.dumps(data, indent=2))
            return
        if options["trend"]:
            self._trend(reports)
        else:
            self._table(reports[0])
        self._skipped(skipped)

    def _trend(self, reports: list[rules.Report]) -> None:
        """One block per indicator: a line per period, oldest first, and the national value."""
        first, last = reports[0].period, reports[-1].period
        self.stdout.write(
            f"CFSR Round 4 permanency indicators (observed), {len(reports)} rolling 12-month "
            f"periods from {first.start} to {last.last_day}, data as of {reports[-1].as_of}"
        )
        for key in rules.KEYS:
            definition = rules.DEFINITIONS[key]
            unit = "%" if definition.unit == rules.PERCENT else ""
            self.stdout.write("")
            self.stdout.write(
                f"{definition.title} ({definition.unit}; national {definition.national_performance}"
                f"{unit}, {definition.direction} is better)"
            )
            self.stdout.write(
                f"  {'period':<24} {'numerator':>10} {'denominator':>12} {'value':>9} {'national':>9}"
            )
            for report in reports:
                result = report.results[key]
                value = "-" if result.value is None else f"{result.value:.2f}{unit}"
                period = f"{report.period.start} to {report.period.last_day}"
                self.stdout.write(
                    f"  {period:<24} {result.numerator:>10} {result.denominator:>12} "
                    f"{value:>9} {f'{definition.national_performance}{unit}':>9}"
                )
        self.stdout.write("Placement stability: numerator = moves, denominator = days in care.")

    def _table(self, report: rules.Report) -> None:
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
            unit = "%" if definition.unit == rules.PERCENT else ""
            value = "-" if result.value is None else f"{result.value:.2f}{unit}"
            self.stdout.write(
                f"{definition.title:<40} {result.numerator:>10} {result.denominator:>12} "
                f"{value:>9} {f'{definition.national_performance}{unit}':>9}  "
                f"{definition.direction:<6}  {len(result.excluded)}"
            )
        self.stdout.write("Placement stability: numerator = moves, denominator = days in care.")

    def _skipped(self, skipped: list[Problem]) -> None:
        if skipped:
            self.stdout.write(f"{len(skipped)} malformed rows were skipped:")
            for problem in skipped[:MAX_PROBLEMS_SHOWN]:
                self.stdout.write(f"  {problem}")
            if len(skipped) > MAX_PROBLEMS_SHOWN:
                self.stdout.write(f"  ...and {len(skipped) - MAX_PROBLEMS_SHOWN} more.")
