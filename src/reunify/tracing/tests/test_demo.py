from __future__ import annotations

import random

import pytest

from reunify.cases.tests.factories import UserFactory
from reunify.core import clock
from reunify.tracing import demo
from reunify.tracing.models import CandidateMatch, SeparatedChild, TracingRequest

pytestmark = pytest.mark.django_db


def test_demo_records_in_every_state(caseworker, other_caseworker, supervisor, other_unit):
    # given two caseworkers and two supervisors
    UserFactory(unit=other_unit, role="supervisor")
    # when the demo runs (twice)
    for _ in range(2):
        demo.demo_tracing(agency=caseworker.agency, as_of=clock.today(), rng=random.Random(3))
    # then a dozen children (one without consent), ten requests, candidates in several states,
    # one child reunified with the follow-up still to do
    assert SeparatedChild.objects.count() == demo.CHILDREN
    assert TracingRequest.objects.count() == demo.REQUESTS
    unconsented = SeparatedChild.objects.get(consent_given=False)
    assert not CandidateMatch.objects.filter(child=unconsented).exists()
    statuses = set(CandidateMatch.objects.values_list("status", flat=True))
    assert {"proposed", "verified", "confirmed", "rejected"} <= statuses
    reunified = SeparatedChild.objects.get(status="reunified")
    assert not reunified.follow_ups.exists()
