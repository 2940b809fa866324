"""The monthly visit rules, table-driven, with Hypothesis properties."""

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reunify.contacts.compliance import (
    Contact,
    Interval,
    Tally,
    child_compliance,
    full_months,
    meets,
    month_end,
    next_month,
)

D = dt.date
TODAY = D(2026, 11, 15)


def visit(on, *, seen="child", face=True, home=True, person=None):
    return Contact(on=on, seen=seen, face_to_face=face, in_residence=home, person_id=person)


@pytest.mark.parametrize(
    ("intervals", "months"),
    [
        # Removed on the 1st: that month is full.
        ([Interval(D(2026, 3, 1), D(2026, 6, 1))], [D(2026, 3, 1), D(2026, 4, 1), D(2026, 5, 1)]),
        # Removed on the 2nd, discharged on the 31st: first and last months are partial.
        ([Interval(D(2026, 3, 2), D(2026, 5, 31))], [D(2026, 4, 1)]),
        # Still in care: the current month is not over.
        ([Interval(D(2026, 9, 10))], [D(2026, 10, 1)]),
        # Within one month: nothing.
        ([Interval(D(2026, 2, 1), D(2026, 2, 20))], []),
        # Two episodes; the gap month (June) is partial in both.
        (
            [Interval(D(2026, 3, 15), D(2026, 6, 10)), Interval(D(2026, 6, 20), D(2026, 9, 1))],
            [D(2026, 4, 1), D(2026, 5, 1), D(2026, 7, 1), D(2026, 8, 1)],
        ),
        # Across a year end.
        ([Interval(D(2025, 11, 30), D(2026, 2, 1))], [D(2025, 12, 1), D(2026, 1, 1)]),
    ],
)
def test_full_months(intervals, months):
    assert full_months(intervals, today=TODAY) == months


@pytest.mark.parametrize(
    ("contacts", "visited", "in_residence", "missed"),
    [
        ([], 0, 0, [D(2026, 4, 1), D(2026, 5, 1)]),
        ([visit(D(2026, 4, 3)), visit(D(2026, 5, 30))], 2, 2, []),
        # A month with only a phone call is not visited.
        ([visit(D(2026, 4, 3)), visit(D(2026, 5, 3), face=False)], 1, 1, [D(2026, 5, 1)]),
        # A visit in a partial month counts for nothing.
        ([visit(D(2026, 3, 20)), visit(D(2026, 6, 2))], 0, 0, [D(2026, 4, 1), D(2026, 5, 1)]),
        # Seeing only the mother is not a visit with the child.
        ([visit(D(2026, 4, 3), seen="mother", person=7)], 0, 0, [D(2026, 4, 1), D(2026, 5, 1)]),
        # Visited elsewhere, then at home in the same month: in the residence.
        ([visit(D(2026, 4, 3), home=False), visit(D(2026, 4, 9))], 1, 1, [D(2026, 5, 1)]),
        ([visit(D(2026, 4, 3), home=False), visit(D(2026, 5, 9), home=False)], 2, 0, []),
    ],
)
def test_monthly_visits(contacts, visited, in_residence, missed):
    result = child_compliance(
        intervals=[Interval(D(2026, 3, 10), D(2026, 6, 15))], contacts=contacts, today=TODAY
    )
    assert (result.tally.visited, result.tally.in_residence, result.missed) == (
        visited,
        in_residence,
        missed,
    )


@pytest.mark.parametrize(
    ("visited", "in_residence", "majority"),
    [(0, 0, None), (1, 1, True), (2, 1, False), (3, 2, True), (4, 2, False), (5, 3, True)],
)
def test_majority_rule(visited, in_residence, majority):
    assert (
        Tally(months=5, visited=visited, in_residence=in_residence).residence_majority is majority
    )


def test_rates_and_target():
    assert Tally(months=20, visited=19).visited_rate == 95.0
    assert Tally(months=20, visited=19).meets_target is True
    assert Tally(months=1000, visited=949).visited_rate == 94.9
    assert meets(1899, 2000, 95) is False  # 94.95% rounds to 95 but does not meet it
    assert Tally().visited_rate is None
    assert Tally().meets_target is None
    assert Tally(1, 1, 0) + Tally(2, 1, 1) == Tally(3, 2, 1)


def test_parents_per_month_and_period_window():
    contacts = [
        visit(D(2026, 4, 3), seen="mother", person=7),
        visit(D(2026, 5, 3), seen="mother", person=7),
        visit(D(2026, 5, 4), seen="father", person=8),
        visit(D(2026, 5, 5), seen="father", person=8, face=False),
        visit(D(2026, 4, 6), seen="resource_parents"),
    ]
    result = child_compliance(
        intervals=[Interval(D(2026, 3, 10), D(2026, 6, 15))], contacts=contacts, today=TODAY
    )
    assert [(m.mother_seen, m.father_seen) for m in result.months] == [(True, False), (True, True)]
    assert (result.parent_months(7), result.parent_months(8), result.parent_months(9)) == (2, 1, 0)
    window = child_compliance(
        intervals=[Interval(D(2026, 3, 10), D(2026, 6, 15))],
        contacts=contacts,
        today=TODAY,
        start=D(2026, 5, 20),
        end=D(2026, 5, 20),
    )
    assert [m.month for m in window.months] == [D(2026, 5, 1)]
    # The unit rates: months with each parent, only for a child whose case has that parent.
    assert result.tally == Tally(
        months=2, mother_months=2, mother_visited=2, father_months=2, father_visited=1
    )
    assert (result.tally.mother_rate, result.tally.father_rate) == (100.0, 50.0)
    no_father = child_compliance(
        intervals=[Interval(D(2026, 3, 10), D(2026, 6, 15))],
        contacts=contacts,
        today=TODAY,
        has_father=False,
    )
    assert (no_father.tally.father_months, no_father.tally.father_rate) == (0, None)
    assert (result.tally + no_father.tally).father_visited == 1


dates = st.dates(min_value=D(2020, 1, 1), max_value=D(2026, 11, 1))


@st.composite
def stays(draw):
    start = draw(dates)
    days = draw(st.integers(min_value=0, max_value=800))
    end = start + dt.timedelta(days=days)
    return Interval(start, None if end >= TODAY else end)


@given(st.lists(stays(), max_size=3))
def test_every_counted_month_is_wholly_inside_a_stay(intervals):
    for month in full_months(intervals, today=TODAY):
        assert month.day == 1
        assert any(i.start <= month and month_end(month) < (i.end or TODAY) for i in intervals)


@given(stays(), st.lists(st.tuples(dates, st.booleans(), st.booleans()), max_size=30))
def test_counts_are_consistent(interval, raw):
    contacts = [visit(on, face=face, home=home) for on, face, home in raw]
    result = child_compliance(intervals=[interval], contacts=contacts, today=TODAY)
    tally = result.tally
    assert 0 <= tally.in_residence <= tally.visited <= tally.months
    assert len(result.missed) == tally.months - tally.visited
    # Adding a phone call never changes anything.
    more = contacts + [visit(m, face=False) for m in result.missed]
    assert child_compliance(intervals=[interval], contacts=more, today=TODAY) == result
    # Visiting every missed month reaches 100%.
    done = contacts + [visit(next_month(m) - dt.timedelta(days=1)) for m in result.missed]
    assert child_compliance(intervals=[interval], contacts=done, today=TODAY).missed == []
