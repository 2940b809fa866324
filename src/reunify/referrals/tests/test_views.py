"""The worker's referral pages and the provider's page behind the secret link."""

import datetime as dt
import re

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.urls import reverse

from reunify.case_plans.tests.factories import plan_with_goal
from reunify.cases.tests.factories import open_case
from reunify.core.models import AuditEvent
from reunify.referrals import rules, services
from reunify.referrals.models import ProviderLink, Referral, Status
from reunify.referrals.tests.factories import (
    NOW,
    draft,
    fresh,
    parent_of,
    provider_service,
    sent,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(NOW, tick=False):
        yield


def _signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _provider(token: str) -> str:
    return reverse("referrals:provider", args=[token])


# ---- writing and sending -----------------------------------------------------------------------


def test_the_worker_finds_a_service_and_writes_a_referral(caseworker):
    case = open_case(worker=caseworker)
    plan = plan_with_goal(worker=caseworker, case=case)
    goal = plan.versions.get().document["goals"][0]["key"]
    service = provider_service(case, name="Harbor Parenting Circle")
    client = _signed_in(caseworker)
    new = reverse("referrals:referral-new")

    search = client.get(new, {"case": case.pk, "goal": goal, "q": "harbor"})
    assert search.status_code == 200
    assert f"service={service.pk}" in search.content.decode()
    form = client.get(new, {"case": case.pk, "goal": goal, "service": service.pk})
    assert form.status_code == 200
    response = client.post(
        f"{new}?case={case.pk}&service={service.pk}&goal={goal}",
        {"person": parent_of(case).pk, "goal_key": goal, "reason": "Parenting skills"},
    )

    referral = Referral.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("referrals:referral-detail", args=[referral.pk])
    assert (referral.service, referral.goal_key, referral.status) == (service, goal, Status.DRAFT)


def test_a_bad_referral_form_is_shown_again_and_saves_nothing(caseworker):
    case = open_case(worker=caseworker)
    service = provider_service(case)

    response = _signed_in(caseworker).post(
        f"{reverse('referrals:referral-new')}?case={case.pk}&service={service.pk}",
        {"person": parent_of(case).pk, "reason": ""},
    )

    assert response.status_code == 400
    assert not Referral.objects.exists()


@pytest.mark.parametrize(
    ("who", "expected"),
    [("other_caseworker", 404), ("agency_admin", 403), ("supervisor", 200)],
)
def test_only_whoever_edits_the_case_writes_referrals(request, caseworker, who, expected):
    case = open_case(worker=caseworker)
    service = provider_service(case)

    response = _signed_in(request.getfixturevalue(who)).get(
        reverse("referrals:referral-new"), {"case": case.pk, "service": service.pk}
    )

    assert response.status_code == expected


def test_another_agency_s_service_cannot_be_chosen(caseworker, foreign_admin):
    from reunify.services.tests.factories import make_service

    case = open_case(worker=caseworker)
    theirs = make_service(foreign_admin.agency)

    response = _signed_in(caseworker).get(
        reverse("referrals:referral-new"), {"case": case.pk, "service": theirs.pk}
    )

    assert response.status_code == 404


def test_consent_then_send_from_the_pages(caseworker):
    referral = draft(caseworker)
    client = _signed_in(caseworker)

    client.post(
        reverse("referrals:consent", args=[referral.pk]),
        {
            "given_by": parent_of(referral.case).pk,
            "fields_shared": [rules.NAME, rules.PHONE],
            "how": rules.VERBAL,
            "witness": "Ms Lee",
            "given_on": NOW.date().isoformat(),
        },
    )
    response = client.post(
        reverse("referrals:send", args=[referral.pk]),
        {"to": "intake@provider.example", "version": fresh(referral).version},
    )

    assert response.status_code == 302
    assert fresh(referral).status == Status.SENT
    assert len(mail.outbox) == 1


def test_send_without_consent_explains_why(caseworker):
    referral = draft(caseworker)

    response = _signed_in(caseworker).post(
        reverse("referrals:send", args=[referral.pk]),
        {"to": "intake@provider.example", "version": 1},
    )

    assert response.status_code == 400
    assert "agreed to share" in response.content.decode()
    assert fresh(referral).status == Status.DRAFT


def test_a_stale_step_is_refused_with_who_changed_it(caseworker):
    referral = sent(caseworker).referral
    stale = fresh(referral).version
    services.referral_step(
        actor=caseworker, referral=referral, action=rules.ACCEPT, expected_version=stale
    )

    response = _signed_in(caseworker).post(
        reverse("referrals:withdraw", args=[referral.pk]),
        {"reason": "Not needed", "version": stale},
    )

    assert response.status_code == 400
    assert "after you opened it" in response.content.decode()
    assert fresh(referral).status == Status.ACCEPTED


def test_withdraw_from_the_page_needs_a_reason(caseworker):
    referral = sent(caseworker).referral
    url = reverse("referrals:withdraw", args=[referral.pk])
    client = _signed_in(caseworker)

    refused = client.post(url, {"reason": "", "version": fresh(referral).version})
    done = client.post(url, {"reason": "Moved away", "version": fresh(referral).version})

    assert refused.status_code == 400
    assert done.status_code == 302
    assert fresh(referral).status == Status.WITHDRAWN


def test_detail_shows_the_timeline_and_offers_the_steps(caseworker, django_assert_max_num_queries):
    referral = sent(caseworker).referral
    for kind in ("transport", "cost", "schedule"):
        services.barrier_add(actor=caseworker, referral=referral, kind=kind)
    client = _signed_in(caseworker)
    url = reverse("referrals:referral-detail", args=[referral.pk])

    with django_assert_max_num_queries(30):
        response = client.get(url)

    html = response.content.decode()
    assert response.status_code == 200
    assert "Sent to the provider" in html
    assert "Consent recorded" in html
    assert reverse("referrals:accept", args=[referral.pk]) in html
    assert reverse("referrals:withdraw", args=[referral.pk]) in html
    assert AuditEvent.objects.filter(action="referrals.viewed", actor=caseworker).exists()


def test_the_agency_admin_reads_but_is_offered_no_steps(caseworker, agency_admin):
    referral = sent(caseworker).referral

    html = (
        _signed_in(agency_admin)
        .get(reverse("referrals:referral-detail", args=[referral.pk]))
        .content.decode()
    )

    assert reverse("referrals:accept", args=[referral.pk]) not in html


def test_case_list_queries_do_not_grow_with_referrals(caseworker, django_assert_max_num_queries):
    case = open_case(worker=caseworker)
    service = provider_service(case)
    url = reverse("referrals:case-referrals", args=[case.pk])
    client = _signed_in(caseworker)
    referral = draft(caseworker, case=case, service=service)
    services.barrier_add(actor=caseworker, referral=referral, kind="cost")
    client.get(url)
    with django_assert_max_num_queries(100) as one:
        client.get(url)
    for _ in range(6):
        extra = draft(caseworker, case=case, service=service)
        services.barrier_add(actor=caseworker, referral=extra, kind="transport")

    with django_assert_max_num_queries(len(one.captured_queries)):
        response = client.get(url)

    assert response.content.decode().count("Parenting Circle") >= 7


# ---- barrier summary -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "expected"),
    [("caseworker", 403), ("supervisor", 200), ("agency_admin", 200)],
)
def test_barrier_summary_is_for_leaders(request, caseworker, who, expected):
    referral = draft(caseworker)
    services.barrier_add(actor=caseworker, referral=referral, kind="transport")

    response = _signed_in(request.getfixturevalue(who)).get(reverse("referrals:barriers"))

    assert response.status_code == expected
    if expected == 200:
        assert "Parenting Circle" in response.content.decode()


def test_a_supervisor_cannot_see_another_unit_s_barriers(caseworker, other_supervisor):
    referral = draft(caseworker)
    services.barrier_add(actor=caseworker, referral=referral, kind="transport")

    response = _signed_in(other_supervisor).get(
        reverse("referrals:barriers"),
        {"unit": caseworker.unit_id, "since": "2026-01-01", "until": "2026-12-31"},
    )

    assert response.status_code == 400  # not one of the choices
    assert "Parenting Circle" not in response.content.decode()


# ---- the provider's page ---------------------------------------------------------------------


def test_the_provider_accepts_then_marks_in_service(caseworker):
    result = sent(caseworker)
    client = Client()

    page = client.get(_provider(result.token))
    accepted = client.post(_provider(result.token), {"form": "step", "action": rules.ACCEPT})
    started = client.post(_provider(result.token), {"form": "step", "action": rules.START})

    assert page.status_code == 200
    assert page["Cache-Control"] == "private, no-store"
    assert accepted.status_code == 200
    assert "Thank you" in accepted.content.decode()
    assert started.status_code == 200
    assert fresh(result.referral).status == Status.IN_SERVICE
    assert AuditEvent.objects.filter(action="referrals.provider_viewed", actor=None).exists()


def test_the_provider_records_attendance(caseworker):
    result = sent(caseworker)
    client = Client()
    client.post(_provider(result.token), {"form": "step", "action": rules.ACCEPT})
    client.post(_provider(result.token), {"form": "step", "action": rules.START})

    response = client.post(
        _provider(result.token),
        {
            "form": "attendance",
            "attendance-on": NOW.date().isoformat(),
            "attendance-attended": "yes",
            "attendance-note": "",
        },
    )

    assert response.status_code == 200
    assert result.referral.attendance.get().attended


def test_the_provider_must_give_a_reason_to_decline(caseworker):
    result = sent(caseworker)

    response = Client().post(_provider(result.token), {"form": "step", "action": rules.DECLINE})

    assert response.status_code == 400
    assert "Give the reason" in response.content.decode()
    assert fresh(result.referral).status == Status.SENT


def _denied_body(client: Client, token: str) -> tuple[int, str]:
    """The page without its per-response nonce and CSRF token."""
    response = client.get(_provider(token))
    body = response.content.decode().replace(token, "<token>")
    body = re.sub(r'nonce="[^"]*"|"X-CSRFToken": "[^"]*"|value="[\w]{64}"', "", body)
    return response.status_code, body


@pytest.mark.parametrize("why", ["unknown", "expired", "withdrawn", "replaced"])
def test_the_provider_link_is_denied_with_the_same_page(caseworker, why, settings):
    settings.REUNIFY_REFERRAL_LINK_DAYS = 30
    result = sent(caseworker)
    token = result.token
    if why == "unknown":
        token = "A" * 43
    elif why == "withdrawn":
        services.referral_step(
            actor=caseworker,
            referral=result.referral,
            action=rules.WITHDRAW,
            expected_version=fresh(result.referral).version,
            reason="Parent moved",
        )
    elif why == "replaced":
        services.referral_send(
            actor=caseworker,
            referral=result.referral,
            expected_version=fresh(result.referral).version,
            to="new@provider.example",
        )
    client = Client()
    _code, reference_body = _denied_body(client, "B" * 43)

    with time_machine.travel(NOW + dt.timedelta(days=31 if why == "expired" else 0), tick=False):
        code, body = _denied_body(client, token)
        posted = client.post(_provider(token), {"form": "step", "action": rules.ACCEPT})

    assert code == posted.status_code == 404
    assert body == reference_body
    assert fresh(result.referral).status in (Status.SENT, Status.WITHDRAWN)
    assert "Parenting Circle" not in body
    assert "Rosa" not in body


def test_a_token_never_acts_on_another_referral(caseworker):
    ours = sent(caseworker)
    other = sent(caseworker)

    Client().post(
        _provider(ours.token),
        {"form": "step", "action": rules.DECLINE, "reason": "x", "referral": other.referral.pk},
    )

    assert fresh(ours.referral).status == Status.DECLINED
    assert fresh(other.referral).status == Status.SENT


def test_a_refused_use_of_a_real_link_is_audited(caseworker):
    result = sent(caseworker)
    services.referral_step(
        actor=caseworker,
        referral=result.referral,
        action=rules.WITHDRAW,
        expected_version=fresh(result.referral).version,
        reason="Moved",
    )

    Client().get(_provider(result.token))

    event = AuditEvent.objects.get(action="denied.referrals.provider")
    assert result.link.prefix in event.summary
    assert result.token not in event.summary


def test_the_provider_page_queries_are_bounded(caseworker, django_assert_max_num_queries):
    result = sent(caseworker)

    with django_assert_max_num_queries(25):
        response = Client().get(_provider(result.token))

    assert response.status_code == 200


def test_the_e_mail_link_opens_the_page(caseworker):
    sent(caseworker)
    (message,) = mail.outbox
    path = re.search(r"http://testserver(/referrals/p/[\w-]+/)", message.body).group(1)

    assert Client().get(path).status_code == 200
    assert ProviderLink.objects.get().last_used_at is None  # reading does not count as a use


# ---- What's due ------------------------------------------------------------------------------


def test_overdue_referrals_show_on_what_s_due(caseworker, settings, django_assert_max_num_queries):
    settings.REUNIFY_REFERRAL_RESPONSE_DAYS = 7
    late = sent(caseworker, now=NOW - dt.timedelta(days=10)).referral
    sent(caseworker, now=NOW - dt.timedelta(days=2))
    client = _signed_in(caseworker)
    client.get(reverse("clocks:due"))
    with django_assert_max_num_queries(40) as few:
        client.get(reverse("clocks:due"))
    for _ in range(4):
        sent(caseworker, now=NOW - dt.timedelta(days=12))

    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("clocks:due"))

    html = response.content.decode()
    assert "Referrals waiting for an answer" in html
    assert reverse("referrals:referral-detail", args=[late.pk]) in html
    assert "3 days overdue" in html
    assert html.count("days overdue") == 5
