"""Clocks through the services and pages: recomputed when events are recorded, nightly by the
background task (database backend), and sent as a digest (locmem e-mail)."""

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reunify.case_plans import services as plan_services
from reunify.cases import services as case_services
from reunify.cases.tests.factories import open_case
from reunify.clocks import profiles, services
from reunify.clocks.models import ClockSnapshot
from reunify.clocks.profiles import ProfileError, load_all
from reunify.contacts import services as contact_services

pytestmark = pytest.mark.django_db
NOW = dt.datetime(
    2026, 2, 20, 15, 0, tzinfo=dt.UTC
)  # 41 days after the factory's removal on 2026-01-10


def snap(case, key):
    return ClockSnapshot.objects.get(case=case, key=key)


@time_machine.travel(NOW)
def test_clocks_are_computed_when_a_case_is_opened_and_met_when_the_plan_is_recorded(caseworker):
    case = open_case(worker=caseworker, today=dt.date(2026, 2, 20))
    plan = snap(case, "case_plan")
    assert (plan.status, plan.due) == ("running", dt.date(2026, 3, 11))
    assert snap(case, "relative_notice").status == "overdue"
    plan_services.case_plan_record(
        actor=caseworker, episode=case.episodes.get(), completed_on=dt.date(2026, 2, 19)
    )
    plan = snap(case, "case_plan")
    assert (plan.status, plan.met_on) == ("met", dt.date(2026, 2, 19))


@time_machine.travel(NOW)
def test_recording_a_relative_notice_and_a_visit_updates_clocks(caseworker):
    case = open_case(worker=caseworker, today=dt.date(2026, 2, 20))
    episode = case.episodes.get()
    case_services.relative_notice_record(
        actor=caseworker, episode=episode, sent_on=dt.date(2026, 2, 1), relatives_notified=3
    )
    assert snap(case, "relative_notice").status == "met"
    contact_services.contact_record(
        actor=caseworker, case=case, child=episode.child, occurred_on=dt.date(2026, 2, 19)
    )
    assert ClockSnapshot.objects.filter(case=case).count() >= 12


@time_machine.travel(NOW)
def test_concurrent_review_unlikely_without_a_concurrent_goal_is_flagged(caseworker):
    case = open_case(worker=caseworker, today=dt.date(2026, 2, 20))
    episode = case.episodes.get()
    case_services.concurrent_review_record(
        actor=caseworker,
        episode=episode,
        reviewed_on=dt.date(2026, 2, 20),
        reunification_likely=False,
    )
    assert snap(case, "concurrent_review").status == "overdue"
    episode.refresh_from_db()
    case_services.goal_set(
        actor=caseworker,
        episode=episode,
        expected_version=episode.version,
        kind="adoption",
        is_concurrent=True,
        on=dt.date(2026, 2, 20),
        reason="Reunification within 6 months unlikely",
    )
    assert snap(case, "concurrent_review").status == "met"


@time_machine.travel(NOW)
def test_agency_profile_changes_the_clocks_on_the_next_computation(caseworker):
    case = open_case(worker=caseworker, today=dt.date(2026, 2, 20))
    assert not ClockSnapshot.objects.filter(case=case, key="shelter_hearing").exists()
    agency = case.agency
    agency.clock_profile = "washington"
    agency.save()
    case.refresh_from_db()
    services.case_clocks_refresh(case=case)
    assert snap(case, "shelter_hearing").status == "overdue"


def test_malformed_profiles_are_refused_naming_the_field(tmp_path):
    (tmp_path / "federal.toml").write_text(
        'key = "federal"\nname = "Federal"\n[durations]\ncase_plan_days = "sixty"\n'
    )
    with pytest.raises(
        ProfileError, match=r"federal.toml: durations.case_plan_days must be a whole number"
    ):
        load_all(tmp_path)
    (tmp_path / "federal.toml").write_text(
        'key = "federal"\nname = "Federal"\n[durations]\ncase_plan_dayz = 30\n'
    )
    with pytest.raises(ProfileError, match=r"durations.case_plan_dayz is not a known duration"):
        load_all(tmp_path)
    (tmp_path / "federal.toml").write_text('key = "federal"\nname = "Federal"\n')
    (tmp_path / "ohio.toml").write_text('key = "ohio"\nname = "Ohio"\nextends = "texas"\n')
    with pytest.raises(ProfileError, match=r"ohio.toml: 'extends' names unknown profile 'texas'"):
        load_all(tmp_path)


def test_practice_rules_are_true_or_false_and_inherited(tmp_path):
    (tmp_path / "federal.toml").write_text(
        'key = "federal"\nname = "Federal"\n[rules]\nthv_requires_court_authorization = true\n'
    )
    (tmp_path / "ohio.toml").write_text('key = "ohio"\nname = "Ohio"\nextends = "federal"\n')
    assert load_all(tmp_path)["ohio"].thv_requires_court_authorization is True
    (tmp_path / "ohio.toml").write_text(
        'key = "ohio"\nname = "Ohio"\nextends = "federal"\n[rules]\n'
        "thv_requires_court_authorization = 1\n"
    )
    with pytest.raises(ProfileError, match=r"rules.thv_requires_court_authorization must be true"):
        load_all(tmp_path)
    (tmp_path / "ohio.toml").write_text(
        'key = "ohio"\nname = "Ohio"\n[durations]\nthv_requires_court_authorization = 1\n'
    )
    with pytest.raises(ProfileError, match=r"durations.thv_requires_court_authorization is not"):
        load_all(tmp_path)
    assert profiles.get("washington").thv_requires_court_authorization is True
    assert profiles.get("federal").aftercare_months == 6


def test_two_profiles_ship_and_washington_adds_state_clocks():
    shipped = profiles.load_all()
    assert set(shipped) >= {"federal", "washington"}
    assert shipped["washington"].shelter_hearing_days == 3
    assert shipped["washington"].first_visit_after_placement_days == 7
    assert shipped["federal"].shelter_hearing_days == 0


@time_machine.travel(NOW)
def test_whats_due_lists_overdue_first_with_explanations_and_bounded_queries(
    client, caseworker, other_caseworker
):
    for _ in range(3):
        open_case(worker=caseworker, today=dt.date(2026, 2, 20))
    for _ in range(30):
        open_case(worker=other_caseworker, today=dt.date(2026, 2, 20))
    client.force_login(caseworker)
    with CaptureQueriesContext(connection) as small:
        response = client.get(reverse("clocks:due"))
    html = response.content.decode()
    assert "Notice to adult relatives due" in html
    dues = [s.due for s, _action in response.context["rows"]]
    assert dues == sorted(dues)
    assert response.context["rows"][0][0].status == "overdue"
    client.force_login(other_caseworker)
    with CaptureQueriesContext(connection) as large:
        client.get(reverse("clocks:due"))
    assert len(large) == len(small)


# The worker closes its database connection as a real worker does, so this test commits.
@pytest.mark.django_db(transaction=True)
@time_machine.travel(
    dt.datetime(2026, 3, 6, 15, 0, tzinfo=dt.UTC)
)  # the case plan is due on 2026-03-11
def test_nightly_task_runs_on_the_database_backend_and_sends_digests(caseworker, other_caseworker):
    case = open_case(worker=caseworker, today=dt.date(2026, 3, 6))
    ClockSnapshot.objects.all().delete()
    other_caseworker.wants_digest = False
    other_caseworker.save()
    open_case(worker=other_caseworker, today=dt.date(2026, 3, 6))
    ClockSnapshot.objects.all().delete()
    call_command("scheduler", "--once", "--hour", "0")
    call_command("scheduler", "--once", "--hour", "0")  # once a day only
    call_command("db_worker", "--batch", "--no-startup-delay")
    assert ClockSnapshot.objects.filter(case=case).exists()
    assert [m.to for m in mail.outbox] == [[caseworker.email]]
    body = mail.outbox[0].body
    assert "Due within 7 days:" in body
    assert "Initial case plan" in body


@time_machine.travel(NOW)
def test_digest_opt_out_page(client, caseworker):
    client.force_login(caseworker)
    assert client.post(reverse("clocks:digest"), {}).status_code == 400  # not the form's post
    caseworker.refresh_from_db()
    assert caseworker.wants_digest is True
    assert client.post(reverse("clocks:digest"), {"sent": "1"}).status_code == 302
    caseworker.refresh_from_db()
    assert caseworker.wants_digest is False


@time_machine.travel(NOW)
def test_unit_view_shows_clocks_by_worker_and_on_time_rates(client, caseworker, supervisor):
    case = open_case(worker=caseworker, today=dt.date(2026, 2, 20))
    plan_services.case_plan_record(
        actor=caseworker, episode=case.episodes.get(), completed_on=dt.date(2026, 2, 1)
    )
    client.force_login(supervisor)
    response = client.get(
        reverse("clocks:unit", args=[caseworker.unit_id]),
        {"start": "2026-01-01", "end": "2026-02-20"},
    )
    assert response.status_code == 200
    compliance = {c.key: (c.due, c.on_time) for c in response.context["compliance"]}
    assert compliance["relative_notice"] == (1, 0)
    workers = response.context["workers"]
    assert workers[0].overdue >= 1
