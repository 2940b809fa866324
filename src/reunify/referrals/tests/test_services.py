"""Referral services: writing, consent, sending, each step, the provider link, attendance,
barriers and what each refusal leaves unchanged."""

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError

from reunify.case_plans.tests.factories import plan_with_goal
from reunify.cases.tests.factories import open_case
from reunify.core.concurrency import StaleEditError
from reunify.core.models import AuditEvent
from reunify.referrals import rules, selectors, services
from reunify.referrals.models import (
    Attendance,
    Barrier,
    Consent,
    ProviderLink,
    Referral,
    ReferralEvent,
    Status,
)
from reunify.referrals.tests.factories import (
    NOW,
    child_of,
    consent,
    draft,
    fresh,
    parent_of,
    sent,
)
from reunify.services.tests.factories import make_service

pytestmark = pytest.mark.django_db
DAY = dt.timedelta(days=1)


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(NOW, tick=False):
        yield


def _changes() -> int:
    return AuditEvent.objects.filter(kind=AuditEvent.Kind.CHANGE).count()


# ---- writing ----------------------------------------------------------------------------------


def test_a_draft_names_the_person_service_and_goal(caseworker):
    case = open_case(worker=caseworker)
    plan = plan_with_goal(worker=caseworker, case=case)
    goal_key = plan.versions.get().document["goals"][0]["key"]

    referral = draft(caseworker, case=case, person=child_of(case), goal_key=goal_key)

    assert referral.status == Status.DRAFT
    assert (referral.plan, referral.goal_key, referral.person) == (plan, goal_key, child_of(case))
    assert referral.events.get().action == "create"
    assert AuditEvent.objects.filter(action="referrals.create", actor=caseworker).exists()


@pytest.mark.parametrize("problem", ["stranger", "other_agency", "inactive", "goal", "reason"])
def test_a_draft_is_refused_with_a_clear_message(caseworker, foreign_admin, problem):
    case = open_case(worker=caseworker)
    other = open_case(worker=caseworker)
    kwargs = {
        "person": parent_of(other) if problem == "stranger" else None,
        "service": {
            "other_agency": make_service(foreign_admin.agency),
            "inactive": make_service(case.agency, status="inactive"),
        }.get(problem),
        "goal_key": "not-a-goal" if problem == "goal" else "",
        "reason": "  " if problem == "reason" else "Support",
    }
    expected = {
        "stranger": ("person", services.NOT_IN_CASE),
        "other_agency": ("service", services.OTHER_AGENCY_SERVICE),
        "inactive": ("service", services.SERVICE_INACTIVE),
        "goal": ("goal_key", services.UNKNOWN_GOAL),
        "reason": ("reason", services.REASON_REQUIRED),
    }[problem]

    with pytest.raises(ValidationError) as error:
        draft(caseworker, case=case, **{k: v for k, v in kwargs.items() if v is not None})

    assert error.value.message_dict[expected[0]] == [expected[1]]
    assert not Referral.objects.exists()


# ---- consent ------------------------------------------------------------------------------------


def test_consent_records_what_the_parent_agreed_to_share(caseworker):
    referral = draft(caseworker)

    given = consent(caseworker, referral, fields=[rules.NAME, rules.PHONE])

    assert given.fields == (rules.NAME, rules.PHONE)
    assert given.in_force
    assert AuditEvent.objects.filter(action="referrals.consent").exists()


def test_spoken_consent_needs_a_witness(caseworker):
    referral = draft(caseworker)

    with pytest.raises(ValidationError) as error:
        services.consent_record(
            actor=caseworker,
            referral=referral,
            given_by=parent_of(referral.case),
            fields=[rules.NAME],
            how=rules.VERBAL,
        )

    assert error.value.message_dict == {"witness": [rules.WITNESS_NEEDED]}
    assert not Consent.objects.exists()


def test_consent_is_given_by_a_parent_of_the_case(caseworker):
    referral = draft(caseworker)

    with pytest.raises(ValidationError) as error:
        consent(caseworker, referral, given_by=child_of(referral.case))

    assert error.value.message_dict == {"given_by": [services.NOT_A_PARENT]}


def test_a_second_consent_waits_for_the_first_to_be_revoked(caseworker):
    referral = draft(caseworker)
    consent(caseworker, referral)

    with pytest.raises(ValidationError, match="already has a consent"):
        consent(caseworker, referral, fields=[rules.NAME])

    services.consent_revoke(actor=caseworker, referral=referral)
    assert consent(caseworker, referral, fields=[rules.NAME]).fields == (rules.NAME,)


def test_revoking_after_sending_hides_the_fields_and_is_audited(caseworker):
    result = sent(caseworker)
    before = selectors.referral_for_provider(result.link)
    from reunify.referrals.sharing import shared_facts

    assert shared_facts(before).person_name is not None

    services.consent_revoke(actor=caseworker, referral=result.referral, note="Changed her mind")

    facts = shared_facts(selectors.referral_for_provider(result.link))
    assert facts.shares_nothing
    assert facts.person_name is None
    assert facts.phone is None
    assert facts.reason is None
    event = AuditEvent.objects.get(action="referrals.consent_revoke")
    assert "after sending" in event.summary
    assert selectors.provider_link_for(result.token) is not None  # the answers still come back


# ---- sending ------------------------------------------------------------------------------------


def test_sending_needs_consent_and_changes_nothing_without_it(caseworker):
    referral = draft(caseworker)
    audited = _changes()

    with pytest.raises(ValidationError, match="agreed to share"):
        services.referral_send(
            actor=caseworker, referral=referral, expected_version=1, to="intake@provider.example"
        )

    assert fresh(referral).status == Status.DRAFT
    assert not ProviderLink.objects.exists()
    assert not mail.outbox
    assert _changes() == audited


def test_sending_issues_a_hashed_expiring_link_and_mails_it(caseworker, settings):
    settings.REUNIFY_REFERRAL_LINK_DAYS = 30

    result = sent(caseworker)

    referral, link, token = result.referral, result.link, result.token
    assert referral.status == Status.SENT
    assert referral.sent_at == NOW
    assert link.digest == services.token_digest(token)
    assert token not in link.digest
    assert link.prefix == token[:8]
    assert link.expires_at == NOW + dt.timedelta(days=30)
    assert link.purpose == ProviderLink.PURPOSE
    assert not ProviderLink.objects.filter(digest=token).exists()
    (message,) = mail.outbox
    assert message.to == ["intake@provider.example"]
    assert f"/referrals/p/{token}/" in message.body
    event = AuditEvent.objects.get(action="referrals.send")
    assert token not in event.summary
    assert link.prefix in event.summary


def test_sending_again_replaces_the_link(caseworker):
    first = sent(caseworker)

    second = services.referral_send(
        actor=caseworker,
        referral=first.referral,
        expected_version=fresh(first.referral).version,
        to="other@provider.example",
    )

    assert selectors.provider_link_for(first.token) is None
    assert selectors.provider_link_for(second.token) == second.link
    assert ProviderLink.objects.filter(revoked_at__isnull=True).count() == 1


def test_a_failed_e_mail_sends_nothing(caseworker, settings):
    settings.EMAIL_BACKEND = "reunify.referrals.tests.test_services.BrokenBackend"
    referral = draft(caseworker)
    consent(caseworker, referral)

    with pytest.raises(ValidationError, match="could not be sent"):
        services.referral_send(
            actor=caseworker, referral=referral, expected_version=1, to="intake@provider.example"
        )

    assert fresh(referral).status == Status.DRAFT
    assert not ProviderLink.objects.exists()


class BrokenBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise OSError("mail server down")


def test_a_stale_send_is_refused(caseworker):
    referral = draft(caseworker)
    consent(caseworker, referral)
    services.referral_step(
        actor=caseworker, referral=referral, action=rules.WITHDRAW, expected_version=1, reason="x"
    )

    with pytest.raises(StaleEditError):
        services.referral_send(
            actor=caseworker, referral=referral, expected_version=1, to="a@b.example"
        )


# ---- steps ---------------------------------------------------------------------------------------


def _step(worker, referral, action, reason=""):
    return services.referral_step(
        actor=worker,
        referral=referral,
        action=action,
        expected_version=fresh(referral).version,
        reason=reason,
    )


def test_the_whole_life_by_the_worker(caseworker):
    referral = sent(caseworker).referral

    for action in (rules.ACCEPT, rules.START):
        referral = _step(caseworker, referral, action)
    services.attendance_record(actor=caseworker, referral=referral, on=NOW.date(), attended=True)
    referral = _step(caseworker, referral, rules.COMPLETE)

    assert referral.status == Status.COMPLETED
    assert referral.accepted_at == referral.started_at == referral.ended_at == NOW
    assert [e.action for e in ReferralEvent.objects.filter(referral=referral)] == [
        "create",
        "consent",
        "send",
        "accept",
        "start",
        "attendance",
        "complete",
    ]
    assert AuditEvent.objects.filter(action="referrals.complete", actor=caseworker).exists()


@pytest.mark.parametrize(
    ("path", "action", "field"),
    [
        ([], rules.DECLINE, "decline_reason"),
        ([rules.ACCEPT, rules.START], rules.NOT_COMPLETE, "not_completed_reason"),
        ([rules.ACCEPT], rules.WITHDRAW, "withdraw_reason"),
    ],
)
def test_closing_steps_need_a_reason(caseworker, path, action, field):
    referral = sent(caseworker).referral
    for step in path:
        referral = _step(caseworker, referral, step)
    status, audited = referral.status, _changes()

    with pytest.raises(ValidationError) as error:
        _step(caseworker, referral, action)

    assert error.value.message_dict == {"reason": [rules.REASON_NEEDED]}
    assert fresh(referral).status == status
    assert _changes() == audited

    closed = _step(caseworker, referral, action, reason="Family moved away")

    assert getattr(closed, field) == "Family moved away"
    assert closed.closing_reason == "Family moved away"


@pytest.mark.parametrize(
    ("action", "message"),
    [(rules.START, "not possible now"), (rules.COMPLETE, "not possible now")],
)
def test_a_step_out_of_order_is_refused_and_changes_nothing(caseworker, action, message):
    referral = sent(caseworker).referral
    version, audited = fresh(referral).version, _changes()

    with pytest.raises(ValidationError, match=message):
        _step(caseworker, referral, action)

    assert (fresh(referral).status, fresh(referral).version) == (Status.SENT, version)
    assert _changes() == audited


def test_a_closed_referral_does_not_move(caseworker):
    referral = sent(caseworker).referral
    referral = _step(caseworker, referral, rules.DECLINE, reason="Full")

    with pytest.raises(ValidationError, match="closed"):
        _step(caseworker, referral, rules.WITHDRAW, reason="x")


def test_withdrawing_revokes_the_link(caseworker):
    result = sent(caseworker)

    _step(caseworker, result.referral, rules.WITHDRAW, reason="Parent moved")

    assert ProviderLink.objects.get().revoked_at == NOW
    assert selectors.provider_link_for(result.token) is None


# ---- the provider link -------------------------------------------------------------------------


def test_the_provider_moves_it_to_accepted_then_in_service(caseworker):
    result = sent(caseworker)

    services.provider_step(link=result.link, action=rules.ACCEPT)
    referral = services.provider_step(link=result.link, action=rules.START)

    assert referral.status == Status.IN_SERVICE
    events = list(ReferralEvent.objects.filter(referral=referral, by="provider"))
    assert [(e.action, e.user) for e in events] == [("accept", None), ("start", None)]
    audit_rows = AuditEvent.objects.filter(action__startswith="referrals.provider_")
    assert {a.actor for a in audit_rows} == {None}
    assert all(result.link.prefix in a.summary for a in audit_rows)


def test_the_provider_cannot_withdraw_or_send(caseworker):
    result = sent(caseworker)

    with pytest.raises(ValidationError, match="Only the agency"):
        services.provider_step(link=result.link, action=rules.WITHDRAW, reason="no")

    assert fresh(result.referral).status == Status.SENT


def test_the_provider_declines_with_a_reason(caseworker):
    result = sent(caseworker)

    with pytest.raises(ValidationError):
        services.provider_step(link=result.link, action=rules.DECLINE)
    referral = services.provider_step(link=result.link, action=rules.DECLINE, reason="Waitlist")

    assert (referral.status, referral.decline_reason) == (Status.DECLINED, "Waitlist")


def test_the_link_is_denied_after_expiry(caseworker, settings):
    settings.REUNIFY_REFERRAL_LINK_DAYS = 30
    result = sent(caseworker)

    assert selectors.provider_link_for(result.token, now=NOW + dt.timedelta(days=30) - DAY)
    assert selectors.provider_link_for(result.token, now=NOW + dt.timedelta(days=30)) is None
    with (
        time_machine.travel(NOW + dt.timedelta(days=31), tick=False),
        pytest.raises(ValidationError, match="no longer works"),
    ):
        services.provider_step(link=result.link, action=rules.ACCEPT)
    assert fresh(result.referral).status == Status.SENT


def test_a_token_opens_its_own_referral_only(caseworker):
    first = sent(caseworker)
    second = sent(caseworker, service=None)

    assert selectors.provider_link_for(first.token).referral_id == first.referral.pk
    assert selectors.provider_link_for(second.token).referral_id == second.referral.pk
    services.provider_step(link=first.link, action=rules.ACCEPT)
    assert fresh(second.referral).status == Status.SENT


@pytest.mark.parametrize(
    "token",
    ["", "nope", "x" * 200, "<same prefix>", "<digest>"],
)
def test_unknown_tokens_are_denied(caseworker, token):
    result = sent(caseworker)
    token = {
        "<same prefix>": result.token[:8] + "A" * 35,
        "<digest>": result.link.digest,
    }.get(token, token)

    assert selectors.provider_link_for(token) is None


def test_a_draft_has_no_link_that_works(caseworker):
    referral = draft(caseworker)

    assert not ProviderLink.objects.filter(referral=referral).exists()


# ---- attendance ------------------------------------------------------------------------------


def test_attendance_while_in_service_only(caseworker):
    result = sent(caseworker)

    with pytest.raises(ValidationError, match="while the family is in service"):
        services.provider_attendance(link=result.link, on=NOW.date(), attended=True)
    services.provider_step(link=result.link, action=rules.ACCEPT)
    services.provider_step(link=result.link, action=rules.START)
    row = services.provider_attendance(link=result.link, on=NOW.date(), attended=False, note="Sick")

    assert (row.attended, row.by, row.recorded_by) == (False, "provider", None)
    assert AuditEvent.objects.filter(action="referrals.provider_attendance", actor=None).exists()


@pytest.mark.parametrize(
    ("on", "message"),
    [
        (NOW.date() + DAY, services.ATTENDANCE_IN_FUTURE),
        (NOW.date() - DAY, services.ATTENDANCE_BEFORE_START),
    ],
)
def test_attendance_dates_are_checked(caseworker, on, message):
    result = sent(caseworker)
    referral = _step(caseworker, result.referral, rules.ACCEPT)
    referral = _step(caseworker, referral, rules.START)

    with pytest.raises(ValidationError) as error:
        services.attendance_record(actor=caseworker, referral=referral, on=on, attended=True)

    assert error.value.message_dict == {"on": [message]}
    assert not Attendance.objects.exists()


def test_attendance_once_a_day(caseworker):
    referral = sent(caseworker).referral
    referral = _step(caseworker, _step(caseworker, referral, rules.ACCEPT), rules.START)
    services.attendance_record(actor=caseworker, referral=referral, on=NOW.date(), attended=True)

    with pytest.raises(ValidationError) as error:
        services.attendance_record(
            actor=caseworker, referral=referral, on=NOW.date(), attended=False
        )

    assert error.value.message_dict == {"on": [services.ALREADY_RECORDED]}


# ---- barriers ------------------------------------------------------------------------------------


def test_barriers_are_recorded_and_resolved(caseworker):
    referral = draft(caseworker)

    barrier = services.barrier_add(
        actor=caseworker, referral=referral, kind="transport", note="No bus"
    )
    with pytest.raises(ValidationError) as error:
        services.barrier_add(actor=caseworker, referral=referral, kind="weather")
    services.barrier_resolve(actor=caseworker, barrier=barrier)

    assert error.value.message_dict == {"kind": [services.UNKNOWN_BARRIER]}
    assert Barrier.objects.get().resolved_at == NOW
    with pytest.raises(ValidationError, match="already resolved"):
        services.barrier_resolve(actor=caseworker, barrier=barrier)
    assert AuditEvent.objects.filter(action="referrals.barrier_resolve").count() == 1


def test_barrier_summary_by_unit(caseworker, supervisor, other_supervisor):
    ours = draft(caseworker, service=None)
    services.barrier_add(actor=caseworker, referral=ours, kind="cost")
    services.barrier_add(actor=caseworker, referral=ours, kind="transport")
    elsewhere = open_case(worker=other_supervisor)
    theirs = draft(other_supervisor, case=elsewhere)
    services.barrier_add(actor=other_supervisor, referral=theirs, kind="waitlist")

    unit = selectors.barrier_summary(
        agency=caseworker.agency, unit=caseworker.unit, since=NOW.date(), until=NOW.date()
    )
    agency = selectors.barrier_summary(
        agency=caseworker.agency, unit=None, since=NOW.date(), until=NOW.date()
    )
    before = selectors.barrier_summary(
        agency=caseworker.agency, unit=None, since=NOW.date() - DAY * 9, until=NOW.date() - DAY
    )

    assert unit.open == 2
    assert [s.service for s in unit.by_service] == ["Parenting Circle"]
    assert agency.open == 3
    assert before.open == 0


# ---- overdue ---------------------------------------------------------------------------------------


def test_overdue_lists_unanswered_referrals_after_the_response_days(
    caseworker, settings, django_assert_max_num_queries
):
    settings.REUNIFY_REFERRAL_RESPONSE_DAYS = 7
    waiting = sent(caseworker, now=NOW - dt.timedelta(days=8)).referral
    sent(caseworker, now=NOW - dt.timedelta(days=7))  # due today: not yet overdue
    answered = sent(caseworker, now=NOW - dt.timedelta(days=20)).referral
    _step(caseworker, answered, rules.ACCEPT)
    for _ in range(3):
        sent(caseworker, now=NOW - dt.timedelta(days=30))

    with django_assert_max_num_queries(2):
        rows = selectors.overdue_for(caseworker, today=NOW.date())
        [r.referral.service.organization.name for r in rows]

    assert rows[-1].referral == waiting
    assert rows[-1].days_late == 1
    assert len(rows) == 4
    assert answered not in [r.referral for r in rows]


def test_overdue_is_limited_to_what_the_user_may_see(caseworker, other_caseworker):
    sent(caseworker, now=NOW - dt.timedelta(days=30))

    assert selectors.overdue_for(other_caseworker, today=NOW.date()) == []
