"""Demo parent partners: three mentors, one of them with a demo account (`mentor`, the demo
password, a confirmed authenticator whose key is FIXED, derived from the constant below, so a
person trying the demo can add it to an authenticator app once), matched with the demo `parent`
(portal demo) when that account exists, with the parent's consent and a few logged contacts.

    user name   authenticator key (base32, for the app)
    mentor      see `authenticator_secret("mentor")`

The key is public: the demo is refused in production settings (REUNIFY_DEMO_ALLOWED)."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import random

from django.contrib.auth.hashers import make_password
from django_otp.plugins.otp_totp.models import TOTPDevice

from reunify.accounts.models import Agency, Role, User
from reunify.core import clock
from reunify.partners import services
from reunify.partners.models import ContactEvent, ContactMode, Mentor
from reunify.portal.models import PortalAccount
from reunify.portal.permissions import parent_cases

DEMO_KEY_SEED = "reunify-demo-partners-authenticator-v1"
MENTOR_USERNAME = "mentor"

MENTORS = [
    # (name, user name, lived experience, languages, capacity)
    (
        "Marisol Vega",
        MENTOR_USERNAME,
        ["recovery", "child_welfare", "reunified"],
        ["English", "Spanish"],
        8,
    ),
    (
        "Dana Whitfield",
        "mentor-dana",
        ["domestic_violence", "housing", "reunified"],
        ["English"],
        6,
    ),
    ("Luis Ortega", "mentor-luis", ["incarceration", "recovery"], ["Spanish", "English"], 8),
]


def authenticator_key(username: str) -> str:
    """The device key (40 hex digits, as django-otp stores it) of a demo account."""
    return hashlib.sha256(f"{DEMO_KEY_SEED}:{username}".encode()).hexdigest()[:40]


def authenticator_secret(username: str) -> str:
    return base64.b32encode(bytes.fromhex(authenticator_key(username))).decode()


def _mentor(
    *, admin: User, spec: tuple, zip_codes: list[str], password: str, verified_on: dt.date
) -> Mentor:
    name, username, experiences, languages, capacity = spec
    mentor, path = services.mentor_create(
        actor=admin,
        name=name,
        eligibility_evidence="Own case closed with reunification (record checked); peer "
        "mentor training completed; background check cleared.",
        eligibility_verified_on=verified_on,
        experiences=experiences,
        languages=languages,
        counties=["Demo County"],
        zip_codes=zip_codes,
        capacity=capacity,
        email=f"{username}@example.invalid",
    )
    token = path.rstrip("/").rsplit("/", 1)[-1]
    # A throwaway strong password passes the validators; the documented demo password is set
    # afterwards (only `mentor` signs in; the others have no usable password).
    user = services.mentor_account_create(
        token=token, username=username, password=hashlib.sha256(token.encode()).hexdigest()
    )
    hashed = make_password(password if username == MENTOR_USERNAME else None)
    User.objects.filter(pk=user.pk).update(password=hashed)
    if username == MENTOR_USERNAME:
        TOTPDevice.objects.create(
            user=user, name="authenticator", key=authenticator_key(username), confirmed=True
        )
    mentor.refresh_from_db()
    return mentor


def demo_partners(*, agency: Agency, as_of: dt.date, rng: random.Random) -> list[Mentor]:
    """Make the demo mentors and match `mentor` with the demo parent; returns the mentors made
    (none twice)."""
    from reunify.cases.demo import DEMO_PASSWORD

    admin = User.objects.filter(agency=agency, role=Role.AGENCY_ADMIN, is_active=True).first()
    if admin is None or Mentor.objects.filter(agency=agency).exists():
        return []
    account = (
        PortalAccount.objects.select_related("person__address")
        .filter(user__username="parent", user__agency=agency)
        .first()
    )
    parent = account.person if account else None
    zip_code = parent.address.postal_code if parent and parent.address else ""
    verified_on = min(as_of, clock.today()) - dt.timedelta(days=120)
    mentors = [
        _mentor(
            admin=admin,
            spec=spec,
            zip_codes=[zip_code] if zip_code and i == 0 else [],
            password=DEMO_PASSWORD,
            verified_on=verified_on,
        )
        for i, spec in enumerate(MENTORS)
    ]
    if account is not None and parent is not None:
        _match_demo_parent(account=account, mentor=mentors[0], zip_code=zip_code, rng=rng)
    return mentors


def _match_demo_parent(
    *, account: PortalAccount, mentor: Mentor, zip_code: str, rng: random.Random
) -> None:
    case = parent_cases(account).filter(status="open", worker__isnull=False).first()
    if case is None or case.worker is None:
        return
    worker, parent = case.worker, account.person
    if parent is None or mentor.user is None:
        return
    today = clock.today()
    start = clock.now() - dt.timedelta(days=50)
    participation = services.participation_refer(
        actor=worker,
        case=case,
        parent=parent,
        experiences=["recovery", "child_welfare"],
        language=parent.primary_language or "English",
        county="Demo County",
        zip_code=zip_code,
        goals="I want to stay sober, get my own place and have my kids home by summer.",
        now=start,
    )
    participation = services.participation_offer(
        actor=worker, participation=participation, now=start + dt.timedelta(days=2)
    )
    participation = services.participation_accept(
        actor=worker, participation=participation, now=start + dt.timedelta(days=5)
    )
    services.consent_record(
        actor=worker,
        participation=participation,
        given_on=today - dt.timedelta(days=45),
        expires_on=today + dt.timedelta(days=320),
        share_phone=True,
        now=start + dt.timedelta(days=5),
    )
    participation = services.participation_match(
        actor=worker, participation=participation, mentor=mentor, now=start + dt.timedelta(days=6)
    )
    for days_ago in sorted(rng.sample(range(1, 40), 5), reverse=True):
        services.contact_log(
            actor=mentor.user,
            participation=participation,
            on=today - dt.timedelta(days=days_ago),
            mode=rng.choice(list(ContactMode.values)),
            event=rng.choice(list(ContactEvent.values)),
            note="Talked about the next court date and how to prepare.",
        )
