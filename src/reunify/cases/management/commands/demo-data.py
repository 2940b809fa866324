"""`reunify demo-data --cases N --seed S`: load a synthetic demo agency. Refused in production."""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from reunify.accounts.models import Agency
from reunify.cases.demo import DEMO_AGENCY, demo_agency_create


class Command(BaseCommand):
    help = "Create a synthetic demo agency with N family cases (deterministic for a seed and as-of date)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--cases", type=int, default=60)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--as-of",
            type=dt.date.fromisoformat,
            default=None,
            help="Date the data is as of (default: today).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not getattr(settings, "REUNIFY_DEMO_ALLOWED", False):
            raise CommandError(
                "demo-data refuses to run with production settings: demo accounts have a published password."
            )
        if options["cases"] < 1:
            raise CommandError("--cases must be at least 1.")
        if Agency.objects.filter(name=DEMO_AGENCY).exists():
            raise CommandError(
                "The demo agency already exists in this database; start from an empty database to load it again."
            )
        started = time.perf_counter()
        agency = demo_agency_create(
            cases=options["cases"], seed=options["seed"], as_of=options["as_of"]
        )
        elapsed = time.perf_counter() - started
        self.stdout.write(f"Created {agency.cases.count()} cases for {agency} in {elapsed:.1f} s.")
