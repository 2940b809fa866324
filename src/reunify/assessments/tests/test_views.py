"""Assessment pages: the form built from the definition, recording, refusals, the response with
every row of the decision, conditions on the case plan and their review, and readiness."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from reunify.assessments import services
from reunify.assessments.models import ConditionForReturn, Response
from reunify.assessments.scoring import OverrideRequest
from reunify.assessments.tests.factories import (
    children_of,
    record_family_functioning,
    record_protective,
    record_reunification,
    record_safety,
    return_home_answers,
)
from reunify.cases.tests.factories import open_case
from reunify.core.models import AuditEvent

NOW = dt.datetime(2026, 11, 2, 15, 0, tzinfo=dt.UTC)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(NOW, tick=False):
        yield


def _url(name, *args):
    return reverse(f"assessments:{name}", args=args)


def test_case_assessments_lists_instruments_and_record_links(client, caseworker, agency_admin):
    case = open_case(worker=caseworker)
    record_safety(actor=caseworker, case=case, no=("home_calm",))
    client.force_login(caseworker)
    page = client.get(_url("case-assessments", case.pk)).content.decode()
    assert "In-home safety analysis" in page
    assert "Closing safety assessment" in page
    assert _url("record-reunification", case.pk) in page
    assert "1 condition for return" in page
    assert AuditEvent.objects.filter(action="assessments.viewed", case_id=case.pk).exists()
    # the administrator reads, without the record actions
    client.force_login(agency_admin)
    page = client.get(_url("case-assessments", case.pk)).content.decode()
    assert "In-home safety analysis" in page
    assert _url("record-reunification", case.pk) not in page


def test_form_renders_sections_items_options_and_notes(client, caseworker):
    case = open_case(worker=caseworker, children=2)
    client.force_login(caseworker)
    page = client.get(_url("record-reunification", case.pk)).content.decode()
    assert "Risk reassessment" in page
    assert "R1 prior risk level" in page
    assert "Very high or none done" in page  # an option of the scale
    first, second = children_of(case)
    # a visitation block per child, each with the value from records and a reason field
    assert f"Visitation evaluation: {first.full_name}" in page
    assert f"Visitation evaluation: {second.full_name}" in page
    assert f'name="visits_scheduled[{first.pk}]__reason"' in page
    assert "Filled from records: 0" in page
    assert "Reason for the override" in page
    assert "only when Risk reassessment: Low / Moderate; Visitation evaluation: Acceptable" in page
    page = client.get(_url("record-in-home-safety", case.pk)).content.decode()
    assert "What must exist for the child to return home" in page


def test_form_is_in_spanish_from_the_definition(client, caseworker):
    case = open_case(worker=caseworker)
    client.force_login(caseworker)
    page = client.get("/es" + _url("record-in-home-safety", case.pk)).content.decode()
    assert "¿Tienen los padres un lugar estable donde vivir?" in page
    assert "Sí" in page


def _safety_post(no=()):
    data = {"recorded_on": "2026-11-02"}
    for q in (
        "parents_willing",
        "home_calm",
        "services_available",
        "manageable_without_evaluation",
        "stable_residence",
    ):
        data[q] = "no" if q in no else "yes"
        if q in no:
            data[f"{q}__note"] = f"Why not: {q}"
            data[f"{q}__follow_up"] = f"Needed: {q}"
    return data


def test_post_records_and_two_noes_appear_on_the_case_plan(client, caseworker):
    case = open_case(worker=caseworker)
    child = children_of(case)[0]
    client.force_login(caseworker)
    data = _safety_post(no=("home_calm", "stable_residence"))
    data["children"] = [str(child.pk)]
    response = client.post(_url("record-in-home-safety", case.pk), data)
    stored = Response.objects.get()
    assert response.status_code == 302
    assert response["Location"] == _url("response-detail", stored.pk)
    assert ConditionForReturn.objects.filter(case=case, status="open").count() == 2
    plan = client.get(reverse("case_plans:plan", args=[case.pk])).content.decode()
    assert "From the in-home safety analysis" in plan
    assert "Why not: home_calm" in plan
    assert "Needed: stable_residence" in plan
    condition = ConditionForReturn.objects.get(question_key="home_calm")
    assert _url("condition-review", condition.pk) in plan


def test_refusal_rerenders_with_the_items_message_and_saves_nothing(client, caseworker):
    case = open_case(worker=caseworker)
    client.force_login(caseworker)
    data = _safety_post(no=("home_calm",))
    data["children"] = [str(c.pk) for c in children_of(case)]
    del data["home_calm__follow_up"]
    response = client.post(_url("record-in-home-safety", case.pk), data)
    assert response.status_code == 400
    page = response.content.decode()
    assert "Nothing was saved" in page
    assert services.WHAT_REQUIRED in page
    assert "Is the home calm" in page
    assert Response.objects.count() == 0


def test_reunification_post_changed_prefill_needs_a_reason(client, caseworker):
    case = open_case(worker=caseworker)
    child = children_of(case)[0]
    key = str(child.pk)
    client.force_login(caseworker)
    data = {
        "recorded_on": "2026-11-02",
        "children": [key],
        "risk_prior_level": "low",
        "risk_new_investigation": "no",
        "risk_caregiver_progress": "substantial",
        # v3: no session is recorded, so the records say "no visitation"; the worker saw visits
        f"no_visitation[{key}]": "no",
        f"no_visitation[{key}]__reason": "Visits at church are not recorded",
        f"time_frame_exhausted[{key}]": "no",
        f"visits_scheduled[{key}]": "0",
        f"visits_completed[{key}]": "0",
        f"visit_compliance[{key}]": "good",
        f"visit_quality[{key}]": "adequate",
        "danger_1": "no",
        "danger_2": "no",
        "danger_3": "no",
        "safety_decision": "safe_with_plan",
    }
    # records rate neither compliance nor quality (no sessions): no reason needed
    response = client.post(_url("record-reunification", case.pk), data)
    assert response.status_code == 302
    assert Response.objects.get().covered.get().outcome == "return_home"
    # a changed count needs a reason
    data[f"visits_scheduled[{key}]"] = "5"
    response = client.post(_url("record-reunification", case.pk), data)
    assert response.status_code == 400
    assert "give a reason for changing it to 5" in response.content.decode()
    data[f"visits_scheduled[{key}]__reason"] = "Visits at church are not recorded"
    assert client.post(_url("record-reunification", case.pk), data).status_code == 302
    assert Response.objects.count() == 2


def test_override_from_the_form(client, caseworker):
    case = open_case(worker=caseworker)
    key = str(children_of(case)[0].pk)
    client.force_login(caseworker)
    data = {
        "recorded_on": "2026-11-02",
        "children": [key],
        "risk_prior_level": "low",
        "risk_new_investigation": "no",
        "risk_caregiver_progress": "substantial",
        # v3: no session is recorded, so the records say "no visitation"; the worker saw visits
        f"no_visitation[{key}]": "no",
        f"no_visitation[{key}]__reason": "Visits at church are not recorded",
        f"time_frame_exhausted[{key}]": "no",
        f"visits_scheduled[{key}]": "0",
        f"visits_completed[{key}]": "0",
        f"visit_compliance[{key}]": "good",
        f"visit_quality[{key}]": "adequate",
        "override__severe_injury": "on",
    }
    response = client.post(_url("record-reunification", case.pk), data)
    assert response.status_code == 400
    assert "Severe non-accidental injury: " + services.OVERRIDE_REASON in response.content.decode()
    data["override__severe_injury__reason"] = "Skull fracture at removal"
    assert client.post(_url("record-reunification", case.pk), data).status_code == 302
    stored = Response.objects.get()
    assert stored.risk_level == "very_high"
    assert stored.covered.get().outcome == "continue_reunification"


def test_detail_shows_every_row_and_the_chosen_one(client, caseworker):
    case = open_case(worker=caseworker)
    child = children_of(case)[0]
    response = record_reunification(
        actor=caseworker,
        case=case,
        overrides=[OverrideRequest("risk_discretionary", reason="New partner", to="moderate")],
    )
    client.force_login(caseworker)
    page = client.get(_url("response-detail", response.pk)).content.decode()
    for row in ("1", "2a", "2b", "3a", "3b", "4a", "4b", "5"):
        assert f'data-row="{row}"' in page
    assert page.count('data-chosen="true"') == 1
    assert 'data-row="1" data-chosen="true"' in page
    assert "Change permanency goal" in page  # row 5's outcome, shown though not chosen
    assert "New partner" in page  # the override's reason
    assert child.full_name in page
    assert "Instrument version 3" in page


def test_detail_of_an_old_version_says_so(client, caseworker):
    case = open_case(worker=caseworker)
    old = record_reunification(
        actor=caseworker,
        case=case,
        instrument_version=1,
        prior="moderate",
        progress="minimal",
    )
    client.force_login(caseworker)
    page = client.get(_url("response-detail", old.pk)).content.decode()
    assert "Instrument version 1" in page
    assert "A newer version (3)" in page
    assert "level after overrides: Low" in page


def test_change_scores_page(client, caseworker):
    case = open_case(worker=caseworker)
    record_family_functioning(actor=caseworker, case=case, timepoint="intake", value=-2)
    record_family_functioning(actor=caseworker, case=case, timepoint="closure", value=1)
    record_protective(actor=caseworker, case=case, timepoint="pre", value=2)
    client.force_login(caseworker)
    page = client.get(_url("change", case.pk)).content.decode()
    assert "<strong>+3</strong>" in page
    assert "Rated at one timepoint so far" in page


def test_condition_review_form(client, caseworker):
    case = open_case(worker=caseworker)
    record_safety(actor=caseworker, case=case, no=("home_calm",), recorded_on=dt.date(2026, 9, 1))
    condition = ConditionForReturn.objects.get()
    client.force_login(caseworker)
    page = client.get(reverse("case_plans:plan", args=[case.pk])).content.decode()
    assert "review due" in page
    response = client.post(_url("condition-review", condition.pk), {"status": "met"})
    assert response.status_code == 400
    response = client.post(
        _url("condition-review", condition.pk),
        {"status": "met", "note": "Calm home for six weeks", "reviewed_on": "2026-11-01"},
    )
    assert response.status_code == 302
    condition.refresh_from_db()
    assert condition.status == "met"
    assert condition.met_on == dt.date(2026, 11, 1)


def test_readiness_page(client, caseworker, agency_admin):
    case = open_case(worker=caseworker)
    episode = case.episodes.get()
    record_safety(actor=caseworker, case=case, no=("home_calm",))
    record_reunification(actor=caseworker, case=case, safety="unsafe")
    services.response_record(
        actor=caseworker,
        case=case,
        instrument_key="return_home_review",
        answers={**return_home_answers(), "supervision": _partly()},
    )
    client.force_login(agency_admin)
    response = client.get(_url("readiness", episode.pk))
    page = response.content.decode()
    assert response.status_code == 200
    assert f"Can {episode.child.full_name} go home?" in page
    assert "Continue reunification efforts" in page
    assert "1 open" in page
    assert "Unsafe" in page
    assert "Not yet, or only partly" in page
    assert "Substance use" in page or "substance" in page.lower()
    assert 'data-row="2a" data-chosen="true"' in page
    assert "days in care" in page
    assert _url("condition-review", ConditionForReturn.objects.get().pk) not in page  # admin


def _partly():
    from reunify.assessments.scoring import Answer

    return Answer("partly", note="Leaves the child alone in the evening")


def test_spanish_readiness_renders(client, caseworker):
    case = open_case(worker=caseworker)
    record_reunification(actor=caseworker, case=case)
    client.force_login(caseworker)
    response = client.get("/es" + _url("readiness", case.episodes.get().pk))
    assert response.status_code == 200


def test_case_page_links_readiness_per_child_in_care_and_the_assessments(client, caseworker):
    case = open_case(worker=caseworker, children=2)
    client.force_login(caseworker)
    page = client.get(reverse("cases:case-detail", args=[case.pk])).content.decode()
    for episode in case.episodes.all():
        assert _url("readiness", episode.pk) in page
    assert _url("case-assessments", case.pk) in page


def test_per_child_form_without_children_in_care_says_so(client, caseworker):
    case = open_case(worker=caseworker)
    case.episodes.update(discharged_on=dt.date(2026, 10, 1), discharge_reason="reunification")
    client.force_login(caseworker)
    response = client.post(_url("record-reunification", case.pk), {"recorded_on": "2026-11-02"})
    assert response.status_code == 400
    assert services.NEEDS_CHILD in response.content.decode()


def test_the_sections_are_redrawn_only_when_what_is_asked_changes(client, caseworker):
    """htmx asks again on every change of a deciding answer; when the asked sections stay the
    same the server answers 204 so the browser keeps answers typed meanwhile."""
    case = open_case(worker=caseworker)
    client.force_login(caseworker)
    url = reverse("assessments:record-reunification-sections", args=[case.pk])
    first = client.post(url, {"asked_state": ""})
    assert first.status_code == 200
    state = first.content.decode().split('name="asked_state" value="', 1)[1].split('"', 1)[0]
    assert state  # the safety section's state for the answers so far
    assert client.post(url, {"asked_state": state}).status_code == 204
