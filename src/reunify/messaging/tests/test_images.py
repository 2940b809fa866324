"""Attachments are re-encoded from their pixels: GPS EXIF and text never survive; only JPEG and
PNG are taken. No database."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from reunify.messaging import images
from reunify.messaging.tests.factories import GPS_IFD, photo_bytes


def _reopen(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


def test_the_photo_carries_gps_before_cleaning():
    # Given a phone photo with a GPS position and a camera make (the test's own premise)
    original = _reopen(photo_bytes())
    assert original.getexif().get_ifd(GPS_IFD)
    assert b"CanaryCam" in photo_bytes()


@pytest.mark.parametrize("fmt", ["JPEG", "PNG"])
def test_gps_and_every_other_metadata_are_removed(fmt):
    # Given a photo with GPS EXIF (and, for PNG, a text chunk)
    data = photo_bytes(fmt=fmt, text="Qgpscanary 41.87N")

    # When it is cleaned
    clean = images.clean(data)

    # Then the pixels survive and nothing else does
    image = _reopen(clean.data)
    assert image.format == fmt
    assert image.size == (64, 48)
    assert not image.getexif()
    assert not image.getexif().get_ifd(GPS_IFD)
    assert "exif" not in image.info
    assert not {"Comment", "icc_profile", "xmp"} & set(image.info)
    for canary in (b"CanaryCam", b"Qgpscanary", b"GPS"):
        assert canary not in clean.data
    assert clean.content_type == f"image/{fmt.lower()}"


def test_a_large_photo_is_scaled_to_fit_a_phone():
    clean = images.clean(photo_bytes(size=(4000, 1000), gps=False))
    assert (clean.width, clean.height) == (2560, 640)


def test_a_sideways_photo_is_turned_upright_and_loses_the_orientation_tag():
    image = Image.new("RGB", (60, 20), (10, 10, 10))
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90° clockwise to display
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif.tobytes())
    clean = images.clean(out.getvalue())
    assert (clean.width, clean.height) == (20, 60)
    assert not _reopen(clean.data).getexif()


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (photo_bytes(fmt="GIF", gps=False), images.WRONG_TYPE),
        (photo_bytes(fmt="BMP", gps=False), images.WRONG_TYPE),
        (b"%PDF-1.7\n1 0 obj<<>>endobj\n", images.NOT_AN_IMAGE),
        (b"<svg xmlns='http://www.w3.org/2000/svg'/>", images.NOT_AN_IMAGE),
        (b"", images.NOT_AN_IMAGE),
        (photo_bytes()[:200], images.NOT_AN_IMAGE),  # a truncated JPEG
        (b"\xff" * (images.MAX_BYTES + 1), images.TOO_BIG),
    ],
    ids=["gif", "bmp", "pdf", "svg", "empty", "truncated", "too-big"],
)
def test_other_files_are_refused(data, code):
    with pytest.raises(images.ImageRefusedError) as refused:
        images.clean(data)
    assert refused.value.code == code


def test_a_decompression_bomb_is_refused_before_it_is_decoded():
    out = io.BytesIO()
    Image.new("1", (8000, 6000)).save(out, format="PNG")  # 48 megapixels, a few kB
    with pytest.raises(images.ImageRefusedError) as refused:
        images.clean(out.getvalue())
    assert refused.value.code == images.TOO_MANY_PIXELS
