"""The worker's week: sessions and hearings of the cases they may see, by local day across a
change of clocks, in the same number of queries for 5 sessions or 50."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reunify.court import services as court_services
from reunify.court.models import HearingKind
from reunify.family_time import schedule
from reunify.family_time.models import FamilyTimeSession
from reunify.family_time.tests.factories import make_plan

pytestmark = pytest.mark.django_db
CHICAGO = ZoneInfo("America/Chicago")
NOW = dt.datetime(2026, 3, 4, 15, 0, tzinfo=dt.UTC)  # Wednesday; clocks go forward Sunday 8 March
WEEK = dt.date(2026, 3, 2)


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(NOW, tick=False):
        yield


def add_session(plan, local: dt.datetime) -> FamilyTimeSession:
    """Test set-up: one session at a local wall-clock time."""
    return FamilyTimeSession.objects.create(
        plan=plan, starts_at=local, ends_at=local + dt.timedelta(hours=1)
    )


def test_days_follow_local_time_across_the_change_of_clocks(caseworker):
    plan = make_plan(worker=caseworker, weekdays=[2])  # Wednesdays 17:00, from 4 March
    add_session(plan, dt.datetime(2026, 3, 7, 23, 30, tzinfo=CHICAGO))  # Saturday, CST
    add_session(plan, dt.datetime(2026, 3, 8, 23, 30, tzinfo=CHICAGO))  # Sunday, CDT
    monday_early = add_session(plan, dt.datetime(2026, 3, 9, 0, 30, tzinfo=CHICAGO))  # CDT
    # 05:30 UTC on 9 March: Sunday 23:30 at the old offset, Monday 00:30 at the new one.
    assert monday_early.starts_at.astimezone(dt.UTC).hour == 5

    week = schedule.week_of(user=caseworker, start=WEEK, tz=CHICAGO)
    following = schedule.week_of(user=caseworker, start=dt.date(2026, 3, 11), tz=CHICAGO)

    days = {day.date: day.items for day in week.days}
    assert [d.weekday() for d in days] == list(range(7))
    assert len(days[dt.date(2026, 3, 4)]) == 1  # the plan's Wednesday session
    assert [i.starts_at.time() for i in days[dt.date(2026, 3, 7)]] == [dt.time(23, 30)]
    assert [i.starts_at.time() for i in days[dt.date(2026, 3, 8)]] == [dt.time(23, 30)]
    assert week.count == 3
    assert following.start == dt.date(2026, 3, 9)  # any day picks its Monday
    monday = following.days[0].items
    assert [i.starts_at.time() for i in monday] == [dt.time(0, 30)]
    assert monday[0].url == reverse("family_time:child", args=[plan.episode_id])


def test_hearings_sit_on_their_day_in_time_order(caseworker):
    plan = make_plan(worker=caseworker, weekdays=[3])  # Thursdays 17:00
    case = plan.episode.case
    court_services.hearing_schedule(
        actor=caseworker,
        case=case,
        kind=HearingKind.REVIEW,
        scheduled_for=dt.date(2026, 3, 5),
        scheduled_time=dt.time(9, 0),
    )
    court_services.hearing_schedule(
        actor=caseworker,
        case=case,
        kind=HearingKind.PERMANENCY,
        scheduled_for=dt.date(2026, 3, 6),
    )

    week = schedule.week_of(user=caseworker, start=WEEK, tz=CHICAGO)

    thursday = week.days[3].items
    assert [i.kind for i in thursday] == ["hearing", "session"]
    assert thursday[0].url == reverse("cases:case-detail", args=[case.pk]) + "#court"
    friday = week.days[4].items
    assert [(i.kind, i.starts_at) for i in friday] == [("hearing", None)]


def test_each_worker_sees_only_the_cases_they_may_see(
    client, caseworker, other_caseworker, supervisor, other_supervisor, agency_admin, foreign_admin
):
    mine = make_plan(worker=caseworker)
    theirs = make_plan(worker=other_caseworker)
    seen = {}
    for user in (
        caseworker,
        other_caseworker,
        supervisor,
        other_supervisor,
        agency_admin,
        foreign_admin,
    ):
        week = schedule.week_of(user=user, start=WEEK, tz=CHICAGO)
        seen[user.username] = {i.url for day in week.days for i in day.items}
    url = {p: reverse("family_time:child", args=[p.episode_id]) for p in (mine, theirs)}
    assert seen["cw"] == {url[mine]}
    assert seen["cw2"] == {url[theirs]}
    assert seen["sup"] == seen["adm"] == {url[mine], url[theirs]}
    assert seen["sup2"] == seen["adm-other"] == set()


def test_the_page_links_weeks_and_defaults_to_this_week(client, caseworker):
    plan = make_plan(worker=caseworker)
    child = plan.episode.child
    client.force_login(caseworker)

    page = client.get(reverse("family_time:week")).content.decode()
    bad = client.get(reverse("family_time:week") + "?start=nonsense")
    edge = client.get(reverse("family_time:week") + "?start=9999-12-31")

    assert "?start=2026-02-23" in page
    assert "?start=2026-03-09" in page
    assert child.full_name in page
    assert reverse("family_time:child", args=[plan.episode_id]) in page
    assert bad.status_code == 200
    assert edge.status_code == 200


def _queries_for_week(client, user) -> int:
    client.force_login(user)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("family_time:week") + "?start=2026-03-02")
    assert response.status_code == 200
    return len(queries)


def _caseload(worker, cases: int, sessions_per_case: int) -> None:
    for _ in range(cases):
        plan = make_plan(worker=worker, weekdays=[0])
        court_services.hearing_schedule(
            actor=worker, case=plan.episode.case, kind=HearingKind.REVIEW, scheduled_for=WEEK
        )
        for i in range(sessions_per_case - 1):
            add_session(plan, dt.datetime(2026, 3, 3 + i % 5, 10 + i // 5, 0, tzinfo=CHICAGO))


def test_queries_do_not_grow_with_the_caseload(client, caseworker, other_caseworker):
    _caseload(caseworker, cases=1, sessions_per_case=5)
    _caseload(other_caseworker, cases=5, sessions_per_case=10)
    small = _queries_for_week(client, caseworker)
    large = _queries_for_week(client, other_caseworker)
    assert schedule.week_of(user=other_caseworker, start=WEEK, tz=CHICAGO).count == 55
    assert large == small
