"""Case services: each rule refuses bad input with a specific message, changes nothing, and each
accepted write leaves history and an audit event."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from reunify.cases import rules, services
from reunify.cases.models import (
    CaseAssignment,
    DischargeReason,
    FamilyCase,
    GoalKind,
    PermanencyGoal,
    Placement,
    PlacementEndReason,
    PlacementSetting,
    RemovalEpisode,
)
from reunify.cases.tests.factories import ProviderFactory, UserFactory, child_input, open_case
from reunify.core.concurrency import StaleEditError
from reunify.core.models import AuditEvent
from reunify.people.models import Person, Relationship

TODAY = dt.date(2026, 11, 1)
pytestmark = pytest.mark.django_db


def snapshot():
    return (
        FamilyCase.objects.count(),
        Person.objects.count(),
        RemovalEpisode.objects.count(),
        Placement.objects.count(),
        PermanencyGoal.objects.count(),
        AuditEvent.objects.count(),
    )


def test_open_case_records_family_network_and_audit(caseworker):
    # given a worker; when a case with two children and a parent is opened
    case = open_case(worker=caseworker, children=2)
    # then the people, relationships, episodes, placements, goals and assignment exist
    assert case.participants.count() == 3
    assert Relationship.objects.filter(kind="parent").count() == 2
    assert Relationship.objects.filter(kind="sibling").count() == 1
    assert case.episodes.count() == 2
    assert (
        PermanencyGoal.objects.filter(episode__case=case, kind=GoalKind.REUNIFICATION).count() == 2
    )
    assert CaseAssignment.objects.get(case=case).worker == caseworker
    actions = set(AuditEvent.objects.filter(case_id=case.pk).values_list("action", flat=True))
    assert {
        "case.opened",
        "person.created",
        "removal.recorded",
        "placement.started",
        "goal.set",
    } <= actions
    assert case.history.count() == 1
    assert Placement.history.filter(episode__case=case).count() == 2


def test_distance_is_computed_from_coordinates(caseworker):
    case = open_case(worker=caseworker)
    placement = Placement.objects.get(episode__case=case)
    # parents' home 38.6,-90.2; provider 38.7,-90.3 -> about 8.7 miles
    assert placement.distance_computed
    assert Decimal("8") < placement.distance_miles < Decimal("10")


def test_distance_entered_by_hand_when_coordinates_missing(caseworker):
    provider = ProviderFactory(agency=caseworker.agency, address=None)
    kid = child_input(provider=provider)
    kid = services.ChildInput(
        person=kid.person,
        removal=services.RemovalInput(
            removed_on=kid.removal.removed_on,
            legal_authority=kid.removal.legal_authority,
            reasons=kid.removal.reasons,
            placement=services.PlacementInput(
                setting=PlacementSetting.FOSTER_FAMILY_NONRELATIVE,
                started_on=kid.removal.removed_on,
                provider=provider,
                distance_miles=Decimal("12.5"),
            ),
        ),
    )
    case = services.case_open(
        actor=caseworker,
        name="Lee family",
        opened_on=dt.date(2026, 1, 10),
        children=[kid],
        today=TODAY,
    )
    placement = Placement.objects.get(episode__case=case)
    assert placement.distance_miles == Decimal("12.5")
    assert not placement.distance_computed


def test_birth_date_in_future_is_refused_and_nothing_saved(caseworker):
    before = snapshot()
    with pytest.raises(ValidationError) as error:
        services.case_open(
            actor=caseworker,
            name="X family",
            opened_on=dt.date(2026, 1, 10),
            children=[child_input(born=dt.date(2026, 12, 1))],
            today=TODAY,
        )
    assert "children-0-date_of_birth" in error.value.message_dict
    assert snapshot() == before


def test_removal_before_birth_is_refused_and_nothing_saved(caseworker):
    before = snapshot()
    with pytest.raises(ValidationError) as error:
        services.case_open(
            actor=caseworker,
            name="X family",
            opened_on=dt.date(2026, 1, 10),
            children=[child_input(born=dt.date(2026, 2, 1), removed_on=dt.date(2026, 1, 10))],
            today=TODAY,
        )
    assert error.value.message_dict["children-0-removed_on"] == [rules.REMOVAL_BEFORE_BIRTH]
    assert snapshot() == before


def test_placement_setting_with_provider_requires_one(caseworker):
    with pytest.raises(ValidationError) as error:
        services.case_open(
            actor=caseworker,
            name="X family",
            opened_on=dt.date(2026, 1, 10),
            children=[child_input(provider=None)],
            today=TODAY,
        )
    assert "children-0-provider" in error.value.message_dict


def test_provider_of_another_agency_is_refused(caseworker):
    foreign = ProviderFactory()
    with pytest.raises(ValidationError) as error:
        services.case_open(
            actor=caseworker,
            name="X family",
            opened_on=dt.date(2026, 1, 10),
            children=[child_input(provider=foreign)],
            today=TODAY,
        )
    assert "children-0-provider" in error.value.message_dict


def _episode(worker):
    case = open_case(worker=worker)
    return case.episodes.get()


def test_placement_change_ends_current_and_starts_next(caseworker):
    episode = _episode(caseworker)
    current = episode.placements.get()
    provider = ProviderFactory(agency=caseworker.agency)
    new = services.placement_change(
        actor=caseworker,
        episode=episode,
        expected_version=episode.version,
        end_reason=PlacementEndReason.STEP_DOWN,
        data=services.PlacementInput(
            setting=PlacementSetting.FOSTER_FAMILY_NONRELATIVE,
            started_on=dt.date(2026, 3, 1),
            provider=provider,
        ),
        today=TODAY,
    )
    current.refresh_from_db()
    assert current.ended_on == dt.date(2026, 3, 1)
    assert current.end_reason == PlacementEndReason.STEP_DOWN
    assert new.ended_on is None
    assert AuditEvent.objects.filter(action="placement.ended", object_id=current.pk).exists()


def test_placement_change_requires_end_reason(caseworker):
    episode = _episode(caseworker)
    episode.placements.get()
    before = snapshot()
    with pytest.raises(ValidationError) as error:
        services.placement_change(
            actor=caseworker,
            episode=episode,
            expected_version=episode.version,
            end_reason="",
            data=services.PlacementInput(
                setting=PlacementSetting.RUNAWAY, started_on=dt.date(2026, 3, 1)
            ),
            today=TODAY,
        )
    assert "end_reason" in error.value.message_dict
    assert snapshot() == before


def test_placement_change_cannot_start_before_current_placement(caseworker):
    episode = _episode(caseworker)
    current = episode.placements.get()
    with pytest.raises(ValidationError) as error:
        services.placement_change(
            actor=caseworker,
            episode=episode,
            expected_version=episode.version,
            end_reason=PlacementEndReason.OTHER,
            data=services.PlacementInput(
                setting=PlacementSetting.RUNAWAY, started_on=dt.date(2026, 1, 5)
            ),
            today=TODAY,
        )
    assert "started_on" in error.value.message_dict
    current.refresh_from_db()
    assert current.ended_on is None


def test_stale_placement_change_is_refused(caseworker):
    episode = _episode(caseworker)
    episode.placements.get()
    with pytest.raises(StaleEditError):
        services.placement_change(
            actor=caseworker,
            episode=episode,
            expected_version=episode.version + 1,
            end_reason=PlacementEndReason.OTHER,
            data=services.PlacementInput(
                setting=PlacementSetting.RUNAWAY, started_on=dt.date(2026, 3, 1)
            ),
            today=TODAY,
        )
    assert episode.placements.count() == 1


def test_trial_home_visit_is_a_placement_not_a_discharge(caseworker):
    episode = _episode(caseworker)
    episode.placements.get()
    services.placement_change(
        actor=caseworker,
        episode=episode,
        expected_version=episode.version,
        end_reason=PlacementEndReason.TRIAL_HOME_VISIT,
        data=services.PlacementInput(
            setting=PlacementSetting.TRIAL_HOME_VISIT, started_on=dt.date(2026, 6, 1)
        ),
        today=TODAY,
    )
    episode.refresh_from_db()
    assert episode.is_open
    assert (
        episode.placements.filter(ended_on__isnull=True).get().setting
        == PlacementSetting.TRIAL_HOME_VISIT
    )


def test_discharge_ends_episode_placement_and_goals(caseworker):
    episode = _episode(caseworker)
    services.episode_discharge(
        actor=caseworker,
        episode=episode,
        expected_version=episode.version,
        discharged_on=dt.date(2026, 6, 1),
        reason=DischargeReason.REUNIFICATION,
        today=TODAY,
    )
    episode.refresh_from_db()
    assert episode.discharged_on == dt.date(2026, 6, 1)
    assert not episode.placements.filter(ended_on__isnull=True).exists()
    assert not episode.goals.filter(ended_on__isnull=True).exists()


def test_discharge_requires_a_reason(caseworker):
    episode = _episode(caseworker)
    with pytest.raises(ValidationError) as error:
        services.episode_discharge(
            actor=caseworker,
            episode=episode,
            expected_version=episode.version,
            discharged_on=dt.date(2026, 6, 1),
            reason="",
            today=TODAY,
        )
    assert "reason" in error.value.message_dict
    episode.refresh_from_db()
    assert episode.is_open


def test_discharge_before_removal_is_refused(caseworker):
    episode = _episode(caseworker)
    with pytest.raises(ValidationError) as error:
        services.episode_discharge(
            actor=caseworker,
            episode=episode,
            expected_version=episode.version,
            discharged_on=dt.date(2025, 12, 1),
            reason=DischargeReason.REUNIFICATION,
            today=TODAY,
        )
    assert error.value.message_dict["discharged_on"] == [rules.DISCHARGE_BEFORE_REMOVAL]


def test_no_placement_after_discharge(caseworker):
    episode = _episode(caseworker)
    services.episode_discharge(
        actor=caseworker,
        episode=episode,
        expected_version=episode.version,
        discharged_on=dt.date(2026, 6, 1),
        reason=DischargeReason.REUNIFICATION,
        today=TODAY,
    )
    with pytest.raises(ValidationError):
        services.placement_change(
            actor=caseworker,
            episode=episode,
            expected_version=RemovalEpisode.objects.get(pk=episode.pk).version,
            end_reason=PlacementEndReason.OTHER,
            data=services.PlacementInput(
                setting=PlacementSetting.RUNAWAY, started_on=dt.date(2026, 7, 1)
            ),
            today=TODAY,
        )


def test_reentry_opens_a_new_episode_after_discharge(caseworker):
    episode = _episode(caseworker)
    services.episode_discharge(
        actor=caseworker,
        episode=episode,
        expected_version=episode.version,
        discharged_on=dt.date(2026, 6, 1),
        reason=DischargeReason.REUNIFICATION,
        today=TODAY,
    )
    removal = child_input(
        provider=ProviderFactory(agency=caseworker.agency), removed_on=dt.date(2026, 9, 1)
    ).removal
    again = services.removal_record(
        actor=caseworker, case=episode.case, child=episode.child, data=removal, today=TODAY
    )
    assert again.pk != episode.pk
    assert RemovalEpisode.objects.filter(child=episode.child).count() == 2


def test_second_open_episode_for_a_child_is_refused(caseworker):
    episode = _episode(caseworker)
    removal = child_input(
        provider=ProviderFactory(agency=caseworker.agency), removed_on=dt.date(2026, 9, 1)
    ).removal
    with pytest.raises(ValidationError) as error:
        services.removal_record(
            actor=caseworker, case=episode.case, child=episode.child, data=removal, today=TODAY
        )
    assert error.value.message_dict["removed_on"] == [rules.EPISODE_OVERLAP]


def test_goal_change_keeps_history_and_requires_reason(caseworker):
    episode = _episode(caseworker)
    with pytest.raises(ValidationError) as error:
        services.goal_set(
            actor=caseworker,
            episode=episode,
            expected_version=RemovalEpisode.objects.get(pk=episode.pk).version,
            kind=GoalKind.ADOPTION,
            is_concurrent=True,
            on=dt.date(2026, 7, 1),
            reason="  ",
            today=TODAY,
        )
    assert "reason" in error.value.message_dict
    services.goal_set(
        actor=caseworker,
        episode=episode,
        expected_version=RemovalEpisode.objects.get(pk=episode.pk).version,
        kind=GoalKind.ADOPTION,
        is_concurrent=True,
        on=dt.date(2026, 7, 1),
        reason="Six-month review: reunification unlikely soon",
        today=TODAY,
    )
    services.goal_set(
        actor=caseworker,
        episode=episode,
        expected_version=RemovalEpisode.objects.get(pk=episode.pk).version,
        kind=GoalKind.GUARDIANSHIP,
        is_concurrent=True,
        on=dt.date(2026, 8, 1),
        reason="Relative asked for guardianship",
        today=TODAY,
    )
    goals = list(episode.goals.filter(is_concurrent=True).order_by("started_on"))
    assert [(g.kind, g.ended_on) for g in goals] == [
        (GoalKind.ADOPTION, dt.date(2026, 8, 1)),
        (GoalKind.GUARDIANSHIP, None),
    ]
    assert (
        episode.goals.get(is_concurrent=False, ended_on__isnull=True).kind == GoalKind.REUNIFICATION
    )


def test_concurrent_goal_can_be_ended_but_primary_cannot_be_removed(caseworker):
    episode = _episode(caseworker)
    services.goal_set(
        actor=caseworker,
        episode=episode,
        expected_version=RemovalEpisode.objects.get(pk=episode.pk).version,
        kind=GoalKind.ADOPTION,
        is_concurrent=True,
        on=dt.date(2026, 7, 1),
        reason="Concurrent plan",
        today=TODAY,
    )
    assert (
        services.goal_set(
            actor=caseworker,
            episode=episode,
            expected_version=RemovalEpisode.objects.get(pk=episode.pk).version,
            kind="",
            is_concurrent=True,
            on=dt.date(2026, 8, 1),
            reason="Reunification on track",
            today=TODAY,
        )
        is None
    )
    with pytest.raises(ValidationError):
        services.goal_set(
            actor=caseworker,
            episode=episode,
            expected_version=RemovalEpisode.objects.get(pk=episode.pk).version,
            kind="",
            is_concurrent=False,
            on=dt.date(2026, 8, 1),
            reason="No",
            today=TODAY,
        )


def test_reassign_keeps_worker_history(caseworker, other_caseworker, supervisor):
    case = open_case(worker=caseworker)
    services.case_reassign(
        actor=supervisor,
        case=case,
        expected_version=case.version,
        worker=other_caseworker,
        reason="Caseload balancing",
        on=dt.date(2026, 5, 1),
    )
    case.refresh_from_db()
    assert case.worker == other_caseworker
    history = list(
        case.assignments.order_by("started_on").values_list("worker__username", "ended_on")
    )
    assert history == [("cw", dt.date(2026, 5, 1)), ("cw2", None)]


def test_reassign_to_worker_outside_unit_is_refused(caseworker, supervisor, other_supervisor):
    case = open_case(worker=caseworker)
    with pytest.raises(ValidationError):
        services.case_reassign(
            actor=supervisor,
            case=case,
            expected_version=case.version,
            worker=other_supervisor,
            reason="x",
            on=dt.date(2026, 5, 1),
        )
    case.refresh_from_db()
    assert case.worker == caseworker


def test_only_unit_staff_open_cases(agency_admin):
    with pytest.raises(ValidationError):
        services.case_open(
            actor=agency_admin,
            name="X",
            opened_on=dt.date(2026, 1, 1),
            children=[child_input()],
            today=TODAY,
        )


@pytest.mark.parametrize(
    ("model", "change"),
    [
        (RemovalEpisode, {"discharged_on": dt.date(2026, 6, 1)}),  # discharge with no reason
        (
            RemovalEpisode,
            {"discharged_on": dt.date(2025, 1, 1), "discharge_reason": "reunification"},
        ),  # before removal
        (Placement, {"ended_on": dt.date(2026, 6, 1)}),  # end with no reason
        (Placement, {"ended_on": dt.date(2025, 1, 1), "end_reason": "other"}),  # end before start
    ],
)
def test_database_constraints_back_the_services(caseworker, model, change):
    episode = _episode(caseworker)
    target = episode if model is RemovalEpisode else episode.placements.get()
    with pytest.raises(IntegrityError), transaction.atomic():
        model.objects.filter(pk=target.pk).update(**change)


def test_database_refuses_two_current_placements(caseworker):
    episode = _episode(caseworker)
    with pytest.raises(IntegrityError), transaction.atomic():
        Placement.objects.create(
            episode=episode, setting=PlacementSetting.RUNAWAY, started_on=dt.date(2026, 2, 1)
        )


def test_database_refuses_two_open_episodes_for_a_child(caseworker):
    episode = _episode(caseworker)
    with pytest.raises(IntegrityError), transaction.atomic():
        RemovalEpisode.objects.create(
            case=episode.case,
            child=episode.child,
            removed_on=dt.date(2026, 3, 1),
            legal_authority="court_order",
        )


def test_failed_service_leaves_no_audit_row(caseworker):
    episode = _episode(caseworker)
    count = AuditEvent.objects.count()
    with pytest.raises(ValidationError):
        services.episode_discharge(
            actor=caseworker,
            episode=episode,
            expected_version=episode.version,
            discharged_on=dt.date(2025, 1, 1),
            reason=DischargeReason.REUNIFICATION,
            today=TODAY,
        )
    assert AuditEvent.objects.count() == count


def test_worker_from_other_agency_cannot_be_assigned(caseworker, supervisor):
    case = open_case(worker=caseworker)
    stranger = UserFactory()
    with pytest.raises(ValidationError):
        services.case_reassign(
            actor=supervisor, case=case, expected_version=case.version, worker=stranger, reason="x"
        )


def test_postgresql_refuses_overlapping_placements(caseworker):
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip(
            "the exclusion constraint exists on PostgreSQL only; the service check covers SQLite"
        )
    episode = _episode(caseworker)
    current = episode.placements.get()
    current.ended_on = dt.date(2026, 3, 1)
    current.end_reason = PlacementEndReason.OTHER
    current.save()
    with pytest.raises(IntegrityError), transaction.atomic():
        Placement.objects.create(
            episode=episode,
            setting=PlacementSetting.RUNAWAY,
            started_on=dt.date(2026, 2, 1),
            ended_on=dt.date(2026, 2, 10),
            end_reason=PlacementEndReason.RETURNED,
        )
