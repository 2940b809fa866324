"""Small HSDS packages written on the fly, and directory rows for search tests."""

from __future__ import annotations

import csv
import io
import itertools
import shutil
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

from reunify.accounts.models import Agency
from reunify.services.demo import DEMO_DIRECTORY
from reunify.services.models import (
    Location,
    Organization,
    Phone,
    Schedule,
    Service,
    ServiceAtLocation,
    ServiceCategory,
    ServiceLanguage,
    search_text,
)

_ids = itertools.count(1)


def write_csv(folder: Path, name: str, rows: Sequence[Mapping[str, Any]]) -> Path:
    """`rows` as a CSV file with the columns of the first row."""
    path = folder / name
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return path


def small_package(folder: Path) -> Path:
    """A valid package: two organizations, three services (one Spanish-speaking, one without a
    location), two locations with addresses, phones, schedules, languages and taxonomy terms."""
    folder.mkdir(parents=True, exist_ok=True)
    write_csv(
        folder,
        "organizations.csv",
        [
            {"id": "org-1", "name": "Alder Family Services", "description": "", "email": ""},
            {"id": "org-2", "name": "Birch Legal Help", "description": "", "email": ""},
        ],
    )
    write_csv(
        folder,
        "services.csv",
        [
            {
                "id": "svc-1",
                "organization_id": "org-1",
                "name": "Parenting Class",
                "status": "active",
                "fees_description": "Free",
                "accepting_new_clients": "true",
            },
            {
                "id": "svc-2",
                "organization_id": "org-1",
                "name": "Outpatient Treatment",
                "status": "active",
                "fees_description": "Sliding scale by income",
                "accepting_new_clients": "false",
            },
            {
                "id": "svc-3",
                "organization_id": "org-2",
                "name": "Legal Hotline",
                "status": "active",
                "fees_description": "$20 a call",
                "accepting_new_clients": "",
            },
        ],
    )
    write_csv(
        folder,
        "locations.csv",
        [
            {
                "id": "loc-1",
                "organization_id": "org-1",
                "name": "Alder office",
                "latitude": "47.25",
                "longitude": "-122.44",
            },
            {
                "id": "loc-2",
                "organization_id": "org-1",
                "name": "Alder north",
                "latitude": "47.40",
                "longitude": "-122.30",
            },
        ],
    )
    write_csv(
        folder,
        "addresses.csv",
        [
            {
                "id": "adr-1",
                "location_id": "loc-1",
                "address_1": "1 Alder St",
                "city": "Riverbend",
                "state_province": "WA",
                "postal_code": "98402",
                "address_type": "physical",
            },
            {
                "id": "adr-2",
                "location_id": "loc-2",
                "address_1": "9 Mill Rd",
                "city": "Millbrook",
                "state_province": "WA",
                "postal_code": "98371",
                "address_type": "physical",
            },
        ],
    )
    write_csv(
        folder,
        "service_at_locations.csv",
        [
            {"id": "sal-1", "service_id": "svc-1", "location_id": "loc-1"},
            {"id": "sal-2", "service_id": "svc-2", "location_id": "loc-1"},
            {"id": "sal-3", "service_id": "svc-2", "location_id": "loc-2"},
        ],
    )
    write_csv(
        folder,
        "phones.csv",
        [
            {"id": "ph-1", "number": "253-555-0101", "service_id": "svc-1", "type": "voice"},
            {"id": "ph-2", "number": "253-555-0102", "service_id": "svc-3", "type": "voice"},
        ],
    )
    write_csv(
        folder,
        "schedules.csv",
        [
            {
                "id": "sc-1",
                "service_id": "svc-1",
                "freq": "WEEKLY",
                "byday": "MO,WE",
                "opens_at": "09:00",
                "closes_at": "12:00",
            },
        ],
    )
    write_csv(
        folder,
        "languages.csv",
        [
            {"id": "la-1", "service_id": "svc-1", "name": "English", "code": "en"},
            {"id": "la-2", "service_id": "svc-1", "name": "Spanish", "code": ""},
            {"id": "la-3", "service_id": "svc-2", "name": "", "code": "eng"},
        ],
    )
    write_csv(
        folder,
        "taxonomy_terms.csv",
        [
            {"id": "t-1", "name": "Parenting Education", "code": ""},
            {"id": "t-2", "name": "Substance Use Disorder Treatment Programs", "code": "RX-8450"},
            {"id": "t-3", "name": "Legal Services", "code": ""},
        ],
    )
    write_csv(
        folder,
        "service_attributes.csv",
        [
            {"id": "a-1", "service_id": "svc-1", "taxonomy_term_id": "t-1"},
            {"id": "a-2", "service_id": "svc-2", "taxonomy_term_id": "t-2"},
            {"id": "a-3", "service_id": "svc-3", "taxonomy_term_id": "t-3"},
        ],
    )
    return folder


def demo_copy(folder: Path) -> Path:
    shutil.copytree(DEMO_DIRECTORY, folder)
    return folder


def zipped(folder: Path, *, inside: str = "") -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path in sorted(folder.iterdir()):
            archive.write(path, f"{inside}{path.name}")
    return buffer.getvalue()


def edit_rows(path: Path, change: Any) -> None:
    """Rewrite a CSV file, passing each row (a dict) through `change` (None drops the row)."""
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        fields = list(reader.fieldnames or [])
        rows = [r for r in (change(dict(row)) for row in reader) if r is not None]
    extra = [k for r in rows for k in r if k not in fields]
    write_csv(path.parent, path.name, rows or [dict.fromkeys(fields + extra, "")])


def make_service(
    agency: Agency,
    *,
    name: str | None = None,
    at: tuple[float, float] | None = None,
    categories: Iterable[str] = (),
    languages: Iterable[str] = ("en",),
    cost: str = "",
    accepting: bool = True,
    status: str = "active",
    postal_code: str = "98402",
    organization: Organization | None = None,
) -> Service:
    """A directory service written straight to the tables (test set-up, not an import)."""
    n = next(_ids)
    organization = organization or Organization.objects.create(
        agency=agency, hsds_id=f"org-{n}", name=f"Organization {n}"
    )
    service = Service.objects.create(
        agency=agency,
        hsds_id=f"svc-{n}",
        organization=organization,
        name=name or f"Service {n}",
        description="A service",
        search_text=search_text(name or f"Service {n}", organization.name, "A service"),
        cost=cost,
        accepting_new_clients=accepting,
        status=status,
    )
    if at is not None:
        location = Location.objects.create(
            agency=agency,
            hsds_id=f"loc-{n}",
            organization=organization,
            name=f"Office {n}",
            address_1=f"{n} Main St",
            city="Riverbend",
            state="WA",
            postal_code=postal_code,
            latitude=Decimal(f"{at[0]:.6f}"),
            longitude=Decimal(f"{at[1]:.6f}"),
        )
        ServiceAtLocation.objects.create(
            agency=agency, hsds_id=f"sal-{n}", service=service, location=location
        )
    ServiceCategory.objects.bulk_create(
        ServiceCategory(service=service, category=c) for c in categories
    )
    ServiceLanguage.objects.bulk_create(ServiceLanguage(service=service, code=c) for c in languages)
    Phone.objects.create(agency=agency, hsds_id=f"ph-{n}", service=service, number="253-555-0199")
    Schedule.objects.create(
        agency=agency,
        hsds_id=f"sc-{n}",
        service=service,
        byday="MO,TU",
        description="By appointment",
    )
    return service
