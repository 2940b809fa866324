"""`reunify demo-accounts`: print the sign-in for each demo role (used by `make demo`)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from reunify.accounts.models import User
from reunify.cases.demo import DEMO_PASSWORD

ROLES = [
    ("caseworker", "Caseworker: My caseload, open a case, record placements and goals"),
    ("supervisor", "Supervisor: the unit's caseloads, reassign cases"),
    ("admin", "Agency administrator: staff accounts and units"),
]


class Command(BaseCommand):
    help = "Print the demo sign-ins."

    def handle(self, *args: Any, **options: Any) -> None:
        if not getattr(settings, "REUNIFY_DEMO_ALLOWED", False):
            raise CommandError("There are no demo accounts with production settings.")
        self.stdout.write(
            "\nReunify demo: http://127.0.0.1:8000/  (Spanish: http://127.0.0.1:8000/es/)\n"
        )
        self.stdout.write(f"Every demo account uses the password: {DEMO_PASSWORD}\n")
        for username, what in ROLES:
            marker = (
                ""
                if User.objects.filter(username=username).exists()
                else "  (missing: run reunify demo-data)"
            )
            self.stdout.write(f"  {username:<11} {what}{marker}")
        self.stdout.write("")
