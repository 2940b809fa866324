"""Re-entry linking and flag, the team's re-entry review, and the handover summary built when a
case is reassigned (issue 6)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from reunify.cases import services
from reunify.cases.models import (
    DischargeReason,
    ReentryFactor,
    ReentryReview,
    RemovalEpisode,
    TransitionSummary,
)
from reunify.cases.tests.factories import ProviderFactory, child_input, open_case
from reunify.contacts.models import CaseworkerContact
from reunify.core.models import AuditEvent

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 1)


def _discharged(
    worker,
    *,
    on=dt.date(2026, 3, 1),
    reason=DischargeReason.REUNIFICATION,
    opened_on=dt.date(2026, 1, 10),
):
    case = open_case(worker=worker, opened_on=opened_on)
    episode = case.episodes.get()
    services.episode_discharge(
        actor=worker,
        episode=episode,
        expected_version=episode.version,
        discharged_on=on,
        reason=reason,
        today=TODAY,
    )
    return RemovalEpisode.objects.get(pk=episode.pk)


def _remove_again(worker, episode, on):
    removal = child_input(provider=ProviderFactory(agency=worker.agency), removed_on=on).removal
    return services.removal_record(
        actor=worker, case=episode.case, child=episode.child, data=removal, today=TODAY
    )


@pytest.mark.parametrize(
    ("reason", "removed_on", "flagged"),
    [
        (DischargeReason.REUNIFICATION, dt.date(2026, 11, 1), True),  # eight months on
        (DischargeReason.REUNIFICATION, dt.date(2026, 3, 2), True),  # the next day
        (DischargeReason.GUARDIANSHIP, dt.date(2026, 10, 1), True),
        (DischargeReason.ADOPTION, dt.date(2026, 10, 1), False),  # not a CFSR3 P4 exit
    ],
)
def test_a_new_removal_links_the_earlier_episode_and_flags_reentry(
    caseworker, reason, removed_on, flagged
):
    earlier = _discharged(caseworker, reason=reason)
    again = _remove_again(caseworker, earlier, removed_on)
    assert again.previous_episode == earlier
    assert again.reentry_within_12_months is flagged
    event = AuditEvent.objects.filter(action="removal.recorded", object_id=str(again.pk)).get()
    assert event.changes["previous_episode"] == earlier.pk
    assert event.changes["reentry_within_12_months"] is flagged


def test_a_removal_more_than_12_months_after_discharge_is_linked_but_not_flagged(caseworker):
    earlier = _discharged(caseworker, on=dt.date(2025, 6, 1), opened_on=dt.date(2025, 1, 10))
    again = _remove_again(caseworker, earlier, dt.date(2026, 6, 2))
    assert again.previous_episode == earlier
    assert not again.reentry_within_12_months


def test_a_first_removal_has_no_previous_episode(caseworker):
    case = open_case(worker=caseworker)
    episode = case.episodes.get()
    assert episode.previous_episode is None
    assert not episode.reentry_within_12_months


def test_reentry_review_records_what_contributed_and_refuses_bad_input(caseworker):
    earlier = _discharged(caseworker)
    again = _remove_again(caseworker, earlier, dt.date(2026, 10, 1))
    with pytest.raises(ValidationError) as error:
        services.reentry_review_record(actor=caseworker, episode=again, factors=[], note=" ")
    assert "factors" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.reentry_review_record(
            actor=caseworker, episode=again, factors=[ReentryFactor.OTHER], note=""
        )
    assert "note" in error.value.message_dict
    with pytest.raises(ValidationError):
        services.reentry_review_record(
            actor=caseworker, episode=again, factors=["bad_luck"], note="x"
        )
    with pytest.raises(ValidationError) as error:  # the first episode has no re-entry to review
        services.reentry_review_record(
            actor=caseworker, episode=earlier, factors=[ReentryFactor.HOUSING], note=""
        )
    assert not ReentryReview.objects.exists()
    review = services.reentry_review_record(
        actor=caseworker,
        episode=again,
        factors=[ReentryFactor.AFTERCARE_GAP, ReentryFactor.SUBSTANCE_RELAPSE],
        note="Aftercare ended at 3 months; relapse after the job loss.",
        reviewed_on=dt.date(2026, 10, 15),
    )
    assert review.factors == ["aftercare_gap", "substance_relapse"]
    assert AuditEvent.objects.filter(action="reentry.reviewed").count() == 1


def test_case_page_and_unit_page_flag_the_reentry(client, caseworker, supervisor):
    earlier = _discharged(caseworker)
    again = _remove_again(caseworker, earlier, dt.date(2026, 10, 1))
    client.force_login(caseworker)
    page = client.get(reverse("cases:case-detail", args=[again.case_id])).content.decode()
    assert "Re-entry within 12 months" in page
    assert reverse("cases:reentry-review", args=[again.pk]) in page
    client.force_login(supervisor)
    unit = client.get(reverse("cases:unit-caseloads", args=[again.case.unit_id]))
    assert "Re-entry within 12 months" in unit.content.decode()
    response = client.post(
        reverse("cases:reentry-review", args=[again.pk]),
        {"reviewed_on": "2026-10-02", "factors": ["housing"], "note": ""},
    )
    assert response.status_code == 302
    assert ReentryReview.objects.get(episode=again).factors == ["housing"]


def test_reassignment_builds_a_handover_summary_the_new_worker_acknowledges(
    client, caseworker, other_caseworker, supervisor
):
    case = open_case(worker=caseworker)
    child = case.episodes.get().child
    CaseworkerContact.objects.create(
        case=case,
        child=child,
        occurred_on=dt.date(2026, 10, 20),
        note="Ana asked about her brother's school play.",
        worker=caseworker,
    )
    services.case_reassign(
        actor=supervisor,
        case=case,
        expected_version=case.version,
        worker=other_caseworker,
        reason="Caseload balancing",
        on=dt.date(2026, 11, 1),
    )
    summary = TransitionSummary.objects.get(case=case)
    assert summary.assignment.worker == other_caseworker
    content = summary.content
    assert content["case"]["reassignments"] == 1
    assert content["children"][0]["name"] == child.full_name
    assert content["children"][0]["episodes"][0]["goals"][0]["kind"] == "reunification"
    assert content["notes"][0]["note"].startswith("Ana asked")
    assert any(p["role"] == "parent" for p in content["people"])
    assert {"clocks", "family_time", "conditions", "plan_goals", "hearings"} <= set(content)

    # Only the new worker acknowledges, once.
    with pytest.raises(ValidationError):
        services.transition_acknowledge(actor=caseworker, summary=summary)
    url = reverse("cases:transition", args=[summary.pk])
    client.force_login(other_caseworker)
    case_page = client.get(reverse("cases:case-detail", args=[case.pk])).content.decode()
    assert "Read and acknowledge the handover summary" in case_page
    page = client.get(url).content.decode()
    assert "Ana asked about her brother" in page
    assert "Acknowledge the handover" in page
    assert client.post(url, {"confirm": ""}).status_code == 400  # not ticked: nothing changes
    assert TransitionSummary.objects.get(pk=summary.pk).acknowledged_at is None
    assert client.post(url, {"confirm": "on"}).status_code == 302
    summary.refresh_from_db()
    assert summary.acknowledged_by == other_caseworker
    with pytest.raises(ValidationError):
        services.transition_acknowledge(actor=other_caseworker, summary=summary)
    client.force_login(supervisor)
    assert client.post(url, {"confirm": "on"}).status_code == 403
    assert (
        "Read and acknowledge"
        not in client.get(reverse("cases:case-detail", args=[case.pk])).content.decode()
    )


def test_the_handover_keeps_what_was_handed_over(caseworker, other_caseworker, supervisor):
    case = open_case(worker=caseworker)
    services.case_reassign(
        actor=supervisor,
        case=case,
        expected_version=case.version,
        worker=other_caseworker,
        reason="Leave",
        on=dt.date(2026, 11, 1),
    )
    summary = TransitionSummary.objects.get(case=case)
    CaseworkerContact.objects.create(
        case=case,
        child=case.episodes.get().child,
        occurred_on=dt.date(2026, 11, 2),
        note="Later note",
        worker=other_caseworker,
    )
    summary.refresh_from_db()
    assert summary.content["notes"] == []
