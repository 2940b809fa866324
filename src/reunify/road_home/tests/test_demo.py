"""The demo road home runs on cases without any assessment recorded, through the services."""

from __future__ import annotations

import datetime as dt
import random

import pytest
import time_machine

from reunify.cases.tests.factories import open_case
from reunify.road_home.demo import demo_road_home
from reunify.road_home.models import AftercarePlan, ThvStatus, TrialHomeVisit

pytestmark = pytest.mark.django_db


def test_demo_starts_visits_and_writes_aftercare(caseworker, supervisor):
    with time_machine.travel(dt.datetime(2026, 11, 1, 18, 0, tzinfo=dt.UTC), tick=False):
        for _ in range(6):
            open_case(worker=caseworker, opened_on=dt.date(2025, 11, 1))
        started = demo_road_home(
            agency=caseworker.agency, as_of=dt.date(2026, 11, 1), rng=random.Random(1)
        )
    assert started == 6
    assert TrialHomeVisit.objects.filter(status=ThvStatus.ACTIVE).count() == 4
    assert TrialHomeVisit.objects.filter(status=ThvStatus.CONVERTED).count() == 2
    assert AftercarePlan.objects.count() == 2
