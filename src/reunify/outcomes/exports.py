"""The dashboard's tables as files: CSV (for spreadsheets) and Parquet (for analysis tools).

A `Table` is a title, column names and rows of plain values (str, int, float, date, bool, None).
CSV text cells that a spreadsheet would read as a formula (starting with = + - @, or a tab or
carriage return) are written with a leading apostrophe (OWASP "CSV injection"); numbers are
written as numbers. Parquet keeps the values and their types as they are.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import pyarrow as pa  # type: ignore[import-untyped]
import pyarrow.parquet as pq  # type: ignore[import-untyped]

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CSV_TYPE = "text/csv; charset=utf-8"
PARQUET_TYPE = "application/vnd.apache.parquet"

Value = str | int | float | date | bool | None


@dataclass(frozen=True)
class Table:
    name: str  # file name without extension, e.g. "outcomes-indicators-2024-01-01"
    columns: tuple[str, ...]
    rows: Sequence[Sequence[Value]]


def neutralise(value: Value) -> Value:
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def to_csv(table: Table) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([neutralise(c) for c in table.columns])
    for row in table.rows:
        writer.writerow(["" if v is None else neutralise(v) for v in row])
    return buffer.getvalue().encode("utf-8")


def _column_type(values: list[Value]) -> pa.DataType:
    kinds = {type(v) for v in values if v is not None}
    if kinds <= {bool} and kinds:
        return pa.bool_()
    if kinds <= {int} and kinds:
        return pa.int64()
    if kinds <= {int, float} and kinds:
        return pa.float64()
    if kinds <= {date} and kinds:
        return pa.date32()
    return pa.string()


def to_parquet(table: Table) -> bytes:
    columns: dict[str, pa.Array] = {}
    for index, name in enumerate(table.columns):
        values = [row[index] for row in table.rows]
        kind = _column_type(values)
        if kind == pa.string():
            values = [None if v is None else str(v) for v in values]
        elif kind == pa.float64():
            values = [None if v is None else float(v) for v in values]  # type: ignore[arg-type]
        columns[name] = pa.array(values, type=kind)
    schema = pa.schema([(name, array.type) for name, array in columns.items()])
    arrow = pa.Table.from_arrays(list(columns.values()), schema=schema)
    buffer = io.BytesIO()
    pq.write_table(arrow, buffer)
    return buffer.getvalue()
