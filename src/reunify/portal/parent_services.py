"""Writes of the birth-parent pages: a parent's answer to an upcoming family-time session, and the
parent's calendar feed address (made and revoked). Every write audited; a refusal changes
nothing.

An answer given in the portal is also given, through `reminders.services.reminder_respond`, to
every reminder of that session already sent to the parent by e-mail or text message, so the
worker sees it on the family-time page exactly as an answer to the reminder (same rules: not
after the session has started, not for a cancelled session, a note of at most 300 characters)."""

from __future__ import annotations

import secrets

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from reunify.core import audit, clock
from reunify.core.actor import write
from reunify.family_time.models import FamilyTimeSession, SessionStatus
from reunify.portal.models import PortalAccount, PortalFeedToken, SessionAnswer
from reunify.reminders import services as reminder_services
from reunify.reminders.models import Reminder
from reunify.reminders.models import Status as ReminderStatus


@write
def session_answer(
    *,
    actor: object,
    account: PortalAccount,
    session: FamilyTimeSession,
    answer: str,
    note: str = "",
) -> SessionAnswer:
    """The parent will be there, or cannot come (a note says why). The caller has checked that the
    session is one of the parent's (`parent_selectors.session_for`)."""
    now = clock.now()
    note = note.strip()
    if answer not in SessionAnswer.Answer.values:
        raise ValidationError({"answer": _(reminder_services.UNKNOWN_RESPONSE)})
    if len(note) > 300:
        raise ValidationError({"note": _(reminder_services.NOTE_TOO_LONG)})
    session = FamilyTimeSession.objects.select_for_update().get(pk=session.pk)
    if session.status == SessionStatus.CANCELLED:
        raise ValidationError(_(reminder_services.SESSION_CANCELLED))
    if session.starts_at <= now:
        raise ValidationError(_(reminder_services.SESSION_STARTED))
    found = SessionAnswer.objects.filter(account=account, session=session).first()
    before = {"answer": found.answer if found else "", "note": found.note if found else ""}
    row = found or SessionAnswer(account=account, session=session)
    row.answer, row.note, row.answered_at = answer, note, now
    row.full_clean()
    row.save()
    sent = Reminder.objects.filter(
        session=session, status=ReminderStatus.SENT, subscription__person=account.person
    )
    for reminder in sent:
        reminder_services.reminder_respond(reminder=reminder, response=answer, note=note, now=now)
    episode = session.plan.episode
    audit.record(
        actor=actor,
        action="portal.session_answer",
        obj=row,
        case_id=episode.case_id,
        summary=f"Answered in the portal for family time on {session.starts_at:%Y-%m-%d}: {answer}",
        changes=audit.field_changes(before, {"answer": answer, "note": note}),
    )
    return row


@write
def feed_create(*, actor: object, account: PortalAccount) -> PortalFeedToken:
    """A new calendar address; an earlier one keeps working until revoked."""
    token = PortalFeedToken(
        account=account, token=secrets.token_urlsafe(32), created_at=clock.now()
    )
    token.full_clean()
    token.save()
    audit.record(
        actor=actor, action="portal.feed_created", obj=token, summary="Portal calendar feed created"
    )
    return token


@write
def feed_revoke(
    *, actor: object, account: PortalAccount, token: PortalFeedToken
) -> PortalFeedToken:
    if token.account_id != account.pk:
        raise ValidationError(_("You can revoke only your own calendar feeds."))
    if token.revoked_at is None:
        token.revoked_at = clock.now()
        token.save(update_fields=["revoked_at"])
        audit.record(
            actor=actor,
            action="portal.feed_revoked",
            obj=token,
            summary="Portal calendar feed revoked",
        )
    return token


def live_feed(value: str) -> PortalFeedToken | None:
    """The feed token of a calendar request, if it exists, is not revoked and its account is
    active; what the feed shows is then checked against the policy event by event."""
    if not value or len(value) > 64:
        return None
    token = (
        PortalFeedToken.objects.filter(token=value, revoked_at__isnull=True)
        .select_related("account__user", "account__person")
        .first()
    )
    if token is None or not token.account.user.is_active:
        return None
    return token
