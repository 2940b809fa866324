"""Family accounts for tests: made through the invitation service, second factor set up."""

from __future__ import annotations

from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from reunify.accounts.models import User
from reunify.cases.models import FamilyCase, ParticipantRole
from reunify.people.models import Person
from reunify.portal import services
from reunify.portal.models import Kind

PASSWORD = "a long family password"


def parent_of(case: FamilyCase) -> Person:
    return case.participants.get(role=ParticipantRole.PARENT).person


def family_account(
    *,
    worker: User,
    case: FamilyCase,
    kind: str = Kind.PARENT,
    person=None,
    provider=None,
    username: str = "rosa",
) -> User:
    """A portal account made by accepting a worker's invitation, with a confirmed
    authenticator (so a test can sign in with `otp_client`)."""
    if kind == Kind.PARENT and person is None:
        person = parent_of(case)
    _invitation, link = services.invitation_send(
        actor=worker,
        case=case,
        kind=kind,
        channel="email",
        email=f"{username}@example.org",
        person=person,
        provider=provider,
    )
    token = link.rstrip("/").rsplit("/", 1)[-1]
    user = services.invitation_accept(token=token, username=username, password=PASSWORD)
    TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True)
    return user


def current_code(user: User) -> str:
    device = TOTPDevice.objects.get(user=user, confirmed=True)
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


def otp_client(user: User) -> Client:
    """A test client signed in as `user` with the second factor passed, as after a real sign-in."""
    client = Client()
    client.force_login(user)
    response = client.post("/accounts/second-factor/", {"code": current_code(user)})
    assert response.status_code == 302, response.content[:500]
    return client


def portal_for_matrix(*, worker: User, case: FamilyCase) -> dict:
    """The authorization matrix's portal objects (tests/authz_matrix.d/portal.yaml): a pending
    invitation, and a parent's account (through an accepted invitation) with a shared PDF and a
    calendar address."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from reunify.portal import documents, parent_services

    parent = parent_of(case)
    pending, _link = services.invitation_send(
        actor=worker,
        case=case,
        kind=Kind.PARENT,
        channel="email",
        email="pending@example.org",
        person=parent,
    )
    account_user = family_account(worker=worker, case=case, username="matrixparent")
    account = account_user.portal_account
    pdf = SimpleUploadedFile("letter.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")
    document = documents.document_share(
        actor=worker, case=case, account=account, title="Visit letter", upload=pdf
    )
    feed_token = parent_services.feed_create(actor=account_user, account=account)
    journal_entry = _journal_for_matrix(worker=worker, case=case)
    return {
        "invitation": pending,
        "document": document,
        "feed_token": feed_token,
        "journal_entry": journal_entry,
    }


def _journal_for_matrix(*, worker: User, case: FamilyCase):
    """A resource-family account of the child's current provider, and its journal entry with a
    photo (authz_matrix.d/portal.yaml: `journal_entry`)."""
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    from reunify.cases.models import Placement
    from reunify.portal import journal

    placement = Placement.objects.filter(episode__case=case, ended_on__isnull=True).first()
    user = family_account(
        worker=worker,
        case=case,
        kind=Kind.RESOURCE_PARENT,
        provider=placement.provider,
        username="matrixresource",
    )
    out = io.BytesIO()
    Image.new("RGB", (4, 4), (10, 10, 200)).save(out, format="PNG")
    return journal.entry_post(
        actor=user,
        account=user.portal_account,
        case=case,
        child=placement.episode.child,
        text="A good day at the park.",
        photo=SimpleUploadedFile("park.png", out.getvalue(), content_type="image/png"),
    )
