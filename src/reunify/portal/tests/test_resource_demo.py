"""The demo's resource-family account: the family a child of the demo parent's case lives with,
with journal entries both ways that each side reads, and the family's surname kept back."""

from __future__ import annotations

import random

import pytest
from django.urls import reverse

from reunify.cases.models import Placement
from reunify.cases.tests.factories import open_case
from reunify.core import clock
from reunify.portal import demo
from reunify.portal.models import JournalEntry, Kind
from reunify.portal.tests.factories import otp_client

pytestmark = pytest.mark.django_db


def test_the_demo_makes_a_resource_family_with_a_journal(caseworker):
    case = open_case(worker=caseworker)
    made = demo.demo_portal(agency=caseworker.agency, as_of=clock.today(), rng=random.Random(1))
    resource = next(u for u in made if u.username == "resource")
    parent = next(u for u in made if u.username == "parent")
    placement = Placement.objects.get(episode__case=case, ended_on__isnull=True)
    assert resource.portal_account.kind == Kind.RESOURCE_PARENT
    assert resource.portal_account.provider == placement.provider
    assert resource.totpdevice_set.get().key == demo.authenticator_key("resource")
    assert resource.check_password("reunify-demo")
    assert set(JournalEntry.objects.values_list("side", flat=True)) == {
        "parent",
        "resource_family",
    }
    url = reverse("portal:journal", args=[case.pk, placement.episode.child.pk])
    family_page = otp_client(resource).get(url).content.decode()
    assert "favourite" in family_page
    assert "(parent)" in family_page
    parent_page = otp_client(parent).get(url).content.decode()
    assert "Sam (resource family)" in parent_page
    assert placement.provider.name not in parent_page
