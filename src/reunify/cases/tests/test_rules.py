"""The pure date and distance rules: tables for the cases that matter, properties for the rest."""

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reunify.cases import rules

D = dt.date
dates = st.dates(min_value=D(1990, 1, 1), max_value=D(2040, 12, 31))


@pytest.mark.parametrize(
    ("born", "on", "years"),
    [
        (D(2010, 5, 1), D(2026, 4, 30), 15),
        (D(2010, 5, 1), D(2026, 5, 1), 16),
        (D(2012, 2, 29), D(2026, 2, 28), 13),
        (D(2012, 2, 29), D(2026, 3, 1), 14),
    ],
)
def test_age_is_completed_years(born, on, years):
    assert rules.age_in_years(born=born, on=on) == years


@given(born=dates, days=st.integers(min_value=0, max_value=40000))
def test_age_never_decreases_with_time(born, days):
    on = born + dt.timedelta(days=days)
    later = on + dt.timedelta(days=1)
    assert 0 <= rules.age_in_years(born=born, on=on) <= rules.age_in_years(born=born, on=later)


def test_days_in_care_counts_to_discharge_or_today():
    assert (
        rules.days_in_care(removed_on=D(2026, 1, 1), discharged_on=None, today=D(2026, 1, 31)) == 30
    )
    assert (
        rules.days_in_care(
            removed_on=D(2026, 1, 1), discharged_on=D(2026, 1, 11), today=D(2026, 6, 1)
        )
        == 10
    )


def test_miles_between_known_distance():
    # St. Louis to Kansas City is about 238 miles as the crow flies.
    assert 230 < rules.miles_between(38.627, -90.199, 39.0997, -94.5786) < 245
    assert rules.miles_between(38.6, -90.2, 38.6, -90.2) == 0


@given(a=dates, b=dates, c=dates, d=dates)
def test_span_overlap_is_symmetric_and_matches_definition(a, b, c, d):
    first = rules.Span(min(a, b), max(a, b) if a != b else None)
    second = rules.Span(min(c, d), max(c, d) if c != d else None)
    assert first.overlaps(second) == second.overlaps(first)
    end1 = first.end or D.max
    end2 = second.end or D.max
    assert first.overlaps(second) == (first.start < end2 and second.start < end1)


def test_adjacent_placements_do_not_overlap():
    assert not rules.Span(D(2026, 1, 1), D(2026, 2, 1)).overlaps(rules.Span(D(2026, 2, 1), None))


TODAY = D(2026, 11, 1)


@pytest.mark.parametrize(
    ("kwargs", "problem"),
    [
        ({"start": D(2025, 12, 31)}, rules.PLACEMENT_BEFORE_REMOVAL),
        ({"start": D(2026, 3, 2), "discharged_on": D(2026, 3, 1)}, rules.PLACEMENT_AFTER_DISCHARGE),
        ({"start": D(2026, 2, 1), "end": D(2026, 1, 20)}, rules.PLACEMENT_END_BEFORE_START),
        ({"start": D(2026, 12, 1)}, rules.DATE_IN_FUTURE),
        (
            {"start": D(2026, 1, 15), "others": [rules.Span(D(2026, 1, 1), D(2026, 2, 1))]},
            rules.PLACEMENT_OVERLAP,
        ),
        ({"start": D(2026, 2, 1), "others": [rules.Span(D(2026, 1, 1), D(2026, 2, 1))]}, None),
    ],
)
def test_placement_problem(kwargs, problem):
    args = {
        "end": None,
        "removed_on": D(2026, 1, 1),
        "discharged_on": None,
        "others": [],
        "today": TODAY,
    } | kwargs
    assert rules.placement_problem(**args) == problem


@pytest.mark.parametrize(
    ("removed_on", "born", "problem"),
    [
        (D(2026, 1, 1), D(2020, 1, 1), None),
        (D(2019, 12, 31), D(2020, 1, 1), rules.REMOVAL_BEFORE_BIRTH),
        (D(2026, 11, 2), D(2020, 1, 1), rules.REMOVAL_IN_FUTURE),
        (D(2026, 1, 1), None, None),
    ],
)
def test_removal_date_problem(removed_on, born, problem):
    assert rules.removal_date_problem(removed_on=removed_on, born=born, today=TODAY) == problem


@pytest.mark.parametrize(
    ("discharged_on", "last_start", "problem"),
    [
        (D(2026, 5, 1), D(2026, 2, 1), None),
        (D(2025, 12, 1), None, rules.DISCHARGE_BEFORE_REMOVAL),
        (D(2026, 1, 15), D(2026, 2, 1), rules.DISCHARGE_BEFORE_PLACEMENT),
        (D(2026, 11, 5), None, rules.DATE_IN_FUTURE),
    ],
)
def test_discharge_problem(discharged_on, last_start, problem):
    assert (
        rules.discharge_problem(
            discharged_on=discharged_on,
            removed_on=D(2026, 1, 1),
            last_placement_start=last_start,
            today=TODAY,
        )
        == problem
    )


def test_trial_home_visits_runaway_and_respite_are_not_counted_as_placements():
    assert (
        rules.placement_count(
            ["foster_family_nonrelative", "trial_home_visit", "runaway", "respite", "group_home"]
        )
        == 2
    )
