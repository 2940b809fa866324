"""`reunify audit-verify`: walk the audit hash chain and report the first break, if any."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from reunify.core import audit


class Command(BaseCommand):
    help = "Verify the audit trail's hash chain."

    def handle(self, *args: Any, **options: Any) -> None:
        problem = audit.chain_verify()
        if problem:
            raise CommandError(f"Audit chain broken at {problem}")
        self.stdout.write("Audit chain intact.")
