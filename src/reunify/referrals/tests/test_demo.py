"""Demo referrals: every state, with barriers, consent and attendance, within the constraints."""

import datetime as dt
import random

import pytest

from reunify.cases.tests.factories import open_case
from reunify.referrals import rules
from reunify.referrals.demo import demo_referrals
from reunify.referrals.models import Attendance, Barrier, Consent, ProviderLink, Referral
from reunify.services.tests.factories import make_service

pytestmark = pytest.mark.django_db
AS_OF = dt.date(2026, 6, 1)


def test_demo_referrals_cover_every_state(caseworker):
    for _ in range(60):
        open_case(worker=caseworker)
    for n in range(5):
        make_service(caseworker.agency, name=f"Service {n}")

    written = demo_referrals(agency=caseworker.agency, as_of=AS_OF, rng=random.Random(4))

    assert written == Referral.objects.count() > 60
    assert set(Referral.objects.values_list("status", flat=True)) == set(rules.STATUSES)
    assert Barrier.objects.exists()
    assert Attendance.objects.exists()
    assert Consent.objects.count() >= Referral.objects.exclude(status="draft").count()
    assert ProviderLink.objects.count() == Referral.objects.filter(sent_at__isnull=False).count()


def test_without_a_directory_the_demo_writes_nothing(caseworker):
    open_case(worker=caseworker)

    assert demo_referrals(agency=caseworker.agency, as_of=AS_OF, rng=random.Random(1)) == 0
    assert not Referral.objects.exists()
