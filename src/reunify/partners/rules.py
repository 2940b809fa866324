"""The parent-partner participation's states and steps. Pure; no Django.

Participation is voluntary (DOMAIN.md "Parent partners"): a worker refers a parent, offers a
mentor, and the parent accepts or declines; when the coordinator confirms a match the
participation is active; it closes with a reason (from any state but declined, which is final).
"""

from __future__ import annotations

REFERRED = "referred"
OFFERED = "offered"
ACCEPTED = "accepted"
DECLINED = "declined"
ACTIVE = "active"
CLOSED = "closed"
STATUSES = (REFERRED, OFFERED, ACCEPTED, DECLINED, ACTIVE, CLOSED)
FINAL = frozenset({DECLINED, CLOSED})

OFFER = "offer"
ACCEPT = "accept"
DECLINE = "decline"
MATCH = "match"
CLOSE = "close"
STEPS = (OFFER, ACCEPT, DECLINE, MATCH, CLOSE)

# step -> (states it may start from, state it leads to)
TRANSITIONS: dict[str, tuple[frozenset[str], str]] = {
    OFFER: (frozenset({REFERRED}), OFFERED),
    ACCEPT: (frozenset({OFFERED}), ACCEPTED),
    DECLINE: (frozenset({OFFERED}), DECLINED),
    MATCH: (frozenset({ACCEPTED}), ACTIVE),
    CLOSE: (frozenset({REFERRED, OFFERED, ACCEPTED, ACTIVE}), CLOSED),
}


def next_status(status: str, step: str) -> str | None:
    """The state `step` leads to from `status`, or None when the step is not allowed there."""
    sources, target = TRANSITIONS[step]
    return target if status in sources else None


def allowed_steps(status: str) -> tuple[str, ...]:
    return tuple(step for step in STEPS if status in TRANSITIONS[step][0])
