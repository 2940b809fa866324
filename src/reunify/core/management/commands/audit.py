"""`reunify audit verify`: walk the audit trail's hash chain and name the first event that was
altered, removed or reordered (exit status 1), or say that it is intact."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from reunify.core import audit


class Command(BaseCommand):
    help = "Audit trail tools: `verify` checks the hash chain."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        actions.add_parser("verify", help="walk the hash chain and report the first break")

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        problem = audit.chain_verify()
        if problem:
            raise CommandError(f"Audit chain broken at {problem}")
        self.stdout.write("Audit chain intact.")
