"""The life of a referral as pure rules (no Django): which step may follow which, who may take
it, which steps need a reason, when an unanswered referral is overdue, when a provider link still
works, what the parent's consent lets the provider see, and the barrier summary.

    draft ──send──▶ sent ──accept──▶ accepted ──start──▶ in service ──complete──▶ completed
                      │                 │                     └──not complete──▶ not completed
                      └──decline──▶ declined                  (reason)
                    (reason)             └──not complete (never started; reason)
    any open state ──withdraw (reason)──▶ withdrawn

Declined, completed, not completed and withdrawn are final. The provider (through the referral's
link) answers and updates the service; only the worker sends and withdraws. Attendance is
recorded while the family is in service; it is compliance, never behaviour change (SDM; the case
plan rates progress on its goals apart, `case_plans.document.RATINGS`).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from reunify.core.marks import gettext_noop

# ---- states, steps, who takes them ---------------------------------------------------------

DRAFT = "draft"
SENT = "sent"
ACCEPTED = "accepted"
DECLINED = "declined"
IN_SERVICE = "in_service"
COMPLETED = "completed"
NOT_COMPLETED = "not_completed"
WITHDRAWN = "withdrawn"
STATUSES = (DRAFT, SENT, ACCEPTED, DECLINED, IN_SERVICE, COMPLETED, NOT_COMPLETED, WITHDRAWN)
FINAL = frozenset({DECLINED, COMPLETED, NOT_COMPLETED, WITHDRAWN})
OPEN = frozenset(STATUSES) - FINAL

SEND = "send"
ACCEPT = "accept"
DECLINE = "decline"
START = "start"
COMPLETE = "complete"
NOT_COMPLETE = "not_complete"
WITHDRAW = "withdraw"
ACTIONS = (SEND, ACCEPT, DECLINE, START, COMPLETE, NOT_COMPLETE, WITHDRAW)

WORKER = "worker"
PROVIDER = "provider"
SYSTEM = "system"
ACTORS = (WORKER, PROVIDER, SYSTEM)

TRANSITIONS: Mapping[tuple[str, str], str] = {
    (DRAFT, SEND): SENT,
    (DRAFT, WITHDRAW): WITHDRAWN,
    (SENT, ACCEPT): ACCEPTED,
    (SENT, DECLINE): DECLINED,
    (SENT, WITHDRAW): WITHDRAWN,
    (ACCEPTED, START): IN_SERVICE,
    (ACCEPTED, NOT_COMPLETE): NOT_COMPLETED,
    (ACCEPTED, WITHDRAW): WITHDRAWN,
    (IN_SERVICE, COMPLETE): COMPLETED,
    (IN_SERVICE, NOT_COMPLETE): NOT_COMPLETED,
    (IN_SERVICE, WITHDRAW): WITHDRAWN,
}
# The provider answers and reports on the service; sending and withdrawing are the agency's.
TAKEN_BY: Mapping[str, frozenset[str]] = {
    SEND: frozenset({WORKER}),
    ACCEPT: frozenset({WORKER, PROVIDER}),
    DECLINE: frozenset({WORKER, PROVIDER}),
    START: frozenset({WORKER, PROVIDER}),
    COMPLETE: frozenset({WORKER, PROVIDER}),
    NOT_COMPLETE: frozenset({WORKER, PROVIDER}),
    WITHDRAW: frozenset({WORKER}),
}
REASON_REQUIRED = frozenset({DECLINE, NOT_COMPLETE, WITHDRAW})
ATTENDANCE_STATUSES = frozenset({IN_SERVICE})
MAX_REASON = 500

# Messages the services raise and the tests check (English source; translated where shown).
UNKNOWN_ACTION = gettext_noop("Choose one of the steps offered.")
NOT_NOW = gettext_noop("This step is not possible now: the referral is %(status)s.")
IS_FINAL = gettext_noop("This referral is closed (%(status)s); nothing more can change.")
NOT_YOURS = gettext_noop("Only the agency can take this step.")
REASON_NEEDED = gettext_noop("Give the reason.")
REASON_TOO_LONG = gettext_noop("Keep the reason under 500 characters.")
NO_ATTENDANCE_NOW = gettext_noop(
    "Attendance is recorded while the family is in service; this referral is %(status)s."
)


def next_status(status: str, action: str) -> str | None:
    """The status after `action` from `status`, or None when the step is not possible."""
    return TRANSITIONS.get((status, action))


def actions_from(status: str, *, by: str) -> tuple[str, ...]:
    """The steps `by` may take from `status`, in the order of ACTIONS."""
    return tuple(a for a in ACTIONS if (status, a) in TRANSITIONS and by in TAKEN_BY[a])


def refusal(*, status: str, action: str, by: str, reason: str = "") -> str | None:
    """Why the step is refused (an English message with a `status` parameter), or None."""
    if action not in ACTIONS or by not in ACTORS:
        return UNKNOWN_ACTION
    if by not in TAKEN_BY[action]:
        return NOT_YOURS
    if status in FINAL:
        return IS_FINAL
    if (status, action) not in TRANSITIONS:
        return NOT_NOW
    if action in REASON_REQUIRED and not reason.strip():
        return REASON_NEEDED
    if len(reason.strip()) > MAX_REASON:
        return REASON_TOO_LONG
    return None


def attendance_refusal(status: str) -> str | None:
    return None if status in ATTENDANCE_STATUSES else NO_ATTENDANCE_NOW


# ---- waiting for an answer -----------------------------------------------------------------


def response_due(sent_on: dt.date, *, days: int) -> dt.date:
    """The day by which the provider should have answered: `days` after sending."""
    return sent_on + dt.timedelta(days=days)


def is_overdue(*, status: str, sent_on: dt.date | None, today: dt.date, days: int) -> bool:
    """Sent, still unanswered, and the answer was due before today."""
    return status == SENT and sent_on is not None and response_due(sent_on, days=days) < today


def sent_before_for_overdue(today: dt.date, *, days: int) -> dt.date:
    """Referrals sent before this day and still unanswered are overdue (the query's bound)."""
    return today - dt.timedelta(days=days)


# ---- the provider link ---------------------------------------------------------------------

LINK_OK = "ok"
LINK_EXPIRED = "expired"
LINK_REVOKED = "revoked"
LINK_CLOSED = "closed"  # the referral was withdrawn or is still a draft


def link_state(
    *, expires_at: dt.datetime, revoked_at: dt.datetime | None, status: str, now: dt.datetime
) -> str:
    """Whether a provider link may be used now. A withdrawn referral closes its links whatever
    their dates; the other final states keep the page readable (the provider sees the outcome)."""
    if revoked_at is not None:
        return LINK_REVOKED
    if status in (WITHDRAWN, DRAFT):
        return LINK_CLOSED
    if now >= expires_at:
        return LINK_EXPIRED
    return LINK_OK


# ---- consent to share ----------------------------------------------------------------------

NAME = "name"
PHONE = "phone"
EMAIL = "email"
LANGUAGE = "language"
ADDRESS = "address"
REASON = "reason"
GOAL = "goal"
SHAREABLE = (NAME, PHONE, EMAIL, LANGUAGE, ADDRESS, REASON, GOAL)
SIGNED = "signed"
VERBAL = "verbal"
CONSENT_WAYS = (SIGNED, VERBAL)
NOTHING_CHOSEN = gettext_noop("Choose at least one thing the parent agreed to share.")
WITNESS_NEEDED = gettext_noop("Name the witness of the parent's spoken consent.")


def consent_problems(*, fields: Iterable[str], how: str, witness: str) -> dict[str, str]:
    """Field name -> message for a consent that cannot be recorded as given."""
    problems: dict[str, str] = {}
    chosen = set(fields)
    if not chosen or chosen - set(SHAREABLE):
        problems["fields"] = NOTHING_CHOSEN
    if how not in CONSENT_WAYS:
        problems["how"] = UNKNOWN_ACTION
    elif how == VERBAL and not witness.strip():
        problems["witness"] = WITNESS_NEEDED
    return problems


def shared(consented: Iterable[str] | None) -> frozenset[str]:
    """What the provider may see: the fields of the consent in force (none once revoked)."""
    return frozenset(consented or ()) & frozenset(SHAREABLE)


# ---- barriers ------------------------------------------------------------------------------

BARRIER_KINDS = ("transport", "childcare", "cost", "language", "waitlist", "schedule", "other")


@dataclass(frozen=True)
class BarrierRow:
    kind: str
    service: str
    resolved: bool


@dataclass(frozen=True)
class KindCount:
    kind: str
    open: int
    resolved: int

    @property
    def total(self) -> int:
        return self.open + self.resolved


@dataclass(frozen=True)
class ServiceCount:
    service: str
    total: int
    open: int
    kinds: tuple[tuple[str, int], ...]  # most frequent first


@dataclass(frozen=True)
class BarrierSummary:
    by_kind: tuple[KindCount, ...]
    by_service: tuple[ServiceCount, ...]
    open: int
    resolved: int


def barrier_summary(rows: Iterable[BarrierRow], *, top: int = 10) -> BarrierSummary:
    """Barriers by kind (every kind, in BARRIER_KINDS order) and the `top` services with the
    most barriers (ties by name): the services families cannot reach."""
    open_by_kind: Counter[str] = Counter()
    resolved_by_kind: Counter[str] = Counter()
    per_service: dict[str, Counter[str]] = {}
    open_per_service: Counter[str] = Counter()
    for row in rows:
        (resolved_by_kind if row.resolved else open_by_kind)[row.kind] += 1
        per_service.setdefault(row.service, Counter())[row.kind] += 1
        if not row.resolved:
            open_per_service[row.service] += 1
    by_kind = tuple(
        KindCount(kind, open_by_kind[kind], resolved_by_kind[kind]) for kind in BARRIER_KINDS
    )
    ranked = sorted(per_service.items(), key=lambda item: (-sum(item[1].values()), item[0]))
    by_service = tuple(
        ServiceCount(
            service=name,
            total=sum(kinds.values()),
            open=open_per_service[name],
            kinds=tuple(sorted(kinds.items(), key=lambda kv: (-kv[1], kv[0]))),
        )
        for name, kinds in ranked[:top]
    )
    return BarrierSummary(
        by_kind=by_kind,
        by_service=by_service,
        open=sum(open_by_kind.values()),
        resolved=sum(resolved_by_kind.values()),
    )
