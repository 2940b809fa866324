"""Short English explanations of a comparison's outcome, with the compared values."""

from __future__ import annotations

from reunify.tracing.matching.comparisons import Comparison, Level
from reunify.tracing.matching.features import Features
from reunify.tracing.matching.records import TracingRecord

_LABELS = {
    "given_name": "given name",
    "family_name": "family name",
    "birth": "date of birth or age",
    "sex": "sex",
    "place": "place",
    "separation_date": "date of separation",
    "parents": "parents' names",
}


def _birth(record: TracingRecord) -> str:
    if record.date_of_birth is not None:
        return f"born {record.date_of_birth.iso()}"
    if record.age_estimate is not None and record.reference_date is not None:
        return f"age {record.age_estimate} on {record.reference_date.isoformat()}"
    return ""


def _place(parts: tuple[str, ...]) -> str:
    return ", ".join(part.strip() for part in parts if part.strip())


def _places(record: TracingRecord) -> str:
    origin = _place(record.place_of_origin)
    separation = _place(record.place_of_separation)
    shown = []
    if origin:
        shown.append(f"from {origin}")
    if separation:
        shown.append(f"separated at {separation}")
    return "; ".join(shown)


def _parents(features: Features) -> str:
    record = features.record
    father = record.father_name.strip()
    mother = record.mother_name.strip()
    relationship = record.requester_relationship.strip().lower()
    if not father and relationship == "father":
        father = record.requester_name.strip()
    if not mother and relationship == "mother":
        mother = record.requester_name.strip()
    shown = []
    if father:
        shown.append(f"father {father}")
    if mother:
        shown.append(f"mother {mother}")
    return ", ".join(shown)


def _given(features: Features, with_others: bool) -> str:
    shown = features.given_display
    if with_others and features.other_display:
        shown = f"{shown} (also {features.other_display})" if shown else features.other_display
    return shown


def _value(field: str, level: Level, features: Features) -> str:
    record = features.record
    if field == "given_name":
        if level.key == "swapped":
            return f"{features.given_display} {record.family_name.strip()}".strip()
        return _given(features, with_others=level.key == "other_name")
    if field == "family_name":
        if level.key == "patronymic" and record.father_name.strip():
            return f"{record.family_name.strip()} (father {record.father_name.strip()})".strip()
        if level.key == "swapped":
            return f"{features.given_display} {record.family_name.strip()}".strip()
        return record.family_name.strip()
    if field == "birth":
        return _birth(record)
    if field == "sex":
        return features.sex or ""
    if field == "place":
        return _places(record)
    if field == "separation_date":
        value = record.date_of_separation
        return value.iso() if value is not None else ""
    return _parents(features)


def describe(comparison: Comparison, level: Level, request: Features, child: Features) -> str:
    """E.g. "Mohammed ~ Muhamad (transliteration)"; the request's value comes first."""
    label = _LABELS.get(comparison.field, comparison.field)
    requested = _value(comparison.field, level, request)
    registered = _value(comparison.field, level, child)
    if level.is_null:
        if not requested and not registered:
            return f"{label}: not known on either side"
        if not requested:
            return f"{label}: not known on the request (child: {registered})"
        if not registered:
            return f"{label}: not known on the child's record (request: {requested})"
        return f"{label}: {requested} / {registered} (no information)"
    if level.key == "exact" or (level.key == "agree" and requested == registered):
        return f"{label}: {requested} = {registered}"
    symbol = "vs" if level.key == "else" else "~"
    return f"{label}: {requested} {symbol} {registered} ({level.description})"
