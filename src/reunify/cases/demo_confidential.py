"""Demo data for the confidential facts (reliability.md AZ-4, AZ-5, AZ-7): resource families'
phones, the school each child attends from the current placement, intake reports with the
reporter and the investigation narrative, and one parent in an address confidentiality program.

All synthetic. These are what the portal must never show a family member, so the demo lets a
reviewer check it by hand: sign in as the demo parent and look for any of them."""

from __future__ import annotations

import datetime as dt
import random

from reunify.accounts.models import Agency
from reunify.cases.models import (
    FamilyCase,
    IntakeReport,
    ParticipantRole,
    Placement,
    RemovalReason,
    ResourceProvider,
)
from reunify.people.models import Person

SCHOOLS = [
    "Cedar Falls Elementary",
    "Riverbend Middle School",
    "Millbrook High School",
    "Oak Hollow Early Learning Center",
    "Fairview K-8 Academy",
]
REPORTER_NAMES = ["Jordan Ellery", "Sam Whitcombe", "Avery Lindqvist", "Casey Moreau"]
NARRATIVES = {
    RemovalReason.NEGLECT: "Home visit found no food in the house and the children unsupervised "
    "for most of the day; the parent could not name a safety plan.",
    RemovalReason.PARENT_DRUGS: "Parent tested positive at the hospital; the infant's care was "
    "unplanned and no other caregiver was available.",
    RemovalReason.PHYSICAL_ABUSE: "Bruising on the child's upper arm reported by school staff; the "
    "parent's account did not match the injury.",
}
DEFAULT_NARRATIVE = "Caseworker found the home unsafe for the children at the time of the visit."


def demo_confidential_facts(*, agency: Agency, rng: random.Random) -> None:
    providers = list(ResourceProvider.objects.filter(agency=agency).order_by("pk"))
    for provider in providers:
        provider.phone = f"360-555-{rng.randint(1000, 9999)}"
    ResourceProvider.objects.bulk_update(providers, ["phone"], batch_size=500)

    current = list(
        Placement.objects.filter(
            episode__case__agency=agency, ended_on__isnull=True, provider__isnull=False
        ).order_by("pk")
    )
    for placement in current:
        placement.school = rng.choice(SCHOOLS)
    Placement.objects.bulk_update(current, ["school"], batch_size=500)

    cases = FamilyCase.objects.filter(agency=agency).prefetch_related("episodes__reasons")
    reports = []
    for case in cases.order_by("pk"):
        reasons = [r.reason for e in case.episodes.all() for r in e.reasons.all()]
        role = rng.choice(IntakeReport.ReporterRole.values)
        anonymous = role == IntakeReport.ReporterRole.ANONYMOUS
        reports.append(
            IntakeReport(
                case=case,
                received_on=case.opened_on - dt.timedelta(days=rng.randint(0, 4)),
                reporter_role=role,
                reporter_name="" if anonymous else rng.choice(REPORTER_NAMES),
                reporter_contact="" if anonymous else f"360-555-{rng.randint(1000, 9999)}",
                narrative=NARRATIVES.get(reasons[0] if reasons else "", DEFAULT_NARRATIVE),
                allegations=", ".join(sorted(set(reasons))).replace("_", " "),
            )
        )
    IntakeReport.objects.bulk_create(reports, batch_size=500)

    parent = (
        Person.objects.filter(
            agency=agency,
            participations__role=ParticipantRole.PARENT,
            address__isnull=False,
        )
        .order_by("-pk")
        .first()
    )
    if parent is not None:  # a domestic-violence survivor: the address on record is substitute
        parent.protected_location = "Confidential shelter, unit 4 (ACP participant)"
        parent.save(update_fields=["protected_location"])
