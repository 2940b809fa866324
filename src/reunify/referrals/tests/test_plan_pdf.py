"""The printed case plan lists the services the family was referred to, with the directory's
address, and leaves out referrals that ended or never went out."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess

import pytest

from reunify.case_plans.pdf import plan_pdf
from reunify.case_plans.tests.factories import plan_with_goal
from reunify.cases.tests.factories import open_case
from reunify.referrals.tests.factories import provider_service, sent

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs pdftotext (poppler-utils)"),
]


def _text(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "plan.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(  # noqa: S603
        [shutil.which("pdftotext"), "-layout", str(path), "-"], check=True, capture_output=True
    )
    return out.stdout.decode()


def test_referred_services_are_in_the_plan_with_their_address(caseworker, tmp_path):
    case = open_case(worker=caseworker)
    plan_with_goal(worker=caseworker, case=case)
    referred = provider_service(case, name="Harbor Recovery Clinic", at=(47.25, -122.44))
    sent(caseworker, case=case, service=referred)
    provider_service(case, name="Never Sent Pantry")  # no referral at all

    text = _text(plan_pdf(case=case, today=dt.date(2026, 11, 1)), tmp_path)

    assert "Harbor Recovery Clinic" in text
    assert referred.service_locations.get().location.address_1 in text
    assert "Never Sent Pantry" not in text
