"""The agency's licensed wording (ADR 0009): stored per agency and instrument version through an
audited service that the pure loader validates, set by the agency's administrators only, and
shown wherever a form is built or a response is read, in the active language. Display only."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.urls import reverse
from django.utils import translation

from reunify.assessments import selectors, services
from reunify.assessments.display import FAMILY_FUNCTIONING, REUNIFICATION, WORDING
from reunify.assessments.instruments import builtin, builtin_keys, builtin_versions
from reunify.assessments.models import InstrumentWording
from reunify.assessments.tests.factories import record_reunification
from reunify.cases.tests.factories import open_case
from reunify.core.models import AuditEvent

NOW = dt.datetime(2026, 11, 2, 15, 0, tzinfo=dt.UTC)
R1 = "How was the household rated at the most recent risk assessment?"
R1_ES = "¿Cómo se calificó el hogar en la evaluación de riesgo más reciente?"

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(NOW, tick=False):
        yield


def _latest() -> int:
    return builtin(REUNIFICATION).version


def _set(admin, texts, version=None, key=REUNIFICATION):
    return services.wording_set(
        actor=admin,
        instrument_key=key,
        instrument_version=version or builtin(key).version,
        texts=texts,
    )


def _edit_url(key=REUNIFICATION, version=None):
    url = reverse(f"assessments:{WORDING[key][1]}")
    return f"{url}?version={version}" if version else url


def test_wording_pages_cover_exactly_the_licensed_instruments():
    licensed = {
        k for k in builtin_keys() if any(builtin(k, v).licensed for v in builtin_versions(k))
    }
    assert set(WORDING) == licensed


def test_wording_set_stores_audits_and_keeps_history(agency_admin):
    # when
    changed = _set(agency_admin, {"risk_prior_level": (R1, R1_ES)})
    # then
    row = InstrumentWording.objects.get()
    assert changed == 1
    assert (row.agency_id, row.instrument_key, row.instrument_version, row.item_id) == (
        agency_admin.agency_id,
        REUNIFICATION,
        _latest(),
        "risk_prior_level",
    )
    assert (row.text, row.text_es, row.updated_by) == (R1, R1_ES, agency_admin)
    assert row.history.count() == 1
    event = AuditEvent.objects.get(action="assessments.wording_set")
    assert event.agency_id == agency_admin.agency_id
    # an unchanged text writes nothing; both blank removes the row
    assert _set(agency_admin, {"risk_prior_level": (R1, R1_ES)}) == 0
    assert _set(agency_admin, {"risk_prior_level": ("", "")}) == 1
    assert not InstrumentWording.objects.exists()
    assert AuditEvent.objects.filter(action="assessments.wording_set").count() == 2


@pytest.mark.parametrize(
    ("texts", "field", "fragment"),
    [
        ({"no_such_item": ("Text", "")}, "no_such_item", "no_such_item"),
        ({"risk_prior_level": ("", "Sólo español")}, "risk_prior_level", "English"),
    ],
)
def test_wording_set_refuses_naming_the_item(agency_admin, texts, field, fragment):
    # when
    with pytest.raises(ValidationError) as refused:
        _set(agency_admin, {"risk_prior_level": (R1, ""), **texts})
    # then nothing is saved, not even the good item
    assert field in refused.value.message_dict
    assert fragment in " ".join(refused.value.message_dict[field])
    assert not InstrumentWording.objects.exists()
    assert not AuditEvent.objects.filter(action="assessments.wording_set").exists()


def test_wording_set_refuses_an_unlicensed_instrument(agency_admin):
    with pytest.raises(ValidationError) as refused:
        _set(agency_admin, {"home_calm": ("Text", "")}, key="in_home_safety_analysis")
    assert services.NOT_LICENSED in str(refused.value)
    assert not InstrumentWording.objects.exists()


def test_wording_is_per_version(agency_admin):
    _set(agency_admin, {"risk_prior_level": ("Version 1 text", "")}, version=1)
    assert (
        selectors.instrument_for(key=REUNIFICATION, version=1, agency_id=agency_admin.agency_id)
        .items["risk_prior_level"]
        .text
        == "Version 1 text"
    )
    assert (
        not selectors.latest_instrument(REUNIFICATION, agency_id=agency_admin.agency_id)
        .items["risk_prior_level"]
        .text
    )


def test_wording_is_the_agencys_own(client, agency_admin, foreign_admin):
    # given the first agency's wording
    _set(agency_admin, {"risk_prior_level": (R1, "")})
    # then the other agency reads the short labels, and its page does not show the text
    other = selectors.latest_instrument(REUNIFICATION, agency_id=foreign_admin.agency_id)
    assert other.items["risk_prior_level"].text == ""
    client.force_login(foreign_admin)
    assert R1 not in client.get(_edit_url()).content.decode()
    # and the other agency's save writes its own rows only
    client.post(
        _edit_url(),
        {"version": _latest(), "risk_prior_level__text": "Theirs"},
    )
    texts = dict(InstrumentWording.objects.values_list("agency_id", "text"))
    assert texts == {agency_admin.agency_id: R1, foreign_admin.agency_id: "Theirs"}


@pytest.mark.parametrize("principal", ["caseworker", "supervisor"])
def test_other_roles_are_refused_and_nothing_changes(client, request, principal):
    user = request.getfixturevalue(principal)
    client.force_login(user)
    assert client.get(reverse("assessments:wording")).status_code == 403
    response = client.post(_edit_url(), {"version": _latest(), "risk_prior_level__text": "Sneaky"})
    assert response.status_code == 403
    assert not InstrumentWording.objects.exists()


def test_admin_enters_wording_through_the_page(client, agency_admin):
    client.force_login(agency_admin)
    listing = client.get(reverse("assessments:wording")).content.decode()
    assert _edit_url(version=1) in listing.replace("&amp;", "&")
    page = client.get(_edit_url(FAMILY_FUNCTIONING)).content.decode()
    assert "Wording in Spanish" in page
    # when
    response = client.post(
        _edit_url(),
        {"version": _latest(), "risk_prior_level__text": R1, "risk_prior_level__text_es": R1_ES},
    )
    # then
    assert response.status_code == 302
    assert InstrumentWording.objects.get().text_es == R1_ES
    assert R1 in client.get(_edit_url()).content.decode()
    # an empty POST (no version) is refused without clearing anything
    assert client.post(_edit_url(), {}).status_code == 400
    assert InstrumentWording.objects.count() == 1


def test_form_and_response_show_the_agencys_wording_in_the_active_language(
    client, caseworker, agency_admin
):
    # given
    _set(agency_admin, {"risk_prior_level": (R1, R1_ES)})
    case = open_case(worker=caseworker)
    response = record_reunification(actor=caseworker, case=case)
    client.force_login(caseworker)
    # then the form and the response show the agency's text, the short label as a hint
    form = client.get(reverse("assessments:record-reunification", args=[case.pk])).content.decode()
    assert R1 in form
    assert "R1 prior risk level" in form
    detail = reverse("assessments:response-detail", args=[response.pk])
    assert R1 in client.get(detail).content.decode()
    # and in Spanish, the Spanish text
    with translation.override("es"):
        instrument = selectors.instrument_of(response)
        assert instrument.items["risk_prior_level"].text == R1_ES


@override_settings(LANGUAGE_CODE="es")
def test_spanish_falls_back_to_the_english_text(agency_admin):
    _set(agency_admin, {"risk_prior_level": (R1, "")})
    with translation.override("es"):
        instrument = selectors.latest_instrument(REUNIFICATION, agency_id=agency_admin.agency_id)
    assert instrument.items["risk_prior_level"].text == R1


def test_wording_never_changes_a_score(caseworker, agency_admin):
    case = open_case(worker=caseworker)
    before = record_reunification(actor=caseworker, case=case)
    _set(agency_admin, {"risk_prior_level": (R1, "")})
    after = record_reunification(actor=caseworker, case=case)
    assert before.result == after.result
    assert before.instrument_version == after.instrument_version
