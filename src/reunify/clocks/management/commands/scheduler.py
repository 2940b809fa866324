"""`reunify scheduler`: enqueue the nightly clock refresh and digests once a day, after a set
hour in the agency's time zone. Run it beside `reunify db_worker`; or, with cron, run
`reunify scheduler --once` at that hour instead (documented in README)."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from reunify.clocks.models import SchedulerRun
from reunify.clocks.tasks import nightly
from reunify.core import clock


class Command(BaseCommand):
    help = "Enqueue the nightly clock refresh and digests once a day."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--hour", type=int, default=2, help="Hour of the day (agency time) to run after."
        )
        parser.add_argument("--once", action="store_true", help="Check once and exit (for cron).")
        parser.add_argument("--interval", type=int, default=60, help="Seconds between checks.")

    def handle(self, *args: Any, **options: Any) -> None:
        while True:
            if self.enqueue_if_due(options["hour"]):
                self.stdout.write(f"Enqueued the nightly run for {clock.today()}.")
            if options["once"]:
                return
            time.sleep(options["interval"])

    @staticmethod
    def enqueue_if_due(hour: int) -> bool:
        now = clock.now().astimezone(clock.agency_zone())
        if now.hour < hour:
            return False
        _run, created = SchedulerRun.objects.get_or_create(name="nightly", run_on=now.date())
        if created:
            nightly.enqueue()
        return created
