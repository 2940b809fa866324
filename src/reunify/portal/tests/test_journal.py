"""The shared-parenting journal: the birth parent and the resource family write to each other
about the child; the parent never reads the family's surname (unless it chooses to share it) or
address; photos keep no location or camera metadata and are served only through the policy; the
worker hides an entry for both; standing changes take effect from the next request."""

from __future__ import annotations

import io

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image

from reunify.cases import services as case_services
from reunify.cases.tests.factories import ProviderFactory
from reunify.court import services as court_services
from reunify.portal import journal
from reunify.portal.models import JournalEntry, Kind
from reunify.portal.tests.factories import family_account, otp_client
from reunify.portal.tests.resource_world import (
    NOW,
    RESOURCE_CANARIES,
    TODAY,
    build_resource,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _frozen(settings, tmp_path):
    settings.REUNIFY_PORTAL_FILES_DIR = tmp_path / "portal_files"
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def world(caseworker):
    return build_resource(caseworker)


def _url(world) -> str:
    return reverse("portal:journal", args=[world.case.pk, world.child.pk])


def _photo_with_gps() -> bytes:
    image = Image.new("RGB", (8, 6), (30, 120, 30))
    exif = Image.Exif()
    exif[0x010F] = "Zqcameramake"
    exif[0x8825] = {1: "N", 2: (38.0, 37.0, 1.0), 3: "W", 4: (90.0, 11.0, 2.0)}
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    assert b"Zqcameramake" in out.getvalue()
    return out.getvalue()


def _post(client, world, text: str, **extra):
    return client.post(_url(world), {"kind": "news", "text": text, **extra})


def _parent_pages(world, client) -> str:
    """Every page a birth parent opens on the journal, and the home page."""
    bodies = []
    for url in (
        reverse("portal:home"),
        reverse("portal:journal-children", args=[world.case.pk]),
        _url(world),
    ):
        response = client.get(url, follow=True)
        assert response.status_code == 200, url
        bodies.append(response.content.decode())
    return "\n".join(bodies)


def test_the_resource_family_writes_and_the_parent_reads_it_under_a_first_name(world):
    resource = otp_client(world.resource_user)
    assert _post(resource, world, "Maya lost a tooth today!").status_code == 302
    parent = otp_client(world.user)
    body = _parent_pages(world, parent)
    assert "Maya lost a tooth today!" in body
    assert "Dana (resource family)" in body
    for name, canary in RESOURCE_CANARIES.items():
        assert canary not in body, name


def test_the_parent_writes_and_asks_and_the_resource_family_reads_it(world):
    parent = otp_client(world.user)
    response = parent.post(_url(world), {"kind": "question", "text": "Does she sleep well?"})
    assert response.status_code == 302
    body = otp_client(world.resource_user).get(_url(world)).content.decode()
    assert "Does she sleep well?" in body
    assert f"{world.parent.first_name} (parent)" in body
    assert "Question" in body


def test_the_surname_reaches_the_parent_only_when_the_family_shares_it(world):
    resource = otp_client(world.resource_user)
    _post(resource, world, "Park day.")
    parent = otp_client(world.user)
    assert RESOURCE_CANARIES["provider_name"] not in _parent_pages(world, parent)
    # when the family opts in
    response = resource.post(
        reverse("portal:journal-identity"), {"display_name": "Dana", "share_surname": "on"}
    )
    assert response.status_code == 302
    # then
    body = _parent_pages(world, parent)
    assert f"Dana {RESOURCE_CANARIES['provider_name']} (resource family)" in body
    assert RESOURCE_CANARIES["provider_street"] not in body
    # and when it stops sharing, the surname is gone again
    resource.post(reverse("portal:journal-identity"), {"display_name": "D."})
    body = _parent_pages(world, parent)
    assert RESOURCE_CANARIES["provider_name"] not in body
    assert "D. (resource family)" in body


def test_without_a_first_name_the_family_is_the_resource_family(world):
    world.resource_user.first_name = ""
    world.resource_user.save(update_fields=["first_name"])
    label = journal.resource_label(world.resource_user.portal_account)
    assert label == "The resource family"


def test_a_photo_is_stored_without_metadata_and_served_through_the_policy(world):
    resource = otp_client(world.resource_user)
    photo = SimpleUploadedFile("IMG_1.jpg", _photo_with_gps(), content_type="image/jpeg")
    assert _post(resource, world, "At the zoo", photo=photo).status_code == 302
    entry = JournalEntry.objects.get()
    stored = entry.photo.open("rb").read()
    assert b"Zqcameramake" not in stored
    with Image.open(io.BytesIO(stored)) as image:
        assert not image.getexif()
    url = reverse("portal:journal-photo", args=[world.case.pk, world.child.pk, entry.pk])
    parent = otp_client(world.user)
    assert url in parent.get(_url(world)).content.decode()
    response = parent.get(url)
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    assert b"Zqcameramake" not in b"".join(response.streaming_content)
    assert Client().get(url).status_code == 302  # anonymous: sign in
    # hidden: gone for everyone
    journal.entry_hide(actor=world.case.worker, entry=entry, reason="Shows the street sign.")
    assert parent.get(url).status_code == 404
    assert resource.get(url).status_code == 404


def test_only_images_are_taken_as_photos(world):
    resource = otp_client(world.resource_user)
    pdf = SimpleUploadedFile("a.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")
    response = _post(resource, world, "A letter", photo=pdf)
    assert response.status_code == 400
    assert not JournalEntry.objects.exists()


def test_the_worker_hides_an_entry_for_both_families(world, caseworker):
    resource = otp_client(world.resource_user)
    _post(resource, world, "We live near Zqlandmark park.")
    entry = JournalEntry.objects.get()
    staff = Client()
    staff.force_login(caseworker)
    page = staff.get(reverse("portal:staff-journal", args=[world.case.pk]))
    assert page.status_code == 200
    assert "Zqlandmark" in page.content.decode()
    # a reason is needed
    hide = reverse("portal:staff-journal-hide", args=[entry.pk])
    assert staff.post(hide, {"reason": ""}).status_code == 400
    assert staff.post(hide, {"reason": "Names a place near the home."}).status_code == 302
    entry.refresh_from_db()
    assert entry.hidden_by == caseworker
    assert entry.hidden_reason == "Names a place near the home."
    for client in (otp_client(world.user), resource):
        assert "Zqlandmark" not in client.get(_url(world)).content.decode()
    body = staff.get(reverse("portal:staff-journal", args=[world.case.pk])).content.decode()
    assert "Hidden" in body
    assert "Names a place near the home." in body


def test_a_parent_under_a_no_contact_order_loses_the_journal(world, caseworker):
    resource = otp_client(world.resource_user)
    _post(resource, world, "Good day.")
    parent = otp_client(world.user)
    assert parent.get(_url(world)).status_code == 200
    court_services.order_record(
        actor=caseworker,
        case=world.case,
        kind="no_contact",
        issued_on=TODAY,
        text="Order.",
        parent=world.parent,
    )
    assert parent.get(_url(world)).status_code == 404
    assert parent.get(reverse("portal:journal-children", args=[world.case.pk])).status_code == 404
    assert _post(parent, world, "Hello").status_code == 404
    assert not JournalEntry.objects.filter(side="parent").exists()
    assert (
        reverse("portal:journal-children", args=[world.case.pk])
        not in parent.get(reverse("portal:home")).content.decode()
    )
    # the resource family keeps its journal
    assert resource.get(_url(world)).status_code == 200


def test_a_new_family_never_reads_the_former_familys_entries(world, caseworker):
    with time_machine.travel(NOW.replace(day=1, month=2), tick=False):
        _post(otp_client(world.resource_user), world, "Zqformerfamilynews")
        _post(otp_client(world.user), world, "Zqoldparentnote")
    episode = world.case.episodes.get(child=world.child)
    provider = ProviderFactory(agency=caseworker.agency)
    case_services.placement_change(
        actor=caseworker,
        episode=episode,
        expected_version=episode.version,
        data=case_services.PlacementInput(
            setting="foster_family_nonrelative", started_on=TODAY, provider=provider
        ),
        end_reason="child_needs",
    )
    newcomer = family_account(
        worker=caseworker,
        case=world.case,
        kind=Kind.RESOURCE_PARENT,
        provider=provider,
        username="newfamily",
    )
    former = otp_client(world.resource_user)
    parent = otp_client(world.user)
    assert former.get(_url(world)).status_code == 404
    assert _post(former, world, "Still here?").status_code == 404
    body = otp_client(newcomer).get(_url(world)).content.decode()
    assert "Zqformerfamilynews" not in body
    assert "Zqoldparentnote" not in body
    # the parent still reads the former family's news
    assert "Zqformerfamilynews" in parent.get(_url(world)).content.decode()


def test_a_youth_and_staff_do_not_open_the_family_journal(world, caseworker):
    staff = Client()
    staff.force_login(caseworker)
    assert staff.get(_url(world)).status_code == 404
    assert staff.get(reverse("portal:journal-identity")).status_code == 404
    assert otp_client(world.user).get(reverse("portal:journal-identity")).status_code == 404


def test_another_familys_parent_and_resource_family_get_404(world, caseworker):
    from reunify.cases.tests.factories import open_case

    resource = otp_client(world.resource_user)
    photo = SimpleUploadedFile("p.jpg", _photo_with_gps(), content_type="image/jpeg")
    _post(resource, world, "Zqprivatenews", photo=photo)
    entry = JournalEntry.objects.get()
    other = open_case(worker=caseworker, name="Okafor", today=TODAY)
    outsiders = [
        family_account(worker=caseworker, case=other, username="okafor"),
        family_account(
            worker=caseworker,
            case=other,
            kind=Kind.RESOURCE_PARENT,
            provider=other.episodes.get().placements.get().provider,
            username="okaforfoster",
        ),
    ]
    photo_url = reverse("portal:journal-photo", args=[world.case.pk, world.child.pk, entry.pk])
    for user in outsiders:
        client = otp_client(user)
        assert client.get(_url(world)).status_code == 404
        assert client.get(photo_url).status_code == 404
        assert _post(client, world, "Hello").status_code == 404
    assert JournalEntry.objects.count() == 1
