"""Mapping a directory's taxonomy terms to Reunify's need categories (pure)."""

import pytest

from reunify.services import categories


@pytest.mark.parametrize(
    ("name", "code", "expected"),
    [
        ("Substance Abuse Treatment", "", "substance_use"),
        ("PARENTING EDUCATION", "", "parenting"),
        ("Anything", "housing", "housing"),  # a code equal to a category key
        ("Food Pantries", "BD-1800.2000", "concrete_supports"),  # AIRS prefix
        ("Some Service", "RX-8450", "substance_use"),
        ("Walk-in Legal Clinic for Tenants", "", "legal_aid"),  # keyword in the name
        ("Intimate Partner Violence", "", "domestic_violence"),
        ("Child care services", "", "child_care"),
        ("Pet grooming", "", None),
        ("Pet grooming", "PG-1000", None),  # AIRS-shaped, unknown prefix
    ],
)
def test_category_for_term(name, code, expected):
    assert categories.category_for_term(name=name, code=code) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("concrete_supports", "concrete_supports"),
        ("Mental health", "mental_health"),
        ("  legal-aid ", "legal_aid"),
        ("transport", "concrete_supports"),
        ("astrology", None),
    ],
)
def test_category_column_values(value, expected):
    assert categories.category_for_key(value) == expected


def test_every_category_has_a_unique_key_and_label():
    assert len(categories.KEYS) == len(set(categories.KEYS)) == 11
    assert len({c.label for c in categories.CATEGORIES}) == 11
