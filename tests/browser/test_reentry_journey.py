"""Re-entry in the browser (issue 6, second journey).

Ana went home eight months ago (discharged to reunification). A new report brings her back into
care: the worker records the removal from the case page, and Reunify links the new episode to the
earlier one and flags a re-entry within 12 months on the case page. The worker records what the
team thinks contributed; the unit supervisor sees the re-entry, reviewed, on the unit's page.

Every page visited is audited (axe WCAG 2.x A/AA, CSP console): see `Journey.audit`.
"""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from reunify.cases import services
from reunify.cases.models import DischargeReason, ReentryReview, RemovalEpisode
from reunify.cases.tests.factories import ProviderFactory, open_case
from reunify.clocks.dates import add_months
from reunify.core import clock
from tests.browser.conftest import Journey

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.filterwarnings("ignore:No directory at:UserWarning"),
]


def test_a_child_back_in_care_eight_months_after_going_home_is_linked_and_flagged(
    page: Page, journey: Journey, caseworker, supervisor
):
    today = clock.today()
    went_home = add_months(today, -8)
    case = open_case(worker=caseworker, opened_on=add_months(today, -20), today=today)
    episode = case.episodes.get()
    services.episode_discharge(
        actor=caseworker,
        episode=episode,
        expected_version=episode.version,
        discharged_on=went_home,
        reason=DischargeReason.REUNIFICATION,
        today=today,
    )
    provider = ProviderFactory(agency=caseworker.agency, name="Cedar Foster Home")
    child = episode.child

    journey.sign_in(caseworker)
    journey.goto(reverse("cases:case-detail", args=[case.pk]))
    main = page.locator("main")
    main.get_by_role("link", name="Record a removal").click()
    journey.audit()
    page.get_by_label("Removal date").fill(today.isoformat())
    page.get_by_label("Legal authority").select_option(label="Court order")
    main.locator("label", has_text=re.compile(r"^Neglect$")).click()
    page.get_by_label("Placement setting").select_option(label="Foster family home, non-relative")
    page.get_by_label("Resource family or facility").select_option(
        label=f"{provider.name} ({provider.get_kind_display()})"
    )
    main.get_by_role("button", name="Record removal").click()
    journey.audit()

    again = RemovalEpisode.objects.get(child=child, discharged_on__isnull=True)
    assert again.previous_episode_id == episode.pk
    assert again.reentry_within_12_months
    expect(main).to_contain_text("Re-entry within 12 months")
    expect(main).to_contain_text("Back in care after leaving on")

    main.get_by_role("link", name="Record what contributed").click()
    journey.audit()
    expect(page.get_by_role("heading", level=1)).to_contain_text(child.full_name)
    main.locator("label", has_text="Aftercare services ended or were not in place").click()
    main.locator("label", has_text="Relapse in substance use").click()
    page.get_by_label("What the team thinks contributed").fill(
        "In-home services ended at three months; relapse after the father lost his job."
    )
    main.get_by_role("button", name="Record review").click()
    journey.audit()
    expect(main).to_contain_text("Re-entry review recorded.")
    review = ReentryReview.objects.get(episode=again)
    assert review.factors == ["aftercare_gap", "substance_relapse"]

    # The supervisor sees the re-entry, reviewed, on the unit's page.
    page.context.clear_cookies()
    journey.sign_in(supervisor)
    journey.goto(reverse("cases:unit-caseloads", args=[case.unit_id]))
    reentries = main.locator("li", has_text=child.full_name).first
    expect(reentries).to_contain_text("Re-entry within 12 months")
    expect(reentries.get_by_role("link", name="reviewed")).to_be_visible()
