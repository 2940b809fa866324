"""Services: the participation's state machine, consent, the match's checks, the mentor's
account and contact log; refusals change nothing and every step is audited."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from reunify.accounts.models import Role
from reunify.cases.tests.factories import open_case
from reunify.core import clock
from reunify.core.models import AuditEvent
from reunify.partners import services
from reunify.partners.models import Participation, Status
from reunify.partners.tests.factories import accepted, make_mentor, matched, refer_parent

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(caseworker):
    return open_case(worker=caseworker)


def _audited(action: str) -> int:
    return AuditEvent.objects.filter(action=f"partners.{action}").count()


def test_participation_walks_the_voluntary_path_and_audits_every_step(
    caseworker, agency_admin, case
):
    # given a mentor and a referred parent
    mentor = make_mentor(admin=agency_admin)
    p = refer_parent(worker=caseworker, case=case)
    assert p.status == Status.REFERRED
    # when offered, accepted, consented, matched and closed
    p = services.participation_offer(actor=caseworker, participation=p)
    p = services.participation_accept(actor=caseworker, participation=p)
    today = clock.today()
    services.consent_record(
        actor=caseworker,
        participation=p,
        given_on=today,
        expires_on=today + dt.timedelta(days=90),
    )
    p = services.participation_match(actor=caseworker, participation=p, mentor=mentor)
    assert p.status == Status.ACTIVE
    assert "shares: recovery from substance use" in p.match_reasons
    assert "speaks Spanish" in p.match_reasons
    assert "7 of 8 places open" not in p.match_reasons  # the places before this match
    assert "8 of 8 places open" in p.match_reasons
    p = services.participation_close(actor=caseworker, participation=p, reason="Goals met")
    # then every transition is audited
    assert p.status == Status.CLOSED
    for action in ("refer", "offer", "accept", "consent", "match", "close"):
        assert _audited(action) == 1, action


@pytest.mark.parametrize(
    ("path", "step", "state_word"),
    [
        ([], services.participation_accept, "referred"),
        ([], services.participation_decline, "referred"),
        (["offer"], services.participation_offer, "offered to the parent"),
        (["offer", "decline"], services.participation_accept, "declined"),
        (["offer", "accept"], services.participation_offer, "accepted, waiting for a match"),
    ],
)
def test_an_illegal_step_is_refused_naming_the_state_and_changes_nothing(
    caseworker, case, path, step, state_word
):
    # given a participation some steps along
    p = refer_parent(worker=caseworker, case=case)
    for name in path:
        p = getattr(services, f"participation_{name}")(actor=caseworker, participation=p)
    before = (p.status, p.version, AuditEvent.objects.count())
    # when an illegal step is asked for
    with pytest.raises(ValidationError) as error:
        step(actor=caseworker, participation=p)
    # then it is refused naming the state, and nothing changed
    assert f"The participation is {state_word};" in " ".join(error.value.messages)
    p.refresh_from_db()
    assert (p.status, p.version, AuditEvent.objects.count()) == before


def test_a_declined_participation_is_final_and_the_parent_may_be_referred_again(caseworker, case):
    p = refer_parent(worker=caseworker, case=case)
    p = services.participation_offer(actor=caseworker, participation=p)
    p = services.participation_decline(actor=caseworker, participation=p)
    with pytest.raises(ValidationError, match="declined"):
        services.participation_close(actor=caseworker, participation=p, reason="x")
    again = refer_parent(worker=caseworker, case=case)
    assert again.pk != p.pk


def test_one_open_participation_per_parent(caseworker, case):
    refer_parent(worker=caseworker, case=case)
    with pytest.raises(ValidationError, match="already takes part"):
        refer_parent(worker=caseworker, case=case)


def test_close_needs_a_reason(caseworker, case):
    p = refer_parent(worker=caseworker, case=case)
    with pytest.raises(ValidationError):
        services.participation_close(actor=caseworker, participation=p, reason="  ")
    p.refresh_from_db()
    assert p.status == Status.REFERRED


def test_match_needs_consent_in_force(caseworker, agency_admin, case):
    mentor = make_mentor(admin=agency_admin)
    p = accepted(worker=caseworker, case=case)
    services.consent_revoke(actor=caseworker, participation=p)
    with pytest.raises(ValidationError, match="consent"):
        services.participation_match(actor=caseworker, participation=p, mentor=mentor)
    p.refresh_from_db()
    assert (p.status, p.mentor_id) == (Status.ACCEPTED, None)


def test_match_refuses_a_mentor_at_capacity_or_not_signed_up(caseworker, agency_admin, case):
    full = make_mentor(admin=agency_admin, capacity=1, username="full")
    other_case = open_case(worker=caseworker)
    matched(worker=caseworker, case=other_case, mentor=full)
    unsigned = make_mentor(admin=agency_admin, name="No Account", username=None)
    p = accepted(worker=caseworker, case=case)
    for mentor in (full, unsigned):
        with pytest.raises(ValidationError, match="not available"):
            services.participation_match(actor=caseworker, participation=p, mentor=mentor)
    assert Participation.objects.get(pk=p.pk).status == Status.ACCEPTED


def test_consent_dates_and_one_unrevoked_consent(caseworker, case):
    p = refer_parent(worker=caseworker, case=case)
    today = clock.today()
    with pytest.raises(ValidationError):
        services.consent_record(actor=caseworker, participation=p, given_on=today, expires_on=today)
    with pytest.raises(ValidationError):
        services.consent_record(
            actor=caseworker,
            participation=p,
            given_on=today + dt.timedelta(days=1),
            expires_on=today + dt.timedelta(days=9),
        )
    services.consent_record(
        actor=caseworker, participation=p, given_on=today, expires_on=today + dt.timedelta(days=9)
    )
    with pytest.raises(ValidationError, match="already on file"):
        services.consent_record(
            actor=caseworker,
            participation=p,
            given_on=today,
            expires_on=today + dt.timedelta(days=9),
        )


def test_mentor_needs_eligibility_evidence(agency_admin):
    with pytest.raises(ValidationError) as error:
        services.mentor_create(
            actor=agency_admin,
            name="A",
            eligibility_evidence=" ",
            eligibility_verified_on=clock.today(),
            experiences=[],
            languages=["English"],
        )
    assert "eligibility_evidence" in error.value.message_dict


def test_mentor_account_from_the_one_time_link(agency_admin):
    mentor, path = services.mentor_create(
        actor=agency_admin,
        name="Dana Whitfield",
        eligibility_evidence="Checked",
        eligibility_verified_on=clock.today(),
        experiences=["housing"],
        languages=["English"],
    )
    assert mentor.eligibility_verified_by == agency_admin
    token = path.rstrip("/").rsplit("/", 1)[-1]
    assert token not in mentor.setup_token_hash
    user = services.mentor_account_create(
        token=token, username="dana", password="a long mentor password"
    )
    assert user.role == Role.PARENT_PARTNER
    assert user.agency_id == agency_admin.agency_id
    # the link works once
    with pytest.raises(ValidationError):
        services.mentor_account_create(
            token=token, username="dana2", password="a long mentor password"
        )


def test_contact_log_only_while_the_mentor_may_see_the_parent(caseworker, agency_admin, case):
    mentor = make_mentor(admin=agency_admin)
    p = matched(worker=caseworker, case=case, mentor=mentor)
    contact = services.contact_log(
        actor=mentor.user, participation=p, on=clock.today(), mode="phone", event="court"
    )
    assert contact.mentor == mentor
    with pytest.raises(ValidationError):
        services.contact_log(
            actor=mentor.user,
            participation=p,
            on=clock.today() + dt.timedelta(days=1),
            mode="phone",
            event="court",
        )
    services.consent_revoke(actor=caseworker, participation=p)
    with pytest.raises(ValidationError, match="cannot log"):
        services.contact_log(
            actor=mentor.user, participation=p, on=clock.today(), mode="phone", event="court"
        )
