"""Documents a worker shares with a family account: where the files are kept (a private directory
with no public address), how an upload is checked and cleaned (an image is re-encoded so no
location or camera metadata survives: reliability.md AZ-4, ASVS 14.2.6), and the writes that share
and withdraw them. Files are read back only through `portal.parent_views.document_download`,
which re-checks the portal policy (AZ-11)."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db.models import QuerySet
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from PIL import Image, ImageOps, UnidentifiedImageError

from reunify.accounts.models import User
from reunify.cases.models import FamilyCase, ParticipantRole
from reunify.core import audit, clock
from reunify.core.actor import write
from reunify.portal.models import Kind, PortalAccount, SharedDocument

MAX_BYTES = 10 * 1024 * 1024
IMAGE_TYPES = {"JPEG": ("image/jpeg", ".jpg"), "PNG": ("image/png", ".png")}
PDF = ("application/pdf", ".pdf")

TOO_BIG = gettext_noop("The file is larger than 10 MB.")
NOT_ALLOWED = gettext_noop("Share a PDF, a JPEG photo or a PNG image.")
EMPTY_FILE = gettext_noop("The file is empty.")
NOT_AN_ACCOUNT = gettext_noop("Choose a parent of this case who has a portal account.")
TITLE_NEEDED = gettext_noop("Give the document a title.")
ALREADY_WITHDRAWN = gettext_noop("This document was already withdrawn.")


def _cleaned_image(data: bytes) -> tuple[bytes, str, str] | None:
    """The image re-encoded from its pixels only (turned upright first, so dropping the EXIF
    orientation changes nothing visible), or None when `data` is not a JPEG or PNG image."""
    try:
        with Image.open(io.BytesIO(data)) as probe:
            probe.verify()
        with Image.open(io.BytesIO(data)) as image:
            kind = image.format or ""
            if kind not in IMAGE_TYPES:
                return None
            upright = ImageOps.exif_transpose(image) or image
            if kind == "JPEG" and upright.mode not in ("RGB", "L"):
                upright = upright.convert("RGB")
            # A new image from the raw pixels: nothing of the original's metadata comes along.
            pixels = Image.frombytes(upright.mode, upright.size, upright.tobytes())
            if upright.mode == "P" and upright.getpalette() is not None:
                pixels.putpalette(upright.getpalette() or [])
            out = io.BytesIO()
            pixels.save(out, format=kind, **({"quality": 90} if kind == "JPEG" else {}))
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        return None
    content_type, extension = IMAGE_TYPES[kind]
    return out.getvalue(), content_type, extension


def cleaned_upload(upload: UploadedFile) -> tuple[bytes, str, str]:
    """The bytes to store, their content type and file extension, judged from the content (never
    from the name or the browser's type). Refuses anything but a PDF, a JPEG or a PNG."""
    if upload.size is not None and upload.size > MAX_BYTES:
        raise ValidationError({"file": _(TOO_BIG)})
    data = upload.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise ValidationError({"file": _(TOO_BIG)})
    if not data:
        raise ValidationError({"file": _(EMPTY_FILE)})
    if data.startswith(b"%PDF-"):
        return data, *PDF
    image = _cleaned_image(data)
    if image is None:
        raise ValidationError({"file": _(NOT_ALLOWED)})
    return image


def shareable_accounts(case: FamilyCase) -> QuerySet[PortalAccount]:
    """The parents of the case with a portal account (only a parent's portal has documents)."""
    parents = case.participants.filter(role=ParticipantRole.PARENT).values("person_id")
    return (
        PortalAccount.objects.filter(
            kind=Kind.PARENT, person_id__in=parents, user__agency_id=case.agency_id
        )
        .select_related("user", "person")
        .order_by("person__last_name", "person__first_name", "pk")
    )


@write
def document_share(
    *, actor: User, case: FamilyCase, account: PortalAccount, title: str, upload: UploadedFile
) -> SharedDocument:
    title = title.strip()
    if not title:
        raise ValidationError({"title": _(TITLE_NEEDED)})
    if not shareable_accounts(case).filter(pk=account.pk).exists():
        raise ValidationError({"account": _(NOT_AN_ACCOUNT)})
    data, content_type, extension = cleaned_upload(upload)
    stem = get_valid_filename(Path(upload.name or "document").stem)[:60] or "document"
    document = SharedDocument(
        account=account,
        case=case,
        title=title,
        content_type=content_type,
        size=len(data),
        shared_by=actor,
        shared_at=clock.now(),
    )
    document.file.save(f"{stem}{extension}", ContentFile(data), save=False)
    document.full_clean()
    document.save()
    audit.record(
        actor=actor,
        action="portal.document_shared",
        obj=document,
        case_id=case.pk,
        agency_id=case.agency_id,
        summary=f"Document shared with portal account {account.user.username}",
        changes={"title": title, "content_type": content_type, "size": len(data)},
    )
    return document


@write
def document_revoke(*, actor: User, document: SharedDocument) -> SharedDocument:
    """The family no longer sees the document; the file stays, for the record."""
    document = SharedDocument.objects.select_for_update().get(pk=document.pk)
    if document.revoked_at is not None:
        raise ValidationError(_(ALREADY_WITHDRAWN))
    document.revoked_at, document.revoked_by = clock.now(), actor
    document.full_clean()
    document.save(update_fields=["revoked_at", "revoked_by"])
    audit.record(
        actor=actor,
        action="portal.document_withdrawn",
        obj=document,
        case_id=document.case_id,
        summary="Shared document withdrawn",
    )
    return document


def documents_for(account: PortalAccount, case: FamilyCase) -> list[SharedDocument]:
    return list(
        SharedDocument.objects.filter(account=account, case=case, revoked_at__isnull=True)
        .select_related("shared_by")
        .order_by("-shared_at", "-id")
    )


def case_documents(case: FamilyCase) -> list[SharedDocument]:
    return list(
        SharedDocument.objects.filter(case=case)
        .select_related("account__user", "account__person", "shared_by", "revoked_by")
        .order_by("-shared_at", "-id")
    )


def document_read(*, actor: Any, document: SharedDocument) -> None:
    """An access event: who opened which shared document."""
    audit.record(
        actor=actor,
        action="portal.document_opened",
        kind="access",
        obj=document,
        case_id=document.case_id,
        summary="Shared document opened in the portal",
    )
