"""Demo assessments: recorded through the services, with a mix of what practice produces."""

import datetime as dt
import random

import pytest
import time_machine

from reunify.assessments.demo import demo_assessments
from reunify.assessments.models import ConditionForReturn, Response, ResponseChild
from reunify.cases.tests.factories import open_case

pytestmark = pytest.mark.django_db
AS_OF = dt.date(2026, 11, 1)


def test_demo_assessments_record_every_instrument_and_a_mix_of_outcomes(caseworker):
    with time_machine.travel(dt.datetime(2026, 11, 2, 15, tzinfo=dt.UTC), tick=False):
        for _ in range(40):
            open_case(worker=caseworker)

        written = demo_assessments(agency=caseworker.agency, as_of=AS_OF, rng=random.Random(3))

    assert written == Response.objects.count() > 20
    assert set(Response.objects.values_list("instrument_key", flat=True)) >= {
        "in_home_safety_analysis",
        "reunification_assessment",
        "return_home_review",
        "family_functioning",
        "protective_factors",
    }
    outcomes = set(ResponseChild.objects.exclude(outcome="").values_list("outcome", flat=True))
    assert len(outcomes) >= 2
    statuses = set(ConditionForReturn.objects.values_list("status", flat=True))
    assert statuses == {"open", "met"}
