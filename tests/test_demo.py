"""Demo data: deterministic for a seed, valid under the same rules the services enforce."""

import datetime as dt
import random

import pytest
from django.core.management import call_command

from reunify.accounts.models import User
from reunify.cases import rules
from reunify.cases.demo import DEMO_PASSWORD, demo_agency_create
from reunify.cases.models import FamilyCase, Placement, RemovalEpisode
from reunify.core import audit
from reunify.people.models import Person, Relationship

pytestmark = pytest.mark.django_db
AS_OF = dt.date(2026, 11, 1)


def _fingerprint():
    return (
        list(Person.objects.order_by("id").values_list("first_name", "last_name", "date_of_birth")),
        list(
            Placement.objects.order_by("id").values_list(
                "setting", "started_on", "ended_on", "distance_miles"
            )
        ),
        list(FamilyCase.objects.order_by("id").values_list("number", "status", "worker__username")),
    )


def test_same_seed_gives_the_same_data():
    from django.db import transaction

    fingerprints = []
    for _ in range(2):
        sid = transaction.savepoint()
        demo_agency_create(cases=20, seed=5, as_of=AS_OF)
        fingerprints.append(_fingerprint())
        transaction.savepoint_rollback(sid)
    assert fingerprints[0] == fingerprints[1]
    demo_agency_create(cases=20, seed=6, as_of=AS_OF)
    assert _fingerprint() != fingerprints[0]


def test_demo_has_realistic_shapes_and_valid_records():
    demo_agency_create(cases=120, seed=3, as_of=AS_OF)
    assert User.objects.get(username="caseworker").check_password(DEMO_PASSWORD)
    assert {"caseworker", "supervisor", "admin"} <= set(
        User.objects.values_list("username", flat=True)
    )
    episodes = RemovalEpisode.objects.all()
    assert episodes.filter(discharge_reason="reunification").exists()
    reentered = {c for c, n in _episode_counts().items() if n > 1}
    assert reentered, "some children re-enter care"
    assert Placement.objects.filter(setting="foster_family_relative").exists()
    assert Placement.objects.filter(setting="foster_family_nonrelative").exists()
    assert Placement.objects.filter(setting="trial_home_visit").exists()
    assert Relationship.objects.filter(kind="sibling").exists()
    assert episodes.filter(goals__is_concurrent=True).exists()
    assert len({p.primary_language for p in Person.objects.all()}) >= 3
    # Every record satisfies the model rules, and placements follow the episode rules.
    rng = random.Random(1)
    sample = rng.sample(list(episodes.prefetch_related("placements").select_related("child")), 60)
    for episode in sample:
        episode.full_clean()
        placements = list(episode.placements.all())
        for index, placement in enumerate(placements):
            placement.full_clean()
            others = [
                rules.Span(p.started_on, p.ended_on) for j, p in enumerate(placements) if j != index
            ]
            assert (
                rules.placement_problem(
                    start=placement.started_on,
                    end=placement.ended_on,
                    removed_on=episode.removed_on,
                    discharged_on=episode.discharged_on,
                    others=others,
                    today=AS_OF,
                )
                is None
            )
        assert (
            rules.removal_date_problem(
                removed_on=episode.removed_on, born=episode.child.date_of_birth, today=AS_OF
            )
            is None
        )
    assert audit.chain_verify() is None


def _episode_counts():
    counts = {}
    for child_id in RemovalEpisode.objects.values_list("child_id", flat=True):
        counts[child_id] = counts.get(child_id, 0) + 1
    return counts


def test_demo_data_command_loads_once(capsys):
    call_command("demo-data", "--cases", "5", "--seed", "2", "--as-of", "2026-11-01")
    assert "Created 5 cases" in capsys.readouterr().out
    with pytest.raises(Exception, match="already exists"):
        call_command("demo-data", "--cases", "5", "--seed", "2")
