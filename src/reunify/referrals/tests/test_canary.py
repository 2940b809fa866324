"""Nothing the parent did not consent to share reaches the provider: canary strings planted in
the parent's address, the resource family's name and address, the case number, the child's
name and the other parent, and searched for in the provider's page and the referral e-mail."""

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.urls import reverse

from reunify.cases.models import CaseParticipant, ParticipantRole, Placement
from reunify.people.models import Address, Person
from reunify.referrals import rules, services
from reunify.referrals.tests.factories import NOW, child_of, consent, draft, parent_of

pytestmark = pytest.mark.django_db

PARENT_ADDRESS = "Qcanaryparentstreet"
PROVIDER_ADDRESS = "Qcanaryfosterstreet"
PROVIDER_NAME = "Qcanaryfosterfamily"
CASE_NUMBER = "QCANARY-42"
CHILD_NAME = "Qcanarychild"
OTHER_PARENT = "Qcanaryotherparent"
PHONE = "314-555-0177"
REASON = "Qcanaryreason"


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(NOW, tick=False):
        yield


def _plant(case) -> None:
    parent = parent_of(case)
    Address.objects.filter(pk=parent.address_id).update(line1=PARENT_ADDRESS)
    Person.objects.filter(pk=parent.pk).update(phone=PHONE, email="rosa@example.invalid")
    placement = Placement.objects.filter(episode__case=case).select_related("provider").first()
    provider = placement.provider
    type(provider).objects.filter(pk=provider.pk).update(name=PROVIDER_NAME)
    Address.objects.filter(pk=provider.address_id).update(line1=PROVIDER_ADDRESS)
    child = child_of(case)
    # The child's own address is the foster home's: it must never be read for the provider.
    Person.objects.filter(pk=child.pk).update(
        first_name=CHILD_NAME, address_id=provider.address_id, phone="314-555-0999"
    )
    other = Person.objects.create(agency=case.agency, first_name="Ed", last_name=OTHER_PARENT)
    CaseParticipant.objects.create(
        case=case, person=other, role=ParticipantRole.PARENT, added_on=case.opened_on
    )
    type(case).objects.filter(pk=case.pk).update(number=CASE_NUMBER)


def _what_the_provider_sees(caseworker, *, person, fields) -> str:
    referral = draft(caseworker, case=person["case"], person=person["who"], reason=REASON)
    consent(caseworker, referral, fields=fields)
    result = services.referral_send(
        actor=caseworker, referral=referral, expected_version=1, to="intake@provider.example"
    )
    page = Client().get(reverse("referrals:provider", args=[result.token]))
    assert page.status_code == 200
    (message,) = mail.outbox
    return page.content.decode() + message.subject + message.body


@pytest.mark.parametrize("who", ["parent", "child"])
def test_nothing_outside_the_consent_reaches_the_provider(caseworker, who):
    from reunify.cases.tests.factories import open_case

    case = open_case(worker=caseworker)
    _plant(case)
    person = {"case": case, "who": parent_of(case) if who == "parent" else child_of(case)}

    seen = _what_the_provider_sees(caseworker, person=person, fields=[rules.PHONE])

    assert PHONE in seen  # the one consented field is there
    for canary in (
        PARENT_ADDRESS,
        PROVIDER_ADDRESS,
        PROVIDER_NAME,
        CASE_NUMBER,
        OTHER_PARENT,
        REASON,
    ):
        assert canary not in seen, canary
    assert CHILD_NAME not in seen
    assert "314-555-0999" not in seen  # the child's (foster home's) phone


def test_with_full_consent_for_a_child_the_foster_home_still_never_shows(caseworker):
    from reunify.cases.tests.factories import open_case

    case = open_case(worker=caseworker)
    _plant(case)

    seen = _what_the_provider_sees(
        caseworker, person={"case": case, "who": child_of(case)}, fields=rules.SHAREABLE
    )

    assert PARENT_ADDRESS in seen
    assert CHILD_NAME in seen
    assert REASON in seen
    for canary in (PROVIDER_ADDRESS, PROVIDER_NAME, CASE_NUMBER, OTHER_PARENT, "314-555-0999"):
        assert canary not in seen, canary


def test_revoked_consent_stops_showing_the_fields(caseworker):
    from reunify.cases.tests.factories import open_case

    case = open_case(worker=caseworker)
    _plant(case)
    referral = draft(caseworker, case=case, reason=REASON)
    consent(caseworker, referral, fields=rules.SHAREABLE)
    result = services.referral_send(
        actor=caseworker, referral=referral, expected_version=1, to="intake@provider.example"
    )
    url = reverse("referrals:provider", args=[result.token])
    assert PARENT_ADDRESS in Client().get(url).content.decode()

    services.consent_revoke(actor=caseworker, referral=referral)
    html = Client().get(url).content.decode()

    for canary in (PARENT_ADDRESS, PHONE, REASON, "Rosa"):
        assert canary not in html, canary
    assert "has not agreed to share" in html
