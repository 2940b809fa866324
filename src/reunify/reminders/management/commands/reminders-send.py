"""`reunify reminders-send`: plan and send the family-time reminders that are due, once."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from reunify.reminders import services


class Command(BaseCommand):
    help = "Plan and send the family-time reminders that are due (once)."

    def handle(self, *args: Any, **options: Any) -> None:
        counts = services.reminders_send_due()
        self.stdout.write(
            "Reminders: {planned} planned, {sent} sent, {failed} failed, {skipped} skipped.".format(
                **counts
            )
        )
