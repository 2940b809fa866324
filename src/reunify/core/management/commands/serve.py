"""`reunify serve`: serve Reunify on 127.0.0.1:8000 (Django's server; put a WSGI server such as
gunicorn behind a proxy in production)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Serve Reunify on 127.0.0.1:8000."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")

    def handle(self, *args: Any, **options: Any) -> None:
        # Reload on code and template changes only while debugging (make demo).
        call_command("runserver", options["addrport"], use_reloader=settings.DEBUG)
