"""Reads for the reminders page, the response page and the family-time page, each in a fixed
number of queries."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.apps import apps
from django.utils.translation import gettext as _

from reunify.cases.models import Placement, RemovalEpisode, ResourceProvider
from reunify.family_time.models import FamilyTimePlan
from reunify.people.models import Person
from reunify.reminders import rules
from reunify.reminders.models import Reminder, Status, Subscription

EPISODE_REMINDERS = 50


@dataclass(frozen=True)
class Recipient:
    key: str  # "person:<pk>" or "provider:<pk>", the value of the form's choice
    label: str
    person: Person | None = None
    provider: ResourceProvider | None = None
    language: str = "en"


def current_provider(episode: RemovalEpisode) -> ResourceProvider | None:
    """The resource family or facility of the child's current placement, if any."""
    placement = (
        Placement.objects.filter(episode=episode, ended_on__isnull=True)
        .select_related("provider")
        .first()
    )
    return placement.provider if placement is not None else None


def plan_participants(episode: RemovalEpisode) -> list[Person]:
    """The parents and relatives who take part in one of the child's current family-time plans."""
    plans = FamilyTimePlan.objects.filter(episode=episode, effective_to__isnull=True)
    return list(
        Person.objects.filter(family_time_plans__in=plans)
        .distinct()
        .order_by("last_name", "first_name", "pk")
    )


def recipients_for_episode(episode: RemovalEpisode) -> list[Recipient]:
    """Who may receive the child's family-time reminders: two queries."""
    found = [
        Recipient(
            key=f"person:{p.pk}",
            label=p.full_name,
            person=p,
            language=rules.language_code(p.primary_language),
        )
        for p in plan_participants(episode)
    ]
    provider = current_provider(episode)
    if provider is not None:
        found.append(
            Recipient(
                key=f"provider:{provider.pk}",
                label=_("Resource family: %(name)s") % {"name": provider.name},
                provider=provider,
            )
        )
    return found


def subscriptions_for_episode(episode: RemovalEpisode) -> list[Subscription]:
    return list(
        Subscription.objects.filter(episode=episode).select_related(
            "person", "provider", "recorded_by", "stopped_by"
        )
    )


def reminders_for_episode(
    episode: RemovalEpisode, *, since: dt.datetime, limit: int = EPISODE_REMINDERS
) -> list[Reminder]:
    """The reminders of the child's sessions from `since` on, latest session first."""
    return list(
        Reminder.objects.filter(session__plan__episode=episode, session__starts_at__gte=since)
        .select_related("session", "subscription__person", "subscription__provider")
        .order_by("-session__starts_at", "subscription_id")[:limit]
    )


@dataclass(frozen=True)
class ResponseRow:
    recipient: str
    channel: str
    status: str
    response: str  # "", "confirmed" or "cannot_come"
    responded_at: dt.datetime | None
    note: str
    sent_at: dt.datetime | None


def responses_for_sessions(session_ids: Iterable[int]) -> dict[int, list[ResponseRow]]:
    """For each session, the reminders that went out and what each recipient answered (an empty
    `response` while they have not), and the answers given in the family portal: two queries.
    Sessions with neither are absent."""
    session_ids = list(session_ids)
    rows: dict[int, list[ResponseRow]] = defaultdict(list)
    reminders = (
        Reminder.objects.filter(session_id__in=list(session_ids), status=Status.SENT)
        .select_related("subscription__person", "subscription__provider")
        .order_by("session_id", "subscription_id")
    )
    reminded: set[tuple[int, int | None]] = set()
    for r in reminders:
        reminded.add((r.session_id, r.subscription.person_id))
        rows[r.session_id].append(
            ResponseRow(
                recipient=r.subscription.recipient_label,
                channel=r.subscription.channel,
                status=r.status,
                response=r.response,
                responded_at=r.responded_at,
                note=r.response_note,
                sent_at=r.sent_at,
            )
        )
    # Answers given in the family portal, where no reminder to that person carries them already
    # (the portal passes an answer on to the person's sent reminders). By the app registry: the
    # portal builds on this app, not the other way round.
    answers = apps.get_model("portal", "SessionAnswer").objects.filter(
        session_id__in=list(session_ids)
    )
    for a in answers.select_related("account__person").order_by("session_id", "answered_at"):
        if (a.session_id, a.account.person_id) in reminded:
            continue
        rows[a.session_id].append(
            ResponseRow(
                recipient=a.account.person.full_name if a.account.person else str(a.account),
                channel="portal",
                status="answered",
                response=a.answer,
                responded_at=a.answered_at,
                note=a.note,
                sent_at=None,
            )
        )
    return dict(rows)


def reminder_for_token(token: str) -> Reminder | None:
    """The reminder a response link opens, with its session and child; None when unknown."""
    if not token or len(token) > 64:
        return None
    return (
        Reminder.objects.filter(token=token)
        .select_related("session__plan__episode__child", "subscription__person")
        .first()
    )
