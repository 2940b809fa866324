"""Re-encoding an uploaded image so that nothing but its pixels survives: no EXIF (GPS position,
camera, time), no XMP, no PNG text chunks, no ICC profile (reliability.md AZ-4: GPS data in
photos never reaches a restricted principal). Only JPEG and PNG are accepted; anything else,
anything unreadable and anything too large is refused. Uses Pillow only; no Django."""

from __future__ import annotations

import io
from dataclasses import dataclass

from PIL import Image, ImageOps, UnidentifiedImageError

MAX_BYTES = 10 * 1024 * 1024  # an upload larger than this is refused
MAX_PIXELS = 40_000_000  # so is an image larger than this (decompression bombs)
MAX_SIDE = 2560  # larger images are scaled down to fit a phone screen comfortably
FORMATS = {"JPEG": ("image/jpeg", ".jpg"), "PNG": ("image/png", ".png")}

TOO_BIG = "too_big"
NOT_AN_IMAGE = "not_an_image"
WRONG_TYPE = "wrong_type"
TOO_MANY_PIXELS = "too_many_pixels"


class ImageRefusedError(ValueError):
    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


@dataclass(frozen=True, slots=True)
class CleanImage:
    data: bytes
    content_type: str
    extension: str
    width: int
    height: int


def clean(data: bytes) -> CleanImage:
    """The image re-encoded from its pixels alone, or ImageRefusedError (with a code saying why)."""
    if len(data) > MAX_BYTES:
        raise ImageRefusedError(TOO_BIG)
    try:
        with Image.open(io.BytesIO(data)) as probe:
            fmt = probe.format
            if fmt not in FORMATS:
                raise ImageRefusedError(WRONG_TYPE)
            if probe.width * probe.height > MAX_PIXELS:
                raise ImageRefusedError(TOO_MANY_PIXELS)
            probe.verify()
        with Image.open(io.BytesIO(data)) as opened:
            opened.load()
            upright = ImageOps.exif_transpose(opened) or opened
            pixels = _mode_for(fmt, upright)
            pixels.thumbnail((MAX_SIDE, MAX_SIDE))
            # A new image from the raw pixels: no info, EXIF, XMP, ICC or text comes along.
            bare = Image.frombytes(pixels.mode, pixels.size, pixels.tobytes())
    except ImageRefusedError:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise ImageRefusedError(NOT_AN_IMAGE) from None
    out = io.BytesIO()
    if fmt == "JPEG":
        bare.save(out, format="JPEG", quality=85, optimize=True)
    else:
        bare.save(out, format="PNG", optimize=True)
    content_type, extension = FORMATS[fmt]
    return CleanImage(out.getvalue(), content_type, extension, bare.width, bare.height)


def _mode_for(fmt: str, image: Image.Image) -> Image.Image:
    if fmt == "JPEG":
        return image if image.mode in ("RGB", "L") else image.convert("RGB")
    return image if image.mode in ("RGB", "RGBA", "L") else image.convert("RGBA")
