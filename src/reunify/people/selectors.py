"""Reads for person pages."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from reunify.cases.models import CaseParticipant, FamilyCase
from reunify.people.models import Person, Relationship


@dataclass(frozen=True)
class PersonDetail:
    person: Person
    roles: list[CaseParticipant]
    relationships: list[tuple[str, Person, Relationship]]


def person_detail(*, person: Person, visible_cases: QuerySet[FamilyCase]) -> PersonDetail:
    """The person's roles in the cases the viewer may see, and their relationships (each read
    from this person's side: "parent of Ana", "child of Rosa")."""
    roles = list(
        CaseParticipant.objects.filter(person=person, case__in=visible_cases)
        .select_related("case")
        .order_by("-case__opened_on")
    )
    outgoing = Relationship.objects.filter(from_person=person).select_related("to_person")
    incoming = Relationship.objects.filter(to_person=person).select_related("from_person")
    relationships = [("from", r.to_person, r) for r in outgoing] + [
        ("to", r.from_person, r) for r in incoming
    ]
    return PersonDetail(person=person, roles=roles, relationships=relationships)
