"""Reminder test data, built through the real services."""

from __future__ import annotations

import datetime as dt

from reunify.cases.models import FamilyCase
from reunify.cases.tests.factories import open_case
from reunify.family_time.models import FamilyTimePlan, FamilyTimeSession
from reunify.family_time.tests.factories import TODAY, episode_of, make_plan, parents_of
from reunify.reminders import services
from reunify.reminders.models import Subscription

# Tuesday 3 March 2026, 17:30 in Chicago (CST). The plans of `make_plan` meet on Wednesdays at
# 17:00, so the first session (4 March, 23:00 UTC) starts 23.5 hours from now.
NOW = dt.datetime(2026, 3, 3, 23, 30, tzinfo=dt.UTC)
FIRST_SESSION = dt.datetime(2026, 3, 4, 23, 0, tzinfo=dt.UTC)
PHONE = "+13145550123"


def plan_for(worker, case: FamilyCase | None = None, **overrides) -> FamilyTimePlan:
    case = case or open_case(worker=worker, today=TODAY)
    return make_plan(worker=worker, case=case, **overrides)


def first_session(plan: FamilyTimePlan) -> FamilyTimeSession:
    return plan.sessions.order_by("starts_at").first()


def subscribe(
    worker, plan: FamilyTimePlan, *, provider=None, channel="sms", destination=PHONE, **extra
) -> Subscription:
    episode = episode_of(plan.episode.case)
    person = None if provider else extra.pop("person", parents_of(plan.episode.case)[0])
    return services.subscription_add(
        actor=worker,
        episode=episode,
        person=person,
        provider=provider,
        channel=channel,
        destination=destination,
        language=extra.pop("language", "en"),
        consent=extra.pop("consent", True),
        now=NOW - dt.timedelta(days=1),
    )
