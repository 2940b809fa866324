"""Reading a CSV of families to open as cases (`reunify import-cases`): pure rules, no Django.

One row per person; the rows of one family share a `case_ref` (the agency's own reference, kept
only to group rows and to name the case in messages). Columns, by header name (order free):

    case_ref, case_name, opened_on, role, first_name, middle_name, last_name, date_of_birth,
    sex, primary_language, phone, email

- `role`: child, parent (custodial biological parent), or relative; every case needs a child.
- `case_name` and `opened_on` (YYYY-MM-DD) are read from the family's first row; later rows may
  leave them empty or repeat them, but may not contradict them.
- `sex`: female, male or unknown (F / M / U accepted); empty means unknown.
- `middle_name`, `date_of_birth`, `primary_language`, `phone`, `email` may be empty.

Every problem is reported with its line (the header is line 1) and field; a file with problems
opens nothing. What the services refuse (a date in the future, a field too long) is found by a
dry run, which runs the real writes and rolls them back.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass, field

REQUIRED = ("case_ref", "case_name", "opened_on", "role", "first_name", "last_name")
OPTIONAL = ("middle_name", "date_of_birth", "sex", "primary_language", "phone", "email")
COLUMNS = REQUIRED + OPTIONAL
ROLES = ("child", "parent", "relative")
SEXES = {"female": "female", "f": "female", "male": "male", "m": "male", "unknown": "unknown",
         "u": "unknown", "": "unknown"}  # fmt: skip
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
MAX_ROWS = 50_000
# PostgreSQL cannot store NUL in text; other control characters have no place in a name.
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@dataclass(frozen=True)
class Problem:
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        return (
            f"line {self.line}: {self.field}: {self.message}"
            if self.field
            else (f"line {self.line}: {self.message}")
        )


@dataclass(frozen=True)
class PersonRow:
    line: int
    role: str
    first_name: str
    last_name: str
    middle_name: str = ""
    date_of_birth: dt.date | None = None
    sex: str = "unknown"
    primary_language: str = ""
    phone: str = ""
    email: str = ""


@dataclass
class CaseRows:
    ref: str
    name: str
    opened_on: dt.date | None
    line: int  # the family's first row
    people: list[PersonRow] = field(default_factory=list)


@dataclass
class Plan:
    cases: list[CaseRows]
    problems: list[Problem]
    rows: int


def _date(text: str) -> dt.date:
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        raise ValueError("not a date (YYYY-MM-DD)")
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise ValueError("not a real date") from None


def read(text: str) -> Plan:
    """Parse and check the file's text; `Plan.problems` lists everything wrong with it."""
    problems: list[Problem] = []
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = [h.strip() for h in (reader.fieldnames or [])]
    missing = [c for c in REQUIRED if c not in header]
    unknown = [c for c in header if c not in COLUMNS]
    if not header:
        return Plan([], [Problem(1, "", "the file is empty")], 0)
    if missing:
        problems.append(Problem(1, "", f"missing columns: {', '.join(missing)}"))
    if unknown:
        problems.append(Problem(1, "", f"unknown columns: {', '.join(unknown)}"))
    if problems:
        return Plan([], problems, 0)
    reader.fieldnames = header
    cases: dict[str, CaseRows] = {}
    rows = 0
    for rows, raw in enumerate(reader, start=1):
        line = reader.line_num
        if rows > MAX_ROWS:
            problems.append(Problem(line, "", f"more than {MAX_ROWS} rows: split the file"))
            break
        if None in raw:
            problems.append(Problem(line, "", "more values than columns"))
            continue
        values = {k: (v or "").strip() for k, v in raw.items()}
        bad = [k for k, v in values.items() if CONTROL.search(v)]
        for name in bad:
            problems.append(Problem(line, name, "contains control characters"))
        for name in REQUIRED:
            if not values.get(name) and not (
                name in ("case_name", "opened_on") and values.get("case_ref") in cases
            ):
                problems.append(Problem(line, name, "required"))
        ref = values["case_ref"]
        opened_on = None
        if values.get("opened_on"):
            try:
                opened_on = _date(values["opened_on"])
            except ValueError as error:
                problems.append(Problem(line, "opened_on", str(error)))
        family = cases.get(ref)
        if ref and family is None:
            family = cases[ref] = CaseRows(ref, values["case_name"], opened_on, line)
        elif family is not None:
            if values["case_name"] and values["case_name"] != family.name:
                problems.append(Problem(line, "case_name", f"differs from line {family.line}"))
            if opened_on and family.opened_on and opened_on != family.opened_on:
                problems.append(Problem(line, "opened_on", f"differs from line {family.line}"))
        role = values["role"].lower()
        if role and role not in ROLES:
            problems.append(Problem(line, "role", f"must be one of {', '.join(ROLES)}"))
        born = None
        if values.get("date_of_birth"):
            try:
                born = _date(values["date_of_birth"])
            except ValueError as error:
                problems.append(Problem(line, "date_of_birth", str(error)))
        sex = SEXES.get(values.get("sex", "").lower())
        if sex is None:
            problems.append(Problem(line, "sex", "must be female, male or unknown"))
        email = values.get("email", "")
        if email and not EMAIL.match(email):
            problems.append(Problem(line, "email", "not an e-mail address"))
        if family is not None and role in ROLES:
            family.people.append(
                PersonRow(
                    line=line,
                    role=role,
                    first_name=values["first_name"],
                    last_name=values["last_name"],
                    middle_name=values.get("middle_name", ""),
                    date_of_birth=born,
                    sex=sex or "unknown",
                    primary_language=values.get("primary_language", ""),
                    phone=values.get("phone", ""),
                    email=email,
                )
            )
    if rows == 0:
        problems.append(Problem(2, "", "no rows"))
    for family in cases.values():
        if not any(p.role == "child" for p in family.people):
            problems.append(Problem(family.line, "role", f"case {family.ref} has no child"))
    problems.sort(key=lambda p: (p.line, p.field))
    return Plan(list(cases.values()), problems, rows)
