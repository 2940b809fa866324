"""Case pages through the test client: bounded queries, messages next to fields, partials."""

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reunify.cases.models import FamilyCase, Placement, RemovalEpisode
from reunify.cases.tests.factories import ProviderFactory, open_case
from reunify.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def _caseload_queries(client, worker, count):
    for _ in range(count):
        open_case(worker=worker, children=2)
    client.force_login(worker)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("cases:caseload"))
    assert response.status_code == 200
    return len(queries), response


def test_caseload_query_count_does_not_grow_with_caseload(client, caseworker, other_caseworker):
    small, _ = _caseload_queries(client, caseworker, 10)
    large, response = _caseload_queries(client, other_caseworker, 200)
    assert large == small
    assert large <= 15
    assert response.context["page"].paginator.count == 200
    assert len(response.context["page"].object_list) == 25


@time_machine.travel(dt.datetime(2026, 11, 1, 15, 0, tzinfo=dt.UTC))
def test_caseload_shows_child_age_days_in_care_setting_goal_and_worker(client, caseworker):
    case = open_case(worker=caseworker, children=1, name="Quintero")
    client.force_login(caseworker)
    html = client.get(reverse("cases:caseload")).content.decode()
    child = case.participants.get(role="child").person
    assert child.first_name in html
    assert "(11)" in html  # born 2015-03-01 -> 11 on 2026-11-01
    assert "295 days" in html  # removed 2026-01-10 -> 295 days
    assert "Foster family home, non-relative" in html
    assert "Reunification (primary)" in html
    assert str(caseworker) in html


def test_caseload_search_and_htmx_partial(client, caseworker):
    open_case(worker=caseworker, name="Alvarez")
    open_case(worker=caseworker, name="Brennan")
    client.force_login(caseworker)
    response = client.get(reverse("cases:caseload"), {"q": "alva"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert "Alvarez family" in html
    assert "Brennan family" not in html
    assert "<html" not in html  # only the results partial


def test_caseload_sorts_longest_in_care_first(client, caseworker):
    open_case(worker=caseworker, name="Newer", opened_on=dt.date(2026, 5, 1))
    open_case(worker=caseworker, name="Older", opened_on=dt.date(2025, 5, 1))
    client.force_login(caseworker)
    rows = client.get(reverse("cases:caseload"), {"sort": "longest"}).context["page"].object_list
    assert [r.case.name for r in rows] == ["Older family", "Newer family"]


def test_case_page_records_an_access_event_and_shows_history(client, caseworker):
    case = open_case(worker=caseworker, children=2)
    client.force_login(caseworker)
    response = client.get(reverse("cases:case-detail", args=[case.pk]))
    assert response.status_code == 200
    assert (
        AuditEvent.objects.filter(action="case.viewed", case_id=case.pk, actor=caseworker).count()
        == 1
    )
    html = response.content.decode()
    assert "reunify-timeline" in html
    assert "Assigned workers" in html
    assert "Family network" in html


def _open_case_post(provider, **child_overrides):
    data = {
        "name": "Ortega family",
        "opened_on": "2026-02-01",
        "children-TOTAL_FORMS": "1",
        "children-INITIAL_FORMS": "0",
        "children-MIN_NUM_FORMS": "1",
        "children-MAX_NUM_FORMS": "12",
        "children-0-first_name": "Lucia",
        "children-0-last_name": "Ortega",
        "children-0-date_of_birth": "2019-04-02",
        "children-0-sex": "female",
        "children-0-hispanic_ethnicity": "yes",
        "children-0-icwa_status": "not_applicable",
        "children-0-races": ["white", "american_indian"],
        "children-0-removed": "on",
        "children-0-removed_on": "2026-02-01",
        "children-0-legal_authority": "court_order",
        "children-0-reasons": ["neglect"],
        "children-0-setting": "foster_family_nonrelative",
        "children-0-provider": str(provider.pk),
        "children-0-goal": "reunification",
        "children-0-concurrent_goal": "",
        "parents-TOTAL_FORMS": "0",
        "parents-INITIAL_FORMS": "0",
        "parents-MIN_NUM_FORMS": "0",
        "parents-MAX_NUM_FORMS": "6",
        "others-TOTAL_FORMS": "0",
        "others-INITIAL_FORMS": "0",
        "others-MIN_NUM_FORMS": "0",
        "others-MAX_NUM_FORMS": "12",
    }
    data.update(child_overrides)
    return data


def test_open_case_form_creates_the_case(client, caseworker):
    provider = ProviderFactory(agency=caseworker.agency)
    client.force_login(caseworker)
    response = client.post(reverse("cases:case-open"), _open_case_post(provider))
    assert response.status_code == 302
    case = FamilyCase.objects.get(name="Ortega family")
    child = case.participants.get(role="child").person
    assert sorted(child.races.values_list("race", flat=True)) == ["american_indian", "white"]
    assert child.hispanic_ethnicity == "yes"
    assert RemovalEpisode.objects.filter(case=case).count() == 1


@pytest.mark.parametrize(
    ("override", "field", "message"),
    [
        (
            {"children-0-date_of_birth": "2099-01-01"},
            "date_of_birth",
            "A date of birth cannot be in the future.",
        ),
        (
            {"children-0-removed_on": "2018-01-01"},
            "removed_on",
            "A removal cannot be dated before the child&#x27;s birth.",
        ),
        (
            {"children-0-legal_authority": ""},
            "legal_authority",
            "Choose the legal authority for the removal.",
        ),
        (
            {"children-0-provider": ""},
            "provider",
            "Choose the resource family or facility for this setting.",
        ),
    ],
)
def test_open_case_form_shows_the_message_next_to_the_field_and_saves_nothing(
    client, caseworker, override, field, message
):
    provider = ProviderFactory(agency=caseworker.agency)
    client.force_login(caseworker)
    response = client.post(reverse("cases:case-open"), _open_case_post(provider, **override))
    assert response.status_code == 400
    html = response.content.decode()
    assert f'id="id_children-0-{field}_error">{message}</span>' in html
    assert not FamilyCase.objects.exists()


def test_stale_placement_change_shows_who_changed_it(client, caseworker, supervisor):
    case = open_case(worker=caseworker)
    episode = case.episodes.get()
    client.force_login(supervisor)
    url = reverse("cases:placement-change", args=[episode.pk])
    form = {
        "started_on": "2026-03-01",
        "end_reason": "step_down",
        "setting": "runaway",
        "version": str(episode.version),
    }
    assert client.post(url, form).status_code == 302
    client.force_login(caseworker)
    response = client.post(url, form | {"started_on": "2026-04-01"})
    assert response.status_code == 400
    assert str(supervisor.get_full_name()) in response.content.decode()
    assert Placement.objects.filter(episode=episode).count() == 2


@pytest.mark.parametrize(
    ("url_name", "form", "field", "message"),
    [
        (
            "cases:episode-discharge",
            {"discharged_on": "2025-12-01", "reason": "reunification"},
            "discharged_on",
            "A discharge cannot be dated before the removal.",
        ),
        (
            "cases:episode-discharge",
            {"discharged_on": "2026-05-01", "reason": ""},
            "reason",
            "This field is required.",
        ),
        (
            "cases:placement-change",
            {"started_on": "2026-01-05", "end_reason": "other", "setting": "runaway"},
            "started_on",
            "The new placement cannot start before the current one began.",
        ),
        (
            "cases:placement-change",
            {"started_on": "2026-03-01", "end_reason": "", "setting": "runaway"},
            "end_reason",
            "This field is required.",
        ),
        (
            "cases:goal-set",
            {"slot": "concurrent", "kind": "adoption", "on": "2026-03-01", "reason": ""},
            "reason",
            "This field is required.",
        ),
        (
            "cases:goal-set",
            {"slot": "primary", "kind": "reunification", "on": "2026-03-01", "reason": "Review"},
            "kind",
            "That is already the current goal.",
        ),
    ],
)
def test_episode_forms_show_the_message_next_to_the_field_and_change_nothing(
    client, caseworker, url_name, form, field, message
):
    episode = open_case(worker=caseworker).episodes.get()
    client.force_login(caseworker)
    before = AuditEvent.objects.filter(kind="change").count()
    response = client.post(
        reverse(url_name, args=[episode.pk]), form | {"version": str(episode.version)}
    )
    assert response.status_code == 400
    assert f'id="id_{field}_error">{message}</span>' in response.content.decode()
    assert AuditEvent.objects.filter(kind="change").count() == before
    episode.refresh_from_db()
    assert episode.is_open
    assert episode.placements.count() == 1
