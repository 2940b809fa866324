"""The authorization matrix for the family principals (issue 7; reliability.md AZ-4 to AZ-8).

tests/authz_matrix_family.yaml gives, for every URL name of the application and both methods, the
outcome for each family principal: a birth parent with full standing, the same parent under a
no-contact order and after termination of parental rights, a youth of the case, the resource
family the child lives with and one the child has left, a parent partner matched with the parent,
one who is not, and one whose consent the parent revoked. URLs outside the portal are one default
(`not_found`: the portal boundary answers 404 to a family account on any staff page) unless the
file lists them; every portal URL is listed explicitly, and a test fails if one is missing.

Each principal is one test over the whole matrix, in the staff matrix's world (the same case,
child, session, document, calendar address, journal entry, thread and participation, from
tests/test_authz_matrix.py), with the principal's standing set up through the services. A denial
must not show the planted marks; a POST (empty body) must change nothing.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import yaml
from django.urls import reverse

from reunify.accounts.models import User
from reunify.cases.tests.factories import move_child
from reunify.core import clock
from reunify.court import services as court_services
from reunify.messaging.models import Thread
from reunify.partners import services as partner_services
from reunify.people.models import Person
from reunify.portal.models import Kind
from reunify.portal.tests.factories import family_account, otp_client, parent_of
from tests.test_authz_matrix import (
    DENIALS,
    MATRIX,
    METHODS,
    OUTCOMES,
    World,
    _outcome,
    _state,
    world,  # noqa: F401 (the staff matrix's fixture)
)

FAMILY_FILE = Path(__file__).with_name("authz_matrix_family.yaml")
FAMILY: dict[str, Any] = yaml.safe_load(FAMILY_FILE.read_text(encoding="utf-8"))
PRINCIPALS: list[str] = FAMILY["principals"]
DEFAULT: str = FAMILY["default"]
ACTS = set(FAMILY["acts_on_empty_post"])
ALWAYS_LISTED = ("portal:",)
LOGOUT = "accounts:logout"  # these URLs must be in the file, never left to the default

pytestmark = pytest.mark.django_db


def expected(name: str, method: str, principal: str) -> str:
    row = (FAMILY["urls"].get(name) or {}).get(method, DEFAULT)
    return row if isinstance(row, str) else row[principal]


def test_family_matrix_is_complete_and_well_formed():
    problems = []
    for name in MATRIX["urls"]:
        if name.startswith(ALWAYS_LISTED) and name not in FAMILY["urls"]:
            problems.append(f"{name}: a portal URL must be listed, not left to the default")
    for name, spec in FAMILY["urls"].items():
        if name not in MATRIX["urls"]:
            problems.append(f"{name}: no such URL in the staff matrix")
        for method in METHODS:
            row = spec.get(method)
            if isinstance(row, str):
                row = dict.fromkeys(PRINCIPALS, row)
            if not isinstance(row, dict) or set(row) != set(PRINCIPALS):
                problems.append(f"{name} {method}: every principal, or one outcome for all")
                continue
            bad = {p: o for p, o in row.items() if o not in OUTCOMES}
            if bad:
                problems.append(f"{name} {method}: unknown outcomes {bad}")
    assert not problems, "\n".join(problems)


# ---- the principals ------------------------------------------------------------------------------


def _order(world: World, kind: str) -> None:
    court_services.order_record(
        actor=world.users["assigned_worker"],
        case=world.case,
        kind=kind,
        issued_on=clock.today(),
        text="Order of the court.",
        parent=parent_of(world.case),
    )


def _match(world: World) -> None:
    partner_services.participation_match(
        actor=world.users["assigned_worker"], participation=world.participation, mentor=world.mentor
    )


def _move_child(world: World) -> None:
    move_child(worker=world.users["assigned_worker"], episode=world.episode)


def _youth(world: World) -> User:
    Person.objects.filter(pk=world.child.pk).update(date_of_birth=dt.date(2011, 1, 5))
    world.child.refresh_from_db()
    return family_account(
        worker=world.users["assigned_worker"],
        case=world.case,
        kind=Kind.YOUTH,
        person=world.child,
        username="matrixyouth",
    )


def principal(world: World, name: str) -> User:
    """The principal's account, its standing set up through the services."""
    parent = User.objects.get(username="matrixparent")
    # The parent's thread belongs to this account (the matrix world made it from another one).
    Thread.objects.filter(pk=world.thread.pk).update(account=parent.portal_account)
    resource = User.objects.get(username="matrixresource")
    mentor = world.mentor.user
    if name == "birth_parent":
        return parent
    if name == "no_contact_parent":
        _order(world, "no_contact")
        return parent
    if name == "tpr_parent":
        _order(world, "tpr")
        return parent
    if name == "youth":
        return _youth(world)
    if name == "resource_parent":
        return resource
    if name == "former_resource_parent":
        _move_child(world)
        return resource
    if name == "matched_mentor":
        _match(world)
        return mentor
    if name == "unmatched_mentor":
        return mentor
    if name == "revoked_mentor":
        _match(world)
        partner_services.consent_revoke(
            actor=world.users["assigned_worker"], participation=world.participation
        )
        return mentor
    raise AssertionError(name)


# ---- one test per principal, over every URL ------------------------------------------------------


@pytest.mark.parametrize("who", PRINCIPALS)
def test_family_principal_over_every_url(world: World, who: str):
    user = principal(world, who)
    client = otp_client(user)
    wrong = []
    # Signing out last: it ends the session the other requests ride on.
    for name, spec in sorted(MATRIX["urls"].items(), key=lambda i: (i[0] == LOGOUT, i[0])):
        kwargs = {key: world.pk(obj) for key, obj in (spec.get("kwargs") or {}).items()}
        path = reverse(name, kwargs=kwargs)
        for method in METHODS:
            want = expected(name, method, who)
            checked = method == "POST" and want not in DENIALS and name not in ACTS
            before = _state(world) if checked else None
            response = client.get(path) if method == "GET" else client.post(path)
            got = _outcome(response, method, path)
            if got != want:
                wrong.append(f"{name} {method}: {got} (HTTP {response.status_code}), want {want}")
                continue
            if got in DENIALS:
                body = response.content.decode("utf-8", errors="replace")
                leaked = [mark for mark in world.all_marks() if mark in body]
                if leaked:
                    wrong.append(f"{name} {method}: denied but shows {leaked}")
            if before is not None and _state(world) != before:
                wrong.append(f"{name} {method}: an empty POST changed data")
    assert not wrong, f"{who}:\n" + "\n".join(wrong)
