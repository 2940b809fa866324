"""Writes for referrals: writing one, the parent's consent, sending it with a provider link, each
step of its life (by the worker, or by the provider through the link), attendance and barriers.
Each runs in one transaction (`@write`), validates, and records a timeline event, history and an
audit event; a refused call changes nothing. Provider steps are audited with no actor and a
summary naming the link (its first characters), never the token."""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.core.validators import validate_email
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from reunify.case_plans.models import FamilyPlan, VersionStatus
from reunify.cases.models import CaseParticipant, FamilyCase, ParticipantRole
from reunify.core import audit, clock
from reunify.core.actor import write
from reunify.core.concurrency import lock_for_edit
from reunify.people.models import Person
from reunify.referrals import rules, sharing
from reunify.referrals.models import (
    Action,
    Attendance,
    Barrier,
    By,
    Consent,
    ProviderLink,
    Referral,
    ReferralEvent,
    Status,
)
from reunify.services.models import Service

logger = logging.getLogger(__name__)

# Messages shared with the tests (English source, translated when raised).
CASE_CLOSED = gettext_noop("The case is closed.")
NOT_IN_CASE = gettext_noop("Choose a parent or child of this case.")
OTHER_AGENCY_SERVICE = gettext_noop("Choose a service from your agency's directory.")
SERVICE_INACTIVE = gettext_noop("This service is not active; choose another.")
UNKNOWN_GOAL = gettext_noop("Choose one of the case plan's goals.")
REASON_REQUIRED = gettext_noop("Say why the family is referred.")
NO_CONSENT = gettext_noop("Record what the parent agreed to share before sending the referral.")
NOT_A_PARENT = gettext_noop("Consent is given by a parent of the case.")
OWN_CONSENT = gettext_noop("A parent who is referred gives their own consent.")
CONSENT_IN_FORCE = gettext_noop(
    "This referral already has a consent in force; revoke it to record another."
)
NO_CONSENT_TO_REVOKE = gettext_noop("There is no consent in force to revoke.")
CONSENT_IN_FUTURE = gettext_noop("The consent cannot be dated in the future.")
BAD_EMAIL = gettext_noop("Enter the provider's e-mail address, for example intake@example.org.")
SEND_FAILED = gettext_noop("The e-mail could not be sent; the referral was not sent.")
ATTENDANCE_IN_FUTURE = gettext_noop("Attendance cannot be recorded for a future date.")
ATTENDANCE_BEFORE_START = gettext_noop("The date is before the referral was sent.")
ALREADY_RECORDED = gettext_noop("Attendance on that date is already recorded.")
NOTE_TOO_LONG = gettext_noop("Keep the note under 300 characters.")
UNKNOWN_BARRIER = gettext_noop("Choose the kind of barrier.")
ALREADY_RESOLVED = gettext_noop("This barrier was already resolved.")
LINK_UNUSABLE = gettext_noop("This link no longer works.")


def _msg(message: str, status: str = "") -> str:
    label = str(Status(status).label).lower() if status in Status.values else status
    return _(message) % {"status": label} if "%(status)s" in message else _(message)


def _audit(*, actor: Any, referral: Referral, action: str, summary: str, **changes: Any) -> None:
    audit.record(
        actor=actor,
        action=f"referrals.{action}",
        obj=referral,
        case_id=referral.case_id,
        agency_id=referral.case.agency_id,
        summary=summary,
        changes=changes,
    )


def _event(
    referral: Referral,
    *,
    action: str,
    by: str,
    user: Any,
    now: dt.datetime,
    note: str = "",
    from_status: str = "",
    to_status: str = "",
) -> ReferralEvent:
    return ReferralEvent.objects.create(
        referral=referral,
        at=now,
        action=action,
        by=by,
        user=user if getattr(user, "is_authenticated", False) else None,
        note=note[:500],
        from_status=from_status,
        to_status=to_status,
    )


def _fresh(referral: Referral) -> Referral:
    return Referral.objects.select_related(
        "case__agency", "person", "service__organization", "created_by", "plan"
    ).get(pk=referral.pk)


def link_label(link: ProviderLink) -> str:
    return f"provider link {link.prefix}…"


# ---- writing the referral --------------------------------------------------------------------


def _goal_keys(plan: FamilyPlan) -> set[str]:
    version = plan.versions.exclude(status=VersionStatus.SUPERSEDED).order_by("-number").first()
    return {g.get("key", "") for g in (version.document if version else {}).get("goals", [])}


def referral_people(case: FamilyCase) -> list[Person]:
    """The parents and children of the case, who may be referred."""
    return [
        p.person
        for p in CaseParticipant.objects.filter(
            case=case, role__in=[ParticipantRole.PARENT, ParticipantRole.CHILD]
        ).select_related("person")
    ]


@write
def referral_create(
    *,
    actor: Any,
    case: FamilyCase,
    person: Person,
    service: Service,
    reason: str,
    goal_key: str = "",
    now: dt.datetime | None = None,
) -> Referral:
    """A draft referral of a parent or child of the case to a service of the directory,
    optionally for a goal of the case plan."""
    now = now or clock.now()
    reason = reason.strip()
    if case.status != FamilyCase.Status.OPEN:
        raise ValidationError(_(CASE_CLOSED))
    errors: dict[str, str] = {}
    if person.pk not in {p.pk for p in referral_people(case)}:
        errors["person"] = _(NOT_IN_CASE)
    if service.agency_id != case.agency_id:
        errors["service"] = _(OTHER_AGENCY_SERVICE)
    elif not service.is_active:
        errors["service"] = _(SERVICE_INACTIVE)
    if not reason:
        errors["reason"] = _(REASON_REQUIRED)
    plan = FamilyPlan.objects.filter(case=case).first() if goal_key else None
    if goal_key and (plan is None or goal_key not in _goal_keys(plan)):
        errors["goal_key"] = _(UNKNOWN_GOAL)
    if errors:
        raise ValidationError(errors)
    referral = Referral(
        case=case,
        person=person,
        service=service,
        plan=plan,
        goal_key=goal_key,
        reason=reason,
        status=Status.DRAFT,
        created_at=now,
        created_by=actor,
    )
    referral.full_clean()
    referral.save()
    _event(referral, action=Action.CREATE, by=By.WORKER, user=actor, now=now, to_status="draft")
    _audit(
        actor=actor,
        referral=referral,
        action="create",
        summary=f"Referral {referral.pk} of {person.full_name} to {service.name} written",
        service=service.pk,
        person=person.pk,
        goal=goal_key,
    )
    return referral


# ---- consent -------------------------------------------------------------------------------


@write
def consent_record(
    *,
    actor: Any,
    referral: Referral,
    given_by: Person,
    fields: Iterable[str],
    how: str,
    witness: str = "",
    given_on: dt.date | None = None,
    now: dt.datetime | None = None,
) -> Consent:
    """Record what the parent agreed to share with the provider (a fixed set of fields), how
    (signed, or spoken before a witness) and when."""
    now = now or clock.now()
    given_on = given_on or clock.today()
    referral = _fresh(referral)
    chosen = set(fields)
    errors = {
        k: _(v) for k, v in rules.consent_problems(fields=chosen, how=how, witness=witness).items()
    }
    parents = set(
        CaseParticipant.objects.filter(
            case_id=referral.case_id, role=ParticipantRole.PARENT
        ).values_list("person_id", flat=True)
    )
    if given_by.pk not in parents:
        errors["given_by"] = _(NOT_A_PARENT)
    elif referral.person_id in parents and given_by.pk != referral.person_id:
        errors["given_by"] = _(OWN_CONSENT)
    if given_on > clock.today():
        errors["given_on"] = _(CONSENT_IN_FUTURE)
    if referral.is_final:
        raise ValidationError(_msg(rules.IS_FINAL, referral.status))
    if errors:
        raise ValidationError(errors)
    if Consent.objects.filter(referral=referral, revoked_at__isnull=True).exists():
        raise ValidationError(_(CONSENT_IN_FORCE))
    consent = Consent(
        referral=referral,
        given_by=given_by,
        how=how,
        witness=witness.strip() if how == rules.VERBAL else "",
        given_on=given_on,
        recorded_by=actor,
        recorded_at=now,
        **{f"share_{f}": f in chosen for f in rules.SHAREABLE},
    )
    consent.full_clean()
    consent.save()
    shared = ", ".join(consent.fields)
    _event(referral, action=Action.CONSENT, by=By.WORKER, user=actor, now=now, note=shared)
    _audit(
        actor=actor,
        referral=referral,
        action="consent",
        summary=f"Consent to share with {referral.service.name} recorded ({shared})",
        fields=list(consent.fields),
        how=how,
    )
    return consent


@write
def consent_revoke(
    *, actor: Any, referral: Referral, note: str = "", now: dt.datetime | None = None
) -> Consent:
    """The parent withdrew their consent: from now on the provider sees none of the fields it
    allowed (the link still works for the provider's answers)."""
    now = now or clock.now()
    referral = _fresh(referral)
    consent = (
        Consent.objects.select_for_update()
        .filter(referral=referral, revoked_at__isnull=True)
        .first()
    )
    if consent is None:
        raise ValidationError(_(NO_CONSENT_TO_REVOKE))
    if len(note.strip()) > 300:
        raise ValidationError({"note": _(NOTE_TOO_LONG)})
    consent.revoked_at, consent.revoked_by, consent.revoke_note = now, actor, note.strip()
    consent.full_clean()
    consent.save()
    _event(referral, action=Action.CONSENT_REVOKED, by=By.WORKER, user=actor, now=now, note=note)
    _audit(
        actor=actor,
        referral=referral,
        action="consent_revoke",
        summary=f"Consent to share with {referral.service.name} revoked"
        + (" after sending" if referral.sent_at else ""),
        fields=list(consent.fields),
    )
    return consent


# ---- sending and the provider link ---------------------------------------------------------


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def provider_url(token: str) -> str:
    return settings.REUNIFY_BASE_URL.rstrip("/") + reverse("referrals:provider", args=[token])


@dataclass(frozen=True)
class Sent:
    referral: Referral
    link: ProviderLink
    token: str  # only ever in the e-mail; never stored


def _issue_link(referral: Referral, *, to: str, now: dt.datetime) -> tuple[ProviderLink, str]:
    ProviderLink.objects.filter(referral=referral, revoked_at__isnull=True).update(revoked_at=now)
    token = secrets.token_urlsafe(32)
    link = ProviderLink(
        referral=referral,
        prefix=token[:8],
        digest=token_digest(token),
        sent_to=to,
        created_at=now,
        expires_at=now + dt.timedelta(days=settings.REUNIFY_REFERRAL_LINK_DAYS),
    )
    link.full_clean()
    link.save()
    return link, token


def _email(referral: Referral, *, to: str, token: str, link: ProviderLink) -> int:
    facts = sharing.shared_facts(referral)
    context = {
        "facts": facts,
        "url": provider_url(token),
        "expires_on": link.expires_at.astimezone(clock.agency_zone()).date(),
    }
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Referral %(reference)s from %(agency)s") % {
            "reference": facts.reference,
            "agency": facts.agency,
        }
        body = render_to_string("referrals/email.txt", context)
    return EmailMessage(subject=subject, body=body, to=[to]).send()


@write
def referral_send(
    *,
    actor: Any,
    referral: Referral,
    expected_version: int,
    to: str,
    now: dt.datetime | None = None,
) -> Sent:
    """Send the referral (a draft, or again while waiting for an answer: a new link replaces the
    old one) to the provider's e-mail address, with a link that works for
    REUNIFY_REFERRAL_LINK_DAYS days. The e-mail holds only what the parent consented to share.
    Needs a consent in force."""
    now = now or clock.now()
    to = to.strip()
    current = lock_for_edit(Referral, pk=referral.pk, expected_version=expected_version)
    referral = _fresh(current)
    resend = referral.status == Status.SENT
    if not resend and (
        problem := rules.refusal(status=referral.status, action=rules.SEND, by=rules.WORKER)
    ):
        raise ValidationError(_msg(problem, referral.status))
    try:
        validate_email(to)
    except ValidationError:
        raise ValidationError({"to": _(BAD_EMAIL)}) from None
    if sharing.consent_in_force(referral) is None:
        raise ValidationError(_(NO_CONSENT))
    if referral.case.status != FamilyCase.Status.OPEN:
        raise ValidationError(_(CASE_CLOSED))
    before = referral.status
    referral.status, referral.sent_at, referral.sent_to = Status.SENT, now, to
    referral.version += 1
    referral.full_clean()
    referral.save()
    link, token = _issue_link(referral, to=to, now=now)
    try:
        accepted = _email(referral, to=to, token=token, link=link)
    except Exception:  # the mail server's failure, whatever its kind: nothing is kept
        logger.exception("referral %s could not be e-mailed", referral.pk)
        accepted = 0
    if not accepted:
        raise ValidationError(_(SEND_FAILED))
    _event(
        referral,
        action=Action.SEND,
        by=By.WORKER,
        user=actor,
        now=now,
        note=to,
        from_status=before,
        to_status=Status.SENT,
    )
    _audit(
        actor=actor,
        referral=referral,
        action="send",
        summary=f"Referral {referral.pk} sent to {referral.service.name} ({to}) with "
        f"{link_label(link)}" + (" replacing the earlier link" if resend else ""),
        to=to,
        link=link.prefix,
    )
    return Sent(referral=referral, link=link, token=token)


# ---- steps -----------------------------------------------------------------------------------

_STAMP = {
    rules.ACCEPT: "accepted_at",
    rules.DECLINE: "declined_at",
    rules.START: "started_at",
    rules.COMPLETE: "ended_at",
    rules.NOT_COMPLETE: "ended_at",
    rules.WITHDRAW: "withdrawn_at",
}
_REASON = {
    rules.DECLINE: "decline_reason",
    rules.NOT_COMPLETE: "not_completed_reason",
    rules.WITHDRAW: "withdraw_reason",
}


def _step(
    referral: Referral,
    *,
    action: str,
    by: str,
    user: Any,
    reason: str,
    now: dt.datetime,
    link: ProviderLink | None = None,
) -> Referral:
    reason = reason.strip()
    if problem := rules.refusal(status=referral.status, action=action, by=by, reason=reason):
        field = "reason" if problem in (rules.REASON_NEEDED, rules.REASON_TOO_LONG) else None
        message = _msg(problem, referral.status)
        raise ValidationError({field: message} if field else message)
    before = referral.status
    referral.status = rules.next_status(before, action)  # type: ignore[assignment]
    setattr(referral, _STAMP[action], now)
    if action in _REASON:
        setattr(referral, _REASON[action], reason)
    referral.version += 1
    referral.full_clean()
    referral.save()
    if action == rules.WITHDRAW:
        ProviderLink.objects.filter(referral=referral, revoked_at__isnull=True).update(
            revoked_at=now
        )
    _event(
        referral,
        action=action,
        by=by,
        user=user,
        now=now,
        note=reason,
        from_status=before,
        to_status=referral.status,
    )
    who = link_label(link) if link else "worker"
    _audit(
        actor=user,
        referral=referral,
        action=action if by == rules.WORKER else f"provider_{action}",
        summary=f"Referral {referral.pk} to {referral.service.name}: {before} -> "
        f"{referral.status} by {who}",
        status=[before, referral.status],
        reason=reason,
        **({"link": link.prefix} if link else {}),
    )
    return referral


@write
def referral_step(
    *,
    actor: Any,
    referral: Referral,
    action: str,
    expected_version: int,
    reason: str = "",
    now: dt.datetime | None = None,
) -> Referral:
    """A step the worker records (rules.TRANSITIONS): accept, decline, start, complete, not
    complete or withdraw. Withdrawing revokes the provider link."""
    now = now or clock.now()
    current = lock_for_edit(Referral, pk=referral.pk, expected_version=expected_version)
    return _step(
        _fresh(current), action=action, by=rules.WORKER, user=actor, reason=reason, now=now
    )


def _usable_link(link: ProviderLink, now: dt.datetime) -> tuple[ProviderLink, Referral]:
    link = ProviderLink.objects.select_for_update().get(pk=link.pk)
    referral = _fresh(Referral.objects.select_for_update().get(pk=link.referral_id))
    state = rules.link_state(
        expires_at=link.expires_at, revoked_at=link.revoked_at, status=referral.status, now=now
    )
    if state != rules.LINK_OK:
        raise ValidationError(_(LINK_UNUSABLE))
    link.last_used_at = now
    link.save(update_fields=["last_used_at"])
    return link, referral


@write
def provider_step(
    *, link: ProviderLink, action: str, reason: str = "", now: dt.datetime | None = None
) -> Referral:
    """A step the provider takes through their link (no sign-in): accept, decline, mark in
    service, complete or not complete. Audited with no actor, naming the link."""
    now = now or clock.now()
    link, referral = _usable_link(link, now)
    return _step(
        referral, action=action, by=rules.PROVIDER, user=None, reason=reason, now=now, link=link
    )


# ---- attendance ----------------------------------------------------------------------------


def _attendance(
    referral: Referral,
    *,
    on: dt.date,
    attended: bool,
    note: str,
    by: str,
    user: Any,
    now: dt.datetime,
    link: ProviderLink | None = None,
) -> Attendance:
    note = note.strip()
    if problem := rules.attendance_refusal(referral.status):
        raise ValidationError(_msg(problem, referral.status))
    errors: dict[str, str] = {}
    if on > now.astimezone(clock.agency_zone()).date():
        errors["on"] = _(ATTENDANCE_IN_FUTURE)
    elif referral.sent_at and on < referral.sent_at.astimezone(clock.agency_zone()).date():
        errors["on"] = _(ATTENDANCE_BEFORE_START)
    if len(note) > 300:
        errors["note"] = _(NOTE_TOO_LONG)
    if errors:
        raise ValidationError(errors)
    if Attendance.objects.filter(referral=referral, on=on).exists():
        raise ValidationError({"on": _(ALREADY_RECORDED)})
    row = Attendance(
        referral=referral,
        on=on,
        attended=attended,
        note=note,
        by=by,
        recorded_by=user if getattr(user, "is_authenticated", False) else None,
        recorded_at=now,
    )
    row.full_clean()
    row.save()
    word = "attended" if attended else "missed"
    _event(referral, action=Action.ATTENDANCE, by=by, user=user, now=now, note=f"{on}: {word}")
    who = link_label(link) if link else "worker"
    _audit(
        actor=user,
        referral=referral,
        action="attendance" if by == rules.WORKER else "provider_attendance",
        summary=f"Attendance at {referral.service.name} on {on}: {word}, recorded by {who}",
        on=str(on),
        attended=attended,
    )
    return row


@write
def attendance_record(
    *,
    actor: Any,
    referral: Referral,
    on: dt.date,
    attended: bool,
    note: str = "",
    now: dt.datetime | None = None,
) -> Attendance:
    now = now or clock.now()
    referral = _fresh(Referral.objects.select_for_update().get(pk=referral.pk))
    return _attendance(
        referral, on=on, attended=attended, note=note, by=rules.WORKER, user=actor, now=now
    )


@write
def provider_attendance(
    *,
    link: ProviderLink,
    on: dt.date,
    attended: bool,
    note: str = "",
    now: dt.datetime | None = None,
) -> Attendance:
    now = now or clock.now()
    link, referral = _usable_link(link, now)
    return _attendance(
        referral,
        on=on,
        attended=attended,
        note=note,
        by=rules.PROVIDER,
        user=None,
        now=now,
        link=link,
    )


# ---- barriers ------------------------------------------------------------------------------


@write
def barrier_add(
    *, actor: Any, referral: Referral, kind: str, note: str = "", now: dt.datetime | None = None
) -> Barrier:
    """Record what keeps the family from the service (transport, childcare, cost, …)."""
    now = now or clock.now()
    referral = _fresh(referral)
    note = note.strip()
    errors = {}
    if kind not in rules.BARRIER_KINDS:
        errors["kind"] = _(UNKNOWN_BARRIER)
    if len(note) > 300:
        errors["note"] = _(NOTE_TOO_LONG)
    if errors:
        raise ValidationError(errors)
    barrier = Barrier(referral=referral, kind=kind, note=note, recorded_at=now, recorded_by=actor)
    barrier.full_clean()
    barrier.save()
    _event(referral, action=Action.BARRIER, by=By.WORKER, user=actor, now=now, note=kind)
    _audit(
        actor=actor,
        referral=referral,
        action="barrier",
        summary=f"Barrier to {referral.service.name}: {kind}",
        kind=kind,
    )
    return barrier


@write
def barrier_resolve(*, actor: Any, barrier: Barrier, now: dt.datetime | None = None) -> Barrier:
    now = now or clock.now()
    barrier = Barrier.objects.select_for_update().get(pk=barrier.pk)
    if barrier.resolved_at is not None:
        raise ValidationError(_(ALREADY_RESOLVED))
    barrier.resolved_at, barrier.resolved_by = now, actor
    barrier.full_clean()
    barrier.save()
    referral = _fresh(barrier.referral)
    _event(
        referral,
        action=Action.BARRIER_RESOLVED,
        by=By.WORKER,
        user=actor,
        now=now,
        note=barrier.kind,
    )
    _audit(
        actor=actor,
        referral=referral,
        action="barrier_resolve",
        summary=f"Barrier to {referral.service.name} resolved: {barrier.kind}",
        kind=barrier.kind,
    )
    return barrier
