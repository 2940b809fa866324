"""The groups outcomes are broken down by."""

from __future__ import annotations

from datetime import date

import pytest

from reunify.outcomes import groups


@pytest.mark.parametrize(
    ("born", "removed", "expected"),
    [
        (date(2024, 3, 1), date(2025, 2, 28), groups.AGE_UNDER_1),
        (date(2024, 3, 1), date(2025, 3, 1), groups.AGE_1_5),  # first birthday
        (date(2019, 3, 1), date(2025, 2, 28), groups.AGE_1_5),  # 5, a day short of 6
        (date(2019, 3, 1), date(2025, 3, 1), groups.AGE_6_12),
        (date(2012, 3, 2), date(2025, 3, 1), groups.AGE_6_12),
        (date(2012, 3, 1), date(2025, 3, 1), groups.AGE_13_17),
        (date(2007, 3, 2), date(2025, 3, 1), groups.AGE_13_17),
        (date(2007, 3, 1), date(2025, 3, 1), groups.AGE_18_PLUS),
        (date(2008, 2, 29), date(2026, 2, 28), groups.AGE_18_PLUS),  # leap-day birthday
        (None, date(2025, 3, 1), groups.UNKNOWN),
        (date(2026, 1, 1), date(2025, 3, 1), groups.UNKNOWN),  # born after the removal
    ],
)
def test_age_group(born, removed, expected):
    assert groups.age_group(date_of_birth=born, on=removed) == expected


@pytest.mark.parametrize(
    ("hispanic", "races", "expected"),
    [
        ("yes", ["black", "white"], groups.HISPANIC),  # Hispanic first
        ("yes", [], groups.HISPANIC),
        ("no", ["black", "white"], groups.TWO_OR_MORE),  # then two or more races
        ("unknown", ["asian", "white", "unknown"], groups.TWO_OR_MORE),
        ("no", ["black"], "black"),  # then the single race
        ("declined", ["white", "declined"], "white"),
        ("unknown", ["american_indian"], "american_indian"),
        ("no", ["unknown"], groups.UNKNOWN),
        ("declined", [], groups.UNKNOWN),
    ],
)
def test_race_ethnicity_group(hispanic, races, expected):
    assert groups.race_ethnicity_group(hispanic_ethnicity=hispanic, races=races) == expected


@pytest.mark.parametrize(
    ("setting", "kinship", "expected"),
    [
        ("foster_family_relative", False, groups.KIN),
        ("foster_family_nonrelative", False, groups.NON_RELATIVE),
        ("foster_family_nonrelative", True, groups.KIN),  # a licensed kin home
        ("pre_adoptive_home", False, groups.NON_RELATIVE),
        ("group_home", False, groups.CONGREGATE),
        ("institution", True, groups.CONGREGATE),
        ("supervised_independent_living", False, groups.OTHER),
        ("trial_home_visit", False, groups.OTHER),
        (None, False, groups.UNKNOWN),
    ],
)
def test_placement_type(setting, kinship, expected):
    assert groups.placement_type(setting=setting, is_kinship=kinship) == expected


@pytest.mark.parametrize(
    ("miles", "expected"),
    [
        (0.0, groups.NEAR),
        (4.9, groups.NEAR),
        (5.0, groups.MIDDLE),
        (24.9, groups.MIDDLE),
        (25.0, groups.FAR),
        (310.0, groups.FAR),
        (None, groups.UNKNOWN),
    ],
)
def test_distance_band(miles, expected):
    assert groups.distance_band(miles) == expected


def test_haversine_miles():
    # One degree of latitude is 69.1 miles on a sphere of radius 3958.76 miles
    assert groups.miles((38.0, -90.0), (39.0, -90.0)) == 69.1
    # Across a meridian at 60 degrees north a degree of longitude is half as long
    assert groups.miles((60.0, 10.0), (60.0, 11.0)) == pytest.approx(34.5, abs=0.1)
    assert groups.miles(None, (60.0, 11.0)) is None
    assert groups.miles((60.0, 11.0), None) is None


def test_labels_cover_every_group_and_order_puts_unknown_last():
    assert set(groups.LABELS) == set(groups.KEYS) == set(groups.TITLES)
    assert groups.ordered(groups.DISTANCE, ["unknown", "25_plus", "under_5"]) == [
        "under_5",
        "25_plus",
        "unknown",
    ]
    assert groups.ordered(groups.AGE, ["weird", "13_17", "under_1"]) == [
        "under_1",
        "13_17",
        "weird",
    ]
