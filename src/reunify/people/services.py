"""Writes for people, addresses and relationships. Each runs in one transaction, validates with
`full_clean()`, and records history and an audit event."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from reunify.accounts.models import Agency
from reunify.core import audit, clock
from reunify.core.actor import write
from reunify.core.concurrency import lock_for_edit
from reunify.people import rules
from reunify.people.models import Address, Person, PersonAlias, PersonRace, Relationship

PERSON_FIELDS = (
    "first_name",
    "middle_name",
    "last_name",
    "date_of_birth",
    "sex",
    "hispanic_ethnicity",
    "primary_language",
    "needs_interpreter",
    "tribal_affiliation",
    "icwa_status",
    "phone",
    "email",
    "protected_location",
)


@dataclass(frozen=True)
class AddressInput:
    line1: str
    city: str
    state: str
    line2: str = ""
    postal_code: str = ""
    latitude: Decimal | None = None
    longitude: Decimal | None = None


@dataclass(frozen=True)
class PersonInput:
    first_name: str
    last_name: str
    middle_name: str = ""
    date_of_birth: dt.date | None = None
    sex: str = "unknown"
    hispanic_ethnicity: str = "unknown"
    races: Sequence[str] = ()
    primary_language: str = ""
    needs_interpreter: bool = False
    tribal_affiliation: str = ""
    icwa_status: str = "unknown"
    phone: str = ""
    email: str = ""
    protected_location: str = ""
    aliases: Sequence[tuple[str, str]] = ()
    address: AddressInput | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def _check_birth(born: dt.date | None, today: dt.date) -> None:
    if problem := rules.birth_date_problem(born=born, today=today):
        raise ValidationError({"date_of_birth": _(problem)})


def address_create(*, data: AddressInput) -> Address:
    address = Address(**data.__dict__)
    address.full_clean()
    address.save()
    return address


def _set_races(person: Person, races: Iterable[str]) -> None:
    wanted = set(races)
    person.races.exclude(race__in=wanted).delete()
    have = set(person.races.values_list("race", flat=True))
    PersonRace.objects.bulk_create(PersonRace(person=person, race=r) for r in sorted(wanted - have))


def _set_aliases(person: Person, aliases: Iterable[tuple[str, str]]) -> None:
    person.aliases.all().delete()
    PersonAlias.objects.bulk_create(
        PersonAlias(person=person, first_name=first, last_name=last)
        for first, last in aliases
        if last
    )


@write
def person_create(
    *,
    actor: Any,
    agency: Agency,
    data: PersonInput,
    case_id: int | None = None,
    today: dt.date | None = None,
) -> Person:
    today = today or clock.today()
    _check_birth(data.date_of_birth, today)
    person = Person(agency=agency, **{f: getattr(data, f) for f in PERSON_FIELDS})
    if data.address is not None:
        person.address = address_create(data=data.address)
    person.full_clean()
    person.save()
    _set_races(person, data.races)
    _set_aliases(person, data.aliases)
    audit.record(
        actor=actor,
        action="person.created",
        obj=person,
        case_id=case_id,
        agency_id=agency.pk,
        summary=f"Added {person.full_name}",
    )
    return person


@write
def person_update(
    *,
    actor: Any,
    person: Person,
    expected_version: int,
    data: PersonInput,
    today: dt.date | None = None,
) -> Person:
    """Edit a person's details; refused when someone saved a newer version first."""
    today = today or clock.today()
    current = lock_for_edit(Person, pk=person.pk, expected_version=expected_version)
    _check_birth(data.date_of_birth, today)
    before = {f: getattr(current, f) for f in PERSON_FIELDS}
    before["races"] = sorted(current.races.values_list("race", flat=True))
    for name in PERSON_FIELDS:
        setattr(current, name, getattr(data, name))
    if data.address is not None:
        if current.address is None:
            current.address = address_create(data=data.address)
        else:
            for name, value in data.address.__dict__.items():
                setattr(current.address, name, value)
            current.address.full_clean()
            current.address.version += 1
            current.address.save()
    current.version += 1
    current.full_clean()
    current.save()
    _set_races(current, data.races)
    _set_aliases(current, data.aliases)
    after = {f: getattr(current, f) for f in PERSON_FIELDS}
    after["races"] = sorted(data.races)
    changes = audit.field_changes(before, after)
    audit.record(
        actor=actor,
        action="person.updated",
        obj=current,
        agency_id=current.agency_id,
        summary=f"Edited {current.full_name}: {', '.join(changes) or 'no field changed'}",
        changes=changes,
    )
    return current


@write
def relationship_create(
    *,
    actor: Any,
    from_person: Person,
    to_person: Person,
    kind: str,
    parent_type: str = "",
    is_custodial: bool = False,
    side: str = "",
    case_id: int | None = None,
) -> Relationship:
    if from_person.agency_id != to_person.agency_id:
        raise ValidationError(_("People from different agencies cannot be related here."))
    relationship = Relationship(
        agency_id=from_person.agency_id,
        from_person=from_person,
        to_person=to_person,
        kind=kind,
        parent_type=parent_type,
        is_custodial=is_custodial,
        side=side,
    )
    relationship.full_clean()
    relationship.save()
    audit.record(
        actor=actor,
        action="relationship.created",
        obj=relationship,
        case_id=case_id,
        agency_id=from_person.agency_id,
        summary=f"{from_person.full_name} is {relationship.get_kind_display().lower()} of {to_person.full_name}",
    )
    return relationship
