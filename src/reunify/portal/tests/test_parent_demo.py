"""The demo's family accounts: made through invitations, signed in with the fixed authenticator."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from django.urls import reverse

from reunify.cases.models import ParticipantRole
from reunify.cases.tests.factories import open_case
from reunify.core import clock
from reunify.portal import demo
from reunify.portal.models import Invitation, Kind
from reunify.portal.tests.factories import otp_client

pytestmark = pytest.mark.django_db


def test_the_demo_makes_a_parent_and_a_youth_with_fixed_authenticator_keys(caseworker):
    case = open_case(worker=caseworker, children=2)
    child = case.participants.filter(role=ParticipantRole.CHILD).order_by("pk").last().person
    child.date_of_birth = dt.date(2010, 5, 1)
    child.save(update_fields=["date_of_birth"])
    made = demo.demo_portal(agency=caseworker.agency, as_of=clock.today(), rng=random.Random(1))
    assert sorted(u.username for u in made) == ["parent", "resource", "youth"]
    assert Invitation.objects.filter(accepted_at__isnull=False).count() == 3
    parent = next(u for u in made if u.username == "parent")
    assert parent.portal_account.kind == Kind.PARENT
    assert parent.totpdevice_set.get().key == demo.authenticator_key("parent")
    assert demo.authenticator_secret("parent") == demo.authenticator_secret("parent")
    assert len(demo.authenticator_secret("youth")) == 32
    assert parent.check_password("reunify-demo")
    assert otp_client(parent).get(reverse("portal:road-home", args=[case.pk])).status_code == 200
    youth = next(u for u in made if u.username == "youth")
    assert youth.portal_account.person == child
    assert otp_client(youth).get(reverse("portal:road-home", args=[case.pk])).status_code == 200
    # a second run makes nothing twice
    assert (
        demo.demo_portal(agency=caseworker.agency, as_of=clock.today(), rng=random.Random(1)) == []
    )
