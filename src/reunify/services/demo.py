"""The synthetic community service directory of the demo agency (the fictional Riverbend area
of `reunify.cases.demo`): 25 organizations, 43 services across every need category, in English,
Spanish, Vietnamese and American Sign Language, some free, some not accepting new clients.
Every name, address, web address and phone number (555-01xx) is made up.

The files in demo_directory/ are an ordinary HSDS CSV package: the demo imports them through the
same service an agency administrator uses."""

from __future__ import annotations

from pathlib import Path

from reunify.accounts.models import Agency
from reunify.services import services

DEMO_DIRECTORY = Path(__file__).resolve().parent / "demo_directory"


def demo_directory(agency: Agency) -> services.ImportResult:
    """Import (or re-import, which changes nothing) the demo directory into `agency`."""
    return services.directory_import(actor=None, agency=agency, source=DEMO_DIRECTORY)
