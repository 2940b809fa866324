"""Writes for caseworker contacts."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from reunify.cases.models import FamilyCase, ParticipantRole
from reunify.cases.rules import DATE_IN_FUTURE
from reunify.clocks.hooks import events_changed
from reunify.contacts.models import (
    SEEN_WITH_PERSON,
    CaseworkerContact,
    ContactPurpose,
    Purpose,
    Seen,
)
from reunify.core import audit, clock
from reunify.core.actor import write
from reunify.people.models import Person


@write
def contact_record(
    *,
    actor: Any,
    case: FamilyCase,
    child: Person,
    occurred_on: dt.date,
    face_to_face: bool = True,
    in_child_residence: bool = True,
    note: str = "",
    seen: str = Seen.CHILD,
    person: Person | None = None,
    location_reason: str = "",
    private_conversation: bool | None = None,
    purposes: Iterable[str] = (),
    duration_minutes: int | None = None,
    today: dt.date | None = None,
) -> CaseworkerContact:
    """Record one contact concerning `child`: with the child, a parent or parent figure
    (`person`), or the resource parents."""
    today = today or clock.today()
    location_reason = location_reason.strip()
    purposes = sorted(set(purposes))
    errors: dict[str, str] = {}
    if occurred_on > today:
        errors["occurred_on"] = _(DATE_IN_FUTURE)
    roles = dict(case.participants.values_list("person_id", "role"))
    if roles.get(child.pk) != ParticipantRole.CHILD:
        raise ValidationError(_("This child is not part of the case."))
    if seen in SEEN_WITH_PERSON:
        role = roles.get(person.pk) if person is not None else None
        if person is None:
            errors["person"] = _("Choose the person seen.")
        elif role is None or role == ParticipantRole.CHILD:
            errors["person"] = _("Choose an adult who is part of the case.")
        elif seen in (Seen.MOTHER, Seen.FATHER) and role != ParticipantRole.PARENT:
            errors["person"] = _("This person is not a parent in the case.")
    elif person is not None:
        person = None  # the child is `child`; the resource parents are not persons of the case
    if not in_child_residence and not location_reason:
        errors["location_reason"] = _("Say why the contact was not in the child's residence.")
    if in_child_residence:
        location_reason = ""
    if seen != Seen.CHILD:
        if private_conversation:
            errors["private_conversation"] = _(
                "A private conversation is recorded only when the child was seen."
            )
        private_conversation = None
    if unknown := [p for p in purposes if p not in Purpose.values]:
        errors["purposes"] = _("Unknown purpose: %(purpose)s") % {"purpose": unknown[0]}
    if errors:
        raise ValidationError(errors)
    contact = CaseworkerContact(
        case=case,
        child=child,
        seen=seen,
        person=person,
        occurred_on=occurred_on,
        face_to_face=face_to_face,
        in_child_residence=in_child_residence,
        location_reason=location_reason,
        private_conversation=private_conversation,
        duration_minutes=duration_minutes,
        note=note.strip(),
        worker=actor,
    )
    contact.full_clean()
    contact.save()
    ContactPurpose.objects.bulk_create(
        ContactPurpose(contact=contact, purpose=purpose) for purpose in purposes
    )
    who = f"{seen} {person.full_name}" if person is not None else seen
    audit.record(
        actor=actor,
        action="contact.recorded",
        obj=contact,
        case_id=case.pk,
        summary=f"Contact about {child.full_name} on {occurred_on} ({who})",
        changes={
            "seen": seen,
            "face_to_face": face_to_face,
            "in_child_residence": in_child_residence,
            "purposes": purposes,
        },
    )
    events_changed(case)
    return contact
