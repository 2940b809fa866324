"""Access follows standing from the very next request (reliability.md AZ-6): a Hypothesis state
machine over the case's status events.

One case seen by three family-side accounts: the birth parent, the resource family the child
lives with, and the parent's matched parent partner. Events happen in any order: termination of
the parent's rights, a no-contact order against the parent, the parent revoking the partner's
consent and giving it again, the child's placement ending (a move to another family) and the
case closing. After every event the next request of each account must get exactly what the pure
rules (`portal/access.py`) allow for the standing so far: the page (200) or nothing (404).

AZ-6 asks for at least 100 runs of at least 200 steps. The case and the accounts are built once
(through the services; that takes seconds); each run works inside a savepoint that is rolled back
at its end, so every run starts from the same standing with the same signed-in sessions. The
accounts ask after every step that changed something (between two such steps nothing can change
what they get, and asking costs a page render each).
"""

from __future__ import annotations

import datetime as dt
import os

import pytest
import time_machine
from django.db import transaction
from django.urls import reverse
from hypothesis import HealthCheck, settings
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from reunify.cases.models import FamilyCase
from reunify.cases.tests.factories import move_child
from reunify.core import clock
from reunify.court import services as court_services
from reunify.partners import services as partner_services
from reunify.partners.tests.factories import make_mentor, matched
from reunify.portal import access
from reunify.portal.tests.factories import otp_client
from reunify.portal.tests.resource_world import NOW, build_resource

pytestmark = pytest.mark.django_db


def _lifecycle(worker, admin):
    world = build_resource(worker)
    case = world.case
    mentor = make_mentor(admin=admin, username="mentor")
    participation = matched(worker=worker, case=case, mentor=mentor)
    clients = {
        "parent": otp_client(world.user),
        "resource": otp_client(world.resource_user),
        "mentor": otp_client(mentor.user),
    }

    class PortalLifecycle(RuleBasedStateMachine):
        runs = 0
        steps = 0

        def __init__(self) -> None:
            super().__init__()
            self._atomic = transaction.atomic()
            self._atomic.__enter__()
            PortalLifecycle.runs += 1
            self.world, self.case, self.participation = world, case, participation
            self.parent, self.resource, self.mentor = (
                clients["parent"],
                clients["resource"],
                clients["mentor"],
            )
            self.tpr = self.no_contact = self.revoked = self.moved = self.closed = False
            self.checked: dict[str, tuple] = {}

        def teardown(self) -> None:
            transaction.set_rollback(True)
            self._atomic.__exit__(None, None, None)

        # ---- the events ------------------------------------------------------------------

        @precondition(lambda self: not self.tpr)
        @rule()
        def parental_rights_terminated(self) -> None:
            court_services.order_record(
                actor=worker,
                case=self.case,
                kind="tpr",
                issued_on=clock.today(),
                text="Parental rights terminated.",
                parent=self.world.parent,
            )
            self.tpr = True

        @precondition(lambda self: not self.no_contact)
        @rule()
        def no_contact_order(self) -> None:
            court_services.order_record(
                actor=worker,
                case=self.case,
                kind="no_contact",
                issued_on=clock.today(),
                text="No contact with the child.",
                parent=self.world.parent,
            )
            self.no_contact = True

        @precondition(lambda self: not self.revoked and not self.closed)
        @rule()
        def consent_revoked(self) -> None:
            partner_services.consent_revoke(actor=worker, participation=self.participation)
            self.revoked = True

        @precondition(lambda self: self.revoked and not self.closed)
        @rule()
        def consent_given_again(self) -> None:
            partner_services.consent_record(
                actor=worker,
                participation=self.participation,
                given_on=clock.today(),
                expires_on=clock.today() + dt.timedelta(days=180),
            )
            self.revoked = False

        @precondition(lambda self: not self.moved and not self.closed)
        @rule()
        def placement_ended(self) -> None:
            move_child(worker=worker, episode=self.case.episodes.get())
            self.moved = True

        @precondition(lambda self: not self.closed)
        @rule()
        def case_closed(self) -> None:
            # The closing itself is the road-home app's (its checklist is tested there); what
            # matters here is the status the portal reads.
            FamilyCase.objects.filter(pk=self.case.pk).update(
                status=FamilyCase.Status.CLOSED, closed_on=clock.today()
            )
            self.closed = True

        @rule()
        def another_day(self) -> None:
            """Nothing happens: the accounts ask again (and the machine can always go on)."""

        # ---- what the next request gets ----------------------------------------------------

        @invariant()
        def next_request_follows_the_standing(self) -> None:
            PortalLifecycle.steps += 1
            # Each account asks again whenever something its access depends on changed (the
            # other steps cannot change what it gets; each question costs a page render).
            parent = (self.tpr, self.no_contact, self.closed)
            if self.checked.get("parent") != parent:
                self.checked["parent"] = parent
                self._parent_asks()
            resource = (self.moved, self.closed)
            if self.checked.get("resource") != resource:
                self.checked["resource"] = resource
                sees = not self.moved and not self.closed
                path = reverse("portal:resource-child", args=[self.case.pk, self.world.child.pk])
                got = self.resource.get(path).status_code
                assert got == (200 if sees else 404), ("resource", resource, got)
            mentor = (self.revoked, self.closed)
            if self.checked.get("mentor") != mentor:
                self.checked["mentor"] = mentor
                sees = not self.revoked and not self.closed
                path = reverse("portal:partner-parent", args=[self.participation.pk])
                got = self.mentor.get(path).status_code
                assert got == (200 if sees else 404), ("mentor", mentor, got)

        def _parent_asks(self) -> None:
            standing = access.ParentStanding(
                case_open=not self.closed,
                parental_rights_terminated=self.tpr,
                no_contact_order=self.no_contact,
            )
            allowed = access.parent_sections(standing, access.Rules())
            for name, section in (
                ("portal:road-home", access.ROAD_HOME),
                ("portal:family-time", access.FAMILY_TIME),
                ("portal:court-dates", access.COURT_DATES),
                ("portal:case-plan", access.CASE_PLAN),
                ("portal:journal-children", access.JOURNAL),
            ):
                got = self.parent.get(reverse(name, args=[self.case.pk])).status_code
                # The journal's list of children goes straight to the only child's journal (302).
                assert got in (200, 302, 404), (name, got)
                assert (got != 404) is (section in allowed), (name, standing, got)

    return PortalLifecycle


RUNS = int(os.environ.get("REUNIFY_LIFECYCLE_RUNS", "100"))
STEPS = int(os.environ.get("REUNIFY_LIFECYCLE_STEPS", "200"))


def test_access_follows_the_standing_from_the_next_request(caseworker, agency_admin):
    with time_machine.travel(NOW, tick=False):
        machine = _lifecycle(caseworker, agency_admin)
        machine.TestCase.settings = settings(
            max_examples=RUNS,
            stateful_step_count=STEPS,
            deadline=None,
            database=None,  # the same runs on every machine
            derandomize=True,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
        )
        machine.TestCase().runTest()
    assert machine.runs >= RUNS
    assert machine.steps >= RUNS * STEPS // 2  # runs go the full length (none stops early)
