"""The shared-parenting journal of a child: entries between the child's birth parents and the
resource family the child lives with now, and the worker's moderation.

Who reads what (the views have already asked `permissions.sections` for JOURNAL, child by child):
- a birth parent reads the resource family's entries and their own, never the other parent's
  (two parents may live apart, and one may be protected from the other);
- the resource family reads the parents' entries and its own, from the day the child came to
  live with it; never the entries of a former resource family;
- a hidden entry is gone for both.

What never reaches a birth parent: the resource family's surname (unless the family chose to
share it), its address and whereabouts, and a photo's location or camera metadata (photos are
re-encoded from their pixels, `documents.cleaned_upload`) (reliability.md AZ-4). Photos are read
back only through views that re-check the policy (AZ-11)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from reunify.accounts.models import User
from reunify.cases.models import FamilyCase, Placement
from reunify.core import audit, clock
from reunify.core.actor import write
from reunify.people.models import Person
from reunify.portal import documents, permissions
from reunify.portal.models import JournalEntry, JournalIdentity, Kind, PortalAccount

MAX_TEXT = 2000
MAX_REASON = 300

TEXT_NEEDED = gettext_noop("Write something to share.")
TEXT_TOO_LONG = gettext_noop("Keep an entry under 2000 characters.")
PHOTO_ONLY = gettext_noop("Add a JPEG photo or a PNG image.")
REASON_NEEDED = gettext_noop("Say why the entry is hidden.")
REASON_TOO_LONG = gettext_noop("Keep the reason under 300 characters.")
ALREADY_HIDDEN = gettext_noop("This entry is already hidden.")
NOT_A_WRITER = gettext_noop("Only the child's parents and resource family write in the journal.")
NAME_TOO_LONG = gettext_noop("Keep the name under 60 characters.")


# ---- who may write, and since when the resource family reads ---------------------------------


def _side(account: PortalAccount) -> str | None:
    if account.kind == Kind.PARENT:
        return JournalEntry.Side.PARENT
    if account.kind == Kind.RESOURCE_PARENT:
        return JournalEntry.Side.RESOURCE_FAMILY
    return None


def placement_now(account: PortalAccount, case: FamilyCase, child: Person) -> Placement | None:
    """The resource family's running placement of `child` in `case`, or None."""
    return (
        permissions.current_placements(account)
        .filter(episode__case=case, episode__child=child)
        .order_by("-started_on", "-pk")
        .first()
    )


def _since(placement: Placement) -> dt.datetime:
    """The start of the placement's first day, in the agency's time zone."""
    return dt.datetime.combine(placement.started_on, dt.time.min, tzinfo=clock.agency_zone())


def visible_entries(
    account: PortalAccount, case: FamilyCase, child: Person
) -> QuerySet[JournalEntry]:
    """The entries `account` reads in the child's journal (the caller checked JOURNAL)."""
    entries = JournalEntry.objects.filter(case=case, child=child, hidden_at__isnull=True)
    if account.kind == Kind.PARENT:
        return entries.filter(Q(side=JournalEntry.Side.RESOURCE_FAMILY) | Q(author=account))
    if account.kind == Kind.RESOURCE_PARENT:
        placement = placement_now(account, case, child)
        if placement is None:
            return entries.none()
        return entries.filter(
            Q(side=JournalEntry.Side.PARENT) | Q(author__provider=account.provider),
            created_at__gte=_since(placement),
        )
    return entries.none()


# ---- how an author is named ------------------------------------------------------------------


def identity_of(account: PortalAccount) -> JournalIdentity:
    """The account's journal name (unsaved defaults when the family has not chosen one)."""
    found = JournalIdentity.objects.filter(account=account).first()
    return found or JournalIdentity(account=account, display_name="", share_surname=False)


def resource_label(account: PortalAccount, identity: JournalIdentity | None = None) -> str:
    """A resource family's name in the journal: the name it chose (by default its first name),
    its surname only when it chose to share it, then "(resource family)"."""
    identity = identity or identity_of(account)
    name = identity.display_name.strip() or account.user.first_name.strip()
    if identity.share_surname and account.user.last_name.strip():
        name = f"{name} {account.user.last_name.strip()}".strip()
    if not name:
        return _("The resource family")
    return _("%(name)s (resource family)") % {"name": name}


def parent_label(account: PortalAccount) -> str:
    first = account.person.first_name if account.person else ""
    return _("%(name)s (parent)") % {"name": first} if first else _("A parent")


@dataclass
class EntryLine:
    entry: JournalEntry
    author: str
    mine: bool
    has_photo: bool


def entry_lines(account: PortalAccount, entries: QuerySet[JournalEntry]) -> list[EntryLine]:
    """The entries as `account` reads them, newest first, each author named as allowed."""
    rows = list(entries.select_related("author__user", "author__person").order_by("-created_at"))
    identities = {
        i.account_id: i
        for i in JournalIdentity.objects.filter(account_id__in={r.author_id for r in rows})
    }
    lines = []
    for r in rows:
        mine = r.author_id == account.pk
        if mine:
            author = _("You")
        elif r.side == JournalEntry.Side.RESOURCE_FAMILY:
            author = resource_label(r.author, identities.get(r.author_id))
        else:
            author = parent_label(r.author)
        lines.append(EntryLine(r, author, mine, bool(r.photo)))
    return lines


# ---- writes ----------------------------------------------------------------------------------


@write
def entry_post(
    *,
    actor: User,
    account: PortalAccount,
    case: FamilyCase,
    child: Person,
    text: str,
    kind: str = JournalEntry.EntryKind.NEWS,
    photo: UploadedFile | None = None,
) -> JournalEntry:
    """A parent's or the resource family's entry (the caller checked JOURNAL for the child)."""
    side = _side(account)
    if side is None:
        raise ValidationError(_(NOT_A_WRITER))
    text = text.strip()
    if not text:
        raise ValidationError({"text": _(TEXT_NEEDED)})
    if len(text) > MAX_TEXT:
        raise ValidationError({"text": _(TEXT_TOO_LONG)})
    entry = JournalEntry(
        case=case, child=child, author=account, side=side, kind=kind, text=text,
        created_at=clock.now(),
    )  # fmt: skip
    if photo is not None:
        try:
            data, content_type, extension = documents.cleaned_upload(photo)
        except ValidationError as error:
            raise ValidationError(
                {"photo": error.message_dict.get("file", error.messages)}
            ) from None
        if not content_type.startswith("image/"):
            raise ValidationError({"photo": _(PHOTO_ONLY)})
        stem = f"entry-{clock.now():%Y%m%d%H%M%S}"
        entry.photo_content_type = content_type
        entry.photo.save(f"{stem}{extension}", ContentFile(data), save=False)
    entry.full_clean()
    entry.save()
    audit.record(
        actor=actor,
        action="portal.journal_entry_posted",
        obj=entry,
        case_id=case.pk,
        agency_id=case.agency_id,
        summary=f"Journal entry written ({side})",
        changes={"kind": kind, "photo": bool(entry.photo)},
    )
    return entry


@write
def entry_hide(*, actor: User, entry: JournalEntry, reason: str) -> JournalEntry:
    """The worker hides an entry from both families; it stays in the record with the reason.
    The caller checked that `actor` edits the case."""
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _(REASON_NEEDED)})
    if len(reason) > MAX_REASON:
        raise ValidationError({"reason": _(REASON_TOO_LONG)})
    entry = JournalEntry.objects.select_for_update().get(pk=entry.pk)
    if entry.hidden_at is not None:
        raise ValidationError(_(ALREADY_HIDDEN))
    entry.hidden_at, entry.hidden_by, entry.hidden_reason = clock.now(), actor, reason
    entry.full_clean()
    entry.save(update_fields=["hidden_at", "hidden_by", "hidden_reason"])
    audit.record(
        actor=actor,
        action="portal.journal_entry_hidden",
        obj=entry,
        case_id=entry.case_id,
        summary="Journal entry hidden by the worker",
        changes={"reason": reason},
    )
    return entry


@write
def identity_update(
    *, actor: User, account: PortalAccount, display_name: str, share_surname: bool
) -> JournalIdentity:
    """The resource family chooses its name in the journal and whether to share its surname."""
    display_name = display_name.strip()
    if len(display_name) > 60:
        raise ValidationError({"display_name": _(NAME_TOO_LONG)})
    identity, _created = JournalIdentity.objects.select_for_update().get_or_create(account=account)
    before = {"display_name": identity.display_name, "share_surname": identity.share_surname}
    identity.display_name, identity.share_surname = display_name, share_surname
    identity.full_clean()
    identity.save()
    audit.record(
        actor=actor,
        action="portal.journal_name_changed",
        obj=identity,
        summary="Journal name or surname sharing changed",
        changes={"before": before, "share_surname": share_surname},
    )
    return identity


def photo_read(*, actor: object, entry: JournalEntry) -> None:
    """An access event: who opened which journal photo."""
    audit.record(
        actor=actor,
        action="portal.journal_photo_opened",
        kind="access",
        obj=entry,
        case_id=entry.case_id,
        summary="Journal photo opened",
    )


# ---- the worker's view ----------------------------------------------------------------------


@dataclass
class StaffLine:
    entry: JournalEntry
    author: str  # the account's real name: the worker knows both families
    child: str


def case_entries(case: FamilyCase) -> list[StaffLine]:
    rows = (
        JournalEntry.objects.filter(case=case)
        .select_related("author__user", "author__person", "child", "hidden_by")
        .order_by("-created_at", "-id")
    )
    return [
        StaffLine(
            r,
            f"{r.author.user.get_full_name() or r.author.user.username} ({r.get_side_display()})",
            r.child.first_name,
        )
        for r in rows
    ]
