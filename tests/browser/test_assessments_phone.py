"""Assessments on a phone (375 by 812 CSS pixels): a child's readiness page, a recorded
reunification assessment with its decision row by row, and the recording form each pass the
accessibility audit (axe WCAG 2.x A/AA, CSP console: see `Journey.audit`) and never scroll
sideways. On the form, the safety section follows the answers (htmx re-asks the server).

The record is dated 2 November 2026 with time_machine (process-wide, so the live server's thread
sees it too)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse
from playwright.sync_api import Page, expect

from reunify.assessments.selectors import children_in_care
from reunify.assessments.tests.factories import record_reunification, record_safety
from reunify.cases.tests.factories import open_case
from tests.browser.conftest import Journey

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.filterwarnings("ignore:No directory at:UserWarning"),
]

PHONE = {"width": 375, "height": 812}
NOW = dt.datetime(2026, 11, 2, 15, 0, tzinfo=dt.UTC)


def _overflow(page: Page) -> int:
    """How many CSS pixels the page is wider than the window (0 when it fits)."""
    return page.evaluate("Math.max(0, document.documentElement.scrollWidth - window.innerWidth)")


def test_the_assessment_pages_fit_a_phone(page: Page, journey: Journey, caseworker):
    with time_machine.travel(NOW, tick=True):
        case = open_case(worker=caseworker, name="Okafor-Whitfield")
        record_safety(actor=caseworker, case=case, no=("stable_residence",))
        response = record_reunification(actor=caseworker, case=case, safety="unsafe")
        _child, episode = children_in_care(case)[0]

        page.set_viewport_size(PHONE)
        journey.sign_in(caseworker)
        form = reverse("assessments:record-reunification", args=[case.pk])
        for path in (
            reverse("assessments:readiness", args=[episode.pk]),
            reverse("assessments:response-detail", args=[response.pk]),
            form,
        ):
            journey.goto(path)
            assert page.evaluate("window.innerWidth") == PHONE["width"]
            assert _overflow(page) == 0, f"{path} is {_overflow(page)}px wider than a phone"

        # the safety section follows the risk answers without a page load
        region = page.locator("#asked-sections")
        page.get_by_role("group", name="R1 prior risk level").get_by_text("Very high").check()
        page.get_by_role("group", name="R2 new substantiated investigation").get_by_text(
            "Yes"
        ).check()
        page.get_by_role("group", name="R3 caregiver progress").get_by_text("None").check()
        expect(region.locator('[data-asked="false"]')).to_be_visible()
        expect(region.locator('input[name="safety_decision"]')).to_have_count(0)
        journey.audit()
        assert _overflow(page) == 0
