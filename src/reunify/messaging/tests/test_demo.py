"""Demo messages: threads for cases with a family account, some answered late, one waiting."""

from __future__ import annotations

import datetime as dt
import random

import pytest

from reunify.cases.tests.factories import open_case
from reunify.core import clock
from reunify.messaging import response_time, selectors
from reunify.messaging.demo import demo_messages
from reunify.messaging.models import Message, Receipt, Thread
from reunify.portal.tests.factories import family_account

pytestmark = pytest.mark.django_db
AS_OF = dt.date(2026, 6, 3)  # a Wednesday


def test_without_family_accounts_the_demo_writes_nothing(caseworker):
    open_case(worker=caseworker)
    assert demo_messages(agency=caseworker.agency, as_of=AS_OF, rng=random.Random(1)) == 0
    assert not Thread.objects.exists()


def test_demo_threads_have_late_answers_and_exactly_one_waiting(caseworker):
    for n in range(8):
        family_account(worker=caseworker, case=open_case(worker=caseworker), username=f"p{n}")
    open_case(worker=caseworker)  # no family account: no thread

    written = demo_messages(agency=caseworker.agency, as_of=AS_OF, rng=random.Random(3))

    assert written == Message.objects.count() > 8
    assert Thread.objects.values("case").distinct().count() == 8
    assert Thread.objects.filter(awaiting_reply_since__isnull=False).count() == 1
    assert Receipt.objects.exists()
    zone = clock.agency_zone()
    found = [
        r
        for t in Thread.objects.all()
        for r in response_time.requests(
            response_time.Post(m.sent_at, m.from_family, m.sender_id) for m in t.messages.all()
        )
    ]
    late = [
        r
        for r in found
        if r.answered_at
        and response_time.business_time(r.asked_at, r.answered_at, zone)
        > response_time.BUSINESS_DAY
    ]
    assert late
    now = dt.datetime.combine(AS_OF, dt.time(12), tzinfo=zone)
    waiting, total = selectors.waiting_for(caseworker, now=now)
    assert total == 1
    assert waiting[0].business_hours > 0
