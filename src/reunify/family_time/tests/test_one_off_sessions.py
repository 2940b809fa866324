"""A session added once (`session_add`): inside the plan's dates, not while suspended, never
overlapping; on the week like any other; up to 14 days long."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from reunify.core import clock
from reunify.core.models import AuditEvent
from reunify.family_time import rules, schedule, services
from reunify.family_time.models import FamilyTimeSession, Level, SessionKind
from reunify.family_time.tests.factories import TODAY, make_plan

pytestmark = pytest.mark.django_db


def _at(day: dt.date, hour: int) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=clock.agency_zone())


SATURDAY = TODAY + dt.timedelta(days=5)


def test_a_session_added_once_is_on_the_week_and_audited(caseworker):
    plan = make_plan(worker=caseworker)
    session = services.session_add(
        actor=caseworker,
        plan=plan,
        starts_at=_at(SATURDAY, 18),
        ends_at=_at(SATURDAY + dt.timedelta(days=1), 18),
        note="A night at home",
    )
    assert (session.kind, session.note) == (SessionKind.ONE_OFF, "A night at home")
    week = schedule.week_of(user=caseworker, start=TODAY, tz=clock.agency_zone())
    assert [i.starts_at for d in week.days for i in d.items if i.kind == "session"][-1] == (
        _at(SATURDAY, 18)
    )
    assert AuditEvent.objects.filter(action="family_time.session_added").count() == 1


@pytest.mark.parametrize(
    ("plan_overrides", "starts", "ends", "message"),
    [
        ({"effective_to": SATURDAY}, _at(SATURDAY, 18), _at(SATURDAY + dt.timedelta(1), 9), None),
        ({"level": Level.SUSPENDED}, _at(SATURDAY, 10), _at(SATURDAY, 12), services.PLAN_SUSPENDED),
        ({}, _at(SATURDAY, 10), _at(SATURDAY + dt.timedelta(15), 10), rules.BAD_ONE_OFF_LENGTH),
        ({}, _at(SATURDAY, 10), _at(SATURDAY, 10), rules.ENDS_BEFORE_START),
        ({}, _at(TODAY - dt.timedelta(1), 10), _at(TODAY - dt.timedelta(1), 12), None),
    ],
)
def test_a_session_outside_the_plan_is_refused_and_changes_nothing(
    caseworker, plan_overrides, starts, ends, message
):
    plan = make_plan(worker=caseworker, **plan_overrides)
    before = (FamilyTimeSession.objects.count(), AuditEvent.objects.count())
    with pytest.raises(ValidationError) as error:
        services.session_add(actor=caseworker, plan=plan, starts_at=starts, ends_at=ends)
    if message:
        assert error.value.messages == [message]
    else:
        assert "effective dates" in error.value.messages[0]
    assert (FamilyTimeSession.objects.count(), AuditEvent.objects.count()) == before
