"""Family accounts: invitations, the second factor, the boundary to staff pages, and access that
follows the family's standing from the very next request (issue 7)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticToken

from reunify.accounts.models import Role
from reunify.accounts.permissions import is_staff_member
from reunify.cases import services as case_services
from reunify.cases.models import ParticipantRole, PlacementEndReason, PlacementSetting
from reunify.cases.tests.factories import ProviderFactory, open_case
from reunify.core import clock
from reunify.court import services as court_services
from reunify.portal import access, permissions, services
from reunify.portal.models import Invitation, Kind, PortalAccount
from reunify.portal.tests.factories import (
    PASSWORD,
    family_account,
    otp_client,
    parent_of,
)
from reunify.reminders import sms

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _empty_outboxes():
    sms.outbox.clear()
    yield
    sms.outbox.clear()


def _token(link: str) -> str:
    return link.rstrip("/").rsplit("/", 1)[-1]


def test_an_invitation_names_no_child_case_or_place_and_works_once(caseworker):
    case = open_case(worker=caseworker, name="Zyxinvite")
    parent = parent_of(case)
    _invitation, link = services.invitation_send(
        actor=caseworker,
        case=case,
        kind=Kind.PARENT,
        channel="email",
        email="rosa@example.org",
        person=parent,
    )
    assert Invitation.objects.get().token_hash != _token(link)  # only the hash is stored
    message = mail.outbox[-1]
    assert link in message.body
    assert "Zyxinvite" not in message.body + message.subject
    assert "Child0" not in message.body
    user = services.invitation_accept(token=_token(link), username="Rosa", password=PASSWORD)
    assert user.role == Role.PARENT
    assert user.username == "rosa"
    assert PortalAccount.objects.get(user=user).person == parent
    assert not is_staff_member(user)
    with pytest.raises(ValidationError):
        services.invitation_accept(token=_token(link), username="rosa2", password=PASSWORD)


def test_an_invitation_by_text_message_goes_through_the_sms_backend(caseworker):
    case = open_case(worker=caseworker)
    _invitation, link = services.invitation_send(
        actor=caseworker,
        case=case,
        kind=Kind.PARENT,
        channel="sms",
        phone="+13145550123",
        person=parent_of(case),
        language="es",
    )
    assert [m.to for m in sms.outbox] == ["+13145550123"]
    assert link in sms.outbox[0].body
    assert "Reunify" in sms.outbox[0].body


def test_expired_and_withdrawn_invitations_do_not_work(caseworker):
    case = open_case(worker=caseworker)
    _i, link = services.invitation_send(
        actor=caseworker,
        case=case,
        kind=Kind.PARENT,
        channel="email",
        email="a@example.org",
        person=parent_of(case),
    )
    with time_machine.travel(clock.now() + dt.timedelta(days=8)):
        assert services.invitation_for(_token(link)) is None
        assert Client().get(reverse("portal:join", args=[_token(link)])).status_code == 404
    invitation, link = services.invitation_send(
        actor=caseworker,
        case=case,
        kind=Kind.PARENT,
        channel="email",
        email="b@example.org",
        person=parent_of(case),
    )
    services.invitation_withdraw(actor=caseworker, invitation=invitation)
    assert services.invitation_for(_token(link)) is None


def test_who_can_be_invited(caseworker):
    case = open_case(worker=caseworker)  # the child was born in 2015: 11 years old
    child = case.participants.get(role=ParticipantRole.CHILD).person
    with pytest.raises(ValidationError) as error:
        services.invitation_send(
            actor=caseworker,
            case=case,
            kind=Kind.YOUTH,
            channel="email",
            email="y@example.org",
            person=child,
        )
    assert "14" in str(error.value)
    with pytest.raises(ValidationError):  # a child is not a parent
        services.invitation_send(
            actor=caseworker,
            case=case,
            kind=Kind.PARENT,
            channel="email",
            email="y@example.org",
            person=child,
        )
    former = ProviderFactory(agency=caseworker.agency)
    with pytest.raises(ValidationError):  # no child of the case lives with this family now
        services.invitation_send(
            actor=caseworker,
            case=case,
            kind=Kind.RESOURCE_PARENT,
            channel="email",
            email="r@example.org",
            provider=former,
        )
    assert not Invitation.objects.exists()


def test_joining_leads_to_the_authenticator_before_anything_is_shown(caseworker):
    case = open_case(worker=caseworker)
    _i, link = services.invitation_send(
        actor=caseworker,
        case=case,
        kind=Kind.PARENT,
        channel="email",
        email="a@example.org",
        person=parent_of(case),
    )
    client = Client()
    url = reverse("portal:join", args=[_token(link)])
    bad = client.post(url, {"username": "rosa", "password": "short", "password_again": "short"})
    assert bad.status_code == 400
    assert not PortalAccount.objects.exists()
    response = client.post(
        url, {"username": "rosa", "password": PASSWORD, "password_again": PASSWORD}
    )
    assert response.url == reverse("accounts:second-factor-setup")
    # Nothing else before the second factor is set up.
    home = client.get(reverse("portal:home"))
    assert home.status_code == 302
    assert "second-factor/setup" in home.url
    setup = client.get(reverse("accounts:second-factor-setup"))
    assert b"<svg" in setup.content
    user = PortalAccount.objects.get().user
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.get(user=user, confirmed=False)
    from django_otp.oath import totp

    code = f"{totp(device.bin_key):06d}"
    assert (
        client.post(reverse("accounts:second-factor-setup"), {"token": "000000"}).status_code == 400
    )
    done = client.post(reverse("accounts:second-factor-setup"), {"token": code})
    assert done.status_code == 200
    assert len(done.context["codes"]) == 10
    assert client.get(reverse("portal:home")).status_code == 200


def test_a_recovery_code_works_once(caseworker):
    case = open_case(worker=caseworker)
    user = family_account(worker=caseworker, case=case)
    client = Client()
    client.force_login(user)
    from django_otp.plugins.otp_static.models import StaticDevice

    static = StaticDevice.objects.create(user=user, name="recovery codes", confirmed=True)
    StaticToken.objects.create(device=static, token="12345678")
    assert client.post(reverse("accounts:second-factor"), {"code": "12345678"}).status_code == 302
    other = Client()
    other.force_login(user)
    assert other.post(reverse("accounts:second-factor"), {"code": "12345678"}).status_code == 400


def test_a_family_account_never_reaches_a_staff_page(caseworker):
    case = open_case(worker=caseworker)
    user = family_account(worker=caseworker, case=case)
    client = otp_client(user)
    assert client.get("/").url == reverse("portal:home")
    for path in [
        reverse("cases:case-detail", args=[case.pk]),
        reverse("clocks:due"),
        reverse("services:search"),
        reverse("court:calendar"),
        reverse("portal:invite", args=[case.pk]),
    ]:
        assert client.get(path).status_code == 404, path
    assert client.get(reverse("portal:home")).status_code == 200


def test_staff_second_factor_follows_the_agency_then_the_deployment(caseworker, settings):
    client = Client()
    client.force_login(caseworker)
    assert client.get(reverse("clocks:due")).status_code == 200
    caseworker.agency.staff_second_factor = True
    caseworker.agency.save()
    response = client.get(reverse("clocks:due"))
    assert response.status_code == 302
    assert "second-factor/setup" in response.url
    caseworker.agency.staff_second_factor = None
    caseworker.agency.save()
    settings.REUNIFY_STAFF_SECOND_FACTOR = True
    assert client.get(reverse("clocks:due")).status_code == 302
    settings.REUNIFY_STAFF_SECOND_FACTOR = False
    assert client.get(reverse("clocks:due")).status_code == 200


def test_access_follows_termination_no_contact_and_closure_from_the_next_request(caseworker):
    case = open_case(worker=caseworker)
    parent = parent_of(case)
    user = family_account(worker=caseworker, case=case)
    assert permissions.sections(user, case) == access.PARENT_ALL
    court_services.order_record(
        actor=caseworker,
        case=case,
        kind="no_contact",
        issued_on=clock.today(),
        text="No contact with the children.",
        parent=parent,
    )
    assert access.FAMILY_TIME not in permissions.sections(user, case)
    court_services.order_record(
        actor=caseworker,
        case=case,
        kind="tpr",
        issued_on=clock.today(),
        text="Parental rights terminated.",
        parent=parent,
    )
    assert permissions.sections(user, case) == frozenset()
    client = otp_client(user)
    assert b"nothing to show" in client.get(reverse("portal:home")).content


def test_a_former_resource_family_sees_nothing_new(caseworker):
    provider = ProviderFactory(agency=caseworker.agency)
    case = open_case(worker=caseworker)
    episode = case.episodes.get()
    case_services.placement_change(
        actor=caseworker,
        episode=episode,
        expected_version=episode.version,
        data=case_services.PlacementInput(
            setting=PlacementSetting.FOSTER_FAMILY_NONRELATIVE,
            started_on=clock.today(),
            provider=provider,
        ),
        end_reason=PlacementEndReason.CHILD_NEEDS,
    )
    user = family_account(
        worker=caseworker,
        case=case,
        kind=Kind.RESOURCE_PARENT,
        provider=provider,
        username="fosterparent",
    )
    assert permissions.sections(user, case) == access.RESOURCE_ALL
    episode.refresh_from_db()
    case_services.placement_change(
        actor=caseworker,
        episode=episode,
        expected_version=episode.version,
        data=case_services.PlacementInput(
            setting=PlacementSetting.FOSTER_FAMILY_NONRELATIVE,
            started_on=clock.today(),
            provider=ProviderFactory(agency=caseworker.agency),
        ),
        end_reason=PlacementEndReason.CHILD_NEEDS,
    )
    assert permissions.sections(user, case) == frozenset()


def test_the_worker_invites_from_the_case(client, caseworker):
    case = open_case(worker=caseworker)
    client.force_login(caseworker)
    url = reverse("portal:invite", args=[case.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "kind": "parent",
            "person": parent_of(case).pk,
            "channel": "email",
            "email": "rosa@example.org",
            "language": "es",
        },
    )
    assert response.status_code == 200
    assert response.context["link"]
    assert Invitation.objects.get().language == "es"
    refused = client.post(
        url, {"kind": "parent", "channel": "email", "email": "", "language": "en"}
    )
    assert refused.status_code == 400
    assert Invitation.objects.count() == 1
