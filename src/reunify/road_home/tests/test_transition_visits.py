"""Transition visits are family-time sessions of the child's plan with the parents (what the trial
home visit counts, what the family-time page and the reminders show), and a prepared visit's
household adults and safety actions can be corrected or removed, a started one's actions changed
but not removed (ADR 0010)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from reunify.cases import road_home as rules
from reunify.cases.tests.factories import open_case
from reunify.core.models import AuditEvent
from reunify.family_time import services as family_time_services
from reunify.family_time.models import FamilyTimeSession, SessionKind, SessionStatus
from reunify.reminders import services as reminder_services
from reunify.reminders.models import Reminder
from reunify.reminders.tests.factories import subscribe
from reunify.road_home import selectors, services
from reunify.road_home.models import HouseholdAdult, SafetyAction, TransitionVisit
from reunify.road_home.tests.factories import (
    START,
    at,
    episode_of,
    family_time_plan,
    prepared_thv,
    started_thv,
    transition_visit,
)

NOW = dt.datetime(2026, 9, 26, 18, 0, tzinfo=dt.UTC)  # a Saturday, before the visits below
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def case(caseworker):
    return open_case(worker=caseworker)


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _changes() -> int:
    return AuditEvent.objects.filter(kind=AuditEvent.Kind.CHANGE).count()


# ---- transition visits -----------------------------------------------------------------------


def test_a_transition_visit_is_a_session_of_the_parent_plan_that_the_visit_counts(caseworker, case):
    # given a prepared visit without transition visits, and the child's plan with the parents
    thv = prepared_thv(worker=caseworker, case=case, visit=False)
    plan = family_time_plan(worker=caseworker, case=case)
    assert rules.NO_TRANSITION_SESSIONS in selectors.thv_readiness(thv, on=START).problems
    # when an overnight at home is planned
    visit = transition_visit(worker=caseworker, thv=thv, note="Friday night at the new flat")
    # then it is a transition session of that plan, overnight, and the visit counts it
    session = visit.session
    assert (session.plan, session.kind, session.status) == (
        plan,
        SessionKind.TRANSITION,
        SessionStatus.SCHEDULED,
    )
    assert session.ends_at - session.starts_at == dt.timedelta(hours=17)
    assert session.note == "Friday night at the new flat"
    assert selectors.transition_sessions(thv).get() == session
    assert selectors.thv_readiness(thv, on=START).problems == []
    assert AuditEvent.objects.filter(action="family_time.session_added").count() == 1
    # and it is on the child's family-time page, marked as a transition visit
    page = _client(caseworker).get(reverse("family_time:child", args=[plan.episode_id]))
    body = page.content.decode()
    assert "Transition visit" in body
    assert "Friday night at the new flat" in body


def test_a_transition_visit_cancelled_on_the_family_time_page_no_longer_counts(caseworker, case):
    thv = prepared_thv(worker=caseworker, case=case)
    session = TransitionVisit.objects.get(thv=thv).session
    family_time_services.session_record(
        actor=caseworker,
        session=session,
        expected_version=session.version,
        status=SessionStatus.CANCELLED,
        cancelled_by="parent",
        cancel_reason="The flat is not ready",
    )
    problems = selectors.thv_readiness(thv, on=START).problems
    assert problems == [rules.NO_TRANSITION_SESSIONS]


def test_no_plan_with_the_parents_is_refused_naming_what_to_do(caseworker, case):
    thv = prepared_thv(worker=caseworker, case=case, visit=False)
    before = (_changes(), FamilyTimeSession.objects.count(), thv.version)
    with pytest.raises(ValidationError) as error:
        transition_visit(worker=caseworker, thv=thv)
    child = episode_of(case).child.full_name
    assert error.value.messages == [services.NO_PARENT_PLAN % {"child": child}]
    thv.refresh_from_db()
    assert (_changes(), FamilyTimeSession.objects.count(), thv.version) == before
    assert not TransitionVisit.objects.exists()


@pytest.mark.parametrize(
    ("kind", "starts", "ends", "message"),
    [
        ("day", (27, 10), (28, 10), services.DAY_VISIT_SAME_DAY),
        ("overnight", (27, 10), (27, 16), services.STAY_ENDS_LATER),
        # the plan meets on Wednesdays at 5 p.m.: 30 September is a Wednesday
        ("day", (30, 16), (30, 18), None),
        ("day", (30, 18), (30, 17), None),
    ],
)
def test_bad_transition_visits_are_refused_and_change_nothing(
    caseworker, case, kind, starts, ends, message
):
    thv = prepared_thv(worker=caseworker, case=case, visit=False)
    family_time_plan(worker=caseworker, case=case)
    before = (_changes(), FamilyTimeSession.objects.count())
    with pytest.raises(ValidationError) as error:
        transition_visit(
            worker=caseworker,
            thv=thv,
            kind=kind,
            starts_at=at(dt.date(2026, 9, starts[0]), starts[1]),
            ends_at=at(dt.date(2026, 9, ends[0]), ends[1]),
        )
    if message:
        assert error.value.messages == [message]
    assert (_changes(), FamilyTimeSession.objects.count()) == before


def test_the_overlap_refusal_names_the_session_in_the_way(caseworker, case):
    thv = prepared_thv(worker=caseworker, case=case, visit=False)
    family_time_plan(worker=caseworker, case=case)
    with pytest.raises(ValidationError) as error:
        transition_visit(
            worker=caseworker,
            thv=thv,
            kind="day",
            starts_at=at(dt.date(2026, 9, 30), 16),
            ends_at=at(dt.date(2026, 9, 30), 18),
        )
    assert "Sept. 30, 2026, 5 p.m." in error.value.messages[0]


def test_reminders_pick_up_a_transition_visit_for_those_who_agreed(caseworker, case):
    # given an overnight at home and the mother who agreed to reminders by text message
    thv = prepared_thv(worker=caseworker, case=case, visit=False)
    plan = family_time_plan(worker=caseworker, case=case)
    assert reminder_services.reminders_plan(now=NOW) == 0
    visit = transition_visit(
        worker=caseworker,
        thv=thv,
        starts_at=at(dt.date(2026, 9, 27), 10),
        ends_at=at(dt.date(2026, 9, 28), 10),
    )
    subscribe(caseworker, plan)
    # when the reminders are planned the day before
    created = reminder_services.reminders_plan(now=NOW)
    # then the transition session has its reminder
    assert created == 1
    assert Reminder.objects.get().session == visit.session


def test_the_week_schedule_is_not_stopped_by_a_transition_visit_far_ahead(caseworker, case):
    thv = prepared_thv(worker=caseworker, case=case, visit=False)
    plan = family_time_plan(worker=caseworker, case=case)  # 8 weeks of Wednesdays from 1 Sept.
    far = dt.date(2026, 12, 5)  # a Saturday, weeks past the last scheduled Wednesday
    transition_visit(
        worker=caseworker,
        thv=thv,
        kind="weekend",
        starts_at=at(far, 10),
        ends_at=at(far + dt.timedelta(days=1), 18),
    )
    regular = plan.sessions.filter(kind=SessionKind.REGULAR)
    before = regular.count()
    family_time_services.schedules_extend(today=dt.date(2026, 10, 14))
    assert regular.count() > before
    assert plan.sessions.filter(kind=SessionKind.TRANSITION).count() == 1


# ---- household adults and safety actions -----------------------------------------------------


def test_a_prepared_visits_adult_is_corrected_then_removed(caseworker, case):
    thv = prepared_thv(worker=caseworker, case=case)
    adult = thv.adults.get()
    adult = services.household_adult_edit(
        actor=caseworker,
        adult=adult,
        name="Luis Ortega Ruiz",
        relationship="Stepfather",
        background_check="pending",
    )
    assert (adult.name, adult.relationship, adult.checked_on) == (
        "Luis Ortega Ruiz",
        "Stepfather",
        None,
    )
    assert AuditEvent.objects.filter(action="road_home.household_adult_edited").count() == 1
    services.household_adult_remove(actor=caseworker, adult=adult)
    assert not HouseholdAdult.objects.exists()
    assert AuditEvent.objects.filter(action="road_home.household_adult_removed").count() == 1


@pytest.mark.parametrize("change", ["edit", "remove"])
def test_a_started_visits_adults_stay_as_they_were(caseworker, case, change):
    with time_machine.travel(dt.datetime(2026, 11, 1, 18, 0, tzinfo=dt.UTC), tick=False):
        thv = started_thv(worker=caseworker, case=case)
    adult = thv.adults.get()
    before = (_changes(), list(HouseholdAdult.objects.values_list("name", "relationship")))
    calls = {
        "edit": lambda: services.household_adult_edit(
            actor=caseworker,
            adult=adult,
            name="Someone else",
            relationship="Lodger",
            background_check="pending",
        ),
        "remove": lambda: services.household_adult_remove(actor=caseworker, adult=adult),
    }
    with pytest.raises(ValidationError) as error:
        calls[change]()
    assert error.value.messages == [services.ADULTS_OF_STARTED_THV]
    assert (_changes(), list(HouseholdAdult.objects.values_list("name", "relationship"))) == before


def test_a_started_visits_safety_action_is_changed_but_not_removed(caseworker, case):
    with time_machine.travel(dt.datetime(2026, 11, 1, 18, 0, tzinfo=dt.UTC), tick=False):
        thv = started_thv(worker=caseworker, case=case)
    step = thv.safety_plan.actions.get()
    step = services.safety_action_edit(
        actor=caseworker,
        action=step,
        text="No alcohol in the home",
        responsible_adult="Rosa",
        how_checked="Unannounced visit twice a week",
    )
    assert step.how_checked == "Unannounced visit twice a week"
    assert AuditEvent.objects.filter(action="road_home.safety_action_edited").count() == 1
    before = _changes()
    with pytest.raises(ValidationError) as error:
        services.safety_action_remove(actor=caseworker, action=step)
    assert error.value.messages == [services.ACTION_OF_STARTED_THV]
    assert SafetyAction.objects.filter(pk=step.pk).exists()
    assert _changes() == before


def test_a_prepared_visits_safety_action_is_removed_and_the_visit_no_longer_ready(caseworker, case):
    thv = prepared_thv(worker=caseworker, case=case)
    step = thv.safety_plan.actions.get()
    services.safety_action_remove(actor=caseworker, action=step)
    assert not SafetyAction.objects.exists()
    assert rules.NO_SAFETY_ACTIONS in selectors.thv_readiness(thv, on=START).problems
    assert AuditEvent.objects.filter(action="road_home.safety_action_removed").count() == 1


# ---- pages -----------------------------------------------------------------------------------


def test_planning_a_transition_visit_from_the_page(caseworker, case):
    thv = prepared_thv(worker=caseworker, case=case, visit=False)
    family_time_plan(worker=caseworker, case=case)
    response = _client(caseworker).post(
        reverse("road_home:thv-visit", args=[thv.pk]),
        {
            "kind": "overnight",
            "on": "2026-10-03",
            "start_time": "18:00",
            "ends_on": "2026-10-04",
            "end_time": "10:00",
            "note": "Saturday night",
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    session = TransitionVisit.objects.get(thv=thv).session
    assert session.ends_at - session.starts_at == dt.timedelta(hours=16)
    page = _client(caseworker).get(reverse("road_home:thv", args=[thv.pk])).content.decode()
    assert "Overnight at home — Saturday night" in page


def test_removing_needs_the_box_ticked_then_removes(caseworker, case):
    thv = prepared_thv(worker=caseworker, case=case)
    step = thv.safety_plan.actions.get()
    url = reverse("road_home:safety-action-remove", args=[step.pk])
    assert _client(caseworker).post(url, {}).status_code == 400
    assert SafetyAction.objects.filter(pk=step.pk).exists()
    response = _client(caseworker).post(url, {"confirm": "on"})
    assert response.status_code == 302
    assert response["Location"] == reverse("road_home:safety-plan", args=[thv.safety_plan_id])
    assert not SafetyAction.objects.filter(pk=step.pk).exists()


def test_correcting_an_adult_from_the_page(caseworker, case):
    thv = prepared_thv(worker=caseworker, case=case)
    adult = thv.adults.get()
    page = _client(caseworker).get(reverse("road_home:thv", args=[thv.pk])).content.decode()
    assert reverse("road_home:thv-adult-edit", args=[adult.pk]) in page
    response = _client(caseworker).post(
        reverse("road_home:thv-adult-edit", args=[adult.pk]),
        {
            "name": "Luis Ortega",
            "relationship": "Stepfather",
            "background_check": "cleared",
            "checked_on": "2026-09-15",
        },
    )
    assert response.status_code == 302
    adult.refresh_from_db()
    assert adult.relationship == "Stepfather"
