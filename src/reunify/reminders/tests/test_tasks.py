"""The scheduler enqueues the reminders every 15 minutes, the worker sends them, and
`reunify reminders-send` does the same once by hand."""

import datetime as dt
import io

import pytest
import time_machine
from django.core.management import call_command

from reunify.clocks.models import SchedulerRun
from reunify.reminders import sms
from reunify.reminders.models import Reminder, Subscription
from reunify.reminders.tests.factories import NOW, PHONE, plan_for, subscribe


def _scheduler() -> str:
    out = io.StringIO()
    call_command("scheduler", "--once", "--hour", "23", stdout=out)
    return out.getvalue()


# The worker closes its database connection as a real worker does, so this test commits.
@pytest.mark.django_db(transaction=True)
def test_the_scheduler_enqueues_reminders_once_per_quarter_hour_and_the_worker_sends(caseworker):
    plan = plan_for(caseworker)
    subscribe(caseworker, plan)

    with time_machine.travel(NOW + dt.timedelta(minutes=1), tick=False):  # 23:31 UTC
        first = _scheduler()
        second = _scheduler()
        call_command("db_worker", "--batch", "--no-startup-delay")
    with time_machine.travel(NOW + dt.timedelta(minutes=16), tick=False):  # the next slot
        third = _scheduler()

    assert "Enqueued the reminders of 2026-03-03 23:30 UTC." in first
    assert second == ""
    assert "2026-03-03 23:45 UTC" in third
    assert "nightly" not in first  # before the nightly hour (23:00 in Chicago)
    assert sorted(SchedulerRun.objects.values_list("name", flat=True)) == [
        "reminders 23:30",
        "reminders 23:45",
    ]
    assert [m.to for m in sms.outbox] == [PHONE]


@pytest.mark.django_db
def test_the_command_sends_once_and_prints_counts(caseworker):
    plan = plan_for(caseworker)
    subscribe(caseworker, plan)
    out = io.StringIO()

    with time_machine.travel(NOW, tick=False):
        call_command("reminders-send", stdout=out)
        call_command("reminders-send", stdout=out)

    assert out.getvalue().splitlines() == [
        "Reminders: 1 planned, 1 sent, 0 failed, 0 skipped.",
        "Reminders: 0 planned, 0 sent, 0 failed, 0 skipped.",
    ]
    assert len(sms.outbox) == 1


@pytest.mark.django_db
def test_demo_reminders_are_valid_and_varied():
    from reunify.cases.demo import demo_agency_create

    as_of = dt.date(2026, 11, 1)
    agency = demo_agency_create(cases=30, seed=3, as_of=as_of)  # calls demo_reminders

    subscriptions = Subscription.objects.filter(episode__case__agency=agency)
    assert Reminder.objects.filter(subscription__in=subscriptions).count() > 0
    assert subscriptions.filter(language="es").exists()
    assert subscriptions.filter(language="en").exists()
    assert subscriptions.filter(provider__isnull=False).exists()
    assert Reminder.objects.exclude(response="").exists()
    assert Reminder.objects.filter(response="").exists()
    for model in (Subscription, Reminder):
        for obj in model.objects.all()[:50]:
            obj.full_clean()
