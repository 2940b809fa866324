"""Unit and agency family-time rates, the agency's level names and the rolling schedule."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from reunify.cases.models import FamilyCase, Placement
from reunify.cases.tests.factories import ProviderFactory, open_case
from reunify.core import clock
from reunify.core.models import AuditEvent
from reunify.family_time import selectors, services
from reunify.family_time.models import (
    FamilyTimePlan,
    FamilyTimeSession,
    Level,
    LevelName,
    LocationType,
    PlanKind,
    SessionStatus,
)
from reunify.family_time.tests.factories import TODAY, make_plan, parents_of, visitation_order

pytestmark = pytest.mark.django_db


def _plan(worker, episode, kind, participants):
    return services.plan_create(
        actor=worker,
        episode=episode,
        kind=kind,
        level=Level.SUPERVISED,
        weekdays=[2],
        start_time=dt.time(17),
        duration_minutes=60,
        location_type=LocationType.AGENCY_ROOM,
        effective_from=dt.date(2026, 1, 12),
        participants=participants,
        today=dt.date(2026, 1, 12),
    )


def _held(plan: FamilyTimePlan, day: dt.date) -> None:
    starts = dt.datetime.combine(day, dt.time(17), tzinfo=clock.agency_zone())
    FamilyTimeSession.objects.create(
        plan=plan,
        starts_at=starts,
        ends_at=starts + dt.timedelta(hours=1),
        status=SessionStatus.HELD,
    )


def test_parent_and_sibling_rates_over_full_months(caseworker, django_assert_num_queries):
    case = open_case(worker=caseworker, children=2, opened_on=dt.date(2026, 1, 10))
    first, second = case.episodes.select_related("child").order_by("child__date_of_birth")
    # The second child moves to another family: the siblings live apart from then on.
    Placement.objects.filter(episode=second).update(
        provider=ProviderFactory(agency=caseworker.agency)
    )
    parents = _plan(caseworker, first, PlanKind.PARENT, parents_of(case))
    siblings = _plan(caseworker, first, PlanKind.SIBLING, [second.child])
    FamilyTimeSession.objects.all().delete()  # only the sessions below
    _held(parents, dt.date(2026, 2, 4))
    _held(parents, dt.date(2026, 2, 11))  # a second in the same month counts once
    _held(siblings, dt.date(2026, 3, 4))
    _held(parents, dt.date(2026, 4, 1))  # after the period
    cases = FamilyCase.objects.filter(pk=case.pk)
    with django_assert_num_queries(3):
        report = selectors.family_time_rates(
            cases=cases,
            start=dt.date(2026, 2, 1),
            end=dt.date(2026, 3, 31),
            today=dt.date(2026, 4, 15),
            tz=clock.agency_zone(),
        )
    rates = report.rates
    # Two children, February and March each (January was partial): four child-months.
    assert (rates.months, rates.parent_visited) == (4, 1)
    assert (rates.sibling_months, rates.sibling_visited) == (4, 1)
    assert (rates.parent_rate, rates.sibling_rate) == (25.0, 25.0)
    assert [w.pk for w, _ in report.workers] == [caseworker.pk]


def test_siblings_in_the_same_home_are_not_in_the_sibling_denominator(caseworker):
    case = open_case(worker=caseworker, children=2, opened_on=dt.date(2026, 1, 10))
    report = selectors.family_time_rates(
        cases=FamilyCase.objects.filter(pk=case.pk),
        start=dt.date(2026, 2, 1),
        end=dt.date(2026, 2, 28),
        today=dt.date(2026, 4, 15),
        tz=clock.agency_zone(),
    )
    assert (report.rates.months, report.rates.sibling_months) == (2, 0)
    assert report.rates.sibling_rate is None


def test_unit_compliance_page_shows_family_time_rates(client, supervisor, caseworker):
    open_case(worker=caseworker, opened_on=dt.date(2025, 12, 1))
    client.force_login(supervisor)
    response = client.get(
        reverse("contacts:unit-compliance", args=[supervisor.unit_id]),
        {"start": "2026-01-01", "end": "2026-01-31"},
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert "Family time with parents" in text
    assert "Family time with siblings placed apart" in text


# ---- the agency's names for the levels --------------------------------------------------------


def test_agency_names_replace_the_defaults_in_each_language(agency, other_unit):
    LevelName.objects.create(
        agency=agency, level=Level.MONITORED, name_en="Coached", name_es="Con coaching"
    )
    LevelName.objects.create(agency=agency, level=Level.SUPERVISED, name_en="", name_es="Vigilada")
    names = selectors.level_names(agency.pk)
    assert names[Level.MONITORED] == "Coached"
    assert names[Level.SUPERVISED] == "Supervised"  # no English name: the default
    with translation.override("es"):
        names = selectors.level_names(agency.pk)
    assert (names[Level.MONITORED], names[Level.SUPERVISED]) == ("Con coaching", "Vigilada")
    assert selectors.level_choices(agency.pk)[0][0] == Level.SUSPENDED


def test_a_floor_refusal_uses_the_agencys_names(caseworker):
    LevelName.objects.create(agency=caseworker.agency, level=Level.SUPERVISED, name_en="Level 3")
    case = open_case(worker=caseworker)
    order = visitation_order(case, caseworker)
    plan = make_plan(worker=caseworker, case=case, court_floor=Level.SUPERVISED, court_order=order)
    with pytest.raises(ValidationError) as error:
        services.level_propose(
            actor=caseworker,
            plan=plan,
            expected_version=plan.version,
            to_level=Level.UNSUPERVISED_DAY,
            reason="Going well",
        )
    assert "no less supervision than Level 3" in str(error.value)


def test_level_names_page_saves_for_admins_only(client, agency_admin, caseworker):
    url = reverse("family_time:level-names")
    client.force_login(caseworker)
    assert client.get(url).status_code == 403
    client.force_login(agency_admin)
    assert client.get(url).status_code == 200
    data = {f"{level}-name_en": "" for level in Level.values}
    data |= {f"{level}-name_es": "" for level in Level.values}
    data["monitored-name_en"] = "Coached"
    data["monitored-name_es"] = "Con coaching"
    response = client.post(url, data)
    assert response.status_code == 302
    assert selectors.level_names(agency_admin.agency_id)[Level.MONITORED] == "Coached"
    assert AuditEvent.objects.filter(action="family_time.level_names_changed").count() == 1
    data["monitored-name_en"] = "x" * 61
    response = client.post(url, data)
    assert response.status_code == 400
    assert selectors.level_names(agency_admin.agency_id)[Level.MONITORED] == "Coached"


# ---- the rolling schedule ---------------------------------------------------------------------


def test_nightly_extension_keeps_eight_weeks_ahead_and_spares_edited_sessions(caseworker):
    plan = make_plan(worker=caseworker)  # Wednesdays, 4 March to 22 April
    first = plan.sessions.order_by("starts_at").first()
    FamilyTimeSession.objects.filter(pk=first.pk).update(
        status=SessionStatus.CANCELLED, cancelled_by="agency", cancel_reason="Office closed"
    )
    later = TODAY + dt.timedelta(weeks=2)
    added = services.schedules_extend(today=later)
    assert added == 2  # 29 April and 6 May
    local = [
        s.astimezone(clock.agency_zone()).date()
        for s in plan.sessions.values_list("starts_at", flat=True)
    ]
    assert local[-1] == dt.date(2026, 5, 6)
    assert len(local) == len(set(local)) == 10
    assert plan.sessions.get(pk=first.pk).status == SessionStatus.CANCELLED
    assert services.schedules_extend(today=later) == 0  # idempotent
    assert AuditEvent.objects.filter(action="family_time.schedules_extended").count() == 1


def test_lifting_a_suspension_schedules_again(caseworker, supervisor):
    plan = make_plan(worker=caseworker, level=Level.SUSPENDED)
    assert plan.sessions.count() == 0
    assert services.schedules_extend(today=TODAY) == 0  # suspended plans stay empty
    change = services.level_propose(
        actor=caseworker,
        plan=plan,
        expected_version=plan.version,
        to_level=Level.THERAPEUTIC_SUPERVISED,
        reason="Therapist recommends resuming",
    )
    plan.refresh_from_db()
    with time_machine.travel(dt.datetime(2026, 3, 2, 15, tzinfo=dt.UTC)):
        services.level_approve(actor=supervisor, change=change, expected_version=plan.version)
    assert plan.sessions.count() == 8
