"""Parent partners for tests: mentors made through the services (account through the one-time
link, second factor confirmed) and a parent matched with one, with consent."""

from __future__ import annotations

import datetime as dt

from django_otp.plugins.otp_totp.models import TOTPDevice

from reunify.accounts.models import User
from reunify.cases.models import FamilyCase, ParticipantRole
from reunify.core import clock
from reunify.partners import services
from reunify.partners.models import Mentor, Participation

PASSWORD = "a long mentor password"


def make_mentor(
    *,
    admin: User,
    name: str = "Marisol Vega",
    username: str | None = "marisol",
    experiences: tuple[str, ...] = ("recovery", "child_welfare"),
    languages: tuple[str, ...] = ("English", "Spanish"),
    capacity: int = 8,
    zip_codes: tuple[str, ...] = (),
    counties: tuple[str, ...] = ("Alder",),
) -> Mentor:
    """A mentor; with `username`, signed up through the link with a confirmed authenticator."""
    mentor, path = services.mentor_create(
        actor=admin,
        name=name,
        eligibility_evidence="Own case closed with reunification; training completed.",
        eligibility_verified_on=clock.today(),
        experiences=list(experiences),
        languages=list(languages),
        counties=list(counties),
        zip_codes=list(zip_codes),
        capacity=capacity,
    )
    if username:
        token = path.rstrip("/").rsplit("/", 1)[-1]
        user = services.mentor_account_create(token=token, username=username, password=PASSWORD)
        TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True)
        mentor.refresh_from_db()
    return mentor


def refer_parent(*, worker: User, case: FamilyCase, **kwargs) -> Participation:
    parent = case.participants.filter(role=ParticipantRole.PARENT).first().person
    defaults = {"experiences": ["recovery"], "language": "Spanish", "county": "Alder"}
    return services.participation_refer(
        actor=worker, case=case, parent=parent, **{**defaults, **kwargs}
    )


def accepted(
    *, worker: User, case: FamilyCase, share_phone: bool = True, **kwargs
) -> Participation:
    """A parent who accepted a mentor, with consent on file (not yet matched)."""
    p = refer_parent(worker=worker, case=case, **kwargs)
    p = services.participation_offer(actor=worker, participation=p)
    p = services.participation_accept(actor=worker, participation=p)
    today = clock.today()
    services.consent_record(
        actor=worker,
        participation=p,
        given_on=today - dt.timedelta(days=1),
        expires_on=today + dt.timedelta(days=180),
        share_phone=share_phone,
    )
    return p


def matched(*, worker: User, case: FamilyCase, mentor: Mentor, **kwargs) -> Participation:
    p = accepted(worker=worker, case=case, **kwargs)
    return services.participation_match(actor=worker, participation=p, mentor=mentor)


def partners_for_matrix(*, worker: User, case: FamilyCase, admin: User) -> dict:
    """The authorization matrix's objects (tests/authz_matrix.d/partners.yaml): a mentor with an
    account, and the case's parent who accepted, with consent, not yet matched."""
    mentor = make_mentor(admin=admin, username="matrixmentor")
    return {"mentor": mentor, "participation": accepted(worker=worker, case=case)}
