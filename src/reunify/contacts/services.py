"""Writes for caseworker contacts (this slice: recording a visit with a child)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from reunify.cases.models import FamilyCase, ParticipantRole
from reunify.clocks.hooks import events_changed
from reunify.contacts.models import CaseworkerContact
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
    today: dt.date | None = None,
) -> CaseworkerContact:
    today = today or clock.today()
    if occurred_on > today:
        raise ValidationError(
            {"occurred_on": _("This date is in the future; record events once they have happened.")}
        )
    if not case.participants.filter(person=child, role=ParticipantRole.CHILD).exists():
        raise ValidationError(_("This child is not part of the case."))
    contact = CaseworkerContact(
        case=case,
        child=child,
        occurred_on=occurred_on,
        face_to_face=face_to_face,
        in_child_residence=in_child_residence,
        note=note.strip(),
        worker=actor,
    )
    contact.full_clean()
    contact.save()
    audit.record(
        actor=actor,
        action="contact.recorded",
        obj=contact,
        case_id=case.pk,
        summary=f"Visit with {child.full_name} on {occurred_on}",
    )
    events_changed(case)
    return contact
