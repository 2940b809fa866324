"""Opening cases from a CSV file (`reunify import-cases`): every family through
`services.case_open`, all in one transaction.

A dry run runs exactly the writes a real run would and rolls them back, so it reports what the
services refuse too (a date in the future, a field too long), each by line and field. A real run
is all-or-nothing: one problem anywhere and nothing is opened. The file's own format is read and
checked by the pure `import_rows`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction

from reunify.accounts.models import User
from reunify.cases import services
from reunify.cases.import_rows import CaseRows, PersonRow, Plan, Problem
from reunify.core import audit
from reunify.people.services import PersonInput


@dataclass(frozen=True)
class ImportResult:
    opened: list[str]  # case numbers (none are kept after a dry run or a refused run)
    problems: list[Problem]
    committed: bool


def _person(row: PersonRow) -> PersonInput:
    return PersonInput(
        first_name=row.first_name,
        last_name=row.last_name,
        middle_name=row.middle_name,
        date_of_birth=row.date_of_birth,
        sex=row.sex,
        primary_language=row.primary_language,
        phone=row.phone,
        email=row.email,
    )


def _problems(error: ValidationError, family: CaseRows, by_prefix: dict[str, int]) -> list[Problem]:
    """The service's errors on the lines they belong to ("children-0-date_of_birth" is the
    family's first child's row)."""
    if not hasattr(error, "error_dict"):
        return [Problem(family.line, "", message) for message in error.messages]
    found = []
    for name, errors in error.error_dict.items():
        line, field = family.line, name
        for prefix, row_line in by_prefix.items():
            if name.startswith(prefix):
                line, field = row_line, name[len(prefix) :]
        for message in ValidationError(errors).messages:
            found.append(Problem(line, field, message))
    return found


def cases_import(
    *, actor: User, plan: Plan, dry_run: bool, today: dt.date | None = None
) -> ImportResult:
    """Open every family of `plan`, assigned to `actor`; nothing stays unless every one opened
    and this is not a dry run."""
    if plan.problems:
        return ImportResult([], list(plan.problems), committed=False)
    opened: list[str] = []
    problems: list[Problem] = []
    with transaction.atomic():
        for family in plan.cases:
            children = [p for p in family.people if p.role == "child"]
            parents = [p for p in family.people if p.role == "parent"]
            others = [p for p in family.people if p.role == "relative"]
            by_prefix = {f"children-{i}-": p.line for i, p in enumerate(children)}
            by_prefix |= {f"parents-{i}-": p.line for i, p in enumerate(parents)}
            try:
                with transaction.atomic():  # a savepoint: the other families are still checked
                    case = services.case_open(
                        actor=actor,
                        name=family.name,
                        opened_on=family.opened_on or dt.date.min,
                        children=[services.ChildInput(person=_person(p)) for p in children],
                        parents=[services.ParentInput(person=_person(p)) for p in parents],
                        others=[services.OtherInput(person=_person(p)) for p in others],
                        today=today,
                    )
            except ValidationError as error:
                problems += _problems(error, family, by_prefix)
            else:
                opened.append(case.number)
        committed = not problems and not dry_run
        if committed:
            audit.record(
                actor=actor,
                action="cases.imported",
                agency_id=actor.agency_id,
                summary=f"Imported {len(opened)} cases from a file ({plan.rows} rows)",
            )
        else:
            transaction.set_rollback(True)
    problems.sort(key=lambda p: (p.line, p.field))
    return ImportResult(opened if committed else [], problems, committed)
