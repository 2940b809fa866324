"""Demo plans: most cases with a completed case plan get a signed version that validates; some a
second version; the clocks' completion rows point at their versions."""

import datetime as dt

import pytest

from reunify.case_plans import document as doc
from reunify.case_plans.models import CasePlan, FamilyPlan, PlanVersion, VersionStatus
from reunify.cases.demo import demo_agency_create
from reunify.cases.models import FamilyCase

pytestmark = pytest.mark.django_db


def test_demo_plans_are_signed_valid_and_linked():
    # A demo agency: its generator calls demo_plans after saving the cases.
    demo_agency_create(cases=30, seed=7, as_of=dt.date(2026, 11, 1))
    with_completion = FamilyCase.objects.filter(episodes__case_plans__isnull=False).distinct()
    assert FamilyPlan.objects.count() >= 0.7 * with_completion.count() > 0
    for version in PlanVersion.objects.select_related("plan"):
        assert doc.validate(version.document) == []
        assert doc.missing_for_final(version.document) == []
        assert version.signatures.count() == 1
        assert version.meetings.count() == 1
    assert PlanVersion.objects.filter(number=2).exists()
    assert not PlanVersion.objects.filter(status=VersionStatus.DRAFT).exists()
    for plan in FamilyPlan.objects.all():
        latest = plan.versions.order_by("-number").first()
        assert latest.status == VersionStatus.FINAL
    linked = CasePlan.objects.filter(plan_version__isnull=False)
    assert linked.exists()
    assert all(c.plan_version.plan.case_id == c.episode.case_id for c in linked)
