"""Demo reminders: consent recorded for about half of the children with a current family-time
plan (each parent in the plan by text message, or e-mail without a phone, in Spanish for Spanish
speakers; some resource families by e-mail), and the reminders of the last two weeks' sessions
already sent, most of them answered."""

from __future__ import annotations

import datetime as dt
import random
import secrets

from django.db.models import Prefetch

from reunify.accounts.models import Agency
from reunify.cases.models import Placement
from reunify.core import clock
from reunify.family_time.models import FamilyTimePlan, FamilyTimeSession, PlanKind, SessionStatus
from reunify.people.models import Person
from reunify.reminders import rules
from reunify.reminders.models import Channel, Reminder, Response, Status, Subscription

SHARE = 0.5
PAST = dt.timedelta(days=14)
BATCH = 2000


def _email(person: Person) -> str:
    return person.email or f"{person.first_name}.{person.last_name}.{person.pk}@example.invalid"


def demo_reminders(*, agency: Agency, as_of: dt.date, rng: random.Random) -> int:
    """Add the demo subscriptions and reminders; returns how many reminders were written."""
    zone = clock.agency_zone()
    quiet, lead = (21, 8), dt.timedelta(hours=24)
    plans = (
        FamilyTimePlan.objects.filter(
            episode__case__agency=agency,
            kind=PlanKind.PARENT,  # one plan per child: the subscriptions are per child
            effective_to__isnull=True,
            episode__discharged_on__isnull=True,
        )
        .select_related("episode__case")
        .prefetch_related(Prefetch("participants", queryset=Person.objects.order_by("pk")))
        .order_by("pk")
    )
    providers = dict(
        Placement.objects.filter(episode__case__agency=agency, ended_on__isnull=True).values_list(
            "episode_id", "provider_id"
        )
    )
    subscriptions: list[Subscription] = []
    for plan in plans:
        if rng.random() >= SHARE:
            continue
        case = plan.episode.case
        recorded_at = dt.datetime.combine(
            as_of - dt.timedelta(days=rng.randint(20, 60)), dt.time(11), tzinfo=zone
        )
        common = {
            "episode": plan.episode,
            "recorded_by_id": case.worker_id,
            "recorded_at": recorded_at,
        }
        for person in plan.participants.all():
            phone = rules.e164(person.phone) if person.phone else None
            subscriptions.append(
                Subscription(
                    person=person,
                    channel=Channel.SMS if phone else Channel.EMAIL,
                    destination=phone or _email(person),
                    language=rules.language_code(person.primary_language),
                    **common,
                )
            )
        provider_id = providers.get(plan.episode_id)
        if provider_id and rng.random() < 0.4:
            subscriptions.append(
                Subscription(
                    provider_id=provider_id,
                    channel=Channel.EMAIL,
                    destination=f"resource-family-{provider_id}@example.invalid",
                    language="en",
                    **common,
                )
            )
    Subscription.objects.bulk_create(subscriptions, batch_size=BATCH)
    Subscription.history.bulk_history_create(  # type: ignore[attr-defined]
        subscriptions, batch_size=BATCH, default_change_reason="demo data"
    )
    by_episode: dict[int, list[Subscription]] = {}
    for sub in subscriptions:
        by_episode.setdefault(sub.episode_id, []).append(sub)
    end = dt.datetime.combine(as_of, dt.time(), tzinfo=zone)
    sessions = FamilyTimeSession.objects.filter(
        plan__episode_id__in=by_episode,
        plan__effective_to__isnull=True,
        starts_at__gte=end - PAST,
        starts_at__lt=end,
    ).select_related("plan")
    reminders: list[Reminder] = []
    for session in sessions.order_by("starts_at", "pk"):
        for sub in by_episode[session.plan.episode_id]:
            sent_at = rules.send_time(
                starts_at=session.starts_at,
                lead=lead,
                now=session.starts_at - 2 * lead,
                quiet=quiet,
                zone=zone,
            )
            if sent_at is None:
                continue
            reminder = Reminder(
                session=session,
                subscription=sub,
                send_at=sent_at,
                status=Status.SENT,
                sent_at=sent_at,
                language=sub.language,
                token=secrets.token_urlsafe(32),
                created_at=sent_at,
            )
            if rng.random() < 0.7:
                came = session.status != SessionStatus.CANCELLED and rng.random() < 0.9
                reminder.response = Response.CONFIRMED if came else Response.CANNOT_COME
                reminder.responded_at = sent_at + dt.timedelta(minutes=rng.randint(5, 600))
                reminder.responded_at = min(reminder.responded_at, session.starts_at)
                if not came and rng.random() < 0.5:
                    reminder.response_note = rng.choice(
                        ["I have to work that day.", "No ride that day.", "Tengo cita médica."]
                    )
            reminders.append(reminder)
    Reminder.objects.bulk_create(reminders, batch_size=BATCH)
    return len(reminders)
