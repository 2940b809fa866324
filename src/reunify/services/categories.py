"""Reunify's need categories, and how HSDS taxonomy terms map to them. Pure: no Django.

A directory classifies services with whatever taxonomy it uses (AIRS/211 LA, Open Eligibility, a
local list). Reunify searches by the needs a case plan names, so each imported taxonomy term is
mapped to at most one need category:

1. the term's code or name equals a category key or label, or one of its synonyms below
   (case-insensitive, punctuation and extra spaces ignored);
2. the term's code starts with an AIRS/211 LA prefix listed in `AIRS_PREFIXES`;
3. the term's name contains one of the category's keywords as whole words.

A services.csv `category` column (Reunify's extension) names categories directly by key, label
or synonym; docs/service-directory.md lists them."""

from __future__ import annotations

import re
from dataclasses import dataclass

from reunify.core.marks import gettext_noop


@dataclass(frozen=True)
class Category:
    key: str
    label: str
    synonyms: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()


CATEGORIES: tuple[Category, ...] = (
    Category(
        "substance_use",
        gettext_noop("Substance use treatment"),
        synonyms=(
            "substance use",
            "substance abuse",
            "substance abuse treatment",
            "substance use disorder treatment",
            "addiction treatment",
            "drug and alcohol treatment",
            "detoxification",
            "detox",
            "recovery support",
            "medication assisted treatment",
        ),
        keywords=("substance", "addiction", "detox", "alcohol", "opioid", "sobriety", "drug"),
    ),
    Category(
        "parenting",
        gettext_noop("Parenting"),
        synonyms=(
            "parenting education",
            "parenting skills",
            "parent education",
            "parenting classes",
            "family support",
            "home visiting",
        ),
        keywords=("parenting", "parent", "parents", "fatherhood", "motherhood"),
    ),
    Category(
        "housing",
        gettext_noop("Housing"),
        synonyms=(
            "housing assistance",
            "housing shelter",
            "shelter",
            "emergency shelter",
            "rental assistance",
            "homeless services",
            "transitional housing",
        ),
        keywords=("housing", "shelter", "rent", "rental", "homeless", "eviction"),
    ),
    Category(
        "mental_health",
        gettext_noop("Mental health"),
        synonyms=(
            "mental health care",
            "mental health services",
            "counseling",
            "counselling",
            "behavioral health",
            "psychiatric services",
            "therapy",
        ),
        keywords=("mental", "counseling", "counselling", "therapy", "psychiatric", "trauma"),
    ),
    Category(
        "domestic_violence",
        gettext_noop("Domestic violence"),
        synonyms=(
            "domestic violence services",
            "intimate partner violence",
            "family violence",
            "domestic abuse",
            "batterer intervention",
        ),
        keywords=("domestic", "violence", "abuse", "batterer", "batterers"),
    ),
    Category(
        "concrete_supports",
        gettext_noop("Concrete supports (food, utilities, transport, cash)"),
        synonyms=(
            "food",
            "food pantry",
            "food assistance",
            "utilities",
            "utility assistance",
            "transportation",
            "transport",
            "cash assistance",
            "emergency financial assistance",
            "material goods",
            "basic needs",
            "diapers",
        ),
        keywords=(
            "food",
            "pantry",
            "meals",
            "utility",
            "utilities",
            "transportation",
            "transport",
            "bus",
            "cash",
            "financial",
            "diapers",
            "clothing",
        ),
    ),
    Category(
        "employment",
        gettext_noop("Employment"),
        synonyms=("employment services", "job training", "job search", "workforce development"),
        keywords=("employment", "job", "jobs", "workforce", "career"),
    ),
    Category(
        "legal_aid",
        gettext_noop("Legal aid"),
        synonyms=("legal services", "legal assistance", "legal aid services"),
        keywords=("legal", "attorney", "lawyer", "court"),
    ),
    Category(
        "health_care",
        gettext_noop("Health care"),
        synonyms=("health", "medical care", "primary care", "health services", "dental care"),
        keywords=("health", "medical", "clinic", "dental", "prenatal"),
    ),
    Category(
        "child_care",
        gettext_noop("Child care"),
        synonyms=("childcare", "day care", "daycare", "child care services", "early head start"),
        keywords=("childcare", "daycare", "preschool"),
    ),
    Category(
        "education",
        gettext_noop("Education"),
        synonyms=("adult education", "ged", "literacy", "tutoring", "english as a second language"),
        keywords=("education", "ged", "literacy", "tutoring", "school", "esl"),
    ),
)

BY_KEY: dict[str, Category] = {c.key: c for c in CATEGORIES}
KEYS: tuple[str, ...] = tuple(c.key for c in CATEGORIES)

# AIRS/211 LA taxonomy code prefixes (the part before the first dot); longest prefix wins.
AIRS_PREFIXES: dict[str, str] = {
    "BD": "concrete_supports",  # food
    "BM": "concrete_supports",  # material goods
    "BT": "concrete_supports",  # transportation
    "BV": "concrete_supports",  # utilities
    "BH": "housing",  # housing/shelter
    "ND": "employment",  # employment
    "FT": "legal_aid",  # legal services
    "RX": "substance_use",  # substance use disorder services
    "L": "health_care",  # health care
    "H": "education",  # education
}

_SPACES = re.compile(r"[^a-z0-9]+")


def _normal(text: str) -> str:
    return _SPACES.sub(" ", text.lower()).strip()


def _exact_index() -> dict[str, str]:
    index: dict[str, str] = {}
    for category in CATEGORIES:
        for word in (category.key, category.label, *category.synonyms):
            index[_normal(word)] = category.key
    return index


_EXACT = _exact_index()


def category_for_key(value: str) -> str | None:
    """The category a `category` column value names (key, label or synonym), or None."""
    return _EXACT.get(_normal(value))


# An AIRS/211 LA code: one or two capital letters, then optionally -dddd and .dddd levels.
_AIRS_CODE = re.compile(r"^([A-Z]{1,2})(?:-\d{4}(?:\.\d{3,4})*(?:-\d{3})?)?$")


def category_for_term(*, name: str, code: str = "") -> str | None:
    """The need category of one taxonomy term, or None when it matches none."""
    for value in (code, name):
        if value and (found := _EXACT.get(_normal(value))):
            return found
    if match := _AIRS_CODE.match(code.strip()):
        prefix = match.group(1)
        found = AIRS_PREFIXES.get(prefix) or AIRS_PREFIXES.get(prefix[:1])
        if found:
            return found
    words = set(_normal(name).split())
    for category in CATEGORIES:
        if words & set(category.keywords):
            return category.key
    return None
