"""Contact pages through the test client: recording, a child's months, unit and agency
compliance with a bounded number of queries."""

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reunify.cases.models import ParticipantRole
from reunify.cases.tests.factories import open_case
from reunify.contacts import services
from reunify.contacts.models import CaseworkerContact
from reunify.core.models import AuditEvent

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 11, 15, 15, 0, tzinfo=dt.UTC)  # the factory removes on 2026-01-10
TODAY = dt.date(2026, 11, 15)


def children(case):
    return [p.person for p in case.participants.filter(role=ParticipantRole.CHILD)]


def visit(case, child, on, **kwargs):
    return services.contact_record(
        actor=case.worker, case=case, child=child, occurred_on=on, today=TODAY, **kwargs
    )


@time_machine.travel(NOW)
def test_recording_a_contact_from_the_form(client, caseworker):
    case = open_case(worker=caseworker)
    child = children(case)[0]
    mother = case.participants.get(role=ParticipantRole.PARENT).person
    client.force_login(caseworker)
    url = reverse("contacts:visit-record", args=[case.pk, child.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert mother.full_name in page.content.decode()
    response = client.post(
        url,
        {
            "occurred_on": "2026-11-14",
            "seen": "mother",
            "person": mother.pk,
            "face_to_face": "on",
            "location_reason": "Agency office",
            "purposes": ["safety", "case_plan"],
            "duration_minutes": "30",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("contacts:child-contacts", args=[case.pk, child.pk])
    contact = CaseworkerContact.objects.get()
    assert (contact.seen, contact.person, contact.in_child_residence) == ("mother", mother, False)
    assert sorted(contact.purposes.values_list("purpose", flat=True)) == ["case_plan", "safety"]


@time_machine.travel(NOW)
def test_a_refused_contact_shows_the_message_next_to_the_field(client, caseworker):
    case = open_case(worker=caseworker)
    child = children(case)[0]
    client.force_login(caseworker)
    response = client.post(
        reverse("contacts:visit-record", args=[case.pk, child.pk]),
        {"occurred_on": "2026-11-14", "seen": "child", "face_to_face": "on"},
    )
    assert response.status_code == 400
    form = response.context["form"]
    assert "location_reason" in form.errors
    assert not CaseworkerContact.objects.exists()


@time_machine.travel(NOW)
def test_the_child_page_lists_contacts_and_months_missed(client, caseworker):
    case = open_case(worker=caseworker)
    child = children(case)[0]
    visit(case, child, dt.date(2026, 9, 3), note="Visited at home")
    visit(case, child, dt.date(2026, 10, 3), face_to_face=False)
    client.force_login(caseworker)
    response = client.get(reverse("contacts:child-contacts", args=[case.pk, child.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Visited at home" in html
    tally = response.context["tally"]
    assert (tally.months, tally.visited) == (9, 1)  # February to October; January is partial
    missed = response.context["detail"].compliance.missed
    assert dt.date(2026, 10, 1) in missed
    assert dt.date(2026, 9, 1) not in missed
    assert "October 2026" in html


@time_machine.travel(NOW)
def test_the_agency_admin_reads_but_does_not_record(client, caseworker, agency_admin):
    case = open_case(worker=caseworker)
    child = children(case)[0]
    client.force_login(agency_admin)
    page = client.get(reverse("contacts:child-contacts", args=[case.pk, child.pk]))
    assert page.status_code == 200
    assert "Record a contact" not in page.content.decode()
    assert client.get(reverse("contacts:visit-record", args=[case.pk, child.pk])).status_code == 403
    assert AuditEvent.objects.filter(action="denied.contact.record").count() == 1


def _unit_queries(client, supervisor, unit):
    client.force_login(supervisor)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("contacts:unit-compliance", args=[unit.pk]))
    assert response.status_code == 200
    return len(queries), response.context["report"]


@time_machine.travel(NOW)
def test_unit_compliance_queries_do_not_grow_with_caseload(
    client, caseworker, other_caseworker, supervisor, unit
):
    first = open_case(worker=caseworker, children=5)
    for child in children(first):
        visit(first, child, dt.date(2026, 10, 20))
    small, report = _unit_queries(client, supervisor, unit)
    assert (report.tally.months, report.tally.visited, report.missed) == (5, 5, [])
    for i in range(9):
        case = open_case(worker=other_caseworker if i % 2 else caseworker, children=5)
        visit(
            case,
            children(case)[0],
            dt.date(2026, 10, 20),
            in_child_residence=False,
            location_reason="School",
        )
    large, report = _unit_queries(client, supervisor, unit)
    assert large == small
    assert large <= 13  # 12 before the staff second-factor check read the agency (issue 7)
    assert (report.tally.months, report.tally.visited, report.tally.in_residence) == (50, 14, 5)
    assert len(report.missed) == 36
    assert report.tally.meets_target is False
    assert report.tally.residence_majority is False  # 5 of 14 visited months at home
    assert {w.worker for w in report.workers} == {caseworker, other_caseworker}


@time_machine.travel(NOW)
def test_agency_compliance_for_a_chosen_period(client, caseworker, agency_admin, other_supervisor):
    case = open_case(worker=caseworker)
    child = children(case)[0]
    visit(case, child, dt.date(2026, 8, 10))
    client.force_login(agency_admin)
    url = reverse("contacts:agency-compliance")
    response = client.get(url, {"start": "2026-08-01", "end": "2026-09-30"})
    report = response.context["report"]
    assert (report.tally.months, report.tally.visited) == (2, 1)
    assert [m.month for m in report.missed] == [dt.date(2026, 9, 1)]
    assert child.full_name in response.content.decode()
    assert client.get(url, {"start": "2026-09-30", "end": "2026-08-01"}).status_code == 400
    client.force_login(other_supervisor)
    assert client.get(url).status_code == 403
