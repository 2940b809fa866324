"""`reunify import-cases`: the file's problems by line and field, a dry run that opens nothing
but finds what the services refuse, and a real run that is all or nothing."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from reunify.cases import import_rows
from reunify.cases.models import FamilyCase
from reunify.core.models import AuditEvent
from reunify.people.models import Person

HEADER = "case_ref,case_name,opened_on,role,first_name,middle_name,last_name,date_of_birth,sex,primary_language,phone,email\n"  # fmt: skip
GOOD = HEADER + (
    "A1,Okafor,2026-03-02,child,Ada,,Okafor,2019-05-04,F,English,,\n"
    "A1,,,child,Obi,,Okafor,2021-01-09,m,,,\n"
    "A1,,,parent,Grace,N,Okafor,1990-02-11,female,English,555-0100,grace@example.invalid\n"
    "B7,Reyes López,2026-04-15,child,Mateo,,Reyes,2016-08-30,,Spanish,,\n"
    "B7,Reyes López,2026-04-15,relative,Rosa,,López,1961-12-01,F,Spanish,,\n"
)


def test_every_problem_in_the_file_is_named_by_line_and_field():
    text = HEADER + (
        "A1,Okafor,2026-02-30,child,Ada,,Okafor,2019-05-04,X,,,not-an-email\n"  # line 2
        "A1,Other name,,kid,,,Okafor,05/04/2019,,,,\n"  # line 3
        "C3,Nobody,2026-01-01,parent,Pat,,Doe,,,,,\n"  # line 4: a case with no child
        "D4,Doe,2026-01-01,child,Jo\x00,,Doe,,,,,\n"  # line 5: a NUL byte
    )
    plan = import_rows.read(text)
    assert [str(p) for p in plan.problems] == [
        "line 2: email: not an e-mail address",
        "line 2: opened_on: not a real date",
        "line 2: sex: must be female, male or unknown",
        "line 3: case_name: differs from line 2",
        "line 3: date_of_birth: not a date (YYYY-MM-DD)",
        "line 3: first_name: required",
        "line 3: role: must be one of child, parent, relative",
        "line 4: role: case C3 has no child",
        "line 5: first_name: contains control characters",
    ]


def test_a_file_without_the_columns_is_refused_at_the_header():
    plan = import_rows.read("ref,name\nA,B\n")
    assert [str(p) for p in plan.problems] == [
        "line 1: missing columns: case_ref, case_name, opened_on, role, first_name, last_name",
        "line 1: unknown columns: ref, name",
    ]


@pytest.mark.django_db
def test_a_dry_run_opens_nothing_and_finds_what_the_services_refuse(tmp_path, caseworker):
    # Given a well-formed file whose second family was "opened" in the future
    path = tmp_path / "cases.csv"
    path.write_text(GOOD.replace("2026-04-15", "2099-04-15"), encoding="utf-8")
    err = StringIO()

    # When it is checked with a dry run
    with pytest.raises(CommandError, match="1 problems"):
        call_command("import-cases", str(path), "--worker", "cw", "--dry-run", stderr=err)

    # Then the service's refusal is named on the family's first line, and nothing changed
    assert "line 5: opened_on:" in err.getvalue()
    assert FamilyCase.objects.count() == 0
    assert Person.objects.count() == 0


@pytest.mark.django_db
def test_a_real_run_is_all_or_nothing(tmp_path, caseworker):
    path = tmp_path / "cases.csv"
    # one child born after the case opened... is fine; one born in the future is not
    path.write_text(GOOD.replace("2016-08-30", "2099-08-30"), encoding="utf-8")
    with pytest.raises(CommandError):
        call_command("import-cases", str(path), "--worker", "cw", stderr=StringIO())
    assert FamilyCase.objects.count() == 0  # the first family, fine on its own, is not kept
    assert not AuditEvent.objects.filter(action="cases.imported").exists()

    # a clean file opens every family, assigned to the worker, audited
    path.write_text(GOOD, encoding="utf-8")
    out = StringIO()
    call_command("import-cases", str(path), "--worker", "cw", stdout=out)
    assert "Opened 2 cases" in out.getvalue()
    okafor = FamilyCase.objects.get(name="Okafor")
    assert okafor.worker == caseworker
    assert okafor.opened_on == dt.date(2026, 3, 2)
    assert sorted(p.person.first_name for p in okafor.participants.all()) == ["Ada", "Grace", "Obi"]
    assert Person.objects.get(first_name="Obi").sex == "male"
    assert FamilyCase.objects.get(name="Reyes López").participants.count() == 2
    assert AuditEvent.objects.filter(action="cases.imported", actor=caseworker).count() == 1
