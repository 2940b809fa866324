"""Access follows standing from the very next request (reliability.md AZ-6): a Hypothesis state
machine over the case's status events.

One case seen by three family-side accounts: the birth parent, the resource family the child
lives with, and the parent's matched parent partner. Events happen in any order (each at most
once, since none of them is undone in the record): termination of the parent's rights, a
no-contact order against the parent, the parent revoking the partner's consent, the child's
placement ending (a move to another family) and the case closing. After every event the next
request of each account must get exactly what the pure rules (`portal/access.py`) allow for the
standing so far: the page (200) or nothing (404).
"""

from __future__ import annotations

import pytest
import time_machine
from django.db import transaction
from django.urls import reverse
from hypothesis import HealthCheck, settings
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from reunify.cases import services as case_services
from reunify.cases.models import FamilyCase, PlacementEndReason, PlacementSetting
from reunify.cases.tests.factories import ProviderFactory
from reunify.core import clock
from reunify.court import services as court_services
from reunify.partners import services as partner_services
from reunify.partners.tests.factories import make_mentor, matched
from reunify.portal import access
from reunify.portal.tests.factories import otp_client
from reunify.portal.tests.resource_world import NOW, build_resource

pytestmark = pytest.mark.django_db


def _lifecycle(worker, admin):
    class PortalLifecycle(RuleBasedStateMachine):
        examples = 0

        def __init__(self) -> None:
            super().__init__()
            self._atomic = transaction.atomic()
            self._atomic.__enter__()
            PortalLifecycle.examples += 1
            self.world = build_resource(worker)
            self.case = self.world.case
            mentor = make_mentor(admin=admin, username=f"mentor{PortalLifecycle.examples}")
            self.participation = matched(worker=worker, case=self.case, mentor=mentor)
            self.parent = otp_client(self.world.user)
            self.resource = otp_client(self.world.resource_user)
            self.mentor = otp_client(mentor.user)
            self.tpr = self.no_contact = self.revoked = self.moved = self.closed = False

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

        @precondition(lambda self: not self.moved and not self.closed)
        @rule()
        def placement_ended(self) -> None:
            episode = self.case.episodes.get()
            case_services.placement_change(
                actor=worker,
                episode=episode,
                expected_version=episode.version,
                data=case_services.PlacementInput(
                    setting=PlacementSetting.FOSTER_FAMILY_NONRELATIVE,
                    started_on=clock.today(),
                    provider=ProviderFactory(agency=worker.agency),
                ),
                end_reason=PlacementEndReason.CHILD_NEEDS,
            )
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
            standing = access.ParentStanding(
                case_open=not self.closed,
                parental_rights_terminated=self.tpr,
                no_contact_order=self.no_contact,
            )
            allowed = access.parent_sections(standing, access.Rules())
            pk = self.case.pk
            child = self.world.child.pk
            for name, section in (
                ("portal:road-home", access.ROAD_HOME),
                ("portal:family-time", access.FAMILY_TIME),
                ("portal:court-dates", access.COURT_DATES),
                ("portal:case-plan", access.CASE_PLAN),
                ("portal:journal-children", access.JOURNAL),
            ):
                got = self.parent.get(reverse(name, args=[pk])).status_code
                # The journal's list of children goes straight to the only child's journal (302).
                assert got in (200, 302, 404), (name, got)
                assert (got != 404) is (section in allowed), (name, standing, got)
            resource_sees = not self.moved and not self.closed
            got = self.resource.get(reverse("portal:resource-child", args=[pk, child]))
            assert got.status_code == (200 if resource_sees else 404), ("resource", got)
            mentor_sees = not self.revoked and not self.closed
            got = self.mentor.get(reverse("portal:partner-parent", args=[self.participation.pk]))
            assert got.status_code == (200 if mentor_sees else 404), ("mentor", got)

    return PortalLifecycle


def test_access_follows_the_standing_from_the_next_request(caseworker, agency_admin):
    machine = _lifecycle(caseworker, agency_admin)
    machine.TestCase.settings = settings(
        max_examples=6,  # each example builds its case through the services (seconds each)
        stateful_step_count=6,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    )
    with time_machine.travel(NOW, tick=False):
        machine.TestCase().runTest()
