"""Case-plan pages: the plan page, editing forms, compare, and the printed plan (PDF in English
and Spanish, page 1 turned into PNG; no confidential place in it)."""

import datetime as dt
import shutil
import subprocess

import pytest
import time_machine
from django.urls import reverse

from reunify.case_plans import services
from reunify.case_plans.models import PlanVersion
from reunify.case_plans.tests.factories import fresh, hold_meeting, plan_with_goal
from reunify.cases.models import ResourceProvider
from reunify.cases.tests.factories import open_case
from reunify.core.models import AuditEvent
from reunify.family_time import services as family_time_services
from reunify.people.models import Address

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 3, 2, 17, 0, tzinfo=dt.UTC)
TODAY = dt.date(2026, 3, 2)
PROVIDER_CANARY = "4417 Qzprovider Lane"
FAMILY_TIME_CANARY = "88 Qzconfidential Court"


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def case(caseworker):
    return open_case(worker=caseworker, name="Mensah", opened_on=dt.date(2026, 1, 10), today=TODAY)


@pytest.fixture
def plan(caseworker, case):
    return plan_with_goal(worker=caseworker, case=case)


def signed_in(client, user):
    client.force_login(user)
    return client


def test_plan_page_before_a_plan_offers_to_start(client, caseworker, case):
    response = signed_in(client, caseworker).get(reverse("case_plans:plan", args=[case.pk]))
    assert response.status_code == 200
    assert "No case plan yet." in response.content.decode()
    response = client.post(reverse("case_plans:start", args=[case.pk]), {"confirm": "start"})
    assert response.status_code == 302
    assert PlanVersion.objects.get().document["children"][0]["goal"] == "reunification"


def test_plan_page_shows_goals_tasks_and_is_audited(client, caseworker, plan):
    response = signed_in(client, caseworker).get(reverse("case_plans:plan", args=[plan.case_id]))
    body = response.content.decode()
    assert "I will keep my home safe." in body
    assert "Go to the parenting class every Tuesday" in body
    assert "Version 1 is a draft" in body
    assert AuditEvent.objects.filter(action="case_plan.viewed", case_id=plan.case_id).exists()


def test_agency_admin_reads_but_does_not_edit(client, agency_admin, plan):
    signed_in(client, agency_admin)
    page = client.get(reverse("case_plans:plan", args=[plan.case_id])).content.decode()
    assert "I will keep my home safe." in page
    assert reverse("case_plans:goal", args=[plan.case_id]) not in page
    assert client.get(reverse("case_plans:goal", args=[plan.case_id])).status_code == 403


def test_goal_form_adds_a_goal(client, caseworker, plan):
    url = reverse("case_plans:goal", args=[plan.case_id])
    response = signed_in(client, caseworker).post(
        url,
        {
            "version": plan.version,
            "change": "I will be sober.",
            "safety_concern": "Drinking while caring for the kids",
            "services": "Outpatient treatment\nAA meetings\n",
        },
    )
    assert response.status_code == 302
    goals = PlanVersion.objects.get().document["goals"]
    assert [g["change"] for g in goals][-1] == "I will be sober."
    assert goals[-1]["services"] == [{"name": "Outpatient treatment"}, {"name": "AA meetings"}]


def test_bad_input_shows_a_message_and_saves_nothing(client, caseworker, plan):
    before = PlanVersion.objects.get().document
    response = signed_in(client, caseworker).post(
        reverse("case_plans:task", args=[plan.case_id]),
        {"version": plan.version, "text": "Call", "owner": "parent", "status": "not_started"},
    )
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    assert PlanVersion.objects.get().document == before


def test_stale_form_is_refused_with_who_and_when(client, caseworker, supervisor, plan):
    services.efforts_save(
        actor=supervisor, plan=plan, expected_version=plan.version, agency_efforts="Bus passes"
    )
    response = signed_in(client, caseworker).post(
        reverse("case_plans:efforts", args=[plan.case_id]),
        {"version": plan.version, "agency_efforts": "Something else"},
    )
    assert response.status_code == 400
    assert "after you opened it" in response.content.decode()
    assert PlanVersion.objects.get().document["agency_efforts"] == "Bus passes"


def test_meeting_form_requires_the_reason_for_an_absent_parent(client, caseworker, plan):
    parent = services.case_parents(plan.case)[0]
    url = reverse("case_plans:meeting", args=[plan.case_id])
    data = {"version": plan.version, "held_on": "2026-03-02", f"present_{parent.pk}": "no"}
    response = signed_in(client, caseworker).post(url, data)
    assert response.status_code == 400
    assert f"Say why {parent.full_name} did not take part." in response.content.decode()
    response = client.post(url, {**data, f"reason_{parent.pk}": "At work"})
    assert response.status_code == 302


def test_compare_shows_the_difference(client, caseworker, plan):
    hold_meeting(worker=caseworker, plan=plan, held_on=TODAY)
    plan = fresh(plan)
    services.version_finalize(actor=caseworker, plan=plan, expected_version=plan.version)
    plan = fresh(plan)
    key = PlanVersion.objects.get().document["goals"][0]["key"]
    services.goal_save(
        actor=caseworker,
        plan=plan,
        expected_version=plan.version,
        key=key,
        change="I will call my sponsor.",
        safety_concern="The children were left alone at night.",
    )
    body = (
        signed_in(client, caseworker)
        .get(reverse("case_plans:compare", args=[plan.case_id]))
        .content.decode()
    )
    assert "What changed from version 1 to version 2" in body
    assert "Goal changed" in body
    assert "<del>I will keep my home safe.</del>" in body
    assert "<ins>I will call my sponsor.</ins>" in body


# ---- the printed plan -------------------------------------------------------------------------


def _plant_confidential_places(caseworker, case):
    """A resource family's address and a confidential family-time place, on the case."""
    provider = ResourceProvider.objects.filter(agency_id=case.agency_id).get()
    Address.objects.filter(pk=provider.address_id).update(line1=PROVIDER_CANARY)
    family_time_services.plan_create(
        actor=caseworker,
        episode=case.episodes.get(),
        level="supervised",
        weekdays=[1],
        start_time=dt.time(16, 0),
        duration_minutes=60,
        location_type="community",
        address=FAMILY_TIME_CANARY,
        location_confidential=True,
        effective_from=TODAY,
    )


def _pdf_text(content: bytes, tmp_path, name: str) -> str:
    path = tmp_path / f"{name}.pdf"
    path.write_bytes(content)
    subprocess.run(  # noqa: S603 (fixed program, test file)
        [
            shutil.which("pdftoppm"),
            "-png",
            "-r",
            "50",
            "-f",
            "1",
            "-l",
            "1",
            str(path),
            str(tmp_path / name),
        ],
        check=True,
    )
    png = next(tmp_path.glob(f"{name}*.png"))
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    if shutil.which("pdftotext") is None:
        return ""
    result = subprocess.run(  # noqa: S603
        [shutil.which("pdftotext"), "-layout", str(path), "-"], check=True, capture_output=True
    )
    return result.stdout.decode()


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="needs pdftoppm (poppler-utils)")
@pytest.mark.parametrize(
    ("lang", "heading", "section"),
    [
        ("en", "Your family's case plan", "What must change"),
        ("es", "El plan de caso de su familia", "Lo que debe cambiar"),
    ],
)
def test_pdf_renders_in_english_and_spanish_without_confidential_places(
    client, caseworker, case, plan, tmp_path, lang, heading, section
):
    _plant_confidential_places(caseworker, case)
    response = signed_in(client, caseworker).get(
        reverse("case_plans:pdf", args=[case.pk]), {"lang": lang}
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    text = _pdf_text(response.content, tmp_path, lang)
    if text:
        assert "I will keep my home safe." in text
        assert PROVIDER_CANARY not in text
        assert FAMILY_TIME_CANARY not in text
        if lang == "en" or heading in text:  # Spanish strings wait for the lead's translation
            assert heading in text
            assert section in text
        assert "Bus passes" not in text


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs pdftotext (poppler-utils)")
def test_court_version_adds_the_agencys_efforts(client, caseworker, plan, tmp_path):
    services.efforts_save(
        actor=caseworker,
        plan=plan,
        expected_version=plan.version,
        agency_efforts="Weekly bus passes",
    )
    url = reverse("case_plans:pdf", args=[plan.case_id])
    signed_in(client, caseworker)
    family = _pdf_text(client.get(url).content, tmp_path, "family")
    court = _pdf_text(client.get(url, {"version": "court"}).content, tmp_path, "court")
    assert "Weekly bus passes" not in family
    assert "Weekly bus passes" in court
    assert "What the agency has done" in court
