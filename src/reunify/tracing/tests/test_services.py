"""Tracing services: registration and requests with matching on save, the consent gate,
rejected pairs never proposed again, notification of likely matches, verification, the
two-person decision, reunification, follow-up and closure; audit rows and refusals that change
nothing."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from PIL import Image

from reunify.cases.tests.factories import UserFactory
from reunify.core import clock
from reunify.core.concurrency import StaleEditError
from reunify.core.models import AuditEvent
from reunify.tracing import realtime, services
from reunify.tracing.matching import MatchModel
from reunify.tracing.models import (
    BestInterestsDecision,
    CandidateMatch,
    MatchingModel,
    SeparatedChild,
    TracingAction,
)
from reunify.tracing.tests.factories import (
    approved,
    candidate,
    child_details,
    file_request,
    interviews,
    register_child,
    sought_details,
    verified,
)

pytestmark = pytest.mark.django_db


def _actions(prefix: str = "tracing.") -> list[str]:
    return list(
        AuditEvent.objects.filter(action__startswith=prefix)
        .order_by("id")
        .values_list("action", flat=True)
    )


# ---- registration and matching on save ---------------------------------------------------------


def test_register_child_audits_and_request_finds_it_at_once(caseworker, other_caseworker):
    # Given a child registered with consent
    child = register_child(worker=caseworker)
    assert child.status == "open"
    assert child.reference.startswith("SC-")
    # When a family files a request for him (another spelling of the family name)
    request = file_request(worker=other_caseworker)
    # Then the candidate is stored with its probability and explanation
    match = candidate(request, child)
    assert match.status == "proposed"
    assert match.probability >= 0.5
    assert {e["field"] for e in match.evidence} >= {"given_name"}
    assert all(set(e) == {"field", "level", "weight", "detail"} for e in match.evidence)
    assert _actions() == [
        "tracing.child_register",
        "tracing.request_create",
        "tracing.candidates_proposed",
    ]


def test_registering_a_child_finds_open_requests(caseworker, other_caseworker):
    request = file_request(worker=other_caseworker)
    child = register_child(worker=caseworker)
    assert candidate(request, child).status == "proposed"


def test_child_without_consent_is_never_matched(caseworker, other_caseworker):
    child = register_child(worker=caseworker, consent_given=False, consent_on=None)
    request = file_request(worker=other_caseworker)
    assert not CandidateMatch.objects.filter(child=child).exists()
    assert request.candidates.count() == 0


def test_withdrawing_consent_removes_proposed_candidates(caseworker, other_caseworker):
    child = register_child(worker=caseworker)
    file_request(worker=other_caseworker)
    assert CandidateMatch.objects.filter(child=child).exists()
    services.child_update(
        actor=caseworker,
        child=child,
        expected_version=child.version,
        details=child_details(consent_given=False, consent_on=None),
    )
    assert not CandidateMatch.objects.filter(child=child).exists()


def test_rejected_pair_is_never_proposed_again(caseworker, other_caseworker):
    child = register_child(worker=caseworker)
    request = file_request(worker=other_caseworker)
    match = candidate(request, child)
    services.candidate_reject(actor=other_caseworker, match=match, reason="Different mother")
    # When the child's registration is saved again (matching re-runs)
    child.refresh_from_db()
    services.child_update(
        actor=caseworker, child=child, expected_version=child.version, details=child_details()
    )
    # Then the pair stays rejected, with its reason, and no second row appears
    (row,) = CandidateMatch.objects.filter(child=child, request=request)
    assert (row.status, row.reject_reason) == ("rejected", "Different mother")


def test_reject_needs_a_reason_and_changes_nothing(caseworker, other_caseworker):
    child = register_child(worker=caseworker)
    match = candidate(file_request(worker=other_caseworker), child)
    before = AuditEvent.objects.count()
    with pytest.raises(ValidationError):
        services.candidate_reject(actor=caseworker, match=match, reason="  ")
    match.refresh_from_db()
    assert match.status == "proposed"
    assert AuditEvent.objects.count() == before


def test_new_likely_match_notifies_the_other_records_worker(
    caseworker, other_caseworker, django_capture_on_commit_callbacks
):
    request = file_request(worker=other_caseworker)
    # When the child is registered by another worker
    with django_capture_on_commit_callbacks(execute=True):
        child = register_child(worker=caseworker)
    # Then the request's worker is told, with a link and no whereabouts of the child
    (message,) = mail.outbox
    assert message.to == [other_caseworker.email]
    assert request.reference in message.body
    assert f"/tracing/candidates/{candidate(request, child).pk}/" in message.body
    assert child.current_location not in message.body
    assert child.current_caregiver not in message.body


def test_request_saved_notifies_the_childs_worker(
    caseworker, other_caseworker, django_capture_on_commit_callbacks
):
    register_child(worker=caseworker)
    with django_capture_on_commit_callbacks(execute=True):
        file_request(worker=other_caseworker)
    assert [m.to for m in mail.outbox] == [[caseworker.email]]


def test_siblings_in_one_request(caseworker, other_caseworker):
    boy = register_child(worker=caseworker)
    girl = register_child(worker=caseworker, given_name="Amina", sex="F", other_names="")
    request = file_request(
        worker=other_caseworker,
        sought=[sought_details(), sought_details(given_name="Amina", sex="F")],
    )
    assert request.sought.count() == 2
    best = {
        c.sought.given_name: c.child_id
        for c in CandidateMatch.objects.filter(request=request, probability__gte=0.5)
    }
    assert best == {"Mohammed": boy.pk, "Amina": girl.pk}


def test_request_needs_a_sought_child(caseworker):
    with pytest.raises(ValidationError) as error:
        file_request(worker=caseworker, sought=[sought_details(given_name=" ")])
    assert "sought-0-given_name" in error.value.error_dict
    assert not AuditEvent.objects.filter(action="tracing.request_create").exists()


@pytest.mark.parametrize(
    ("override", "field"),
    [
        ({"given_name": ""}, "given_name"),
        ({"date_of_birth": "", "age_estimate": None}, "date_of_birth"),
        ({"date_of_birth": "2019-13"}, "date_of_birth"),
        ({"separated_on": "next year"}, "separated_on"),
        ({"age_estimate": 40}, "age_estimate"),
        ({"consent_given": True, "consent_on": None}, "consent_on"),
    ],
)
def test_registration_refuses_bad_input(caseworker, override, field):
    with pytest.raises(ValidationError) as error:
        register_child(worker=caseworker, **override)
    assert field in error.value.error_dict
    assert not SeparatedChild.objects.exists()


def test_partial_dates_are_kept_as_given(caseworker):
    child = register_child(worker=caseworker, date_of_birth="2016-4", separated_on="2024")
    assert (child.date_of_birth, child.separated_on) == ("2016-04", "2024")


def test_stale_edit_is_refused(caseworker, supervisor):
    child = register_child(worker=caseworker)
    services.child_update(
        actor=supervisor, child=child, expected_version=1, details=child_details(language="Kurdish")
    )
    with pytest.raises(StaleEditError):
        services.child_update(
            actor=caseworker, child=child, expected_version=1, details=child_details()
        )
    child.refresh_from_db()
    assert child.language == "Kurdish"


def _jpeg_with_gps() -> bytes:
    image = Image.new("RGB", (40, 30), "red")
    exif = Image.Exif()
    exif[0x010E] = "Gpscanary-37.0,36.2"  # ImageDescription (where GPS data would sit too)
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()


def test_photo_is_stored_without_metadata(caseworker):
    raw = _jpeg_with_gps()
    assert b"Gpscanary" in raw
    child = register_child(worker=caseworker, photo=raw)
    assert child.photo_type == "image/jpeg"
    assert b"Gpscanary" not in bytes(child.photo)
    assert Image.open(io.BytesIO(bytes(child.photo))).getexif() == {}


def test_photo_that_is_not_an_image_is_refused(caseworker):
    with pytest.raises(ValidationError) as error:
        register_child(worker=caseworker, photo=b"%PDF-1.4 not an image")
    assert "photo" in error.value.error_dict


def test_agency_trained_model_is_used(caseworker, other_caseworker):
    MatchingModel.objects.create(
        agency_id=caseworker.agency_id,
        parameters=MatchModel.default().to_json(),
        created_at=clock.now(),
    )
    child = register_child(worker=caseworker)
    request = file_request(worker=other_caseworker)
    assert candidate(request, child).probability >= 0.5
    assert realtime.match_model(caseworker.agency_id) is realtime.match_model(caseworker.agency_id)


# ---- tracing actions ---------------------------------------------------------------------------


def test_first_tracing_action_starts_tracing(caseworker):
    child = register_child(worker=caseworker)
    services.action_record(
        actor=caseworker,
        child=child,
        on=clock.today(),
        kind="photo",
        place="Reyhanli market",
        description="Photo board shown at the market",
    )
    child.refresh_from_db()
    assert child.status == "tracing"
    assert TracingAction.objects.get().outcome == "pending"


# ---- verification, decision, reunification, follow-up, closure ---------------------------------


def test_confirm_moves_child_and_request_to_tracing(caseworker, other_caseworker):
    child = register_child(worker=caseworker)
    request = file_request(worker=other_caseworker)
    services.candidate_confirm(actor=other_caseworker, match=candidate(request, child))
    child.refresh_from_db()
    request.refresh_from_db()
    assert (child.status, request.status) == ("tracing", "tracing")


def test_verify_needs_both_interviews_and_corroboration(caseworker, other_caseworker):
    child = register_child(worker=caseworker)
    match = candidate(file_request(worker=other_caseworker), child)
    services.candidate_confirm(actor=caseworker, match=match)
    with pytest.raises(ValidationError) as error:
        services.candidate_verify(actor=caseworker, match=match)
    assert "The child has not been interviewed." in error.value.messages
    interviews(worker=caseworker, match=match, corroborated=False)
    with pytest.raises(ValidationError) as error:
        services.candidate_verify(actor=caseworker, match=match)
    assert error.value.messages == [services.VERIFICATION_GAPS["no_corroboration"]]
    match.refresh_from_db()
    assert match.status == "confirmed"


def test_interview_only_for_confirmed_candidates(caseworker, other_caseworker):
    child = register_child(worker=caseworker)
    match = candidate(file_request(worker=other_caseworker), child)
    with pytest.raises(ValidationError):
        interviews(worker=caseworker, match=match)


def _verified_case(caseworker, other_caseworker):
    child = register_child(worker=caseworker)
    request = file_request(worker=other_caseworker)
    match = verified(worker=other_caseworker, match=candidate(request, child))
    child.refresh_from_db()
    return child, request, match


def test_verification_completes(caseworker, other_caseworker):
    child, request, match = _verified_case(caseworker, other_caseworker)
    request.refresh_from_db()
    assert (match.status, child.status, request.status) == ("verified", "verified", "verified")


def test_decision_needs_two_different_approvers_not_the_proposer(
    caseworker, other_caseworker, supervisor
):
    child, _request, match = _verified_case(caseworker, other_caseworker)
    bid = services.decision_propose(
        actor=caseworker, child=child, match=match, decision="reunify", rationale="Safe to go home"
    )
    with pytest.raises(ValidationError):
        services.decision_approve(actor=caseworker, decision=bid)
    services.decision_approve(actor=supervisor, decision=bid)
    with pytest.raises(ValidationError):
        services.decision_approve(actor=supervisor, decision=bid)
    bid.refresh_from_db()
    assert not bid.approved
    services.decision_approve(actor=other_caseworker, decision=bid)
    bid.refresh_from_db()
    assert bid.approved
    with pytest.raises(ValidationError):
        services.decision_approve(actor=UserFactory(unit=caseworker.unit), decision=bid)
    assert _actions("tracing.decision").count("tracing.decision_approve") == 2


def test_one_pending_decision_at_a_time(caseworker, other_caseworker):
    child, _request, _match = _verified_case(caseworker, other_caseworker)
    services.decision_propose(actor=caseworker, child=child, decision="reunify", rationale="x")
    with pytest.raises(ValidationError):
        services.decision_propose(actor=caseworker, child=child, decision="reunify", rationale="y")
    assert BestInterestsDecision.objects.count() == 1


def test_alternative_care_decision_moves_the_case(caseworker, other_caseworker, supervisor):
    child, _request, _match = _verified_case(caseworker, other_caseworker)
    approved(
        proposer=caseworker,
        approvers=(supervisor, other_caseworker),
        child=child,
        decision="alternative_care",
    )
    child.refresh_from_db()
    assert child.status == "alternative_care"


def test_no_reunification_without_approved_decision(caseworker, other_caseworker, supervisor):
    child, _request, match = _verified_case(caseworker, other_caseworker)
    with pytest.raises(ValidationError) as error:
        services.reunification_record(
            actor=caseworker, child=child, match=match, on=clock.today(), relationship="father"
        )
    assert error.value.code == "no_approved_decision"
    bid = services.decision_propose(
        actor=caseworker, child=child, decision="reunify", rationale="x"
    )
    services.decision_approve(actor=supervisor, decision=bid)
    with pytest.raises(ValidationError):
        services.reunification_record(
            actor=caseworker, child=child, match=match, on=clock.today(), relationship="father"
        )


def test_no_reunification_with_an_unverified_adult(caseworker, other_caseworker, supervisor):
    child = register_child(worker=caseworker)
    match = candidate(file_request(worker=other_caseworker), child)
    services.candidate_confirm(actor=caseworker, match=match)
    with pytest.raises(ValidationError) as error:
        services.reunification_record(
            actor=caseworker, child=child, match=match, on=clock.today(), relationship="father"
        )
    assert error.value.code == "not_verified"


def test_reunified_case_closes_only_after_stable_follow_up(
    caseworker, other_caseworker, supervisor
):
    child, request, match = _verified_case(caseworker, other_caseworker)
    approved(proposer=caseworker, approvers=(supervisor, other_caseworker), child=child)
    today = clock.today()
    reunification = services.reunification_record(
        actor=caseworker, child=child, match=match, on=today, relationship="father"
    )
    assert reunification.adult_name == "Ahmed Hadad"
    child.refresh_from_db()
    request.refresh_from_db()
    assert (child.status, request.status) == ("reunified", "closed")
    with pytest.raises(ValidationError) as error:
        services.child_close(actor=caseworker, child=child, reason="Done")
    assert error.value.code == "no_stable_follow_up"
    services.follow_up_record(
        actor=caseworker, child=child, on=today, kind="home_visit", stable=False, notes="Settling"
    )
    with pytest.raises(ValidationError):
        services.child_close(actor=caseworker, child=child)
    with pytest.raises(ValidationError):
        services.follow_up_record(
            actor=caseworker,
            child=child,
            on=today - dt.timedelta(days=1),
            kind="phone",
            stable=True,
        )
    services.follow_up_record(actor=caseworker, child=child, on=today, kind="phone", stable=True)
    services.child_close(actor=caseworker, child=child)
    child.refresh_from_db()
    assert child.status == "closed"
    assert _actions()[-2:] == ["tracing.follow_up_record", "tracing.child_close"]


def test_closed_child_leaves_the_index(caseworker, other_caseworker):
    child = register_child(worker=caseworker, consent_given=True)
    services.child_close(actor=caseworker, child=child, reason="Aged out; durable solution")
    request = file_request(worker=other_caseworker)
    assert request.candidates.count() == 0
