"""The printed plan reads at an 8th-grade level or below (Flesch-Kincaid), in its own words and
with a family's plan in it; the measure itself tells plain text from hard text."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess

import pytest

from reunify.case_plans import readability
from reunify.case_plans.pdf import plan_pdf
from reunify.case_plans.tests.factories import plan_with_goal
from reunify.cases.tests.factories import open_case


def test_the_measure_tells_plain_from_hard():
    plain = "You will keep your home safe. Go to the class on Tuesdays. Call us if you need a ride."
    hard = (
        "Notwithstanding the aforementioned jurisdictional considerations, the department "
        "shall facilitate comprehensive reunification-oriented interventions."
    )
    assert readability.grade(plain) <= 4
    assert readability.grade(hard) > 16
    assert readability.grade("") == 0.0
    assert [readability.syllables(w) for w in ("home", "safety", "the", "2026")] == [1, 3, 1, 1]


@pytest.mark.django_db
@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs pdftotext (poppler-utils)")
def test_the_printed_plan_is_at_an_eighth_grade_level(caseworker, tmp_path):
    case = open_case(worker=caseworker)
    plan_with_goal(worker=caseworker, case=case)
    path = tmp_path / "plan.pdf"
    path.write_bytes(plan_pdf(case=case, today=dt.date(2026, 11, 1)))
    text = subprocess.run(  # noqa: S603
        [shutil.which("pdftotext"), str(path), "-"], check=True, capture_output=True
    ).stdout.decode()
    assert "keep my home safe" in text
    assert readability.grade(text) <= readability.TARGET_GRADE, text
