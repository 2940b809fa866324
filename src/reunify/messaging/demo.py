"""Demo messages: for each case with a family account (a parent or youth who accepted an
invitation), one or two threads of a few messages with the case's worker: most answered within a
business day, some answered late, and, in the whole agency, exactly one family message still
waiting for a reply (the newest), so What's due and the unit's response times have something to
show. Without family accounts nothing is written (the portal demo makes them first).

Rows are written in bulk, without history rows, for speed; the texts are invented and name no
place."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from reunify.accounts.models import Agency
from reunify.cases.models import FamilyCase
from reunify.core import clock
from reunify.messaging.models import Message, Receipt, Thread
from reunify.portal.models import Invitation, Kind

EXCHANGES = [
    (
        "About Sunday's visit",
        "Can we move Sunday's visit to Saturday morning?",
        "Yes, Saturday at 10 works. I have changed it.",
    ),
    (
        "Bus pass",
        "My bus pass runs out on Friday. Can the agency help?",
        "I will bring a new pass to our meeting on Thursday.",
    ),
    (
        "Parenting class",
        "I finished the third parenting class today.",
        "Well done. Please bring the attendance sheet next time.",
    ),
    (
        "School photos",
        "Can I get a copy of the school photos?",
        "I asked the school; I will send them when they arrive.",
    ),
    (
        "Court date",
        "What time is the hearing next month?",
        "It starts at 9:00. Please come at 8:30 so we can talk first.",
    ),
]


@dataclass(frozen=True, slots=True)
class Post:
    at: dt.datetime
    from_family: bool
    body: str
    family_user: int
    worker: int


def _at(day: dt.date, hour: int, zone: dt.tzinfo) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, 0), tzinfo=zone)


def _weekday(day: dt.date) -> dt.date:
    while day.weekday() >= 5:
        day -= dt.timedelta(days=1)
    return day


def _next_weekday(day: dt.date) -> dt.date:
    day += dt.timedelta(days=1)
    while day.weekday() >= 5:
        day += dt.timedelta(days=1)
    return day


def demo_messages(*, agency: Agency, as_of: dt.date, rng: random.Random) -> int:
    """Add the demo threads; returns how many messages were written (0 without family accounts)."""
    zone = clock.agency_zone()
    pairs = sorted(
        set(
            Invitation.objects.filter(
                agency=agency,
                account__isnull=False,
                account__kind__in=[Kind.PARENT, Kind.YOUTH],
                case__status=FamilyCase.Status.OPEN,
                case__worker__isnull=False,
            ).values_list("case_id", "account_id", "account__user_id", "case__worker_id")
        )
    )
    if not pairs:
        return 0
    threads: list[Thread] = []
    plans: list[list[Post]] = []
    for index, (case_id, account_id, user_id, worker_id) in enumerate(pairs):
        newest = index == len(pairs) - 1
        for number in range(rng.randint(1, 2)):
            subject, question, answer = rng.choice(EXCHANGES)
            late = rng.random() < 0.3
            asked_day = _weekday(as_of - dt.timedelta(days=rng.randint(10, 60)))
            asked = _at(asked_day, rng.randint(8, 16), zone)
            if late:  # answered two to four working days later: over one business day
                answer_day = asked_day
                for _ in range(rng.randint(2, 4)):
                    answer_day = _next_weekday(answer_day)
                answered = _at(answer_day, 14, zone)
            else:
                answered = asked + dt.timedelta(hours=rng.randint(1, 5))
            delay = answered - asked
            posts = [(asked, True, question), (asked + delay, False, answer)]
            if rng.random() < 0.5:  # a second family message before the answer: same request
                posts.insert(
                    1, (asked + dt.timedelta(minutes=20), True, "Any time after 9 is fine.")
                )
            if newest and number == 0:
                # The one message still waiting: asked yesterday (a weekday), never answered.
                waiting = _at(_weekday(as_of - dt.timedelta(days=1)), 11, zone)
                posts = [(waiting, True, "Is the visit on Thursday still on?")]
            threads.append(
                Thread(
                    case_id=case_id,
                    account_id=account_id,
                    subject=subject,
                    started_at=posts[0][0],
                    started_by_id=user_id,
                    last_message_at=posts[-1][0],
                    awaiting_reply_since=posts[0][0] if len(posts) == 1 else None,
                )
            )
            plans.append([Post(at, family, body, user_id, worker_id) for at, family, body in posts])
    Thread.objects.bulk_create(threads)
    messages: list[tuple[Message, Post]] = [
        (
            Message(
                thread=thread,
                sender_id=post.family_user if post.from_family else post.worker,
                from_family=post.from_family,
                body=post.body,
                sent_at=post.at,
            ),
            post,
        )
        for thread, posts in zip(threads, plans, strict=True)
        for post in posts
    ]
    Message.objects.bulk_create([m for m, _post in messages])
    # Everything answered was read by the other side half an hour after it was sent.
    Receipt.objects.bulk_create(
        [
            Receipt(
                message=m,
                reader_id=post.worker if post.from_family else post.family_user,
                read_at=post.at + dt.timedelta(minutes=30),
            )
            for m, post in messages
            if m.thread.awaiting_reply_since is None
        ]
    )
    return len(messages)
