"""Writes for the court process: filing petitions, scheduling hearings and recording what
happened at them (held, continued, vacated), findings and orders. One function per use-case;
each runs in one transaction, validates, writes history and an audit event, and then asks the
statutory clocks of the case to be recomputed. A refused write changes nothing."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from reunify.accounts.models import User
from reunify.cases.models import FamilyCase, ParticipantRole
from reunify.cases.rules import DATE_IN_FUTURE
from reunify.clocks.hooks import events_changed
from reunify.core import audit, clock
from reunify.core.actor import write
from reunify.core.concurrency import lock_for_edit
from reunify.court.models import (
    PARENT_ORDERS,
    CourtOrder,
    Finding,
    FindingKind,
    Hearing,
    HearingKind,
    HearingStatus,
    OrderKind,
    Petition,
    PetitionKind,
)
from reunify.people.models import Person

# Messages are constants so services, views and tests share them; each is translated when raised.
NOT_A_CHILD_OF_THE_CASE = gettext_noop("Choose a child of this case.")
HEARING_OF_ANOTHER_CASE = gettext_noop("Choose a hearing of this case.")
HEARING_NOT_HELD = gettext_noop("Choose a hearing that was held; record the hearing as held first.")
BEFORE_HEARING = gettext_noop("This date cannot be before the hearing was held.")
ONLY_SCHEDULED = gettext_noop(
    "Only a scheduled hearing can be recorded as held, continued or vacated; this one is %(status)s."
)
CASE_CLOSED = gettext_noop("This case is closed; no new hearings can be scheduled.")
ALREADY_SCHEDULED = gettext_noop("A hearing of this kind is already scheduled for that date.")
CONTINUANCE_NEEDS_REASON = gettext_noop("Say why the hearing was continued.")
CONTINUANCE_NOT_LATER = gettext_noop(
    "A continuance moves the hearing to a later date than the one it was scheduled for."
)
VACATE_NEEDS_REASON = gettext_noop("Say why the hearing was vacated.")
PETITION_NEEDS_GROUNDS = gettext_noop("State the grounds of the petition.")
ORDER_NEEDS_TEXT = gettext_noop("Summarise what the court ordered.")
ORDER_END_NOT_AFTER_ISSUE = gettext_noop("An order's end date must come after it was issued.")
DISMISSAL_HAS_NO_END = gettext_noop("A dismissal has no end date.")
FINDING_ALREADY_RECORDED = gettext_noop(
    "This finding is already recorded for this child at this hearing."
)


def _refresh_clocks(case: FamilyCase) -> None:
    """Recompute the case's statutory clocks after a court event."""
    events_changed(case)


def _record(
    actor: Any, case: FamilyCase, action: str, summary: str, obj: Any, **changes: Any
) -> None:
    audit.record(
        actor=actor,
        action=action,
        obj=obj,
        case_id=case.pk,
        agency_id=case.agency_id,
        summary=summary,
        changes={key: _plain(value) for key, value in changes.items()},
    )


def _plain(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def _not_future(field: str, value: dt.date, today: dt.date) -> None:
    if value > today:
        raise ValidationError({field: _(DATE_IN_FUTURE)})


def _check_child(case: FamilyCase, child: Person | None, *, field: str = "child") -> None:
    if child is None:
        return
    is_child = case.participants.filter(person=child, role=ParticipantRole.CHILD).exists()
    if not is_child:
        raise ValidationError({field: _(NOT_A_CHILD_OF_THE_CASE)})


def _check_hearing(case: FamilyCase, hearing: Hearing | None, on: dt.date, field: str) -> None:
    """A finding or order made at a hearing: the hearing is this case's, was held, and the date
    is not before it (checked on the stored hearing, not the caller's copy)."""
    if hearing is None:
        return
    hearing = Hearing.objects.get(pk=hearing.pk)
    if hearing.case_id != case.pk:
        raise ValidationError({"hearing": _(HEARING_OF_ANOTHER_CASE)})
    if hearing.status != HearingStatus.HELD or hearing.held_on is None:
        raise ValidationError({"hearing": _(HEARING_NOT_HELD)})
    if on < hearing.held_on:
        raise ValidationError({field: _(BEFORE_HEARING)})


def _children_label(child: Person | None) -> str:
    return child.full_name if child is not None else "all children"


# ---- petitions ---------------------------------------------------------------------------------


@write
def petition_file(
    *,
    actor: User,
    case: FamilyCase,
    kind: str,
    filed_on: dt.date,
    grounds: str,
    child: Person | None = None,
    today: dt.date | None = None,
) -> Petition:
    """A dependency or TPR petition filed with the court, for one child or all of them."""
    today = today or clock.today()
    if kind not in PetitionKind.values:
        raise ValidationError({"kind": _("Choose the kind of petition.")})
    _not_future("filed_on", filed_on, today)
    _check_child(case, child)
    if not grounds.strip():
        raise ValidationError({"grounds": _(PETITION_NEEDS_GROUNDS)})
    petition = Petition(
        case=case, child=child, kind=kind, filed_on=filed_on, grounds=grounds.strip()
    )
    petition.full_clean()
    petition.save()
    _record(
        actor,
        case,
        "petition.filed",
        f"{petition.get_kind_display()} petition filed {filed_on} ({_children_label(child)})",
        petition,
        kind=kind,
        filed_on=filed_on,
        child=child.pk if child else None,
    )
    _refresh_clocks(case)
    return petition


# ---- hearings ----------------------------------------------------------------------------------


def _new_hearing(
    case: FamilyCase,
    kind: str,
    scheduled_for: dt.date,
    scheduled_time: dt.time | None,
    *,
    notes: str = "",
    date_field: str = "scheduled_for",
) -> Hearing:
    duplicate = case.hearings.filter(
        kind=kind, scheduled_for=scheduled_for, status=HearingStatus.SCHEDULED
    ).exists()
    if duplicate:
        raise ValidationError({date_field: _(ALREADY_SCHEDULED)})
    hearing = Hearing(
        case=case,
        kind=kind,
        scheduled_for=scheduled_for,
        scheduled_time=scheduled_time,
        notes=notes.strip(),
    )
    hearing.full_clean()
    hearing.save()
    return hearing


@write
def hearing_schedule(
    *,
    actor: User,
    case: FamilyCase,
    kind: str,
    scheduled_for: dt.date,
    scheduled_time: dt.time | None = None,
    notes: str = "",
) -> Hearing:
    """Put a hearing on the calendar. It applies to all the children of the case."""
    if kind not in HearingKind.values:
        raise ValidationError({"kind": _("Choose the kind of hearing.")})
    if case.status == FamilyCase.Status.CLOSED:
        raise ValidationError(_(CASE_CLOSED))
    hearing = _new_hearing(case, kind, scheduled_for, scheduled_time, notes=notes)
    _record(
        actor,
        case,
        "hearing.scheduled",
        f"{hearing.get_kind_display()} scheduled for {scheduled_for}",
        hearing,
        kind=kind,
        scheduled_for=scheduled_for,
        scheduled_time=scheduled_time,
    )
    _refresh_clocks(case)
    return hearing


def _edit_hearing(hearing: Hearing, expected_version: int) -> Hearing:
    """Lock the hearing, check the form saw its current version, and check it is still open to
    an outcome (only a scheduled hearing is)."""
    current = lock_for_edit(Hearing, pk=hearing.pk, expected_version=expected_version)
    if current.status != HearingStatus.SCHEDULED:
        raise ValidationError(
            _(ONLY_SCHEDULED) % {"status": str(current.get_status_display()).lower()}
        )
    current.version += 1
    return current


@write
def hearing_record_held(
    *,
    actor: User,
    hearing: Hearing,
    expected_version: int,
    held_on: dt.date,
    attendees: str = "",
    notes: str = "",
    today: dt.date | None = None,
) -> Hearing:
    """The hearing took place: when, who attended, and notes."""
    today = today or clock.today()
    _not_future("held_on", held_on, today)
    hearing = _edit_hearing(hearing, expected_version)
    hearing.status = HearingStatus.HELD
    hearing.held_on = held_on
    hearing.attendees = attendees.strip()
    if notes.strip():
        hearing.notes = "\n\n".join(n for n in (hearing.notes, notes.strip()) if n)
    hearing.full_clean()
    hearing.save()
    case = hearing.case
    _record(
        actor,
        case,
        "hearing.held",
        f"{hearing.get_kind_display()} held on {held_on}",
        hearing,
        held_on=held_on,
        attendees=hearing.attendees,
    )
    _refresh_clocks(case)
    return hearing


@write
def hearing_continue(
    *,
    actor: User,
    hearing: Hearing,
    expected_version: int,
    reason: str,
    new_date: dt.date,
    new_time: dt.time | None = None,
) -> Hearing:
    """The court moved the hearing to a later date: the hearing is marked continued, with the
    reason, and a new scheduled hearing of the same kind is created and linked by
    `continued_to`. Returns the new hearing."""
    if not reason.strip():
        raise ValidationError({"reason": _(CONTINUANCE_NEEDS_REASON)})
    hearing = _edit_hearing(hearing, expected_version)
    if new_date <= hearing.scheduled_for:
        raise ValidationError({"new_date": _(CONTINUANCE_NOT_LATER)})
    case = hearing.case
    follow_up = _new_hearing(case, hearing.kind, new_date, new_time, date_field="new_date")
    hearing.status = HearingStatus.CONTINUED
    hearing.continuance_reason = reason.strip()
    hearing.continued_to = follow_up
    hearing.full_clean()
    hearing.save()
    _record(
        actor,
        case,
        "hearing.continued",
        f"{hearing.get_kind_display()} of {hearing.scheduled_for} continued to {new_date}",
        hearing,
        reason=hearing.continuance_reason,
        continued_to=follow_up.pk,
        new_date=new_date,
    )
    _refresh_clocks(case)
    return follow_up


@write
def hearing_vacate(*, actor: User, hearing: Hearing, expected_version: int, reason: str) -> Hearing:
    """The hearing was taken off the calendar and will not take place."""
    if not reason.strip():
        raise ValidationError({"reason": _(VACATE_NEEDS_REASON)})
    hearing = _edit_hearing(hearing, expected_version)
    hearing.status = HearingStatus.VACATED
    hearing.vacated_reason = reason.strip()
    hearing.full_clean()
    hearing.save()
    case = hearing.case
    _record(
        actor,
        case,
        "hearing.vacated",
        f"{hearing.get_kind_display()} of {hearing.scheduled_for} vacated",
        hearing,
        reason=hearing.vacated_reason,
    )
    _refresh_clocks(case)
    return hearing


# ---- findings and orders -----------------------------------------------------------------------


@write
def finding_record(
    *,
    actor: User,
    case: FamilyCase,
    child: Person,
    kind: str,
    made_on: dt.date,
    hearing: Hearing | None = None,
    note: str = "",
    today: dt.date | None = None,
) -> Finding:
    """A judicial finding about one child, made at a held hearing or without one."""
    today = today or clock.today()
    if kind not in FindingKind.values:
        raise ValidationError({"kind": _("Choose the finding.")})
    _check_child(case, child)
    _not_future("made_on", made_on, today)
    _check_hearing(case, hearing, made_on, "made_on")
    if hearing is not None and hearing.findings.filter(child=child, kind=kind).exists():
        raise ValidationError({"kind": _(FINDING_ALREADY_RECORDED)})
    finding = Finding(
        case=case, child=child, hearing=hearing, kind=kind, made_on=made_on, note=note.strip()
    )
    finding.full_clean()
    finding.save()
    _record(
        actor,
        case,
        "finding.recorded",
        f"{child.full_name}: {finding.get_kind_display()} ({made_on})",
        finding,
        kind=kind,
        made_on=made_on,
        child=child.pk,
        hearing=hearing.pk if hearing else None,
    )
    _refresh_clocks(case)
    return finding


@write
def order_record(
    *,
    actor: User,
    case: FamilyCase,
    kind: str,
    issued_on: dt.date,
    text: str,
    child: Person | None = None,
    hearing: Hearing | None = None,
    effective_until: dt.date | None = None,
    parent: Person | None = None,
    today: dt.date | None = None,
) -> CourtOrder:
    """A court order for one child or all of them. A trial home visit authorization's
    `effective_until` is the court-ordered end of the visit (needed when it runs past six
    months)."""
    today = today or clock.today()
    if kind not in OrderKind.values:
        raise ValidationError({"kind": _("Choose the kind of order.")})
    _check_child(case, child)
    _not_future("issued_on", issued_on, today)
    _check_hearing(case, hearing, issued_on, "issued_on")
    if effective_until is not None:
        if kind == OrderKind.DISMISSAL:
            raise ValidationError({"effective_until": _(DISMISSAL_HAS_NO_END)})
        if effective_until <= issued_on:
            raise ValidationError({"effective_until": _(ORDER_END_NOT_AFTER_ISSUE)})
    if not text.strip():
        raise ValidationError({"text": _(ORDER_NEEDS_TEXT)})
    if kind in PARENT_ORDERS:
        if parent is None:
            raise ValidationError({"parent": _("Name the parent the order concerns.")})
        if not case.participants.filter(person=parent, role=ParticipantRole.PARENT).exists():
            raise ValidationError({"parent": _("Choose a parent of this case.")})
    elif parent is not None:
        raise ValidationError(
            {
                "parent": _(
                    "Only a termination of parental rights or a no-contact order names a parent."
                )
            }
        )
    order = CourtOrder(
        case=case,
        child=child,
        parent=parent,
        hearing=hearing,
        kind=kind,
        issued_on=issued_on,
        effective_until=effective_until,
        text=text.strip(),
    )
    order.full_clean()
    order.save()
    _record(
        actor,
        case,
        "order.recorded",
        f"{order.get_kind_display()} order issued {issued_on} ({_children_label(child)})",
        order,
        kind=kind,
        issued_on=issued_on,
        effective_until=effective_until,
        child=child.pk if child else None,
        hearing=hearing.pk if hearing else None,
    )
    _refresh_clocks(case)
    return order
