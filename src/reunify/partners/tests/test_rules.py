"""The participation's states and steps (pure)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reunify.partners import rules


@pytest.mark.parametrize(
    ("status", "steps"),
    [
        (rules.REFERRED, (rules.OFFER, rules.CLOSE)),
        (rules.OFFERED, (rules.ACCEPT, rules.DECLINE, rules.CLOSE)),
        (rules.ACCEPTED, (rules.MATCH, rules.CLOSE)),
        (rules.ACTIVE, (rules.CLOSE,)),
        (rules.DECLINED, ()),
        (rules.CLOSED, ()),
    ],
)
def test_allowed_steps(status, steps):
    assert rules.allowed_steps(status) == steps


@given(st.lists(st.sampled_from(rules.STEPS), max_size=12))
def test_any_walk_stays_on_the_voluntary_path(steps):
    status, seen = rules.REFERRED, [rules.REFERRED]
    for step in steps:
        target = rules.next_status(status, step)
        if target is None:
            assert step not in rules.allowed_steps(status)
            continue
        status = target
        seen.append(status)
    # active only after accepted; nothing after a final state
    if rules.ACTIVE in seen:
        assert seen.index(rules.ACCEPTED) < seen.index(rules.ACTIVE)
    for final in rules.FINAL:
        if final in seen:
            assert seen[-1] == final
