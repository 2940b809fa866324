"""The authorization matrix: every URL x method x principal, checked against tests/authz_matrix.yaml.

- `test_matrix_names_every_url` walks Django's URL resolver and fails when a URL name is missing
  from the matrix, or the matrix names a URL that does not exist.
- `test_cell` requests one URL with one method as one principal and compares the outcome with the
  matrix. A denial must not show record data (distinctive strings are planted in the records), and
  a POST must not change anything (it is sent with an empty body, so even an allowed one is only an
  invalid form).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import yaml
from django.test import Client
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse

from reunify.accounts.models import Unit, User
from reunify.assessments.tests.factories import assessments_for_matrix
from reunify.case_plans.tests.factories import plan_with_goal
from reunify.cases import transition
from reunify.cases.models import (
    CaseAssignment,
    CaseParticipant,
    FamilyCase,
    PermanencyGoal,
    Placement,
    RemovalEpisode,
    ResourceProvider,
    TransitionSummary,
)
from reunify.cases.tests.factories import open_case
from reunify.core.models import AuditEvent
from reunify.court import services as court_services
from reunify.court.models import CourtOrder, Finding, Hearing, HearingKind, Petition
from reunify.family_time import services as family_time_services
from reunify.family_time.models import FamilyTimePlan, FamilyTimeSession, LevelChange
from reunify.messaging.models import Attachment, Message, Thread
from reunify.messaging.tests.factories import messaging_for_matrix
from reunify.partners.tests.factories import partners_for_matrix
from reunify.people.models import Person
from reunify.portal.models import Invitation
from reunify.portal.tests.factories import portal_for_matrix
from reunify.referrals.models import Attendance, Barrier, Consent, Referral
from reunify.referrals.tests.factories import referral_for_matrix
from reunify.road_home.tests.factories import road_home_for_matrix
from reunify.services.models import Service
from reunify.services.tests.factories import make_service
from reunify.tracing.tests.factories import tracing_for_matrix

MATRIX_FILE = Path(__file__).with_name("authz_matrix.yaml")
MATRIX: dict[str, Any] = yaml.safe_load(MATRIX_FILE.read_text(encoding="utf-8"))
# Apps may keep their rows in tests/authz_matrix.d/<app>.yaml (a `urls:` mapping in the same form).
for _extra in sorted(MATRIX_FILE.parent.joinpath("authz_matrix.d").glob("*.yaml")):
    _rows = yaml.safe_load(_extra.read_text(encoding="utf-8"))["urls"]
    assert not set(_rows) & set(MATRIX["urls"]), f"{_extra.name} repeats URLs already in the matrix"
    MATRIX["urls"].update(_rows)

METHODS = ("GET", "POST")
OUTCOMES = {"ok", "redirect_login", "redirect", "forbidden", "not_found", "method_not_allowed"}
DENIALS = {"redirect_login", "forbidden", "not_found", "method_not_allowed"}
OBJECTS = {"case", "child", "episode", "unit", "staff", "hearing", "plan", "session", "service"}
OBJECTS |= {"referral"}
# authz_matrix.d/road_home.yaml
OBJECTS |= {"thv", "safety_plan", "household_adult", "safety_action", "aftercare", "closure"}
OBJECTS |= {"response", "condition"}  # authz_matrix.d/assessments.yaml
OBJECTS |= {"handover"}  # authz_matrix.d/cases_road_home.yaml
OBJECTS |= {"invitation", "document", "feed_token"}  # authz_matrix.d/portal.yaml
OBJECTS |= {"journal_entry"}  # authz_matrix.d/portal.yaml (journal)
OBJECTS |= {"thread", "attachment"}  # authz_matrix.d/messaging.yaml
OBJECTS |= {"mentor", "participation"}  # authz_matrix.d/partners.yaml
OBJECTS |= {"tracing_child", "tracing_request", "candidate", "decision"}  # .../tracing.yaml

# Matrix principal -> the root conftest fixture that is that user (None: anonymous).
PRINCIPAL_FIXTURES: dict[str, str | None] = {
    "assigned_worker": "caseworker",
    "other_worker_same_unit": "other_caseworker",
    "unit_supervisor": "supervisor",
    "other_unit_supervisor": "other_supervisor",
    "agency_admin": "agency_admin",
    "other_agency_admin": "foreign_admin",
    "anonymous": None,
}

# Distinctive strings planted in the records. None may appear in a denied response; the family's
# also never in any response to someone who cannot see the case, and none at all in any response
# to another agency's admin or to an anonymous visitor.
FAMILY_MARK = "Zyxcanary"  # case name, child's and parent's last name
STAFF_MARK = "Qxjstaffmark"  # last name of the staff account an admin edits
UNIT_MARK = "Wvkunitmark"  # name of the unit
PROVIDER_MARK = "Pqzprovidermark"  # name of the child's foster family
CASE_BLIND = {"other_worker_same_unit", "other_unit_supervisor"}
AGENCY_BLIND = {"other_agency_admin", "anonymous"}


@dataclass
class World:
    case: FamilyCase
    child: Person
    episode: RemovalEpisode
    unit: Unit
    staff: User
    hearing: Hearing
    users: dict[str, User | None]
    plan: FamilyTimePlan | None = None  # the child's family-time plan, with a pending proposal
    session: FamilyTimeSession | None = None  # the plan's first scheduled session
    service: Service | None = None  # a service in the agency's community service directory
    referral: Referral | None = None  # the parent's referral to `service`, sent with consent
    thv: Any = None  # a trial home visit of the child, being prepared
    safety_plan: Any = None  # that visit's safety plan
    household_adult: Any = None  # an adult of that visit's household
    safety_action: Any = None  # an action of that safety plan
    aftercare: Any = None  # an aftercare plan of the case, with a planned contact
    closure: Any = None  # a closure request of the case, waiting for the supervisor
    handover: TransitionSummary | None = None  # the assigned worker's unacknowledged handover
    invitation: Invitation | None = None  # a portal invitation of the case's parent, not accepted
    document: Any = None  # a PDF shared with the parent's portal account
    feed_token: Any = None  # that account's calendar address
    journal_entry: Any = None  # a resource family's journal entry about `child`, with a photo
    response: Any = None  # an in-home safety analysis of the case with one "no"
    condition: Any = None  # the open condition for return that "no" created
    thread: Thread | None = None  # the parent's message thread, answered with a photo
    attachment: Attachment | None = None  # that photo
    mentor: Any = None  # a parent partner of the agency, with an account
    participation: Any = None  # the parent accepted a mentor, consent on file, not matched
    tracing_child: Any = None  # a separated child with consent and a photo (assigned_worker's)
    tracing_request: Any = None  # other_worker_same_unit's request that matches the child
    candidate: Any = None  # the proposed candidate between them
    decision: Any = None  # a best-interests decision for another child, waiting for approval

    def pk(self, name: str) -> int:
        return getattr(self, name).pk

    def all_marks(self) -> list[str]:
        return [FAMILY_MARK, self.case.number, STAFF_MARK, UNIT_MARK, PROVIDER_MARK]

    def case_marks(self) -> list[str]:
        return [FAMILY_MARK, self.case.number]


@pytest.fixture
def world(db, request, unit, caseworker, other_caseworker) -> World:
    """One case in `unit`, opened by the assigned worker, and the cast of principals."""
    case = open_case(worker=caseworker, children=1, name=FAMILY_MARK)
    # Plant the remaining marks straight in the tables: test set-up, not a user's change.
    Unit.objects.filter(pk=unit.pk).update(name=UNIT_MARK)
    User.objects.filter(pk=other_caseworker.pk).update(last_name=STAFF_MARK)
    ResourceProvider.objects.filter(agency_id=case.agency_id).update(name=PROVIDER_MARK)
    episode = case.episodes.select_related("child").get()
    hearing = court_services.hearing_schedule(
        actor=caseworker, case=case, kind=HearingKind.REVIEW, scheduled_for=case.opened_on
    )
    plan = family_time_services.plan_create(
        actor=caseworker,
        episode=episode,
        level="supervised",
        weekdays=[0, 3],
        start_time=dt.time(17, 0),
        duration_minutes=60,
        location_type="agency_room",
        effective_from=case.opened_on,
    )
    family_time_services.level_propose(
        actor=caseworker, plan=plan, expected_version=1, to_level="monitored", reason="Going well"
    )
    plan_with_goal(worker=caseworker, case=case)  # the case plan (authz_matrix.d/case_plans.yaml)
    users = {
        principal: (request.getfixturevalue(fixture) if fixture else None)
        for principal, fixture in PRINCIPAL_FIXTURES.items()
    }
    unit.refresh_from_db()
    other_caseworker.refresh_from_db()
    service = make_service(case.agency, name="Alder Pantry")
    road_home = road_home_for_matrix(worker=caseworker, case=case)  # authz_matrix.d/road_home
    _earlier_episode(episode)  # the child's episode is a re-entry (authz_matrix.d/cases_road_home)
    handover = TransitionSummary.objects.create(
        case=case,
        assignment=case.assignments.get(ended_on__isnull=True),
        built_at=dt.datetime(2026, 1, 11, tzinfo=dt.UTC),
        content=transition.build(case=case, today=case.opened_on),
    )
    return World(
        case=case,
        child=episode.child,
        episode=episode,
        unit=unit,
        staff=other_caseworker,
        hearing=hearing,
        users=users,
        plan=plan,
        session=plan.sessions.first(),
        service=service,
        referral=referral_for_matrix(worker=caseworker, case=case, service=service),
        **road_home,
        **assessments_for_matrix(worker=caseworker, case=case),  # authz_matrix.d/assessments
        handover=handover,
        **messaging_for_matrix(worker=caseworker, case=case),  # authz_matrix.d/messaging
        **portal_for_matrix(worker=caseworker, case=case),  # authz_matrix.d/portal
        **partners_for_matrix(worker=caseworker, case=case, admin=users["agency_admin"]),
        **_tracing(request, worker=caseworker, requester_worker=other_caseworker),
    )


def _tracing(request, **users: User) -> dict[str, Any]:
    """The tracing objects, only for the cells of tracing URLs (and for the tests that are not
    one cell): nothing else reads them, and every cell builds its own world."""
    params = getattr(getattr(request.node, "callspec", None), "params", {})
    if str(params.get("name", "tracing:")).startswith("tracing:"):
        return tracing_for_matrix(**users)
    return {}


def _earlier_episode(episode: RemovalEpisode) -> None:
    """Plant a discharged episode before `episode` and link it: test set-up, not a user's change."""
    earlier = RemovalEpisode.objects.create(
        case=episode.case,
        child=episode.child,
        removed_on=dt.date(2025, 3, 1),
        legal_authority=episode.legal_authority,
        discharged_on=dt.date(2025, 9, 1),
        discharge_reason="reunification",
    )
    RemovalEpisode.objects.filter(pk=episode.pk).update(
        previous_episode=earlier, reentry_within_12_months=True
    )


# ---- the matrix itself -----------------------------------------------------------------------------


def _resolver_names(patterns, namespaces=()) -> tuple[set[str], list[str]]:
    """Every namespaced URL name under `patterns`, and the routes of any unnamed URL patterns."""
    names: set[str] = set()
    unnamed: list[str] = []
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = (*namespaces, entry.namespace) if entry.namespace else namespaces
            sub_names, sub_unnamed = _resolver_names(entry.url_patterns, inner)
            names |= sub_names
            unnamed += [f"{entry.pattern}{route}" for route in sub_unnamed]
        elif isinstance(entry, URLPattern):
            if entry.name:
                names.add(":".join((*namespaces, entry.name)))
            else:
                unnamed.append(str(entry.pattern))
    return names, unnamed


def test_matrix_names_every_url():
    names, unnamed = _resolver_names(get_resolver().url_patterns)
    listed = set(MATRIX["urls"])
    assert not unnamed, f"URL patterns without a name cannot be in the matrix: {unnamed}"
    assert not names - listed, (
        f"URL names missing from {MATRIX_FILE.name}: {sorted(names - listed)}"
    )
    assert not listed - names, (
        f"{MATRIX_FILE.name} names URLs that do not exist: {sorted(listed - names)}"
    )


def test_matrix_is_complete_and_well_formed():
    assert MATRIX["principals"] == list(PRINCIPAL_FIXTURES)
    problems = []
    for name, spec in MATRIX["urls"].items():
        if set(spec) - {"kwargs", *METHODS}:
            problems.append(f"{name}: unknown keys {sorted(set(spec) - {'kwargs', *METHODS})}")
        kwargs = spec.get("kwargs") or {}
        if set(kwargs.values()) - OBJECTS:
            problems.append(
                f"{name}: kwargs name unknown objects {sorted(set(kwargs.values()) - OBJECTS)}"
            )
        try:
            reverse(name, kwargs=dict.fromkeys(kwargs, 1))
        except NoReverseMatch as error:
            problems.append(f"{name}: reverse() fails: {error}")
        for method in METHODS:
            row = spec.get(method)
            if not isinstance(row, dict):
                problems.append(f"{name} {method}: missing")
                continue
            if set(row) != set(PRINCIPAL_FIXTURES):
                problems.append(f"{name} {method}: principals {sorted(row)}")
            bad = {p: o for p, o in row.items() if o not in OUTCOMES}
            if bad:
                problems.append(f"{name} {method}: unknown outcomes {bad}")
            if row.get("anonymous") == "ok" and name not in {
                "accounts:login",
                "set_language",
                "favicon",
            }:
                problems.append(f"{name} {method}: only public URLs may be ok for anonymous")
    for key in MATRIX.get("known_app_bugs") or {}:
        name, method, principal = key.split()
        if principal not in MATRIX["urls"].get(name, {}).get(method, {}):
            problems.append(f"known_app_bugs names no cell: {key}")
    assert not problems, "\n".join(problems)


# ---- one test per cell -----------------------------------------------------------------------------


def _cells():
    bugs = MATRIX.get("known_app_bugs") or {}
    for name, spec in MATRIX["urls"].items():
        for method in METHODS:
            for principal, expected in (spec.get(method) or {}).items():
                reason = bugs.get(f"{name} {method} {principal}")
                marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
                yield pytest.param(
                    name,
                    method,
                    principal,
                    expected,
                    marks=marks,
                    id=f"{name}-{method}-{principal}",
                )


def _outcome(response, method: str, path: str) -> str:
    code = response.status_code
    if 200 <= code < 300 or (code == 400 and method == "POST"):
        return "ok"
    if 300 <= code < 400:
        target = urlsplit(response["Location"])
        if (
            code == 302
            and target.path == reverse("accounts:login")
            and parse_qs(target.query).get("next") == [path]
        ):
            return "redirect_login"
        return "redirect"
    return {403: "forbidden", 404: "not_found", 405: "method_not_allowed"}.get(code, f"HTTP {code}")


def _state(world: World) -> dict[str, Any]:
    """What a POST could change: row counts, the changes audited, and the shared objects' versions."""
    state: dict[str, Any] = {
        model.__name__: model.objects.count()
        for model in (
            FamilyCase,
            CaseAssignment,
            CaseParticipant,
            RemovalEpisode,
            Placement,
            PermanencyGoal,
            Person,
            User,
            Unit,
            ResourceProvider,
            Hearing,
            Finding,
            CourtOrder,
            Petition,
            FamilyTimePlan,
            FamilyTimeSession,
            LevelChange,
            Service,
            Referral,
            Consent,
            Attendance,
            Barrier,
            Thread,
            Message,
            Attachment,
        )
    }
    state["audited changes"] = AuditEvent.objects.filter(kind=AuditEvent.Kind.CHANGE).count()
    case = FamilyCase.objects.get(pk=world.case.pk)
    state["case"] = (case.version, case.worker_id, case.name, case.status)
    episode = RemovalEpisode.objects.get(pk=world.episode.pk)
    state["episode"] = (
        episode.version,
        episode.discharged_on,
        episode.placements.count(),
        episode.goals.count(),
    )
    state["child"] = Person.objects.values_list("version", "first_name", "last_name").get(
        pk=world.child.pk
    )
    state["hearing"] = Hearing.objects.values_list("version", "status", "held_on").get(
        pk=world.hearing.pk
    )
    state["unit"] = Unit.objects.values_list("version", "name").get(pk=world.unit.pk)
    state["staff"] = User.objects.values_list(
        "version", "last_name", "role", "unit_id", "is_active"
    ).get(pk=world.staff.pk)
    return state


@pytest.mark.parametrize(("name", "method", "principal", "expected"), list(_cells()))
def test_cell(world: World, name: str, method: str, principal: str, expected: str):
    kwargs = {key: world.pk(obj) for key, obj in (MATRIX["urls"][name].get("kwargs") or {}).items()}
    path = reverse(name, kwargs=kwargs)
    client = Client()
    user = world.users[principal]
    if user is not None:
        client.force_login(user)
    before = _state(world) if method == "POST" else None

    response = client.get(path) if method == "GET" else client.post(path)

    outcome = _outcome(response, method, path)
    assert outcome == expected, (
        f"{principal} {method} {path}: {outcome} (HTTP {response.status_code}), expected {expected}"
    )

    body = response.content.decode("utf-8", errors="replace")
    if outcome in DENIALS:
        leaked = [mark for mark in world.all_marks() if mark in body]
        assert not leaked, f"{principal} {method} {path} was denied but shows record data: {leaked}"
    if principal in AGENCY_BLIND:
        leaked = [mark for mark in world.all_marks() if mark in body]
        assert not leaked, f"{principal} {method} {path} shows another agency's data: {leaked}"
    if principal in CASE_BLIND:
        leaked = [mark for mark in world.case_marks() if mark in body]
        assert not leaked, f"{principal} {method} {path} shows a case they may not see: {leaked}"
    if before is not None:
        assert _state(world) == before, (
            f"{principal} {method} {path} with an empty body changed data"
        )


# ---- the plants are real: where the policy allows it, the same pages do show them ---------------


def _get(world: World, principal: str, name: str, **kwargs: str):
    client = Client()
    client.force_login(world.users[principal])
    response = client.get(reverse(name, kwargs={key: world.pk(obj) for key, obj in kwargs.items()}))
    assert response.status_code == 200
    return response.content.decode()


def test_planted_marks_show_where_allowed(world: World):
    detail = _get(world, "assigned_worker", "cases:case-detail", pk="case")
    assert FAMILY_MARK in detail
    assert world.case.number in detail
    assert FAMILY_MARK in _get(world, "agency_admin", "people:person-detail", pk="child")
    assert STAFF_MARK in _get(world, "agency_admin", "accounts:staff-edit", pk="staff")
    assert UNIT_MARK in _get(world, "agency_admin", "accounts:unit-edit", pk="unit")
    assert PROVIDER_MARK in _get(world, "assigned_worker", "cases:placement-change", pk="episode")


def test_admin_caseload_redirects_to_staff_list(world: World):
    client = Client()
    client.force_login(world.users["agency_admin"])
    response = client.get(reverse("cases:caseload"))
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:staff-list")
