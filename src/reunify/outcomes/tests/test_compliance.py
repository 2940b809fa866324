"""Case-review compliance on the outcomes page: rates from the owning selectors, and a reason
instead of a zero when nothing was recorded."""

from __future__ import annotations

import datetime as dt

import pytest

from reunify.case_plans import services as plan_services
from reunify.cases.tests.factories import UserFactory, open_case
from reunify.contacts import services as contact_services
from reunify.core import clock
from reunify.family_time.models import FamilyTimeSession, SessionStatus
from reunify.family_time.tests.factories import make_plan
from reunify.outcomes import compliance

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 5, 15)
# Removed on 2026-01-10: full months February, March and April; case plan due 2026-03-11.
PERIOD = {"start": dt.date(2026, 2, 1), "end": dt.date(2026, 4, 30), "today": TODAY}


def _measures(agency_id: int, **scope) -> dict[str, compliance.Measure]:
    found = compliance.case_review_compliance(agency_id=agency_id, **scope, **PERIOD)
    assert [m.key for m in found] == list(compliance.KEYS)
    return {m.key: m for m in found}


def _held(plan, day: dt.date) -> None:
    starts = dt.datetime.combine(day, dt.time(17), tzinfo=clock.agency_zone())
    FamilyTimeSession.objects.create(
        plan=plan,
        starts_at=starts,
        ends_at=starts + dt.timedelta(hours=1),
        status=SessionStatus.HELD,
    )


def test_nothing_recorded_says_what_is_missing_instead_of_zero(caseworker):
    # Given a child in care for three full months and nothing recorded about them
    open_case(worker=caseworker, opened_on=dt.date(2026, 1, 10), today=TODAY)

    # When
    got = _measures(caseworker.agency_id)

    # Then
    assert got["caseworker_visits"].missing == compliance.NO_VISITS_RECORDED
    assert got["visits_in_residence"].missing == compliance.NO_VISITS_RECORDED
    assert got["family_time_parents"].missing == compliance.NO_FAMILY_TIME_RECORDED
    assert got["family_time_siblings"].missing == compliance.NO_SIBLINGS_APART
    assert got["case_plan_60_days"].missing == compliance.NO_CASE_PLANS_RECORDED
    for measure in got.values():
        assert measure.rate is None
        assert (measure.numerator, measure.denominator) == (None, None)
        assert not measure.available


def test_rates_from_recorded_visits_family_time_and_case_plan(caseworker):
    # Given a child in care February to April
    case = open_case(worker=caseworker, opened_on=dt.date(2026, 1, 10), today=TODAY)
    episode = case.episodes.select_related("child").get()
    child = episode.child
    # visited in February (at home) and March (elsewhere), not in April
    contact_services.contact_record(
        actor=caseworker, case=case, child=child, occurred_on=dt.date(2026, 2, 5), today=TODAY
    )
    contact_services.contact_record(
        actor=caseworker,
        case=case,
        child=child,
        occurred_on=dt.date(2026, 3, 10),
        in_child_residence=False,
        location_reason="At school",
        today=TODAY,
    )
    # family time held with the parents in February only (other sessions only scheduled)
    plan = make_plan(worker=caseworker, case=case)
    FamilyTimeSession.objects.filter(plan=plan).update(status=SessionStatus.SCHEDULED)
    _held(plan, dt.date(2026, 2, 4))
    # the case plan completed on day 50 (due on day 60)
    plan_services.case_plan_record(
        actor=caseworker, episode=episode, completed_on=dt.date(2026, 3, 1), today=TODAY
    )

    # When
    got = _measures(caseworker.agency_id)

    # Then
    visits = got["caseworker_visits"]
    assert (visits.numerator, visits.denominator, visits.target_percent) == (2, 3, 95)
    assert visits.rate == pytest.approx(200 / 3)
    residence = got["visits_in_residence"]
    assert (residence.numerator, residence.denominator) == (1, 2)
    assert residence.rate == 50.0
    parents = got["family_time_parents"]
    assert (parents.numerator, parents.denominator) == (1, 3)
    assert got["family_time_siblings"].missing == compliance.NO_SIBLINGS_APART
    plan_measure = got["case_plan_60_days"]
    assert (plan_measure.numerator, plan_measure.denominator, plan_measure.rate) == (1, 1, 100.0)
    assert "60" in str(plan_measure.title)


def test_a_recorded_zero_is_a_zero(caseworker):
    # Given visits recorded, but only before the period
    case = open_case(worker=caseworker, opened_on=dt.date(2026, 1, 10), today=TODAY)
    contact_services.contact_record(
        actor=caseworker,
        case=case,
        child=case.episodes.get().child,
        occurred_on=dt.date(2026, 1, 20),
        today=TODAY,
    )

    # When
    got = _measures(caseworker.agency_id)

    # Then
    assert (got["caseworker_visits"].numerator, got["caseworker_visits"].denominator) == (0, 3)
    assert got["caseworker_visits"].rate == 0.0
    assert got["visits_in_residence"].missing == compliance.NO_VISITED_MONTHS


def test_a_period_with_no_child_in_care(caseworker):
    open_case(worker=caseworker, opened_on=dt.date(2026, 1, 10), today=TODAY)
    got = compliance.case_review_compliance(
        agency_id=caseworker.agency_id,
        start=dt.date(2025, 1, 1),
        end=dt.date(2025, 6, 30),
        today=TODAY,
    )
    missing = {m.key: m.missing for m in got}
    assert missing == {
        "caseworker_visits": compliance.NO_FULL_MONTHS,
        "visits_in_residence": compliance.NO_FULL_MONTHS,
        "family_time_parents": compliance.NO_FULL_MONTHS,
        "family_time_siblings": compliance.NO_FULL_MONTHS,
        "case_plan_60_days": compliance.NO_CASE_PLAN_DUE,
    }


def test_unit_scope(caseworker, other_unit):
    # Given a visited child in the caseworker's unit and an unvisited one in another unit
    case = open_case(worker=caseworker, opened_on=dt.date(2026, 1, 10), today=TODAY)
    for day in (dt.date(2026, 2, 5), dt.date(2026, 3, 5), dt.date(2026, 4, 5)):
        contact_services.contact_record(
            actor=caseworker,
            case=case,
            child=case.episodes.get().child,
            occurred_on=day,
            today=TODAY,
        )
    open_case(worker=UserFactory(unit=other_unit), opened_on=dt.date(2026, 1, 10), today=TODAY)

    # When
    mine = _measures(caseworker.agency_id, unit_id=caseworker.unit_id)
    agency = _measures(caseworker.agency_id)

    # Then
    assert (mine["caseworker_visits"].numerator, mine["caseworker_visits"].denominator) == (3, 3)
    assert (agency["caseworker_visits"].numerator, agency["caseworker_visits"].denominator) == (
        3,
        6,
    )


def test_the_children_behind_each_listed_rate_add_up_to_it(caseworker):
    # Given one child with family time in February only and a case plan on time, and a second
    # child (another case) with no family time and no case plan yet (due 2026-03-11: overdue)
    case = open_case(worker=caseworker, opened_on=dt.date(2026, 1, 10), today=TODAY)
    episode = case.episodes.select_related("child").get()
    plan = make_plan(worker=caseworker, case=case)
    FamilyTimeSession.objects.filter(plan=plan).update(status=SessionStatus.SCHEDULED)
    _held(plan, dt.date(2026, 2, 4))
    plan_services.case_plan_record(
        actor=caseworker, episode=episode, completed_on=dt.date(2026, 3, 1), today=TODAY
    )
    late = open_case(worker=caseworker, opened_on=dt.date(2026, 1, 10), today=TODAY)
    late_child = late.episodes.get().child

    # When
    rates = _measures(caseworker.agency_id)
    lists = {
        key: compliance.compliance_children(key=key, agency_id=caseworker.agency_id, **PERIOD)
        for key in compliance.LISTED
    }

    # Then each list adds up to its rate's numerator and denominator
    parents = lists["family_time_parents"]
    assert sum(c.counted for c in parents) == rates["family_time_parents"].denominator == 6
    assert sum(c.met for c in parents) == rates["family_time_parents"].numerator == 1
    # the child with the most months without family time comes first
    assert [(c.person_id, c.counted, c.met, c.missed) for c in parents] == [
        (late_child.pk, 3, 0, 3),
        (episode.child_id, 3, 1, 2),
    ]
    assert lists["family_time_siblings"] == []  # no sibling placed apart
    plans = lists["case_plan_60_days"]
    assert sum(c.counted for c in plans) == rates["case_plan_60_days"].denominator == 2
    assert sum(c.met for c in plans) == rates["case_plan_60_days"].numerator == 1
    assert [(c.person_id, c.met, c.due_on, c.met_on) for c in plans] == [
        (late_child.pk, 0, dt.date(2026, 3, 11), None),
        (episode.child_id, 1, dt.date(2026, 3, 11), dt.date(2026, 3, 1)),
    ]
    assert plans[0].name == late_child.full_name


def test_a_measure_without_a_child_list_is_refused(caseworker):
    with pytest.raises(ValueError, match="caseworker_visits"):
        compliance.compliance_children(
            key=compliance.CASEWORKER_VISITS, agency_id=caseworker.agency_id, **PERIOD
        )
