"""Reads for the message pages, What's due and the unit's response times. Each takes a queryset
or object the policy already allowed; the arithmetic of waiting is `response_time` (pure)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet

from reunify.accounts.models import Unit, User
from reunify.cases import permissions as case_permissions
from reunify.cases.models import FamilyCase
from reunify.core import clock
from reunify.messaging import permissions, response_time
from reunify.messaging.models import Message, Receipt, Thread
from reunify.portal import permissions as portal_permissions
from reunify.portal.models import Invitation, Kind, PortalAccount

WAITING_SHOWN = 20


def _with_parts(threads: QuerySet[Thread]) -> QuerySet[Thread]:
    return threads.select_related("case__agency", "account__user", "account__person")


def case_threads(case: FamilyCase) -> list[Thread]:
    return list(_with_parts(case.message_threads.all()).annotate(message_count=Count("messages")))


def thread_messages(thread: Thread) -> list[Message]:
    """The thread's messages, oldest first, with their attachments and `seen_by`: the receipts
    of the other side (the family's for a staff message, the staff's for a family message), the
    read receipts the sender is shown."""
    posts = list(
        thread.messages.select_related("sender")
        .prefetch_related(
            Prefetch("receipts", queryset=Receipt.objects.select_related("reader")),
            "attachments",
        )
        .order_by("sent_at", "pk")
    )
    family_user = thread.account.user_id
    for post in posts:
        post.seen_by = [  # type: ignore[attr-defined]
            r for r in post.receipts.all() if (r.reader_id == family_user) != post.from_family
        ]
    return posts


def message_accounts(case: FamilyCase) -> list[PortalAccount]:
    """The family accounts of the case (accepted invitations) that may be written to now."""
    accounts = PortalAccount.objects.filter(
        pk__in=Invitation.objects.filter(case=case, account__isnull=False).values("account"),
        kind__in=[Kind.PARENT, Kind.YOUTH],
        user__is_active=True,
    ).select_related("user", "person")
    return [a for a in accounts if permissions.family_may_message(a.user, case)]


@dataclass
class FamilyThread:
    thread: Thread
    unread: int


def family_threads(user: Any) -> tuple[list[FamilyThread], list[FamilyCase]]:
    """The account's threads in the cases where it may message now, newest first, with how many
    messages it has not read; and those cases (to start a new thread in)."""
    account = portal_permissions.account_of(user)
    if account is None:
        return [], []
    threads = list(
        _with_parts(Thread.objects.filter(account=account)).annotate(
            unread=Count(
                "messages",
                filter=~Q(messages__sender=user)
                & ~Exists(Receipt.objects.filter(message=OuterRef("messages"), reader=user)),
            )
        )
    )
    cases = {t.case_id: t.case for t in threads}
    if account.kind == Kind.PARENT:
        cases.update({c.pk: c for c in portal_permissions.parent_cases(account)})
    elif account.kind == Kind.YOUTH and account.person_id:
        cases.update(
            {c.pk: c for c in FamilyCase.objects.filter(participants__person=account.person)}
        )
    allowed = {pk for pk, case in cases.items() if permissions.family_may_message(user, case)}
    rows = [FamilyThread(t, t.unread) for t in threads if t.case_id in allowed]  # type: ignore[attr-defined]
    return rows, [cases[pk] for pk in sorted(allowed)]


# ---- What's due ------------------------------------------------------------------------------


@dataclass
class Waiting:
    thread: Thread
    since: dt.datetime
    business_hours: float

    @property
    def late(self) -> bool:
        return self.business_hours > response_time.hours(response_time.BUSINESS_DAY)


def waiting_for(
    user: Any, *, now: dt.datetime | None = None, limit: int = WAITING_SHOWN
) -> tuple[list[Waiting], int]:
    """Family messages waiting for an answer in the cases the user answers for (edits), oldest
    first, with how long they have waited in business hours; and how many wait in all."""
    now = now or clock.now()
    editable = [
        c
        for c in case_permissions.cases_visible_to(user)
        .filter(message_threads__awaiting_reply_since__isnull=False)
        .distinct()
        if case_permissions.can_edit_case(user, c)
    ]
    waiting = _with_parts(
        Thread.objects.filter(case__in=editable, awaiting_reply_since__isnull=False)
    ).order_by("awaiting_reply_since", "pk")
    zone = clock.agency_zone()
    rows = [
        Waiting(
            t,
            t.awaiting_reply_since,  # type: ignore[arg-type]
            response_time.hours(
                response_time.business_time(t.awaiting_reply_since, now, zone)  # type: ignore[arg-type]
            ),
        )
        for t in waiting[:limit]
    ]
    return rows, waiting.count()


# ---- unit response times ---------------------------------------------------------------------


@dataclass
class WorkerTimes:
    worker: User | None
    summary: response_time.Summary

    @property
    def median_hours(self) -> float | None:
        median = self.summary.median
        return None if median is None else response_time.hours(median)

    @property
    def share_percent(self) -> int | None:
        share = self.summary.share_within_a_day
        return None if share is None else round(share * 100)


def unit_response_times(
    *, unit: Unit, start: dt.date, end: dt.date, now: dt.datetime | None = None
) -> tuple[list[WorkerTimes], WorkerTimes]:
    """For family requests made in [start, end] (agency dates) in the unit's cases: per worker
    who answered (an unanswered request counts for the case's worker now), the median first
    reply in business hours and the share answered within one business day; and the unit's.
    Four queries; the counting in `response_time`."""
    now = now or clock.now()
    zone = clock.agency_zone()
    since = dt.datetime.combine(start, dt.time(0), tzinfo=zone)
    until = dt.datetime.combine(end + dt.timedelta(days=1), dt.time(0), tzinfo=zone)
    threads = Thread.objects.filter(
        case__unit=unit,
        case__agency_id=unit.agency_id,
        messages__from_family=True,
        messages__sent_at__gte=since,
        messages__sent_at__lt=until,
    ).distinct()
    posts: dict[int, list[response_time.Post]] = defaultdict(list)
    for thread_id, at, family, sender in Message.objects.filter(thread__in=threads).values_list(
        "thread_id", "sent_at", "from_family", "sender_id"
    ):
        posts[thread_id].append(response_time.Post(at, family, sender))
    worker_of = dict(Thread.objects.filter(pk__in=posts).values_list("pk", "case__worker_id"))
    by_worker: dict[int | None, list[response_time.Request]] = defaultdict(list)
    everyone: list[response_time.Request] = []
    for thread_id, thread_posts in posts.items():
        for request in response_time.requests(thread_posts):
            if not since <= request.asked_at < until:
                continue
            who = request.answered_by if request.answered_at else worker_of.get(thread_id)
            by_worker[who].append(request)
            everyone.append(request)
    workers = User.objects.in_bulk([pk for pk in by_worker if pk is not None])
    rows = [
        WorkerTimes(workers.get(pk) if pk else None, response_time.summarise(r, zone=zone, now=now))
        for pk, r in by_worker.items()
    ]
    rows.sort(key=lambda row: (str(row.worker or ""), row.worker.pk if row.worker else 0))
    return rows, WorkerTimes(None, response_time.summarise(everyone, zone=zone, now=now))
