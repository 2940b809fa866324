"""Writes for parent partners: adding a mentor (with the eligibility evidence and a one-time link
to make the account), the parent's participation and each of its steps, the parent's consent, the
confirmed match and the mentor's contact log. Each runs in one transaction (`@write`), validates,
and records history and an audit event; a refused call changes nothing."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from typing import Any

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from reunify.accounts.models import Role, User
from reunify.cases.models import FamilyCase
from reunify.core import audit, clock
from reunify.core.actor import write
from reunify.partners import display, matching, rules, selectors
from reunify.partners.models import (
    ContactEvent,
    ContactMode,
    Experience,
    Mentor,
    Participation,
    PartnerConsent,
    PartnerContact,
    Status,
)
from reunify.partners.permissions import can_see_parent, mentor_of
from reunify.people.models import Person

# Messages shared with the tests (English source, translated when raised).
STEP_NOT_ALLOWED = gettext_noop("The participation is %(status)s; that step is not possible now.")
CASE_CLOSED = gettext_noop("The case is closed.")
NOT_A_PARENT = gettext_noop("Choose a parent of this case.")
ALREADY_OPEN = gettext_noop("This parent already takes part in the programme.")
UNKNOWN_EXPERIENCE = gettext_noop("Choose lived experience from the list.")
REASON_REQUIRED = gettext_noop("Say why.")
EVIDENCE_REQUIRED = gettext_noop("Record what was verified to make this person a parent partner.")
VERIFIED_IN_FUTURE = gettext_noop("The verification cannot be dated in the future.")
NAME_REQUIRED = gettext_noop("Enter the mentor's name.")
CAPACITY_RANGE = gettext_noop("A mentor supports between 1 and 30 families.")
NO_CONSENT = gettext_noop(
    "Record the parent's consent to share with a mentor before confirming the match."
)
CONSENT_IN_FORCE = gettext_noop("A consent is already on file; revoke it to record another.")
NO_CONSENT_TO_REVOKE = gettext_noop("There is no consent on file to revoke.")
CONSENT_IN_FUTURE = gettext_noop("The consent cannot be dated in the future.")
CONSENT_DATES = gettext_noop("The consent must expire after the day it was given.")
MENTOR_UNAVAILABLE = gettext_noop(
    "This mentor is not available (inactive, at capacity, or not yet signed up)."
)
LINK_UNUSABLE = gettext_noop("This link has expired or was already used. Ask for a new one.")
USERNAME_REQUIRED = gettext_noop("Choose a user name.")
USERNAME_TAKEN = gettext_noop("That user name is taken. Choose another.")
CONTACT_IN_FUTURE = gettext_noop("A contact cannot be logged for a future date.")
CONTACT_BEFORE_MATCH = gettext_noop("The date is before you were matched with this parent.")
NOT_YOUR_PARENT = gettext_noop("You cannot log contacts for this parent.")

SETUP_DAYS = 7


def _status_label(status: str) -> str:
    return str(Status(status).label).lower() if status in Status.values else status


def _audit(*, actor: Any, participation: Participation, action: str, summary: str, **changes: Any):
    audit.record(
        actor=actor,
        action=f"partners.{action}",
        obj=participation,
        case_id=participation.case_id,
        agency_id=participation.case.agency_id,
        summary=summary,
        changes=changes,
    )


def _experiences(values: list[str]) -> list[str]:
    if set(values) - set(Experience.values):
        raise ValidationError({"experiences": _(UNKNOWN_EXPERIENCE)})
    return [e for e in Experience.values if e in values]


def _clean_list(values: list[str]) -> list[str]:
    seen: list[str] = []
    for value in (" ".join(v.split()) for v in values):
        if value and value.casefold() not in {s.casefold() for s in seen}:
            seen.append(value)
    return seen


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


# ---- mentors ---------------------------------------------------------------------------------


def _mentor_errors(name: str, evidence: str, verified_on: dt.date, capacity: int) -> None:
    errors: dict[str, str] = {}
    if not name:
        errors["name"] = _(NAME_REQUIRED)
    if not evidence:
        errors["eligibility_evidence"] = _(EVIDENCE_REQUIRED)
    if verified_on > clock.today():
        errors["eligibility_verified_on"] = _(VERIFIED_IN_FUTURE)
    if not 1 <= capacity <= 30:
        errors["capacity"] = _(CAPACITY_RANGE)
    if errors:
        raise ValidationError(errors)


@write
def mentor_create(
    *,
    actor: Any,
    name: str,
    eligibility_evidence: str,
    eligibility_verified_on: dt.date,
    experiences: list[str],
    languages: list[str],
    counties: list[str] | None = None,
    zip_codes: list[str] | None = None,
    capacity: int = 8,
    email: str = "",
    phone: str = "",
    now: dt.datetime | None = None,
) -> tuple[Mentor, str]:
    """Add a mentor, with the evidence of eligibility the actor verified. Returns the mentor and
    the one-time link (a path) the mentor follows to choose a user name and password; only the
    link's hash is kept."""
    now = now or clock.now()
    name, evidence = name.strip(), eligibility_evidence.strip()
    _mentor_errors(name, evidence, eligibility_verified_on, capacity)
    token = secrets.token_urlsafe(32)
    mentor = Mentor(
        agency_id=actor.agency_id,
        name=name,
        email=email.strip(),
        phone=phone.strip(),
        experiences=_experiences(experiences),
        languages=_clean_list(languages),
        counties=_clean_list(counties or []),
        zip_codes=_clean_list(zip_codes or []),
        capacity=capacity,
        eligibility_evidence=evidence,
        eligibility_verified_on=eligibility_verified_on,
        eligibility_verified_by=actor,
        created_at=now,
        created_by=actor,
        setup_token_hash=_hash(token),
        setup_expires_at=now
        + dt.timedelta(days=getattr(settings, "REUNIFY_INVITATION_DAYS", SETUP_DAYS)),
    )
    mentor.full_clean(exclude=["user"])
    mentor.save()
    audit.record(
        actor=actor,
        action="partners.mentor_create",
        obj=mentor,
        agency_id=actor.agency_id,
        summary=f"Parent partner {mentor.pk} added; eligibility verified {eligibility_verified_on}",
        changes={"experiences": mentor.experiences, "capacity": capacity},
    )
    return mentor, reverse("portal:partner-join", kwargs={"token": token})


@write
def mentor_update(
    *,
    actor: Any,
    mentor: Mentor,
    name: str,
    eligibility_evidence: str,
    eligibility_verified_on: dt.date,
    experiences: list[str],
    languages: list[str],
    counties: list[str],
    zip_codes: list[str],
    capacity: int,
    is_active: bool,
    email: str = "",
    phone: str = "",
) -> Mentor:
    """Change a mentor's details. Lowering the capacity below the active matches is allowed (the
    mentor gets no new family until a place opens); deactivating one ends their portal access
    from the next request, without closing the participations (the coordinator re-matches)."""
    mentor = Mentor.objects.select_for_update().get(pk=mentor.pk)
    name, evidence = name.strip(), eligibility_evidence.strip()
    _mentor_errors(name, evidence, eligibility_verified_on, capacity)
    before = {"capacity": mentor.capacity, "is_active": mentor.is_active}
    if evidence != mentor.eligibility_evidence or eligibility_verified_on != (
        mentor.eligibility_verified_on
    ):
        mentor.eligibility_verified_by = actor
    mentor.name, mentor.email, mentor.phone = name, email.strip(), phone.strip()
    mentor.eligibility_evidence = evidence
    mentor.eligibility_verified_on = eligibility_verified_on
    mentor.experiences = _experiences(experiences)
    mentor.languages = _clean_list(languages)
    mentor.counties = _clean_list(counties)
    mentor.zip_codes = _clean_list(zip_codes)
    mentor.capacity = capacity
    mentor.is_active = is_active
    mentor.version += 1
    mentor.full_clean(exclude=["user"])
    mentor.save()
    audit.record(
        actor=actor,
        action="partners.mentor_update",
        obj=mentor,
        agency_id=mentor.agency_id,
        summary=f"Parent partner {mentor.pk} changed",
        changes={"before": before, "capacity": capacity, "is_active": is_active},
    )
    return mentor


def mentor_for_token(token: str) -> Mentor | None:
    """The mentor a setup link is for, while it is unused and unexpired."""
    if not token:
        return None
    mentor = Mentor.objects.filter(setup_token_hash=_hash(token), user__isnull=True).first()
    if mentor is None or mentor.setup_expires_at is None or mentor.setup_expires_at <= clock.now():
        return None
    return mentor


@write
def mentor_account_create(*, token: str, username: str, password: str) -> User:
    """Make the mentor's account (role parent_partner) from the one-time link. The second factor
    is set up next, before the account sees anything (accounts.middleware)."""
    mentor = mentor_for_token(token)
    if mentor is None:
        raise ValidationError(_(LINK_UNUSABLE))
    mentor = Mentor.objects.select_for_update().get(pk=mentor.pk)
    username = username.strip().lower()
    if not username:
        raise ValidationError({"username": _(USERNAME_REQUIRED)})
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": _(USERNAME_TAKEN)})
    first, _sep, last = mentor.name.partition(" ")
    user = User(
        username=username,
        agency_id=mentor.agency_id,
        role=Role.PARENT_PARTNER,
        first_name=first,
        last_name=last or first,
        email=mentor.email,
        wants_digest=False,
    )
    try:
        validate_password(password, user)
    except ValidationError as error:
        raise ValidationError({"password": error.messages}) from error
    user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    mentor.user = user
    mentor.setup_token_hash = ""
    mentor.setup_expires_at = None
    mentor.save(update_fields=["user", "setup_token_hash", "setup_expires_at"])
    audit.record(
        actor=user,
        action="partners.mentor_account_create",
        obj=mentor,
        agency_id=mentor.agency_id,
        summary=f"Parent partner account {user.username} created from a one-time link",
    )
    return user


# ---- participation ---------------------------------------------------------------------------


@write
def participation_refer(
    *,
    actor: Any,
    case: FamilyCase,
    parent: Person,
    experiences: list[str],
    language: str = "",
    county: str = "",
    zip_code: str = "",
    goals: str = "",
    now: dt.datetime | None = None,
) -> Participation:
    """Refer a parent of the case to the parent-partner programme (voluntary: the parent is
    offered a mentor next, and may decline)."""
    now = now or clock.now()
    if case.status != FamilyCase.Status.OPEN:
        raise ValidationError(_(CASE_CLOSED))
    if parent.pk not in {p.pk for p in selectors.case_parents(case)}:
        raise ValidationError({"parent": _(NOT_A_PARENT)})
    if (
        Participation.objects.filter(case=case, parent=parent)
        .exclude(status__in=[Status.DECLINED, Status.CLOSED])
        .exists()
    ):
        raise ValidationError({"parent": _(ALREADY_OPEN)})
    participation = Participation(
        case=case,
        parent=parent,
        status=Status.REFERRED,
        experiences=_experiences(experiences),
        language=" ".join(language.split()) or parent.primary_language,
        county=county.strip(),
        zip_code=zip_code.strip(),
        goals=goals.strip(),
        referred_at=now,
        referred_by=actor,
    )
    participation.full_clean(exclude=["mentor", "matched_by"])
    participation.save()
    _audit(
        actor=actor,
        participation=participation,
        action="refer",
        summary=f"Parent {parent.pk} referred to a parent partner",
        to_status=Status.REFERRED,
    )
    return participation


def _locked(participation: Participation) -> Participation:
    return (
        Participation.objects.select_for_update()
        .select_related("case__agency", "parent")
        .get(pk=participation.pk)
    )


def _advance(participation: Participation, step: str) -> tuple[str, str]:
    """Check the step is allowed from the current state; refuse it naming the state."""
    target = rules.next_status(participation.status, step)
    if target is None:
        raise ValidationError(
            _(STEP_NOT_ALLOWED) % {"status": _status_label(participation.status)},
            code="step_not_allowed",
        )
    return participation.status, target


def _step(
    *,
    actor: Any,
    participation: Participation,
    step: str,
    now: dt.datetime | None,
    reason: str = "",
) -> Participation:
    now = now or clock.now()
    participation = _locked(participation)
    source, target = _advance(participation, step)
    if step == rules.CLOSE:
        if not reason.strip():
            raise ValidationError({"close_reason": _(REASON_REQUIRED)})
        participation.close_reason = reason.strip()[:300]
        participation.closed_at = now
    elif step == rules.OFFER:
        participation.offered_at = now
    elif step in (rules.ACCEPT, rules.DECLINE):
        participation.answered_at = now
    participation.status = target
    participation.version += 1
    participation.full_clean(exclude=["mentor", "matched_by"])
    participation.save()
    _audit(
        actor=actor,
        participation=participation,
        action=step,
        summary=f"Parent-partner participation {participation.pk}: {source} to {target}",
        from_status=source,
        to_status=target,
        reason=reason.strip()[:300],
    )
    return participation


@write
def participation_offer(
    *, actor: Any, participation: Participation, now: dt.datetime | None = None
) -> Participation:
    return _step(actor=actor, participation=participation, step=rules.OFFER, now=now)


@write
def participation_accept(
    *, actor: Any, participation: Participation, now: dt.datetime | None = None
) -> Participation:
    """The parent said yes (recorded by the worker)."""
    return _step(actor=actor, participation=participation, step=rules.ACCEPT, now=now)


@write
def participation_decline(
    *, actor: Any, participation: Participation, now: dt.datetime | None = None
) -> Participation:
    """The parent said no; participation is voluntary and nothing follows from it."""
    return _step(actor=actor, participation=participation, step=rules.DECLINE, now=now)


@write
def participation_close(
    *, actor: Any, participation: Participation, reason: str, now: dt.datetime | None = None
) -> Participation:
    """Close the participation; the mentor loses the parent from the next request."""
    return _step(actor=actor, participation=participation, step=rules.CLOSE, now=now, reason=reason)


@write
def participation_match(
    *,
    actor: Any,
    participation: Participation,
    mentor: Mentor,
    now: dt.datetime | None = None,
) -> Participation:
    """The coordinator confirms a mentor for a parent who accepted: the mentor must be available
    (active, signed up, below capacity, same agency) and the parent's consent in force. The
    ranking's reasons are kept with the match."""
    now = now or clock.now()
    participation = _locked(participation)
    source, target = _advance(participation, rules.MATCH)
    if selectors.consent_in_force(participation) is None:
        raise ValidationError(_(NO_CONSENT))
    mentor = Mentor.objects.select_for_update().get(pk=mentor.pk)
    counted = selectors.with_active_counts(Mentor.objects.filter(pk=mentor.pk)).get()
    facts = selectors.mentor_facts(counted)
    if (
        mentor.agency_id != participation.case.agency_id
        or mentor.user_id is None
        or not matching.available(facts)
    ):
        raise ValidationError({"mentor": _(MENTOR_UNAVAILABLE)})
    ranked = matching.score(facts, selectors.parent_facts(participation))
    participation.mentor = mentor
    participation.match_reasons = display.reasons_text(ranked)[:500]
    participation.matched_at = now
    participation.matched_by = actor
    participation.status = target
    participation.version += 1
    participation.full_clean()
    participation.save()
    _audit(
        actor=actor,
        participation=participation,
        action="match",
        summary=f"Parent-partner participation {participation.pk} matched with mentor {mentor.pk}",
        from_status=source,
        to_status=target,
        mentor=mentor.pk,
        score=ranked.score,
    )
    return participation


# ---- consent ---------------------------------------------------------------------------------


@write
def consent_record(
    *,
    actor: Any,
    participation: Participation,
    given_on: dt.date,
    expires_on: dt.date,
    share_phone: bool = False,
    now: dt.datetime | None = None,
) -> PartnerConsent:
    """Record the parent's consent to share the parent-shared field set with their mentor."""
    now = now or clock.now()
    participation = _locked(participation)
    if participation.is_final:
        raise ValidationError(_(STEP_NOT_ALLOWED) % {"status": _status_label(participation.status)})
    if participation.consents.filter(revoked_at__isnull=True).exists():
        raise ValidationError(_(CONSENT_IN_FORCE))
    errors: dict[str, str] = {}
    if given_on > clock.today():
        errors["given_on"] = _(CONSENT_IN_FUTURE)
    if expires_on <= given_on:
        errors["expires_on"] = _(CONSENT_DATES)
    if errors:
        raise ValidationError(errors)
    consent = PartnerConsent(
        participation=participation,
        share_phone=share_phone,
        given_on=given_on,
        expires_on=expires_on,
        recorded_by=actor,
        recorded_at=now,
    )
    consent.full_clean()
    consent.save()
    _audit(
        actor=actor,
        participation=participation,
        action="consent",
        summary=f"Parent-partner consent {consent.pk} recorded until {expires_on}",
        share_phone=share_phone,
        expires_on=expires_on.isoformat(),
    )
    return consent


@write
def consent_revoke(
    *, actor: Any, participation: Participation, now: dt.datetime | None = None
) -> PartnerConsent:
    """The parent withdrew consent: the mentor sees nothing of them from the next request."""
    now = now or clock.now()
    participation = _locked(participation)
    consent = participation.consents.select_for_update().filter(revoked_at__isnull=True).first()
    if consent is None:
        raise ValidationError(_(NO_CONSENT_TO_REVOKE))
    consent.revoked_at = now
    consent.revoked_by = actor
    consent.save(update_fields=["revoked_at", "revoked_by"])
    _audit(
        actor=actor,
        participation=participation,
        action="consent_revoke",
        summary=f"Parent-partner consent {consent.pk} revoked",
    )
    return consent


# ---- the mentor's contact log ----------------------------------------------------------------


@write
def contact_log(
    *,
    actor: Any,
    participation: Participation,
    on: dt.date,
    mode: str,
    event: str,
    note: str = "",
    now: dt.datetime | None = None,
) -> PartnerContact:
    """The mentor logs a contact with a parent they may see now (matched, consent in force)."""
    now = now or clock.now()
    mentor = mentor_of(actor)
    participation = _locked(participation)
    if mentor is None or not can_see_parent(actor, participation):
        raise ValidationError(_(NOT_YOUR_PARENT))
    errors: dict[str, str] = {}
    if on > clock.today():
        errors["on"] = _(CONTACT_IN_FUTURE)
    elif (
        participation.matched_at
        and on < participation.matched_at.astimezone(clock.agency_zone()).date()
    ):
        errors["on"] = _(CONTACT_BEFORE_MATCH)
    if mode not in ContactMode.values:
        errors["mode"] = _("Choose how you were in contact.")
    if event not in ContactEvent.values:
        errors["event"] = _("Choose what the contact was for.")
    if errors:
        raise ValidationError(errors)
    contact = PartnerContact(
        participation=participation,
        mentor=mentor,
        on=on,
        mode=mode,
        event=event,
        note=note.strip(),
        recorded_at=now,
    )
    contact.full_clean()
    contact.save()
    _audit(
        actor=actor,
        participation=participation,
        action="contact",
        summary=f"Parent partner logged a contact ({mode}, {event}) on {on}",
    )
    return contact
