"""Value types of the tracing matcher: records as compared, and the evidence of a comparison.

Pure module (no Django). The Django app and the CSV reader both convert their rows into
:class:`TracingRecord`; everything else in :mod:`reunify.tracing.matching` works on these.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

_PARTIAL_DATE = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$")


@dataclass(frozen=True)
class PartialDate:
    """A date known to the day ("YYYY-MM-DD"), to the month ("YYYY-MM") or to the year ("YYYY")."""

    year: int
    month: int | None = None
    day: int | None = None

    @classmethod
    def parse(cls, text: str) -> PartialDate | None:
        """Parse an ISO date or month; "" gives None and anything malformed raises ValueError."""
        text = text.strip()
        if not text:
            return None
        found = _PARTIAL_DATE.match(text)
        if found is None:
            raise ValueError(f"not a date (YYYY-MM-DD or YYYY-MM): {text!r}")
        year = int(found.group(1))
        month = int(found.group(2)) if found.group(2) else None
        day = int(found.group(3)) if found.group(3) else None
        if year < 1900 or year > 2200:
            raise ValueError(f"year out of range: {text!r}")
        if month is not None and not 1 <= month <= 12:
            raise ValueError(f"month out of range: {text!r}")
        if day is not None and month is not None:
            date(year, month, day)  # raises ValueError for 2021-02-30
        return cls(year, month, day)

    def iso(self) -> str:
        if self.month is None:
            return f"{self.year:04d}"
        if self.day is None:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"

    def months(self) -> float:
        """Months since year 0, at the middle of the known period (for date distances)."""
        if self.month is None:
            return self.year * 12 + 6.0
        if self.day is None:
            return self.year * 12 + self.month - 1 + 0.5
        return self.year * 12 + self.month - 1 + (self.day - 0.5) / 31.0

    def uncertainty_months(self) -> float:
        """Half the width of the period the date stands for, in months."""
        if self.month is None:
            return 6.0
        if self.day is None:
            return 0.5
        return 0.0

    @classmethod
    def from_date(cls, value: date) -> PartialDate:
        return cls(value.year, value.month, value.day)


@dataclass(frozen=True)
class TracingRecord:
    """One registered child, or one child sought by a tracing request."""

    record_id: str
    given_name: str = ""
    family_name: str = ""
    other_names: tuple[str, ...] = ()
    sex: str = "U"
    date_of_birth: PartialDate | None = None
    age_estimate: int | None = None
    reference_date: date | None = None
    place_of_origin: tuple[str, ...] = ()
    place_of_separation: tuple[str, ...] = ()
    date_of_separation: PartialDate | None = None
    father_name: str = ""
    mother_name: str = ""
    caregiver_name: str = ""
    requester_name: str = ""
    requester_relationship: str = ""
    language: str = ""
    nationality: str = ""


@dataclass(frozen=True)
class FieldEvidence:
    """One comparison's contribution to a match (a Fellegi-Sunter level and its log2 weight)."""

    field: str
    level: str
    weight: float
    detail: str


@dataclass(frozen=True)
class Match:
    """A scored (request, child) pair with its explanation."""

    request_id: str
    child_id: str
    probability: float
    weight: float
    evidence: tuple[FieldEvidence, ...]
