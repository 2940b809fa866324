"""The road home on a phone (375 by 812 CSS pixels): the case's road home, a trial home visit being prepared
(with an adult of the household, a safety action and a transition visit), its safety plan, an
aftercare plan with its follow-up contacts and the closure checklist each pass the accessibility
audit (axe WCAG 2.x A/AA, CSP console: see `Journey.audit`) and never scroll sideways: the page
is no wider than the screen (tables scroll inside their own container).

The record is dated 1 November 2026 with time_machine (process-wide, so the live server's thread
sees it too), the day the road-home tests' factories are written for."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse
from playwright.sync_api import Page

from reunify.cases.tests.factories import open_case
from reunify.road_home.tests.factories import aftercare, prepared_thv, reunified
from tests.browser.conftest import Journey

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.filterwarnings("ignore:No directory at:UserWarning"),
]

PHONE = {"width": 375, "height": 812}
NOW = dt.datetime(2026, 11, 1, 18, 0, tzinfo=dt.UTC)


def _overflow(page: Page) -> int:
    """How many CSS pixels the page is wider than the window (0 when it fits)."""
    return page.evaluate("Math.max(0, document.documentElement.scrollWidth - window.innerWidth)")


def test_the_road_home_pages_fit_a_phone(page: Page, journey: Journey, caseworker):
    with time_machine.travel(NOW, tick=True):
        case = open_case(worker=caseworker, name="Okafor-Whitfield")
        thv = prepared_thv(worker=caseworker, case=case)
        home = open_case(worker=caseworker, name="Rivera")
        reunified(worker=caseworker, case=home, on=dt.date(2026, 10, 1))
        plan = aftercare(worker=caseworker, case=home)

        page.set_viewport_size(PHONE)
        journey.sign_in(caseworker)
        for path in (
            reverse("road_home:case", args=[case.pk]),
            reverse("road_home:thv", args=[thv.pk]),
            reverse("road_home:safety-plan", args=[thv.safety_plan_id]),
            reverse("road_home:aftercare", args=[plan.pk]),
            reverse("road_home:closure", args=[case.pk]),
        ):
            journey.goto(path)
            assert page.viewport_size == PHONE
            assert page.evaluate("window.innerWidth") == PHONE["width"]
            assert _overflow(page) == 0, f"{path} is {_overflow(page)}px wider than a phone"
