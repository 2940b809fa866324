"""`reunify scheduler`: enqueue the nightly clock refresh and digests once a day, after a set
hour in the agency's time zone, and the family-time reminders every 15 minutes. Run it beside
`reunify db_worker`; or, with cron, run `reunify scheduler --once` every 15 minutes instead
(documented in README and docs/reminders.md)."""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from reunify.clocks.models import SchedulerRun
from reunify.clocks.tasks import nightly
from reunify.core import clock
from reunify.reminders.tasks import send_due

REMINDER_EVERY_MINUTES = 15
REMINDER_RUNS_KEPT = dt.timedelta(days=7)


class Command(BaseCommand):
    help = (
        "Enqueue the nightly clock refresh and digests once a day, and reminders every 15 minutes."
    )

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
            if slot := self.enqueue_reminders_if_due():
                self.stdout.write(f"Enqueued the reminders of {slot}.")
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

    @staticmethod
    def enqueue_reminders_if_due() -> str | None:
        """Once per 15-minute slot (named in UTC, so a change of clocks repeats or skips none);
        returns the slot's name when this call enqueued it."""
        now = clock.now().astimezone(dt.UTC)
        slot = now.replace(minute=now.minute - now.minute % REMINDER_EVERY_MINUTES)
        name = f"reminders {slot:%H:%M}"
        _run, created = SchedulerRun.objects.get_or_create(name=name, run_on=slot.date())
        if not created:
            return None
        send_due.enqueue()
        SchedulerRun.objects.filter(
            name__startswith="reminders ", run_on__lt=slot.date() - REMINDER_RUNS_KEPT
        ).delete()
        return f"{slot:%Y-%m-%d %H:%M} UTC"
