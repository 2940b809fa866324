"""Conversations for tests: a family account (portal factory) writing to the case's worker."""

from __future__ import annotations

import io
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from reunify.accounts.models import User
from reunify.cases.models import FamilyCase
from reunify.messaging import services
from reunify.messaging.models import Thread
from reunify.portal.tests.factories import family_account

# GPS EXIF tags (Pillow's ExifTags.IFD.GPSInfo = 0x8825): latitude 41° 52' N, longitude 87° 37' W.
GPS_IFD = 0x8825


def photo_bytes(
    *, fmt: str = "JPEG", size: tuple[int, int] = (64, 48), gps: bool = True, text: str = ""
) -> bytes:
    """An image in `fmt`, carrying GPS EXIF (and a text chunk for PNG) when asked."""
    image = Image.new("RGB", size, (200, 120, 40))
    exif = Image.Exif()
    if gps:
        exif[0x010F] = "CanaryCam"  # Make
        exif[0x0131] = "Qgpscanary editor"  # Software
        exif.get_ifd(GPS_IFD).update({1: "N", 2: (41.0, 52.0, 30.0), 3: "W", 4: (87.0, 37.0, 10.0)})
    out = io.BytesIO()
    kwargs: dict[str, Any] = {"exif": exif.tobytes()} if gps else {}
    if fmt == "PNG" and text:
        from PIL import PngImagePlugin

        info = PngImagePlugin.PngInfo()
        info.add_text("Comment", text)
        kwargs["pnginfo"] = info
    image.save(out, format=fmt, **kwargs)
    return out.getvalue()


def upload(data: bytes | None = None, name: str = "IMG_0001.jpg", content_type: str = "image/jpeg"):
    return SimpleUploadedFile(name, data if data is not None else photo_bytes(), content_type)


def conversation(
    *, worker: User, case: FamilyCase, user: User | None = None, username: str = "rosa"
) -> tuple[User, Thread]:
    """A family account of the case and the thread it started with one message."""
    user = user or family_account(worker=worker, case=case, username=username)
    thread = services.thread_start(
        actor=user,
        case=case,
        account=user.portal_account,
        subject="About Sunday",
        body="Can we move Sunday's visit to Saturday?",
    )
    return user, thread


def messaging_for_matrix(*, worker: User, case: FamilyCase) -> dict[str, Any]:
    """tests/authz_matrix.d/messaging.yaml: a thread of the case's parent, answered by the worker
    with a photo (`attachment`)."""
    _user, thread = conversation(worker=worker, case=case, username="matrixwriter")
    reply = services.message_send(actor=worker, thread=thread, body="Yes.", upload=upload())
    return {"thread": thread, "attachment": reply.attachments.get()}
