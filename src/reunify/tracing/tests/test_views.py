"""Tracing pages: registering, requests with siblings, the candidate's explanation, the steps
through the pages, refusals that re-render (400) and change nothing, stale edits, Spanish."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from reunify.tracing import services
from reunify.tracing.models import CandidateMatch, SeparatedChild, TracingRequest
from reunify.tracing.tests.factories import candidate, file_request, register_child

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


CHILD_POST = {
    "given_name": "Oleksandr",
    "family_name": "Kovalenko",
    "other_names": "Sasha",
    "sex": "M",
    "date_of_birth": "2015",
    "registered_on": "2026-01-10",
    "origin_country": "Ukraine",
    "origin_region": "Kharkiv",
    "separation_country": "Poland",
    "separated_on": "2025-11",
    "father_name": "Ivan Kovalenko",
    "mother_name": "Olena",
    "current_location": "Przemysl reception centre",
    "consent_given": "on",
    "consent_on": "2026-01-10",
}


def test_register_a_child_through_the_page(caseworker):
    client = _client(caseworker)
    assert client.get(reverse("tracing:child-new")).status_code == 200
    response = client.post(reverse("tracing:child-new"), CHILD_POST)
    child = SeparatedChild.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("tracing:child-detail", args=[child.pk])
    assert (child.date_of_birth, child.separated_on, child.consent_given) == (
        "2015",
        "2025-11",
        True,
    )
    page = client.get(response["Location"]).content.decode()
    assert "Przemysl reception centre" in page  # the child's own worker


def test_register_refusal_rerenders_and_saves_nothing(caseworker):
    response = _client(caseworker).post(
        reverse("tracing:child-new"), {**CHILD_POST, "date_of_birth": "2015-14"}
    )
    assert response.status_code == 400
    assert "YYYY-MM-DD" in response.content.decode()
    assert not SeparatedChild.objects.exists()


def test_request_with_siblings_and_candidates_explained(caseworker, other_caseworker):
    child = register_child(worker=caseworker)
    data = {
        "requester_name": "Ahmed Hadad",
        "requester_relationship": "father",
        "requested_on": "2026-01-12",
        "separation_country": "Turkey",
        "separation_region": "Hatay",
        "origin_country": "Syria",
        "origin_village": "Haritan",
        "sought-TOTAL_FORMS": "2",
        "sought-INITIAL_FORMS": "0",
        "sought-MIN_NUM_FORMS": "1",
        "sought-MAX_NUM_FORMS": "10",
        "sought-0-given_name": "Mohamed",
        "sought-0-family_name": "Hadad",
        "sought-0-sex": "M",
        "sought-0-age_at_separation": "8",
        "sought-0-father_name": "Ahmed",
        "sought-1-given_name": "Amina",
        "sought-1-sex": "F",
    }
    client = _client(other_caseworker)
    response = client.post(reverse("tracing:request-new"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    request = TracingRequest.objects.get()
    assert request.sought.count() == 2
    page = client.get(response["Location"]).content.decode()
    match = candidate(request, child)
    assert reverse("tracing:candidate-detail", args=[match.pk]) in page
    assert f"match probability {match.percent}%" in page
    assert "Why this candidate was proposed" in page  # the explanation table
    assert child.current_location not in page


def test_request_without_a_sought_child_is_refused(caseworker):
    data = {
        "requester_name": "Ana",
        "requester_relationship": "mother",
        "requested_on": "2026-01-12",
        "sought-TOTAL_FORMS": "1",
        "sought-INITIAL_FORMS": "0",
        "sought-MIN_NUM_FORMS": "1",
        "sought-MAX_NUM_FORMS": "10",
        "sought-0-given_name": "",
        "sought-0-sex": "U",
    }
    response = _client(caseworker).post(reverse("tracing:request-new"), data)
    assert response.status_code == 400
    assert not TracingRequest.objects.exists()


def test_confirm_reject_and_interview_through_the_pages(caseworker, other_caseworker):
    child = register_child(worker=caseworker)
    match = candidate(file_request(worker=other_caseworker), child)
    client = _client(other_caseworker)
    page = client.get(reverse("tracing:candidate-detail", args=[match.pk])).content.decode()
    assert "Confirm for verification" in page
    response = client.post(
        reverse("tracing:candidate-confirm", args=[match.pk]), {"confirm": "yes"}
    )
    assert response.status_code == 302
    response = client.post(
        reverse("tracing:candidate-interview", args=[match.pk]),
        {
            "child-interviewee": "child",
            "child-on": "2026-01-12",
            "child-recognises": "yes",
            "child-wishes": "yes",
            "child-consistent": "yes",
            "child-photo_among_others": "on",
        },
    )
    assert response.status_code == 302
    assert match.interviews.get().recognises == "yes"
    response = client.post(reverse("tracing:candidate-verify", args=[match.pk]), {"confirm": "yes"})
    assert response.status_code == 400
    assert "The adult has not been interviewed." in response.content.decode()
    response = client.post(reverse("tracing:candidate-reject", args=[match.pk]), {"confirm": "yes"})
    assert response.status_code == 400
    match.refresh_from_db()
    assert match.status == "confirmed"
    response = client.post(
        reverse("tracing:candidate-reject", args=[match.pk]),
        {"confirm": "yes", "reason": "The adult's account changed"},
    )
    assert response.status_code == 302
    match.refresh_from_db()
    assert match.status == "rejected"


def test_proposer_cannot_approve_through_the_page(caseworker):
    child = register_child(worker=caseworker)
    bid = services.decision_propose(
        actor=caseworker, child=child, decision="further_tracing", rationale="Keep looking"
    )
    response = _client(caseworker).post(
        reverse("tracing:decision-approve", args=[bid.pk]), {"confirm": "yes"}
    )
    assert response.status_code == 400
    assert "two other people must approve it" in response.content.decode()
    bid.refresh_from_db()
    assert bid.first_approver_id is None


def test_stale_registration_edit_is_refused(caseworker, supervisor):
    child = register_child(worker=caseworker)
    client = _client(caseworker)
    form = client.get(reverse("tracing:child-edit", args=[child.pk]))
    assert form.status_code == 200
    services.child_update(
        actor=supervisor,
        child=child,
        expected_version=child.version,
        details=services.ChildDetails(
            given_name="Mohammed", registered_on=child.registered_on, age_estimate=9
        ),
    )
    data = {**CHILD_POST, "version": "1", "registered_on": child.registered_on.isoformat()}
    response = client.post(reverse("tracing:child-edit", args=[child.pk]), data)
    assert response.status_code == 400
    assert "changed this record" in response.content.decode()
    child.refresh_from_db()
    assert child.given_name == "Mohammed"


def test_home_lists_likely_matches_and_spanish_renders(caseworker, other_caseworker):
    child = register_child(worker=caseworker)
    request = file_request(worker=other_caseworker)
    page = _client(other_caseworker).get(reverse("tracing:home")).content.decode()
    assert reverse("tracing:candidate-detail", args=[candidate(request, child).pk]) in page
    spanish = _client(other_caseworker).get("/es" + reverse("tracing:home"))
    assert spanish.status_code == 200


def test_candidate_of_a_child_without_consent_is_404(caseworker, other_caseworker):
    child = register_child(worker=caseworker)
    match = candidate(file_request(worker=other_caseworker), child)
    SeparatedChild.objects.filter(pk=child.pk).update(consent_given=False, consent_on=None)
    response = _client(other_caseworker).get(reverse("tracing:candidate-detail", args=[match.pk]))
    assert response.status_code == 404
    assert CandidateMatch.objects.filter(pk=match.pk).exists()
