"""The intake report: recorded and corrected by whoever edits the case, refused with a clear
message when a date is wrong or the form is stale, audited without its confidential values."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from reunify.cases import services
from reunify.cases.models import IntakeReport
from reunify.cases.tests.factories import open_case
from reunify.core.concurrency import StaleEditError
from reunify.core.models import AuditEvent

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 3, 2)
REPORTER = "Qzreporterintake"


def _data(**changes) -> services.IntakeReportInput:
    values = {
        "received_on": dt.date(2026, 1, 8),
        "reporter_role": IntakeReport.ReporterRole.EDUCATION,
        "reporter_name": REPORTER,
        "narrative": "Child arrived hungry three days running.",
    }
    return services.IntakeReportInput(**(values | changes))


def test_recorded_then_corrected_with_its_version(caseworker):
    case = open_case(worker=caseworker, today=TODAY)
    report = services.intake_report_record(actor=caseworker, case=case, data=_data(), today=TODAY)
    assert (report.version, report.reporter_name) == (1, REPORTER)

    corrected = services.intake_report_record(
        actor=caseworker,
        case=case,
        data=_data(reporter_role=IntakeReport.ReporterRole.MEDICAL),
        expected_version=1,
        today=TODAY,
    )
    assert (corrected.pk, corrected.version, corrected.reporter_role) == (report.pk, 2, "medical")

    with pytest.raises(StaleEditError):
        services.intake_report_record(
            actor=caseworker, case=case, data=_data(), expected_version=1, today=TODAY
        )
    events = AuditEvent.objects.filter(action="intake_report.recorded", case_id=case.pk)
    assert events.count() == 2
    assert events.order_by("pk").last().changes["fields"] == ["reporter_role"]
    assert not any(REPORTER in str(e.changes) + e.summary for e in events)  # AZ-7


@pytest.mark.parametrize(
    ("received_on", "field"),
    [(dt.date(2026, 3, 3), "received_on"), (dt.date(2026, 1, 11), "received_on")],
)
def test_a_future_date_or_one_after_the_case_opened_is_refused(caseworker, received_on, field):
    case = open_case(worker=caseworker, today=TODAY)  # opened 2026-01-10
    with pytest.raises(ValidationError) as refused:
        services.intake_report_record(
            actor=caseworker, case=case, data=_data(received_on=received_on), today=TODAY
        )
    assert field in refused.value.message_dict
    assert not IntakeReport.objects.filter(case=case).exists()


def test_the_page_records_it_and_the_case_page_shows_it(caseworker, client):
    case = open_case(worker=caseworker, today=TODAY)
    client.force_login(caseworker)
    url = reverse("cases:intake-report", args=[case.pk])
    assert client.get(url).status_code == 200
    bad = client.post(url, {"received_on": "2026-01-08", "reporter_role": ""})
    assert bad.status_code == 400
    response = client.post(
        url,
        {
            "received_on": "2026-01-08",
            "reporter_role": "neighbor",
            "reporter_name": REPORTER,
            "narrative": "Seen alone at night.",
        },
    )
    assert response.status_code == 302
    page = client.get(reverse("cases:case-detail", args=[case.pk])).content.decode()
    assert REPORTER in page
    assert "Seen alone at night." in page
