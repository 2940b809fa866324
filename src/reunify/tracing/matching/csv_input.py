"""Reading children.csv and requests.csv (the tracing exchange format) into records.

Malformed rows are reported as ``file:line: field: message`` and skipped; a file that cannot be
read at all (missing, not UTF-8, no header, required columns absent) raises
:class:`CsvFileError`. Formats (issue 9): ``other_names`` are ``;``-separated; places are
``country;region;district;village`` with parts possibly empty; dates are ``YYYY-MM-DD``,
``YYYY-MM`` or empty; sex is ``M``, ``F`` or ``U``.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from reunify.tracing.matching.records import PartialDate, TracingRecord

CHILDREN_COLUMNS: tuple[str, ...] = (
    "child_id",
    "given_name",
    "family_name",
    "other_names",
    "sex",
    "date_of_birth",
    "age_estimate",
    "registration_date",
    "place_of_origin",
    "place_of_separation",
    "date_of_separation",
    "father_name",
    "mother_name",
    "caregiver_name",
    "language",
    "nationality",
)
REQUESTS_COLUMNS: tuple[str, ...] = (
    "request_id",
    "requester_name",
    "requester_relationship",
    "sought_given_name",
    "sought_family_name",
    "sought_other_names",
    "sought_sex",
    "sought_date_of_birth",
    "sought_age_at_separation",
    "date_of_separation",
    "place_of_separation",
    "place_of_origin",
    "father_name",
    "mother_name",
    "request_date",
    "language",
    "nationality",
)
MAX_AGE = 30
PLACE_DEPTH = 4


class CsvFileError(Exception):
    """The file as a whole cannot be read."""


class _RowError(Exception):
    def __init__(self, column: str, message: str) -> None:
        super().__init__(message)
        self.column = column
        self.message = message


@dataclass
class CsvResult:
    records: list[TracingRecord] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # "file:line: field: message"
    # requests only: request_id of each sought-child record (record_id -> request_id)
    request_of: dict[str, str] = field(default_factory=dict)


def _rows(path: Path, columns: Sequence[str]) -> Iterator[tuple[int, dict[str, str] | str]]:
    """(line, row) for each data row, or (line, message) for a row with the wrong shape."""
    try:
        handle = path.open(encoding="utf-8-sig", newline="")
    except OSError as error:
        raise CsvFileError(f"{path}: cannot open: {error.strerror or error}") from error
    with handle:
        reader = csv.reader(handle)
        try:
            header = next(reader, None)
        except UnicodeDecodeError as error:
            raise CsvFileError(f"{path}: not UTF-8 text: {error}") from error
        except csv.Error as error:
            raise CsvFileError(f"{path}: cannot read the header: {error}") from error
        if header is None:
            raise CsvFileError(f"{path}: the file is empty (expected a header row)")
        header = [name.strip() for name in header]
        missing = [name for name in columns if name not in header]
        if missing:
            if columns[0] not in header:
                raise CsvFileError(
                    f"{path}:1: no header row with the columns {', '.join(columns)} "
                    f"(missing: {', '.join(missing)})"
                )
            raise CsvFileError(f"{path}:1: missing columns: {', '.join(missing)}")
        line = reader.line_num
        while True:
            start = line + 1
            try:
                values = next(reader)
            except StopIteration:
                return
            except UnicodeDecodeError as error:
                raise CsvFileError(f"{path}:{start}: not UTF-8 text: {error}") from error
            except csv.Error as error:
                line = reader.line_num
                yield start, f"row: {error}"
                continue
            line = reader.line_num
            if not any(value.strip() for value in values):
                continue
            if len(values) != len(header):
                yield start, f"row: expected {len(header)} fields, found {len(values)}"
                continue
            yield start, dict(zip(header, values, strict=True))


def _text(row: dict[str, str], column: str) -> str:
    return row.get(column, "").strip()


def _names(row: dict[str, str], column: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in _text(row, column).split(";") if part.strip())


def _place(row: dict[str, str], column: str) -> tuple[str, ...]:
    text = _text(row, column)
    if not text:
        return ()
    parts = [part.strip() for part in text.split(";")]
    if len(parts) > PLACE_DEPTH:
        raise _RowError(
            column, f"expected at most {PLACE_DEPTH} parts (country;region;district;village)"
        )
    if not any(parts):
        return ()
    return tuple(parts + [""] * (PLACE_DEPTH - len(parts)))


def _sex(row: dict[str, str], column: str) -> str:
    text = _text(row, column).upper()
    if text == "":
        return "U"
    if text not in ("M", "F", "U"):
        raise _RowError(column, f"expected M, F or U, not {_text(row, column)!r}")
    return text


def _partial_date(row: dict[str, str], column: str) -> PartialDate | None:
    try:
        return PartialDate.parse(_text(row, column))
    except ValueError as error:
        raise _RowError(column, str(error)) from error


def _as_date(value: PartialDate | None) -> date | None:
    """The middle of the period a partial date stands for (for ages at that date)."""
    if value is None:
        return None
    if value.month is None:
        return date(value.year, 7, 1)
    return date(value.year, value.month, value.day or 15)


def _age(row: dict[str, str], column: str) -> int | None:
    text = _text(row, column)
    if not text:
        return None
    try:
        number = float(text)
    except ValueError as error:
        raise _RowError(column, f"not a number: {text!r}") from error
    if number != number or number < 0 or number > MAX_AGE:
        raise _RowError(column, f"expected an age in years from 0 to {MAX_AGE}, not {text!r}")
    return int(number)


def _child(row: dict[str, str]) -> TracingRecord:
    child_id = _text(row, "child_id")
    if not child_id:
        raise _RowError("child_id", "missing")
    registration = _partial_date(row, "registration_date")
    return TracingRecord(
        record_id=child_id,
        given_name=_text(row, "given_name"),
        family_name=_text(row, "family_name"),
        other_names=_names(row, "other_names"),
        sex=_sex(row, "sex"),
        date_of_birth=_partial_date(row, "date_of_birth"),
        age_estimate=_age(row, "age_estimate"),
        reference_date=_as_date(registration),
        place_of_origin=_place(row, "place_of_origin"),
        place_of_separation=_place(row, "place_of_separation"),
        date_of_separation=_partial_date(row, "date_of_separation"),
        father_name=_text(row, "father_name"),
        mother_name=_text(row, "mother_name"),
        caregiver_name=_text(row, "caregiver_name"),
        language=_text(row, "language"),
        nationality=_text(row, "nationality"),
    )


def _request(row: dict[str, str], record_id: str) -> TracingRecord:
    separation = _partial_date(row, "date_of_separation")
    request_date = _partial_date(row, "request_date")
    return TracingRecord(
        record_id=record_id,
        given_name=_text(row, "sought_given_name"),
        family_name=_text(row, "sought_family_name"),
        other_names=_names(row, "sought_other_names"),
        sex=_sex(row, "sought_sex"),
        date_of_birth=_partial_date(row, "sought_date_of_birth"),
        age_estimate=_age(row, "sought_age_at_separation"),
        reference_date=_as_date(separation) or _as_date(request_date),
        place_of_origin=_place(row, "place_of_origin"),
        place_of_separation=_place(row, "place_of_separation"),
        date_of_separation=separation,
        father_name=_text(row, "father_name"),
        mother_name=_text(row, "mother_name"),
        requester_name=_text(row, "requester_name"),
        requester_relationship=_text(row, "requester_relationship"),
        language=_text(row, "language"),
        nationality=_text(row, "nationality"),
    )


def read_children(path: str | Path) -> CsvResult:
    """Registered children, one per row; rows with errors are reported and skipped."""
    path = Path(path)
    result = CsvResult()
    seen: set[str] = set()
    for line, row in _rows(path, CHILDREN_COLUMNS):
        if isinstance(row, str):
            result.errors.append(f"{path}:{line}: {row}")
            continue
        try:
            record = _child(row)
        except _RowError as error:
            result.errors.append(f"{path}:{line}: {error.column}: {error.message}")
            continue
        if record.record_id in seen:
            result.errors.append(f"{path}:{line}: child_id: duplicate {record.record_id!r}")
            continue
        seen.add(record.record_id)
        result.records.append(record)
    return result


def read_requests(path: str | Path) -> CsvResult:
    """Sought children, one per row (record_id ``<request_id>#<n>``; ``request_of`` maps back)."""
    path = Path(path)
    result = CsvResult()
    counts: dict[str, int] = {}
    for line, row in _rows(path, REQUESTS_COLUMNS):
        if isinstance(row, str):
            result.errors.append(f"{path}:{line}: {row}")
            continue
        request_id = _text(row, "request_id")
        if not request_id:
            result.errors.append(f"{path}:{line}: request_id: missing")
            continue
        number = counts.get(request_id, 0) + 1
        record_id = f"{request_id}#{number}"
        try:
            record = _request(row, record_id)
        except _RowError as error:
            result.errors.append(f"{path}:{line}: {error.column}: {error.message}")
            continue
        counts[request_id] = number
        result.records.append(record)
        result.request_of[record_id] = request_id
    return result
