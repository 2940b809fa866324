"""Ranking parent partners (mentors) for a parent. Pure; no Django.

DOMAIN.md "Parent partners": matching considers shared lived experience, language, area and the
mentor's open capacity (default 8 families). A mentor who is inactive or at capacity is never
ranked. The score is a sum of non-negative parts, so adding a shared experience, a shared
language or an open place never lowers it; the reasons say which parts counted, in order, for the
coordinator who confirms the match (the wording is the caller's: see `display.py`).

Weights: each shared lived experience 3; a shared language 4 (talking in one's own language
matters more than any single shared experience); the same ZIP code 3, else the same county 2;
each open place 1.
"""

from __future__ import annotations

from dataclasses import dataclass

SHARED_EXPERIENCE = 3
SHARED_LANGUAGE = 4
SAME_ZIP = 3
SAME_COUNTY = 2
OPEN_PLACE = 1


def _norm(text: str) -> str:
    return " ".join(text.split()).casefold()


@dataclass(frozen=True, slots=True)
class MentorFacts:
    mentor_id: int
    name: str
    experiences: frozenset[str]
    languages: frozenset[str]
    counties: frozenset[str]
    zip_codes: frozenset[str]
    capacity: int
    active_matches: int
    is_active: bool = True

    @property
    def open_places(self) -> int:
        return max(self.capacity - self.active_matches, 0)


@dataclass(frozen=True, slots=True)
class ParentFacts:
    experiences: frozenset[str]
    language: str = ""
    county: str = ""
    zip_code: str = ""


@dataclass(frozen=True, slots=True)
class Ranked:
    mentor_id: int
    name: str
    score: int
    shared_experiences: tuple[str, ...]
    language: str  # the shared language, or ""
    area: str  # "zip", "county" or ""
    open_places: int
    capacity: int


def available(mentor: MentorFacts) -> bool:
    return mentor.is_active and mentor.active_matches < mentor.capacity


def score(mentor: MentorFacts, parent: ParentFacts) -> Ranked:
    shared = tuple(sorted(mentor.experiences & parent.experiences))
    languages = {_norm(lang): lang for lang in mentor.languages}
    language = languages.get(_norm(parent.language), "") if parent.language.strip() else ""
    zips = {_norm(z) for z in mentor.zip_codes}
    counties = {_norm(c) for c in mentor.counties}
    if parent.zip_code.strip() and _norm(parent.zip_code) in zips:
        area = "zip"
    elif parent.county.strip() and _norm(parent.county) in counties:
        area = "county"
    else:
        area = ""
    total = (
        SHARED_EXPERIENCE * len(shared)
        + (SHARED_LANGUAGE if language else 0)
        + {"zip": SAME_ZIP, "county": SAME_COUNTY}.get(area, 0)
        + OPEN_PLACE * mentor.open_places
    )
    return Ranked(
        mentor_id=mentor.mentor_id,
        name=mentor.name,
        score=total,
        shared_experiences=shared,
        language=language,
        area=area,
        open_places=mentor.open_places,
        capacity=mentor.capacity,
    )


def rank(mentors: list[MentorFacts], parent: ParentFacts) -> list[Ranked]:
    """The available mentors, best first (ties: more open places, then name, then id)."""
    ranked = [score(m, parent) for m in mentors if available(m)]
    return sorted(ranked, key=lambda r: (-r.score, -r.open_places, r.name, r.mentor_id))
