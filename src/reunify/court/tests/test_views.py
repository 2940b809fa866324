"""Court pages through the test client: messages next to fields, nothing changed on a refusal,
stale edits named, the calendar and the case page's court section in bounded queries."""

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from reunify.cases.tests.factories import open_case
from reunify.core.models import AuditEvent
from reunify.court import services
from reunify.court.models import CourtOrder, Finding, Hearing, HearingKind, HearingStatus, Petition

NOW = dt.datetime(2026, 11, 1, 15, 0, tzinfo=dt.UTC)
TODAY = dt.date(2026, 11, 1)
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(NOW):
        yield


def child_of(case):
    return case.participants.get(role="child").person


def schedule(case, actor, on=dt.date(2026, 3, 2), kind=HearingKind.ADJUDICATION):
    return services.hearing_schedule(actor=actor, case=case, kind=kind, scheduled_for=on)


def held(case, actor, on=dt.date(2026, 3, 2), kind=HearingKind.ADJUDICATION):
    hearing = schedule(case, actor, on=on, kind=kind)
    return services.hearing_record_held(
        actor=actor, hearing=hearing, expected_version=1, held_on=on
    )


def changes():
    return AuditEvent.objects.filter(kind=AuditEvent.Kind.CHANGE).count()


# ---- the forms ---------------------------------------------------------------------------------


def test_schedule_a_hearing_and_see_it_on_the_case_page(client, caseworker):
    case = open_case(worker=caseworker)
    client.force_login(caseworker)
    response = client.post(
        reverse("court:hearing-schedule", args=[case.pk]),
        {"kind": "adjudication", "scheduled_for": "2026-11-20", "scheduled_time": "09:30"},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("cases:case-detail", args=[case.pk]) + "#court"
    hearing = Hearing.objects.get(case=case)
    assert (hearing.scheduled_for, hearing.scheduled_time) == (
        dt.date(2026, 11, 20),
        dt.time(9, 30),
    )
    html = client.get(response["Location"]).content.decode()
    assert 'id="court"' in html
    assert "Adjudication hearing" in html
    assert reverse("court:hearing-held", args=[hearing.pk]) in html


def test_record_held_continue_and_vacate_through_the_pages(client, caseworker):
    case = open_case(worker=caseworker)
    first = schedule(case, caseworker)
    second = schedule(case, caseworker, on=dt.date(2026, 4, 1), kind=HearingKind.DISPOSITION)
    third = schedule(case, caseworker, on=dt.date(2026, 5, 1), kind=HearingKind.REVIEW)
    client.force_login(caseworker)
    ok = client.post(
        reverse("court:hearing-held", args=[first.pk]),
        {"held_on": "2026-03-02", "attendees": "Mother, GAL", "version": "1"},
    )
    assert ok.status_code == 302
    ok = client.post(
        reverse("court:hearing-continue", args=[second.pk]),
        {"new_date": "2026-04-15", "reason": "Interpreter unavailable", "version": "1"},
    )
    assert ok.status_code == 302
    ok = client.post(
        reverse("court:hearing-vacate", args=[third.pk]),
        {"reason": "Consolidated with the disposition", "version": "1"},
    )
    assert ok.status_code == 302
    statuses = dict(Hearing.objects.filter(case=case).values_list("pk", "status"))
    assert statuses[first.pk] == HearingStatus.HELD
    assert statuses[second.pk] == HearingStatus.CONTINUED
    assert statuses[third.pk] == HearingStatus.VACATED
    html = client.get(reverse("cases:case-detail", args=[case.pk])).content.decode()
    assert "continued to" in html
    assert "Interpreter unavailable" in html
    assert "Consolidated with the disposition" in html
    assert "Mother, GAL" in html


@pytest.mark.parametrize(
    ("url_name", "form", "field", "message"),
    [
        (
            "court:hearing-held",
            {"held_on": "2026-11-02"},
            "held_on",
            "This date is in the future; record events once they have happened.",
        ),
        ("court:hearing-held", {"held_on": ""}, "held_on", "This field is required."),
        (
            "court:hearing-continue",
            {"new_date": "2026-03-01", "reason": "Judge ill"},
            "new_date",
            "A continuance moves the hearing to a later date than the one it was scheduled for.",
        ),
        (
            "court:hearing-continue",
            {"new_date": "2026-04-01", "reason": ""},
            "reason",
            "This field is required.",
        ),
        ("court:hearing-vacate", {"reason": ""}, "reason", "This field is required."),
    ],
)
def test_hearing_forms_show_the_message_next_to_the_field_and_change_nothing(
    client, caseworker, url_name, form, field, message
):
    hearing = schedule(open_case(worker=caseworker), caseworker)
    client.force_login(caseworker)
    before = changes()
    response = client.post(reverse(url_name, args=[hearing.pk]), form | {"version": "1"})
    assert response.status_code == 400
    assert f'id="id_{field}_error">{message}</span>' in response.content.decode()
    assert changes() == before
    hearing.refresh_from_db()
    assert (hearing.status, hearing.version) == (HearingStatus.SCHEDULED, 1)
    assert Hearing.objects.count() == 1


@pytest.mark.parametrize(
    ("url_name", "form", "field", "message"),
    [
        (
            "court:finding-record",
            {"kind": "contrary_to_welfare", "made_on": "2026-03-01", "hearing": "HEARING"},
            "made_on",
            "This date cannot be before the hearing was held.",
        ),
        (
            "court:finding-record",
            {"kind": "contrary_to_welfare", "made_on": "2026-11-02"},
            "made_on",
            "This date is in the future; record events once they have happened.",
        ),
        (
            "court:order-record",
            {"kind": "thv_authorization", "issued_on": "2026-03-02", "text": "THV"}
            | {"effective_until": "2026-03-01"},
            "effective_until",
            "An order&#x27;s end date must come after it was issued.",
        ),
        (
            "court:order-record",
            {"kind": "dismissal", "issued_on": "2026-03-02", "text": "Dismissed"}
            | {"effective_until": "2026-09-01"},
            "effective_until",
            "A dismissal has no end date.",
        ),
        (
            "court:order-record",
            {"kind": "custody", "issued_on": "2026-03-02", "text": ""},
            "text",
            "This field is required.",
        ),
        (
            "court:petition-file",
            {"kind": "dependency", "filed_on": "2026-11-05", "grounds": "Neglect"},
            "filed_on",
            "This date is in the future; record events once they have happened.",
        ),
        (
            "court:petition-file",
            {"kind": "", "filed_on": "2026-01-11", "grounds": "Neglect"},
            "kind",
            "This field is required.",
        ),
    ],
)
def test_case_forms_show_the_message_next_to_the_field_and_change_nothing(
    client, caseworker, url_name, form, field, message
):
    case = open_case(worker=caseworker)
    hearing = held(case, caseworker)
    data = {"child": str(child_of(case).pk)} | form
    if data.get("hearing") == "HEARING":
        data["hearing"] = str(hearing.pk)
    client.force_login(caseworker)
    before = (changes(), Finding.objects.count(), CourtOrder.objects.count())
    response = client.post(reverse(url_name, args=[case.pk]), data)
    assert response.status_code == 400
    assert f'id="id_{field}_error">{message}</span>' in response.content.decode()
    assert (changes(), Finding.objects.count(), CourtOrder.objects.count()) == before
    assert not Petition.objects.exists()


def test_a_child_of_another_case_is_not_a_choice(client, caseworker):
    case = open_case(worker=caseworker)
    stranger = child_of(open_case(worker=caseworker))
    client.force_login(caseworker)
    response = client.post(
        reverse("court:finding-record", args=[case.pk]),
        {"child": str(stranger.pk), "kind": "contrary_to_welfare", "made_on": "2026-01-10"},
    )
    assert response.status_code == 400
    assert 'id="id_child_error"' in response.content.decode()
    assert not Finding.objects.exists()


def test_finding_and_order_at_a_hearing_are_listed_under_it(client, caseworker):
    case = open_case(worker=caseworker)
    hearing = held(case, caseworker)
    client.force_login(caseworker)
    url = reverse("court:finding-record", args=[case.pk])
    page = client.get(url, {"hearing": hearing.pk})
    assert page.context["form"]["hearing"].value() == hearing.pk
    assert page.context["form"]["made_on"].value() == dt.date(2026, 3, 2)
    response = client.post(
        url,
        {
            "child": str(child_of(case).pk),
            "kind": "abuse_neglect_adjudicated",
            "hearing": str(hearing.pk),
            "made_on": "2026-03-02",
        },
    )
    assert response.status_code == 302
    response = client.post(
        reverse("court:order-record", args=[case.pk]),
        {
            "kind": "services_ordered",
            "child": "",
            "hearing": str(hearing.pk),
            "issued_on": "2026-03-02",
            "text": "Parenting classes and drug screens",
        },
    )
    assert response.status_code == 302
    finding = Finding.objects.get()
    assert finding.hearing == hearing
    assert CourtOrder.objects.get().child is None
    html = client.get(reverse("cases:case-detail", args=[case.pk])).content.decode()
    assert "Child adjudicated abused or neglected" in html
    assert "Parenting classes and drug screens" in html


def test_petition_through_the_page(client, caseworker):
    case = open_case(worker=caseworker)
    client.force_login(caseworker)
    response = client.post(
        reverse("court:petition-file", args=[case.pk]),
        {"kind": "dependency", "child": "", "filed_on": "2026-01-11", "grounds": "Neglect"},
    )
    assert response.status_code == 302
    assert Petition.objects.get().child is None
    html = client.get(reverse("cases:case-detail", args=[case.pk])).content.decode()
    assert "Dependency (abuse or neglect)" in html


def test_stale_hearing_edit_shows_who_changed_it(client, caseworker, supervisor):
    hearing = schedule(open_case(worker=caseworker), caseworker)
    client.force_login(supervisor)
    vacated = client.post(
        reverse("court:hearing-vacate", args=[hearing.pk]), {"reason": "Moot", "version": "1"}
    )
    assert vacated.status_code == 302
    client.force_login(caseworker)
    response = client.post(
        reverse("court:hearing-held", args=[hearing.pk]), {"held_on": "2026-03-02", "version": "1"}
    )
    assert response.status_code == 400
    assert supervisor.get_full_name() in response.content.decode()
    hearing.refresh_from_db()
    assert (hearing.status, hearing.held_on) == (HearingStatus.VACATED, None)


def test_an_outcome_on_a_hearing_already_decided_is_refused_at_the_top(client, caseworker):
    hearing = held(open_case(worker=caseworker), caseworker)
    client.force_login(caseworker)
    response = client.post(
        reverse("court:hearing-vacate", args=[hearing.pk]),
        {"reason": "Moot", "version": str(hearing.version)},
    )
    assert response.status_code == 400
    assert "this one is held" in response.content.decode()


# ---- the calendar ------------------------------------------------------------------------------


def _calendar_queries(client, worker, count, when="upcoming"):
    case = open_case(worker=worker)
    start = TODAY + dt.timedelta(days=1) if when == "upcoming" else dt.date(2026, 1, 12)
    Hearing.objects.bulk_create(
        Hearing(case=case, kind=HearingKind.REVIEW, scheduled_for=start + dt.timedelta(days=i))
        for i in range(count)
    )
    client.force_login(worker)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("court:calendar"), {"when": when})
    assert response.status_code == 200
    return len(queries), response


@pytest.mark.parametrize("when", ["upcoming", "recent"])
def test_calendar_query_count_does_not_grow_with_hearings(
    client, caseworker, other_caseworker, when
):
    small, _ = _calendar_queries(client, caseworker, 5, when)
    large, response = _calendar_queries(client, other_caseworker, 50, when)
    assert large == small
    assert large <= 10
    page = response.context["page"]
    assert page.paginator.count == 50
    assert len(page.object_list) == 25


def test_calendar_upcoming_soonest_first_recent_latest_first(client, caseworker):
    case = open_case(worker=caseworker)
    for day in (dt.date(2026, 12, 1), dt.date(2026, 11, 5), dt.date(2026, 11, 1)):
        schedule(case, caseworker, on=day)
    for day in (dt.date(2026, 5, 1), dt.date(2026, 9, 1)):
        held(case, caseworker, on=day, kind=HearingKind.REVIEW)
    schedule(case, caseworker, on=dt.date(2026, 10, 1), kind=HearingKind.PERMANENCY)
    client.force_login(caseworker)
    upcoming = client.get(reverse("court:calendar")).context["page"].object_list
    assert [h.scheduled_for for h in upcoming] == [
        dt.date(2026, 11, 1),
        dt.date(2026, 11, 5),
        dt.date(2026, 12, 1),
    ]
    response = client.get(reverse("court:calendar"), {"when": "recent"})
    recent = response.context["page"].object_list
    assert [h.scheduled_for for h in recent] == [
        dt.date(2026, 10, 1),
        dt.date(2026, 9, 1),
        dt.date(2026, 5, 1),
    ]
    assert response.context["awaiting"] == 1
    assert "Outcome not recorded" in response.content.decode()


def test_calendar_shows_the_hearings_each_role_may_see(
    client, caseworker, other_caseworker, supervisor, other_supervisor, agency_admin, foreign_admin
):
    mine = schedule(open_case(worker=caseworker, name="Mineone"), caseworker, on=TODAY)
    theirs = schedule(
        open_case(worker=other_caseworker, name="Theirsone"), other_caseworker, on=TODAY
    )
    elsewhere = schedule(
        open_case(worker=other_supervisor, name="Elsewhere"), other_supervisor, on=TODAY
    )

    def seen(user):
        client.force_login(user)
        return {h.pk for h in client.get(reverse("court:calendar")).context["page"].object_list}

    assert seen(caseworker) == {mine.pk}
    assert seen(supervisor) == {mine.pk, theirs.pk}
    assert seen(agency_admin) == {mine.pk, theirs.pk, elsewhere.pk}
    assert seen(foreign_admin) == set()


# ---- the case page's court section -------------------------------------------------------------


def _case_page_queries(client, worker, hearings):
    case = open_case(worker=worker)
    child = child_of(case)
    for i in range(hearings):
        hearing = held(case, worker, on=dt.date(2026, 1, 12) + dt.timedelta(days=i))
        services.finding_record(
            actor=worker, case=case, child=child, kind="re_prevent_removal", made_on=hearing.held_on
        )
        services.order_record(
            actor=worker, case=case, kind="custody", issued_on=hearing.held_on, text="Custody"
        )
    last = schedule(case, worker, on=dt.date(2026, 12, 1))
    services.hearing_continue(
        actor=worker,
        hearing=last,
        expected_version=1,
        reason="Judge ill",
        new_date=dt.date(2026, 12, 15),
    )
    client.force_login(worker)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("cases:case-detail", args=[case.pk]))
    assert response.status_code == 200
    return len(queries), response


def test_case_page_court_section_queries_do_not_grow_with_hearings(
    client, caseworker, other_caseworker
):
    small, _ = _case_page_queries(client, caseworker, 2)
    large, response = _case_page_queries(client, other_caseworker, 20)
    assert large == small
    html = response.content.decode()
    court = html[html.index('id="court"') : html.index("Family network")]
    assert court.count("Reasonable efforts to prevent removal") == 20


def test_case_page_court_links_only_for_those_who_may_record(client, caseworker, agency_admin):
    case = open_case(worker=caseworker)
    hearing = schedule(case, caseworker)
    schedule_url = reverse("court:hearing-schedule", args=[case.pk])
    held_url = reverse("court:hearing-held", args=[hearing.pk])
    client.force_login(caseworker)
    html = client.get(reverse("cases:case-detail", args=[case.pk])).content.decode()
    assert schedule_url in html
    assert held_url in html
    client.force_login(agency_admin)
    html = client.get(reverse("cases:case-detail", args=[case.pk])).content.decode()
    assert "Adjudication hearing" in html
    assert schedule_url not in html
    assert held_url not in html


def test_spanish_court_pages_render(client, caseworker):
    case = open_case(worker=caseworker)
    hearing = schedule(case, caseworker)
    client.force_login(caseworker)
    # The locale middleware leaves Spanish active in this thread; put the language back after.
    with translation.override(translation.get_language()):
        for url in (
            f"/es/court/cases/{case.pk}/hearings/new/",
            f"/es/court/hearings/{hearing.pk}/held/",
            "/es/court/calendar/",
            f"/es/cases/{case.pk}/",
        ):
            assert client.get(url).status_code == 200, url


def test_case_page_names_the_next_hearing_and_past_ones_awaiting_an_outcome(client, caseworker):
    case = open_case(worker=caseworker)
    schedule(case, caseworker, on=dt.date(2026, 10, 1), kind=HearingKind.REVIEW)
    schedule(case, caseworker, on=dt.date(2026, 11, 20), kind=HearingKind.PERMANENCY)
    client.force_login(caseworker)
    html = client.get(reverse("cases:case-detail", args=[case.pk])).content.decode()
    assert "Next hearing: Permanency hearing on Nov. 20, 2026" in html
    court = html[html.index('id="court"') : html.index("Family network")]
    assert court.count("Outcome not recorded") == 1
