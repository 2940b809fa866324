"""Writes for family-time reminders: recording and stopping consent, planning and sending the
reminders, and recording a recipient's answer. Each runs in one transaction, validates, and writes
history and an audit event; a refused call changes nothing.

Sending is idempotent: a reminder is one row per session and subscription (a unique constraint),
and it is sent only from `pending`, with its row locked, so a second run or a second scheduler
sends nothing twice."""

from __future__ import annotations

import datetime as dt
import logging
import secrets
from collections import Counter
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from reunify.cases.models import Placement, RemovalEpisode, ResourceProvider
from reunify.core import audit, clock
from reunify.core.actor import write
from reunify.family_time.models import FamilyTimePlan, FamilyTimeSession, SessionStatus
from reunify.people.models import Person
from reunify.reminders import compose, rules, selectors, sms
from reunify.reminders.models import Channel, Language, Reminder, Response, Status, Subscription

logger = logging.getLogger(__name__)

SEND_BATCH = 500

# Messages shared with the tests (English source, translated when raised).
NO_CONSENT = gettext_noop(
    "Reminders go only to people who agreed to receive them; confirm their agreement."
)
EPISODE_CLOSED = gettext_noop("The child's removal episode is closed.")
NOT_A_RECIPIENT = gettext_noop(
    "Choose a parent or relative in the child's family-time plan, or the child's resource family."
)
ONE_RECIPIENT = gettext_noop("Choose one recipient.")
UNKNOWN_CHANNEL = gettext_noop("Choose e-mail or text message.")
UNKNOWN_LANGUAGE = gettext_noop("Choose English or Spanish.")
BAD_EMAIL = gettext_noop("Enter an e-mail address, for example name@example.com.")
ALREADY_SUBSCRIBED = gettext_noop("Reminders for this child already go to that address or number.")
ALREADY_STOPPED = gettext_noop("These reminders were already stopped.")
UNKNOWN_RESPONSE = gettext_noop("Choose “I'll be there” or “I can't come”.")
NOTE_TOO_LONG = gettext_noop("Keep the note to 300 characters.")
NOT_SENT = gettext_noop("This reminder was not sent, so it cannot be answered.")
SESSION_CANCELLED = gettext_noop("This family time was cancelled.")
SESSION_STARTED = gettext_noop(
    "This family time has already started, so the answer can no longer be changed."
)
# Why a reminder was not sent (stored in English, translated when shown).
SKIP_QUIET = gettext_noop("Quiet hours last until the session starts.")
SKIP_CANCELLED = gettext_noop("The session was cancelled.")
SKIP_NOT_SCHEDULED = gettext_noop("The session is no longer scheduled.")
SKIP_STARTED = gettext_noop("The session started before the reminder could go out.")
SKIP_STOPPED = gettext_noop("The recipient's reminders were stopped.")
SKIP_NOT_RECIPIENT = gettext_noop("The recipient no longer takes part in this family time.")
FAILED = gettext_noop("The message could not be sent.")


def _lead() -> dt.timedelta:
    return dt.timedelta(hours=settings.REUNIFY_REMINDER_LEAD_HOURS)


def _quiet() -> tuple[int, int]:
    start, end = settings.REUNIFY_QUIET_HOURS
    if problem := rules.quiet_hours_problem((start, end)):
        raise ValueError(f"REUNIFY_QUIET_HOURS: {problem}")
    return start, end


def _record(
    *, actor: Any, episode: RemovalEpisode, action: str, summary: str, obj: Any, **changes: Any
) -> None:
    audit.record(
        actor=actor,
        action=action,
        obj=obj,
        case_id=episode.case_id,
        agency_id=episode.case.agency_id,
        summary=summary,
        changes=changes,
    )


# ---- consent ---------------------------------------------------------------------------------


def _destination(channel: str, destination: str) -> str:
    destination = destination.strip()
    if channel == Channel.EMAIL:
        try:
            validate_email(destination)
        except ValidationError:
            raise ValidationError({"destination": _(BAD_EMAIL)}) from None
        return destination
    number = rules.e164(destination)
    if number is None:
        raise ValidationError({"destination": _(rules.BAD_PHONE)})
    return number


@write
def subscription_add(
    *,
    actor: Any,
    episode: RemovalEpisode,
    channel: str,
    destination: str,
    language: str,
    consent: bool,
    person: Person | None = None,
    provider: ResourceProvider | None = None,
    now: dt.datetime | None = None,
) -> Subscription:
    """Record that a parent or relative in the child's family-time plan, or the child's resource
    family, agreed to receive reminders of the child's family time by e-mail or text message."""
    now = now or clock.now()
    if not consent:
        raise ValidationError({"consent": _(NO_CONSENT)})
    if not episode.is_open:
        raise ValidationError(_(EPISODE_CLOSED))
    if (person is None) == (provider is None):
        raise ValidationError({"recipient": _(ONE_RECIPIENT)})
    if person is not None and person not in selectors.plan_participants(episode):
        raise ValidationError({"recipient": _(NOT_A_RECIPIENT)})
    if provider is not None and provider != selectors.current_provider(episode):
        raise ValidationError({"recipient": _(NOT_A_RECIPIENT)})
    if channel not in Channel.values:
        raise ValidationError({"channel": _(UNKNOWN_CHANNEL)})
    if language not in Language.values:
        raise ValidationError({"language": _(UNKNOWN_LANGUAGE)})
    destination = _destination(channel, destination)
    if Subscription.objects.filter(
        episode=episode, channel=channel, destination=destination, active=True
    ).exists():
        raise ValidationError({"destination": _(ALREADY_SUBSCRIBED)})
    subscription = Subscription(
        episode=episode,
        person=person,
        provider=provider,
        channel=channel,
        destination=destination,
        language=language,
        recorded_by=actor,
        recorded_at=now,
    )
    subscription.full_clean()
    subscription.save()
    _record(
        actor=actor,
        episode=episode,
        action="reminders.subscription_add",
        obj=subscription,
        summary=f"Family-time reminders by {channel} for {subscription.recipient_label}",
        channel=channel,
        language=language,
        recipient=subscription.recipient_label,
    )
    return subscription


@write
def subscription_stop(
    *, actor: Any, subscription: Subscription, now: dt.datetime | None = None
) -> Subscription:
    """No more reminders to this recipient by this channel; those not yet sent are not sent."""
    now = now or clock.now()
    subscription = Subscription.objects.select_for_update().get(pk=subscription.pk)
    if not subscription.active:
        raise ValidationError(_(ALREADY_STOPPED))
    subscription.active = False
    subscription.stopped_by = actor
    subscription.stopped_at = now
    subscription.full_clean()
    subscription.save()
    for reminder in subscription.reminders.filter(status=Status.PENDING):
        reminder.status, reminder.reason = Status.SKIPPED, SKIP_STOPPED
        reminder.save(update_fields=["status", "reason"])
    episode = RemovalEpisode.objects.select_related("case").get(pk=subscription.episode_id)
    _record(
        actor=actor,
        episode=episode,
        action="reminders.subscription_stop",
        obj=subscription,
        summary=f"Family-time reminders stopped for {subscription.recipient_label}",
        channel=subscription.channel,
    )
    return subscription


# ---- planning and sending --------------------------------------------------------------------


def _takes_part(
    subscription: Subscription,
    plan_id: int,
    participants: set[tuple[int, int]],
    providers: dict[int, int | None],
) -> bool:
    """Whether the recipient takes part in the plan's sessions now: a participant of the plan, or
    the provider of the child's current placement."""
    if subscription.person_id is not None:
        return (plan_id, subscription.person_id) in participants
    return providers.get(subscription.episode_id) == subscription.provider_id


def _who_takes_part(
    plan_ids: Iterable[int], episode_ids: Iterable[int]
) -> tuple[set[tuple[int, int]], dict[int, int | None]]:
    """(plan, person) pairs of the plans' participants, and each episode's current provider."""
    through = FamilyTimePlan.participants.through
    participants = set(
        through.objects.filter(familytimeplan_id__in=set(plan_ids)).values_list(
            "familytimeplan_id", "person_id"
        )
    )
    providers = dict(
        Placement.objects.filter(
            episode_id__in=set(episode_ids), ended_on__isnull=True
        ).values_list("episode_id", "provider_id")
    )
    return participants, providers


@write
def reminders_plan(*, now: dt.datetime) -> int:
    """Create the missing reminders of the scheduled sessions that start within the lead time
    (REUNIFY_REMINDER_LEAD_HOURS), one per session and active subscription of the child whose
    recipient takes part in it. Returns how many were created."""
    lead, quiet, zone = _lead(), _quiet(), clock.agency_zone()
    sessions = list(
        FamilyTimeSession.objects.filter(
            status=SessionStatus.SCHEDULED,
            starts_at__gt=now,
            starts_at__lte=now + lead,
            plan__episode__reminder_subscriptions__active=True,
        )
        .select_related("plan__episode__case")
        .distinct()
        .order_by("starts_at", "pk")
    )
    if not sessions:
        return 0
    episode_ids = {s.plan.episode_id for s in sessions}
    subscriptions: dict[int, list[Subscription]] = {}
    for sub in Subscription.objects.filter(episode_id__in=episode_ids, active=True).order_by("pk"):
        subscriptions.setdefault(sub.episode_id, []).append(sub)
    existing = set(
        Reminder.objects.filter(session__in=sessions).values_list("session_id", "subscription_id")
    )
    participants, providers = _who_takes_part({s.plan_id for s in sessions}, episode_ids)
    created: Counter[RemovalEpisode] = Counter()
    for session in sessions:
        for sub in subscriptions.get(session.plan.episode_id, []):
            if (session.pk, sub.pk) in existing or not _takes_part(
                sub, session.plan_id, participants, providers
            ):
                continue
            send_at = rules.send_time(
                starts_at=session.starts_at, lead=lead, now=now, quiet=quiet, zone=zone
            )
            reminder = Reminder(
                session=session,
                subscription=sub,
                send_at=send_at or now,
                status=Status.PENDING if send_at else Status.SKIPPED,
                reason="" if send_at else SKIP_QUIET,
                language=sub.language,
                token=secrets.token_urlsafe(32),
                created_at=now,
            )
            try:
                with transaction.atomic():  # another run may have just planned the same one
                    reminder.save()
            except IntegrityError:
                continue
            created[session.plan.episode] += 1
    for episode, count in created.items():
        _record(
            actor=None,
            episode=episode,
            action="reminders.planned",
            obj=episode,
            summary=f"{count} family-time reminder(s) planned",
            count=count,
        )
    return sum(created.values())


def _skip_reason(reminder: Reminder, now: dt.datetime) -> str | None:
    session, sub = reminder.session, reminder.subscription
    if session.status == SessionStatus.CANCELLED:
        return SKIP_CANCELLED
    if session.status != SessionStatus.SCHEDULED:
        return SKIP_NOT_SCHEDULED
    if session.starts_at <= now:
        return SKIP_STARTED
    if not sub.active:
        return SKIP_STOPPED
    participants, providers = _who_takes_part([session.plan_id], [session.plan.episode_id])
    if not _takes_part(sub, session.plan_id, participants, providers):
        return SKIP_NOT_RECIPIENT
    return None


def _deliver(reminder: Reminder, content: compose.Content) -> int:
    sub = reminder.subscription
    if sub.channel == Channel.EMAIL:
        message = EmailMultiAlternatives(
            subject=content.subject, body=content.text, to=[sub.destination]
        )
        message.attach_alternative(content.html, "text/html")
        message.attach(compose.ICS_NAME, content.ics, "text/calendar")
        return message.send()
    return sms.send_sms(sub.destination, content.sms, reference=f"reminder-{reminder.pk}")


@write
def reminder_send(*, reminder_id: int, now: dt.datetime) -> str:
    """Send one due reminder unless it is no longer wanted; returns what happened: "sent",
    "failed", "skipped", "deferred" (quiet hours began) or "done" (already handled)."""
    reminder = (
        Reminder.objects.select_for_update(of=("self",))
        .select_related("session__plan__episode__child", "session__plan__episode__case")
        .select_related("subscription__person", "subscription__provider")
        .get(pk=reminder_id)
    )
    if reminder.status != Status.PENDING or reminder.send_at > now:
        return "done"
    episode = reminder.session.plan.episode
    recipient = reminder.subscription.recipient_label
    outcome, reason = "sent", ""
    if skip := _skip_reason(reminder, now):
        outcome, reason = "skipped", skip
    elif rules.in_quiet_hours(now.astimezone(clock.agency_zone()).time(), _quiet()):
        moved = rules.after_quiet_hours(now, quiet=_quiet(), zone=clock.agency_zone())
        if moved >= reminder.session.starts_at:
            outcome, reason = "skipped", SKIP_QUIET
        else:
            reminder.send_at = moved
            reminder.save(update_fields=["send_at"])
            _record(
                actor=None,
                episode=episode,
                action="reminders.deferred",
                obj=reminder,
                summary=f"Family-time reminder to {recipient} waits for the end of quiet hours",
            )
            return "deferred"
    else:
        try:
            accepted = _deliver(reminder, compose.content(reminder, now=now))
        except Exception:  # the gateway's or mail server's failure, whatever its kind
            logger.exception("family-time reminder %s could not be sent", reminder.pk)
            accepted = 0
        if not accepted:
            outcome, reason = "failed", FAILED
    reminder.status = {"sent": Status.SENT, "failed": Status.FAILED}.get(outcome, Status.SKIPPED)
    reminder.reason = reason
    reminder.sent_at = now if outcome == "sent" else None
    reminder.full_clean()
    reminder.save()
    _record(
        actor=None,
        episode=episode,
        action=f"reminders.{outcome}",
        obj=reminder,
        summary=f"Family-time reminder to {recipient} by {reminder.subscription.channel}: "
        f"{outcome}{f' ({reason})' if reason else ''}",
        session=reminder.session_id,
    )
    return outcome


def reminders_send_due(
    *, now: dt.datetime | None = None, batch: int = SEND_BATCH
) -> dict[str, int]:
    """Plan the reminders of the sessions within the lead time, then send those due, each in its
    own transaction. Running it again sends nothing twice. Returns the counts."""
    now = now or clock.now()
    counts = {"planned": reminders_plan(now=now), "sent": 0, "failed": 0, "skipped": 0}
    due = Reminder.objects.filter(status=Status.PENDING, send_at__lte=now).order_by("send_at", "pk")
    for pk in list(due.values_list("pk", flat=True)[:batch]):
        outcome = reminder_send(reminder_id=pk, now=now)
        if outcome in counts:
            counts[outcome] += 1
    return counts


# ---- answers ---------------------------------------------------------------------------------


@write
def reminder_respond(
    *, reminder: Reminder, response: str, note: str = "", now: dt.datetime | None = None
) -> Reminder:
    """The recipient answers through the link in their reminder (no sign-in: the link's token is
    the credential), until the session starts. They may change their answer until then."""
    now = now or clock.now()
    reminder = (
        Reminder.objects.select_for_update(of=("self",))
        .select_related("session__plan__episode__case", "subscription__person")
        .select_related("subscription__provider")
        .get(pk=reminder.pk)
    )
    note = note.strip()
    if response not in Response.values:
        raise ValidationError({"response": _(UNKNOWN_RESPONSE)})
    if len(note) > 300:
        raise ValidationError({"note": _(NOTE_TOO_LONG)})
    session = reminder.session
    if reminder.status != Status.SENT:
        raise ValidationError(_(NOT_SENT))
    if session.status == SessionStatus.CANCELLED:
        raise ValidationError(_(SESSION_CANCELLED))
    if session.starts_at <= now:
        raise ValidationError(_(SESSION_STARTED))
    before = {"response": reminder.response, "note": reminder.response_note}
    reminder.response, reminder.response_note, reminder.responded_at = response, note, now
    reminder.full_clean()
    reminder.save()
    local = session.starts_at.astimezone(clock.agency_zone())
    _record(
        actor=None,
        episode=session.plan.episode,
        action="reminders.response",
        obj=reminder,
        summary=f"{reminder.subscription.recipient_label} answered the reminder of family time "
        f"on {local:%Y-%m-%d %H:%M}: {response}",
        **audit.field_changes(before, {"response": response, "note": note}),
    )
    return reminder
