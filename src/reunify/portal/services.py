"""Writes of the family portal: invitations sent, withdrawn and accepted. Every write audited."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from typing import Any

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from reunify.accounts.models import Role, User
from reunify.cases.models import FamilyCase, ParticipantRole, Placement, ResourceProvider
from reunify.core import audit, clock
from reunify.core.actor import write
from reunify.people.models import Person
from reunify.portal.models import Channel, Invitation, Kind, PortalAccount
from reunify.portal.permissions import youth_can_be_invited
from reunify.reminders.sms import send_sms

ROLE_OF = {
    Kind.PARENT: Role.PARENT,
    Kind.RESOURCE_PARENT: Role.RESOURCE_PARENT,
    Kind.YOUTH: Role.YOUTH,
}


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _record(
    actor: Any, case: FamilyCase, action: str, summary: str, obj: Any, **changes: Any
) -> None:
    audit.record(
        actor=actor,
        action=action,
        obj=obj,
        case_id=case.pk,
        agency_id=case.agency_id,
        summary=summary,
        changes=changes,
    )


def _check_invitee(
    case: FamilyCase, kind: str, person: Person | None, provider: ResourceProvider | None
) -> None:
    if kind == Kind.PARENT:
        if (
            person is None
            or not case.participants.filter(person=person, role=ParticipantRole.PARENT).exists()
        ):
            raise ValidationError({"person": _("Choose a parent of this case.")})
    elif kind == Kind.YOUTH:
        if (
            person is None
            or not case.participants.filter(person=person, role=ParticipantRole.CHILD).exists()
        ):
            raise ValidationError({"person": _("Choose a child of this case.")})
        if not youth_can_be_invited(person):
            raise ValidationError({"person": _("Only a youth aged 14 or older can be invited.")})
    elif kind == Kind.RESOURCE_PARENT:
        placed = Placement.objects.filter(
            episode__case=case, provider=provider, ended_on__isnull=True
        ).exists()
        if provider is None or not placed:
            raise ValidationError(
                {"provider": _("Choose a resource family a child of this case lives with now.")}
            )
    else:
        raise ValidationError({"kind": _("Choose whom to invite.")})


@write
def invitation_send(
    *,
    actor: User,
    case: FamilyCase,
    kind: str,
    channel: str,
    email: str = "",
    phone: str = "",
    person: Person | None = None,
    provider: ResourceProvider | None = None,
    language: str = "en",
) -> tuple[Invitation, str]:
    """Invite a parent, a youth (14+) or a resource parent of the case to the portal. Returns
    the invitation and the link sent (shown to the worker once, e.g. to read it out)."""
    _check_invitee(case, kind, person, provider)
    if channel == Channel.EMAIL and not email.strip():
        raise ValidationError({"email": _("Give the e-mail address to send the invitation to.")})
    if channel == Channel.SMS and not phone.strip():
        raise ValidationError({"phone": _("Give the mobile number to send the invitation to.")})
    if channel not in Channel.values:
        raise ValidationError({"channel": _("Choose how to send the invitation.")})
    now = clock.now()
    token = secrets.token_urlsafe(32)
    name = person.full_name if person else (provider.name if provider else "")
    invitation = Invitation.objects.create(
        agency=case.agency,
        case=case,
        kind=kind,
        person=person if kind != Kind.RESOURCE_PARENT else None,
        provider=provider if kind == Kind.RESOURCE_PARENT else None,
        name=name,
        channel=channel,
        email=email.strip() if channel == Channel.EMAIL else "",
        phone=phone.strip() if channel == Channel.SMS else "",
        language=language if language in ("en", "es") else "en",
        token_hash=token_hash(token),
        created_by=actor,
        created_at=now,
        expires_at=now + dt.timedelta(days=settings.REUNIFY_INVITATION_DAYS),
    )
    link = settings.REUNIFY_BASE_URL.rstrip("/") + reverse("portal:join", args=[token])
    _deliver(invitation, link)
    _record(
        actor,
        case,
        "portal.invited",
        f"Portal invitation sent by {channel} ({kind})",
        invitation,
        kind=kind,
        channel=channel,
    )
    return invitation, link


def _deliver(invitation: Invitation, link: str) -> None:
    """The invitation in the invitee's language. It names no child, case or place: only the
    agency and the link, so a message read by someone else gives nothing away."""
    with translation.override(invitation.language):
        context = {
            "agency": invitation.agency.name,
            "link": link,
            "days": settings.REUNIFY_INVITATION_DAYS,
        }
        if invitation.channel == Channel.EMAIL:
            message = EmailMultiAlternatives(
                subject=_("Your invitation to Reunify"),
                body=render_to_string("portal/invitation_email.txt", context),
                to=[invitation.email],
            )
            message.send()
        else:
            send_sms(
                invitation.phone,
                render_to_string("portal/invitation_sms.txt", context).strip(),
                reference=f"invitation-{invitation.pk}",
            )


def invitation_for(token: str) -> Invitation | None:
    """The usable invitation the token belongs to, or None (unknown, used, withdrawn, expired)."""
    invitation = (
        Invitation.objects.select_related("case", "agency", "person", "provider")
        .filter(token_hash=token_hash(token))
        .first()
    )
    if invitation is None or invitation.accepted_at or invitation.withdrawn_at:
        return None
    if invitation.expires_at <= clock.now():
        return None
    return invitation


@write
def invitation_withdraw(*, actor: User, invitation: Invitation) -> Invitation:
    if invitation.accepted_at or invitation.withdrawn_at:
        raise ValidationError(_("This invitation can no longer be withdrawn."))
    invitation.withdrawn_at = clock.now()
    invitation.save(update_fields=["withdrawn_at"])
    _record(
        actor,
        invitation.case,
        "portal.invitation_withdrawn",
        "Portal invitation withdrawn",
        invitation,
    )
    return invitation


@transaction.atomic
def invitation_accept(*, token: str, username: str, password: str) -> User:
    """Make the family account the invitation is for. The second factor is set up next, before
    the account sees anything (accounts.middleware.SecondFactorMiddleware)."""
    invitation = invitation_for(token)
    if invitation is None:
        raise ValidationError(
            _(
                "This invitation link has expired or was already used. Ask your worker for a new one."
            )
        )
    Invitation.objects.select_for_update().filter(pk=invitation.pk).first()
    username = username.strip().lower()
    if not username:
        raise ValidationError({"username": _("Choose a user name.")})
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": _("That user name is taken. Choose another.")})
    person = invitation.person
    user = User(
        username=username,
        agency=invitation.agency,
        role=ROLE_OF[Kind(invitation.kind)],
        first_name=person.first_name if person else "",
        last_name=person.last_name if person else invitation.name,
        email=invitation.email,
        wants_digest=False,
    )
    try:
        validate_password(password, user)
    except ValidationError as error:
        raise ValidationError({"password": error.messages}) from error
    user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    account = PortalAccount.objects.create(
        user=user, kind=invitation.kind, person=person, provider=invitation.provider
    )
    invitation.accepted_at = clock.now()
    invitation.account = account
    invitation.save(update_fields=["accepted_at", "account"])
    _record(
        user,
        invitation.case,
        "portal.account_created",
        f"Portal account {user.username} created from an invitation",
        account,
        kind=invitation.kind,
    )
    return user
