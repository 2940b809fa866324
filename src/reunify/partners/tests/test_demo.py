from __future__ import annotations

import random

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from reunify.cases.tests.factories import open_case
from reunify.core import clock
from reunify.partners import demo
from reunify.partners.models import Mentor, Participation, PartnerContact, Status
from reunify.portal.tests.factories import family_account

pytestmark = pytest.mark.django_db


def test_demo_matches_the_mentor_with_the_demo_parent(caseworker, agency_admin):
    # given the portal demo's parent account
    case = open_case(worker=caseworker)
    family_account(worker=caseworker, case=case, username="parent")
    # when the partners demo runs (twice)
    made = demo.demo_partners(agency=caseworker.agency, as_of=clock.today(), rng=random.Random(1))
    again = demo.demo_partners(agency=caseworker.agency, as_of=clock.today(), rng=random.Random(1))
    # then three mentors, `mentor` signs in with the demo password and the fixed key, and is
    # matched with the parent, with consent and contacts; nothing is made twice
    assert len(made) == 3
    assert again == []
    mentor = Mentor.objects.get(user__username="mentor")
    assert mentor.user.check_password("reunify-demo")
    device = TOTPDevice.objects.get(user=mentor.user)
    assert device.key == demo.authenticator_key("mentor")
    participation = Participation.objects.get(case=case)
    assert (participation.status, participation.mentor_id) == (Status.ACTIVE, mentor.pk)
    assert PartnerContact.objects.filter(mentor=mentor).count() == 5
    assert not Mentor.objects.get(user__username="mentor-dana").user.has_usable_password()
