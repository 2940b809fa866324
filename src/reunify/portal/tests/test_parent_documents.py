"""Documents a worker shares with a parent: only that parent's account reads them, only through
the policy-checked view (AZ-11), and a photo keeps no location or camera metadata (AZ-4)."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image

from reunify.cases.tests.factories import open_case
from reunify.core import clock
from reunify.court import services as court_services
from reunify.portal import documents
from reunify.portal.models import SharedDocument
from reunify.portal.tests.factories import family_account, otp_client, parent_of

pytestmark = pytest.mark.django_db

PDF_BYTES = b"%PDF-1.4\n% a tiny test file\n%%EOF\n"


@pytest.fixture(autouse=True)
def _private_files(settings, tmp_path):
    settings.REUNIFY_PORTAL_FILES_DIR = tmp_path / "portal_files"


def _photo_with_gps() -> bytes:
    """A JPEG whose EXIF carries a camera make and a GPS position (canaries)."""
    image = Image.new("RGB", (8, 6), (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "Zqcameramake"  # Make
    exif[0x8825] = {1: "N", 2: (38.0, 37.0, 1.0), 3: "W", 4: (90.0, 11.0, 2.0)}  # GPSInfo
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    data = out.getvalue()
    assert b"Zqcameramake" in data
    return data


@pytest.fixture
def shared(caseworker):
    case = open_case(worker=caseworker)
    user = family_account(worker=caseworker, case=case)
    document = documents.document_share(
        actor=caseworker,
        case=case,
        account=user.portal_account,
        title="Visit schedule",
        upload=SimpleUploadedFile("schedule.pdf", PDF_BYTES, content_type="application/pdf"),
    )
    return case, user, document


def test_a_photo_is_stored_without_its_metadata(caseworker):
    case = open_case(worker=caseworker)
    user = family_account(worker=caseworker, case=case)
    document = documents.document_share(
        actor=caseworker,
        case=case,
        account=user.portal_account,
        title="Photo of the certificate",
        upload=SimpleUploadedFile("IMG_0001.jpg", _photo_with_gps(), content_type="image/jpeg"),
    )
    stored = document.file.open("rb").read()
    assert b"Zqcameramake" not in stored
    with Image.open(io.BytesIO(stored)) as image:
        assert not image.getexif()
        assert image.size == (8, 6)
    assert document.content_type == "image/jpeg"


@pytest.mark.parametrize(
    ("name", "data"),
    [("page.html", b"<html><script>alert(1)</script></html>"), ("empty.pdf", b"")],
)
def test_anything_but_a_pdf_or_an_image_is_refused(caseworker, name, data):
    case = open_case(worker=caseworker)
    user = family_account(worker=caseworker, case=case)
    with pytest.raises(ValidationError):
        documents.document_share(
            actor=caseworker,
            case=case,
            account=user.portal_account,
            title="Something",
            upload=SimpleUploadedFile(name, data, content_type="application/pdf"),
        )
    assert not SharedDocument.objects.exists()


def test_the_parent_reads_a_shared_document_through_the_policy(shared):
    case, user, document = shared
    client = otp_client(user)
    listing = client.get(reverse("portal:documents", args=[case.pk]))
    assert "Visit schedule" in listing.content.decode()
    url = reverse("portal:document-download", args=[case.pk, document.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF_BYTES
    assert response["Cache-Control"] == "private, no-store"
    assert "attachment" in response["Content-Disposition"]
    with pytest.raises(ValueError, match="no public address"):
        document.file.url  # noqa: B018


def test_nobody_else_reads_it(shared, caseworker):
    case, _user, document = shared
    url = reverse("portal:document-download", args=[case.pk, document.pk])
    assert Client().get(url).status_code == 302  # anonymous: to the sign-in page
    other_case = open_case(worker=caseworker)
    stranger = family_account(worker=caseworker, case=other_case, username="stranger")
    client = otp_client(stranger)
    assert client.get(url).status_code == 404
    assert (
        client.get(
            reverse("portal:document-download", args=[other_case.pk, document.pk])
        ).status_code
        == 404
    )
    staff = Client()
    staff.force_login(caseworker)
    assert staff.get(url).status_code == 404  # not a family account


@pytest.mark.parametrize("event", ["withdrawn", "tpr", "closed"])
def test_withdrawal_tpr_and_closure_end_access_at_once(shared, caseworker, event):
    case, user, document = shared
    client = otp_client(user)
    url = reverse("portal:document-download", args=[case.pk, document.pk])
    assert client.get(url).status_code == 200
    if event == "withdrawn":
        documents.document_revoke(actor=caseworker, document=document)
    elif event == "tpr":
        court_services.order_record(
            actor=caseworker,
            case=case,
            kind="tpr",
            issued_on=clock.today(),
            text="Parental rights terminated.",
            parent=parent_of(case),
        )
    else:
        type(case).objects.filter(pk=case.pk).update(status="closed", closed_on=clock.today())
    assert client.get(url).status_code == 404
    assert client.get(reverse("portal:documents", args=[case.pk])).status_code == 404 or (
        event == "withdrawn"
        and "Visit schedule"
        not in client.get(reverse("portal:documents", args=[case.pk])).content.decode()
    )


def test_the_worker_shares_and_withdraws_from_the_staff_page(caseworker, other_caseworker):
    case = open_case(worker=caseworker)
    user = family_account(worker=caseworker, case=case)
    client = Client()
    client.force_login(caseworker)
    url = reverse("portal:staff-documents", args=[case.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "account": user.portal_account.pk,
            "title": "Court letter",
            "file": SimpleUploadedFile("letter.pdf", PDF_BYTES, content_type="application/pdf"),
        },
    )
    assert response.status_code == 302
    document = SharedDocument.objects.get()
    assert document.shared_by == caseworker
    refused = client.post(
        url,
        {
            "account": user.portal_account.pk,
            "title": "Script",
            "file": SimpleUploadedFile("x.pdf", b"<svg onload=1>", content_type="application/pdf"),
        },
    )
    assert refused.status_code == 400
    assert SharedDocument.objects.count() == 1
    # a worker who does not edit the case may not share or withdraw
    other = Client()
    other.force_login(other_caseworker)
    assert other.get(url).status_code in (403, 404)
    withdraw = reverse("portal:staff-document-withdraw", args=[document.pk])
    assert other.post(withdraw).status_code in (403, 404)
    assert SharedDocument.objects.get().revoked_at is None
    assert client.post(withdraw).status_code == 302  # no confirmation: nothing withdrawn
    assert SharedDocument.objects.get().revoked_at is None
    assert client.post(withdraw, {"confirm": "yes"}).status_code == 302
    assert SharedDocument.objects.get().revoked_at is not None
    # the family account never reaches the staff page
    assert otp_client(user).get(url).status_code == 404
