"""The referral's life as a table: which step follows which, who takes it, reasons, overdue,
links, consent and the barrier summary. No database."""

import datetime as dt

import pytest

from reunify.referrals import rules as r

NOW = dt.datetime(2026, 3, 2, 17, 0, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("status", "action", "expected"),
    [
        (r.DRAFT, r.SEND, r.SENT),
        (r.DRAFT, r.WITHDRAW, r.WITHDRAWN),
        (r.DRAFT, r.ACCEPT, None),
        (r.SENT, r.ACCEPT, r.ACCEPTED),
        (r.SENT, r.DECLINE, r.DECLINED),
        (r.SENT, r.START, None),
        (r.SENT, r.WITHDRAW, r.WITHDRAWN),
        (r.ACCEPTED, r.START, r.IN_SERVICE),
        (r.ACCEPTED, r.NOT_COMPLETE, r.NOT_COMPLETED),
        (r.ACCEPTED, r.COMPLETE, None),
        (r.ACCEPTED, r.DECLINE, None),
        (r.IN_SERVICE, r.COMPLETE, r.COMPLETED),
        (r.IN_SERVICE, r.NOT_COMPLETE, r.NOT_COMPLETED),
        (r.IN_SERVICE, r.WITHDRAW, r.WITHDRAWN),
        (r.IN_SERVICE, r.ACCEPT, None),
        (r.COMPLETED, r.WITHDRAW, None),
        (r.DECLINED, r.ACCEPT, None),
        (r.WITHDRAWN, r.SEND, None),
        (r.NOT_COMPLETED, r.START, None),
    ],
)
def test_next_status(status, action, expected):
    assert r.next_status(status, action) == expected


def test_final_states_have_no_way_out():
    assert not [key for key in r.TRANSITIONS if key[0] in r.FINAL]
    assert set(r.TRANSITIONS.values()) <= set(r.STATUSES)


def test_every_open_state_can_be_withdrawn():
    assert all((s, r.WITHDRAW) in r.TRANSITIONS for s in r.OPEN)


@pytest.mark.parametrize(
    ("status", "by", "expected"),
    [
        (r.DRAFT, r.WORKER, (r.SEND, r.WITHDRAW)),
        (r.DRAFT, r.PROVIDER, ()),
        (r.SENT, r.PROVIDER, (r.ACCEPT, r.DECLINE)),
        (r.SENT, r.WORKER, (r.ACCEPT, r.DECLINE, r.WITHDRAW)),
        (r.ACCEPTED, r.PROVIDER, (r.START, r.NOT_COMPLETE)),
        (r.IN_SERVICE, r.PROVIDER, (r.COMPLETE, r.NOT_COMPLETE)),
        (r.COMPLETED, r.WORKER, ()),
    ],
)
def test_actions_from(status, by, expected):
    assert r.actions_from(status, by=by) == expected


@pytest.mark.parametrize(
    ("status", "action", "by", "reason", "expected"),
    [
        (r.SENT, r.ACCEPT, r.PROVIDER, "", None),
        (r.SENT, r.DECLINE, r.PROVIDER, "", r.REASON_NEEDED),
        (r.SENT, r.DECLINE, r.PROVIDER, "   ", r.REASON_NEEDED),
        (r.SENT, r.DECLINE, r.PROVIDER, "Full", None),
        (r.SENT, r.DECLINE, r.PROVIDER, "x" * 501, r.REASON_TOO_LONG),
        (r.SENT, r.WITHDRAW, r.PROVIDER, "No", r.NOT_YOURS),
        (r.DRAFT, r.SEND, r.PROVIDER, "", r.NOT_YOURS),
        (r.SENT, r.WITHDRAW, r.WORKER, "", r.REASON_NEEDED),
        (r.IN_SERVICE, r.NOT_COMPLETE, r.WORKER, "", r.REASON_NEEDED),
        (r.DRAFT, r.START, r.WORKER, "", r.NOT_NOW),
        (r.COMPLETED, r.WITHDRAW, r.WORKER, "x", r.IS_FINAL),
        (r.SENT, "delete", r.WORKER, "", r.UNKNOWN_ACTION),
        (r.SENT, r.ACCEPT, "someone", "", r.UNKNOWN_ACTION),
    ],
)
def test_refusal(status, action, by, reason, expected):
    assert r.refusal(status=status, action=action, by=by, reason=reason) == expected


@pytest.mark.parametrize(
    ("status", "expected"),
    [(r.IN_SERVICE, None), (r.ACCEPTED, r.NO_ATTENDANCE_NOW), (r.COMPLETED, r.NO_ATTENDANCE_NOW)],
)
def test_attendance_only_in_service(status, expected):
    assert r.attendance_refusal(status) == expected


@pytest.mark.parametrize(
    ("status", "sent_on", "today", "expected"),
    [
        (r.SENT, dt.date(2026, 3, 1), dt.date(2026, 3, 8), False),  # due today
        (r.SENT, dt.date(2026, 3, 1), dt.date(2026, 3, 9), True),
        (r.ACCEPTED, dt.date(2026, 3, 1), dt.date(2026, 4, 9), False),
        (r.SENT, None, dt.date(2026, 4, 9), False),
    ],
)
def test_overdue(status, sent_on, today, expected):
    assert r.is_overdue(status=status, sent_on=sent_on, today=today, days=7) is expected
    if expected:
        assert sent_on < r.sent_before_for_overdue(today, days=7)


@pytest.mark.parametrize(
    ("expires", "revoked", "status", "expected"),
    [
        (NOW + dt.timedelta(days=1), None, r.SENT, r.LINK_OK),
        (NOW + dt.timedelta(days=1), None, r.COMPLETED, r.LINK_OK),
        (NOW, None, r.SENT, r.LINK_EXPIRED),
        (NOW + dt.timedelta(days=1), NOW, r.SENT, r.LINK_REVOKED),
        (NOW + dt.timedelta(days=1), None, r.WITHDRAWN, r.LINK_CLOSED),
        (NOW + dt.timedelta(days=1), None, r.DRAFT, r.LINK_CLOSED),
    ],
)
def test_link_state(expires, revoked, status, expected):
    assert r.link_state(expires_at=expires, revoked_at=revoked, status=status, now=NOW) == expected


@pytest.mark.parametrize(
    ("fields", "how", "witness", "expected"),
    [
        ([r.NAME], r.SIGNED, "", {}),
        ([], r.SIGNED, "", {"fields": r.NOTHING_CHOSEN}),
        (["placement"], r.SIGNED, "", {"fields": r.NOTHING_CHOSEN}),
        ([r.NAME], r.VERBAL, " ", {"witness": r.WITNESS_NEEDED}),
        ([r.NAME], r.VERBAL, "Ms Lee", {}),
        ([r.NAME], "nod", "", {"how": r.UNKNOWN_ACTION}),
    ],
)
def test_consent_problems(fields, how, witness, expected):
    assert r.consent_problems(fields=fields, how=how, witness=witness) == expected


def test_shared_is_empty_without_consent():
    assert r.shared(None) == frozenset()
    assert r.shared([r.NAME, "placement"]) == {r.NAME}


def test_barrier_summary():
    rows = [
        r.BarrierRow("transport", "Parenting Circle", resolved=False),
        r.BarrierRow("transport", "Parenting Circle", resolved=True),
        r.BarrierRow("cost", "Parenting Circle", resolved=False),
        r.BarrierRow("waitlist", "Detox Center", resolved=False),
        r.BarrierRow("childcare", "Anger Class", resolved=False),
    ]

    summary = r.barrier_summary(rows, top=2)

    assert [k.kind for k in summary.by_kind] == list(r.BARRIER_KINDS)
    transport = summary.by_kind[0]
    assert (transport.open, transport.resolved, transport.total) == (1, 1, 2)
    assert [s.service for s in summary.by_service] == ["Parenting Circle", "Anger Class"]
    top = summary.by_service[0]
    assert (top.total, top.open, top.kinds) == (3, 2, (("transport", 2), ("cost", 1)))
    assert (summary.open, summary.resolved) == (4, 1)
