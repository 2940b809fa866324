"""Demo family accounts: a birth parent (`parent`), a youth aged 14 or older (`youth`) and a member
of the resource family a child of the parent's case lives with now (`resource`, with a few
shared-parenting journal entries both ways), each
made through the real invitation service, with the demo password and a confirmed authenticator
whose key is FIXED (derived from a constant below), so a person trying the demo can add it to an
authenticator app once and sign in on every fresh demo.

    user name   authenticator key (base32, for the app)
    parent      see `authenticator_secret("parent")`
    youth       see `authenticator_secret("youth")`
    resource    see `authenticator_secret("resource")`

The keys are public: the demo is refused in production settings (REUNIFY_DEMO_ALLOWED)."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import random

from django.contrib.auth.hashers import make_password
from django.db.models import Exists, OuterRef
from django_otp.plugins.otp_totp.models import TOTPDevice

from reunify.accounts.models import Agency, User
from reunify.case_plans.models import PlanVersion, VersionStatus
from reunify.cases.models import (
    CaseParticipant,
    FamilyCase,
    ParticipantRole,
    Placement,
    ResourceProvider,
)
from reunify.cases.rules import age_in_years
from reunify.family_time.models import FamilyTimePlan
from reunify.people.models import Person
from reunify.portal import access, journal, permissions, services
from reunify.portal.models import Kind

DEMO_KEY_SEED = "reunify-demo-portal-authenticator-v1"
PARENT_USERNAME = "parent"
YOUTH_USERNAME = "youth"
RESOURCE_USERNAME = "resource"


def authenticator_key(username: str) -> str:
    """The device key (40 hex digits, as django-otp stores it) of a demo account."""
    return hashlib.sha256(f"{DEMO_KEY_SEED}:{username}".encode()).hexdigest()[:40]


def authenticator_secret(username: str) -> str:
    """The same key in base32, as an authenticator app asks for it."""
    return base64.b32encode(bytes.fromhex(authenticator_key(username))).decode()


def _open_cases(agency: Agency):
    return FamilyCase.objects.filter(agency=agency, status=FamilyCase.Status.OPEN).order_by("pk")


def _parent_case(agency: Agency) -> tuple[FamilyCase, Person] | None:
    """An open case with a parent, preferring one with a plan in force and current family time
    (so every page of the demo parent has something to show)."""
    cases = _open_cases(agency).filter(participants__role=ParticipantRole.PARENT).distinct()
    rich = cases.filter(
        Exists(PlanVersion.objects.filter(plan__case=OuterRef("pk"), status=VersionStatus.FINAL)),
        Exists(
            FamilyTimePlan.objects.filter(episode__case=OuterRef("pk"), effective_to__isnull=True)
        ),
    )
    case = rich.first() or cases.first()
    if case is None:
        return None
    parent = (
        CaseParticipant.objects.filter(case=case, role=ParticipantRole.PARENT)
        .select_related("person")
        .order_by("pk")
        .first()
    )
    return (case, parent.person) if parent else None


def _youth_case(
    agency: Agency, as_of: dt.date, rng: random.Random
) -> tuple[FamilyCase, Person] | None:
    found = [
        (p.case, p.person)
        for p in CaseParticipant.objects.filter(
            case__in=_open_cases(agency),
            role=ParticipantRole.CHILD,
            person__date_of_birth__isnull=False,
        )
        .select_related("case", "person")
        .order_by("case_id", "pk")
        if age_in_years(born=p.person.date_of_birth, on=as_of) >= access.YOUTH_MIN_AGE
        and permissions.youth_can_be_invited(p.person)
    ]
    return rng.choice(found) if found else None


def _account(
    *,
    case: FamilyCase,
    kind: str,
    person: Person | None,
    username: str,
    password: str,
    provider: ResourceProvider | None = None,
) -> User | None:
    if User.objects.filter(username=username).exists() or case.worker_id is None:
        return None
    _invitation, link = services.invitation_send(
        actor=case.worker,
        case=case,
        kind=kind,
        channel="email",
        email=f"{username}@example.invalid",
        person=person,
        provider=provider,
    )
    token = link.rstrip("/").rsplit("/", 1)[-1]
    # A throwaway strong password passes the validators; the documented demo password is set
    # after, as for the demo's staff.
    user = services.invitation_accept(
        token=token, username=username, password=hashlib.sha256(token.encode()).hexdigest()
    )
    user.password = make_password(password)
    User.objects.filter(pk=user.pk).update(password=user.password)
    TOTPDevice.objects.create(
        user=user, name="authenticator", key=authenticator_key(username), confirmed=True
    )
    return user


def demo_portal(*, agency: Agency, as_of: dt.date, rng: random.Random) -> list[User]:
    """Make the demo parent and youth accounts; returns those made (none twice)."""
    from reunify.cases.demo import DEMO_PASSWORD

    made: list[User] = []
    parent = _parent_case(agency)
    if parent is not None:
        user = _account(
            case=parent[0],
            kind=Kind.PARENT,
            person=parent[1],
            username=PARENT_USERNAME,
            password=DEMO_PASSWORD,
        )
        made += [user] if user else []
        resource = _resource_account(case=parent[0], password=DEMO_PASSWORD)
        made += [resource] if resource else []
    youth = _youth_case(agency, as_of, rng)
    if youth is not None:
        user = _account(
            case=youth[0],
            kind=Kind.YOUTH,
            person=youth[1],
            username=YOUTH_USERNAME,
            password=DEMO_PASSWORD,
        )
        made += [user] if user else []
    return made


# ---- the resource family and its journal -----------------------------------------------------

JOURNAL_FROM_FAMILY = [
    ("news", "{child} read a whole chapter book tonight and was very proud."),
    ("question", "Does {child} have a favourite breakfast at home? We would like to make it."),
]
JOURNAL_FROM_PARENT = [
    ("news", "Thank you for the photos. Pancakes with bananas are {child}'s favourite."),
]


def _resource_account(*, case: FamilyCase, password: str) -> User | None:
    """A member of the resource family a child of `case` lives with now, named "Sam" in the
    journal (the surname is not shared), and a few entries both ways about that child."""
    placement = (
        Placement.objects.filter(
            episode__case=case,
            ended_on__isnull=True,
            episode__discharged_on__isnull=True,
            provider__isnull=False,
        )
        .select_related("episode__child", "provider")
        .order_by("pk")
        .first()
    )
    if placement is None or placement.provider is None:
        return None
    user = _account(
        case=case,
        kind=Kind.RESOURCE_PARENT,
        person=None,
        provider=placement.provider,
        username=RESOURCE_USERNAME,
        password=password,
    )
    if user is None:
        return None
    User.objects.filter(pk=user.pk).update(first_name="Sam")
    user.refresh_from_db()
    account = user.portal_account
    child = placement.episode.child
    names = {"child": child.first_name}
    for kind, text in JOURNAL_FROM_FAMILY:
        journal.entry_post(
            actor=user,
            account=account,
            case=case,
            child=child,
            kind=kind,
            text=text.format(**names),
        )
    parent = User.objects.filter(username=PARENT_USERNAME).select_related("portal_account").first()
    if parent is not None and access.JOURNAL in permissions.sections(parent, case, child):
        for kind, text in JOURNAL_FROM_PARENT:
            journal.entry_post(
                actor=parent,
                account=parent.portal_account,
                case=case,
                child=child,
                kind=kind,
                text=text.format(**names),
            )
    return user
