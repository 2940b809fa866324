"""The resource family's page about a child placed with it now: family time without the parents'
or another family's places, court dates, the child's needs from the plan in force, the
caseworker; nothing of the parents' private information; gone when the placement ends."""

from __future__ import annotations

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from reunify.cases import services as case_services
from reunify.cases.models import FamilyCase, Placement
from reunify.cases.tests.factories import ProviderFactory, open_case
from reunify.family_time.models import FamilyTimePlan, LocationType
from reunify.portal import resource_selectors
from reunify.portal.models import Kind
from reunify.portal.tests.factories import family_account, otp_client
from reunify.portal.tests.parent_world import GOAL
from reunify.portal.tests.resource_world import (
    HEALTH_NEED,
    NOW,
    PARENT_ONLY,
    SCHOOL_NEED,
    TODAY,
    build_resource,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def world(caseworker):
    return build_resource(caseworker)


def _child_url(world) -> str:
    return reverse("portal:resource-child", args=[world.case.pk, world.child.pk])


def _journal_url(world) -> str:
    return reverse("portal:journal", args=[world.case.pk, world.child.pk])


def test_the_child_page_shows_schedule_needs_and_caseworker_and_nothing_of_the_parents(
    world, caseworker
):
    client = otp_client(world.resource_user)
    response = client.get(_child_url(world))
    assert response.status_code == 200
    body = response.content.decode()
    assert world.child.first_name in body
    assert HEALTH_NEED in body
    assert SCHOOL_NEED in body
    assert caseworker.get_full_name() in body
    assert "Arranged by the agency" in body  # the confidential place of family time
    assert "March 20, 2026" in body  # the review hearing, its date only
    assert GOAL not in body
    for name, canary in PARENT_ONLY.items():
        assert canary not in body, name


def test_the_home_page_links_to_the_child_and_the_journal(world):
    client = otp_client(world.resource_user)
    body = client.get(reverse("portal:home")).content.decode()
    assert _child_url(world) in body
    assert _journal_url(world) in body
    assert reverse("portal:journal-identity") in body


def test_a_former_placement_sees_nothing_from_the_next_request(world, caseworker):
    client = otp_client(world.resource_user)
    assert client.get(_child_url(world)).status_code == 200
    # when the child moves to another family
    episode = world.case.episodes.get(child=world.child)
    case_services.placement_change(
        actor=caseworker,
        episode=episode,
        expected_version=episode.version,
        data=case_services.PlacementInput(
            setting="foster_family_nonrelative",
            started_on=TODAY,
            provider=ProviderFactory(agency=caseworker.agency),
        ),
        end_reason="child_needs",
    )
    # then
    assert client.get(_child_url(world)).status_code == 404
    assert client.get(_journal_url(world)).status_code == 404
    assert world.child.first_name not in client.get(reverse("portal:home")).content.decode()


def test_a_closed_case_is_404(world):
    client = otp_client(world.resource_user)
    FamilyCase.objects.filter(pk=world.case.pk).update(status="closed", closed_on=TODAY)
    assert client.get(_child_url(world)).status_code == 404
    assert client.get(_journal_url(world)).status_code == 404


def test_another_familys_child_is_404(world, caseworker):
    other = open_case(worker=caseworker, name="Okafor", today=TODAY)
    other_child = other.episodes.get().child
    client = otp_client(world.resource_user)
    for name in ("portal:resource-child", "portal:journal"):
        assert client.get(reverse(name, args=[other.pk, other_child.pk])).status_code == 404
        # and their own case with the other family's child
        assert client.get(reverse(name, args=[world.case.pk, other_child.pk])).status_code == 404


def test_the_parent_and_staff_cannot_open_the_resource_page(world, caseworker):
    assert otp_client(world.user).get(_child_url(world)).status_code == 404
    client = Client()
    client.force_login(caseworker)
    assert client.get(_child_url(world)).status_code == 404


@pytest.mark.parametrize(
    ("location_type", "confidential", "expected", "absent"),
    [
        (LocationType.RESOURCE_HOME, False, "Resource family home", "Zqsomestreet"),
        (LocationType.PARENT_HOME, False, "Parent's home", "Zqsomestreet"),
        (LocationType.COMMUNITY, True, "Arranged by the agency", "Zqsomestreet"),
        (LocationType.COMMUNITY, False, "Community: Zqsomestreet", ""),
    ],
)
def test_the_place_of_family_time(location_type, confidential, expected, absent):
    plan = FamilyTimePlan(
        location_type=location_type, address="Zqsomestreet", location_confidential=confidential
    )
    label = resource_selectors.place(plan)
    assert label == expected
    if absent:
        assert absent not in label


def test_a_second_child_placed_elsewhere_is_not_shown(caseworker):
    case = open_case(worker=caseworker, children=2, today=TODAY)
    first, second = [e.child for e in case.episodes.order_by("pk")]
    provider = Placement.objects.filter(episode__child=first).get().provider
    # the second child moves to another family
    episode = case.episodes.get(child=second)
    case_services.placement_change(
        actor=caseworker,
        episode=episode,
        expected_version=episode.version,
        data=case_services.PlacementInput(
            setting="foster_family_nonrelative",
            started_on=TODAY,
            provider=ProviderFactory(agency=caseworker.agency),
        ),
        end_reason="siblings_together",
    )
    user = family_account(
        worker=caseworker, case=case, kind=Kind.RESOURCE_PARENT, provider=provider, username="fam"
    )
    client = otp_client(user)
    assert client.get(reverse("portal:resource-child", args=[case.pk, first.pk])).status_code == 200
    assert (
        client.get(reverse("portal:resource-child", args=[case.pk, second.pk])).status_code == 404
    )
