"""Statutory clocks in the browser: a removal starts the case-plan clock and recording the plan
meets it; a permanency hearing that is overdue shows as overdue, on the case page and on What's
due, and holding it late restarts the clock from the late hearing and counts as not on time.

The date is frozen with time_machine. It patches the clock process-wide, so the live server,
which runs in another thread of this process, sees the same "today": each test checks that
through something the server computes from today's date (days in care, a form's default date).
Every page visited is audited (axe WCAG 2.x A/AA, CSP console): see `Journey.audit`.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from playwright.sync_api import Locator, Page, expect

from reunify.case_plans.models import CasePlan
from reunify.cases.models import RemovalEpisode
from reunify.cases.tests.factories import ProviderFactory, open_case
from reunify.court.models import Hearing, HearingKind, HearingStatus
from tests.browser.conftest import Journey

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    # WhiteNoise warns that STATIC_ROOT (collectstatic output) is absent; tests use the finders.
    pytest.mark.filterwarnings("ignore:No directory at:UserWarning"),
]

# 17:00 UTC is 11:00 in the agency's zone (America/Chicago): the same date everywhere.
NOW = dt.datetime(2026, 3, 1, 17, 0, tzinfo=dt.UTC)
TODAY = dt.date(2026, 3, 1)


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=True):
        yield


def _clock(page: Page, key: str) -> Locator:
    """The clock's <li> on the case page (the case has one child)."""
    return page.locator(f"li[data-clock='{key}']")


# 1 and 2 ---------------------------------------------------------------------------------------
def test_a_removal_starts_the_case_plan_clock_and_recording_the_plan_meets_it(
    page: Page, journey: Journey, caseworker, frozen
):
    provider = ProviderFactory(agency=caseworker.agency, name="Mensah resource family")
    journey.sign_in(caseworker)

    page.locator("nav").get_by_role("link", name="Open a case").click()
    expect(page).to_have_url(journey.url("/cases/new/"))
    journey.audit()
    page.fill("#id_name", "Achebe family")
    page.fill("#id_opened_on", "2026-02-09")
    p = "#id_children-0-"
    page.fill(p + "first_name", "Ngozi")
    page.fill(p + "last_name", "Achebe")
    page.fill(p + "date_of_birth", "2017-06-12")
    expect(page.locator(p + "removed")).to_be_checked()
    page.fill(p + "removed_on", "2026-02-09")  # 20 days before today
    page.select_option(p + "legal_authority", label="Court order")
    page.locator("label[for='id_children-0-reasons_2']").click()  # USWDS hides the checkbox
    expect(page.locator(p + "reasons_2")).to_be_checked()
    page.select_option(p + "setting", label="Foster family home, non-relative")
    page.select_option(p + "provider", value=str(provider.pk))
    page.fill("#id_parents-0-first_name", "Chiamaka")
    page.fill("#id_parents-0-last_name", "Achebe")
    page.get_by_role("button", name="Open case").click()

    expect(page).to_have_url(re.compile(r"/cases/\d+/$"))
    journey.audit()
    case_pk = int(re.search(r"/cases/(\d+)/$", page.url).group(1))
    # The server counts the days in care from the frozen today: the travel reached its thread.
    expect(page.get_by_role("heading", level=4)).to_have_text(
        "In care since Feb. 9, 2026 (20 days)"
    )

    # The removal started the initial case-plan clock: 60 days, shown among the active clocks.
    deadlines = page.get_by_role("list", name="Deadlines for Ngozi")
    case_plan = deadlines.locator("li[data-clock='case_plan']")
    expect(case_plan).to_be_visible()
    expect(case_plan).to_have_attribute("data-status", "running")
    expect(case_plan).to_contain_text("Running")
    expect(case_plan).to_contain_text("Initial case plan")
    expect(case_plan).to_contain_text(
        "The case plan, written with the parents, is due April 10, 2026: "
        "60 days after removal on Feb. 9, 2026."
    )

    page.get_by_role("link", name="Record the case plan").click()
    episode = RemovalEpisode.objects.get(case_id=case_pk)
    expect(page).to_have_url(journey.url(f"/case-plans/episodes/{episode.pk}/"))
    journey.audit()
    expect(page.get_by_role("heading", level=1)).to_have_text("Case plan for Ngozi Achebe")
    expect(page.locator("#id_completed_on")).to_have_value("2026-03-01")  # the server's today
    expect(page.locator("#id_developed_with_parents")).to_be_checked()
    page.fill("#id_completed_on", "2026-02-27")
    page.locator("main").get_by_role("button", name="Record case plan").click()

    expect(page).to_have_url(journey.url(f"/cases/{case_pk}/"))
    journey.audit()
    expect(page.locator("main [role=status]")).to_contain_text("Case plan recorded.")
    # Met: no longer among the active clocks, but under "Met, not started and not applicable".
    expect(deadlines.locator("li[data-clock='case_plan']")).to_have_count(0)
    case_plan = _clock(page, "case_plan")
    expect(case_plan).to_have_count(1)
    expect(case_plan).to_have_attribute("data-status", "met")
    expect(case_plan).to_be_hidden()
    page.locator("summary", has_text="Met, not started and not applicable").click()
    expect(case_plan).to_be_visible()
    expect(case_plan).to_contain_text("Met")
    expect(case_plan).to_contain_text(
        "The case plan was completed on Feb. 27, 2026 (due April 10, 2026)."
    )
    journey.audit()  # the opened <details> too

    assert list(
        CasePlan.objects.filter(episode=episode).values_list("completed_on", flat=True)
    ) == [dt.date(2026, 2, 27)]


# 3 and 4 ---------------------------------------------------------------------------------------
def _cards(page: Page) -> Locator:
    return page.locator("main li.reunify-row-card")


def _card(page: Page, clock_name: str, family: str) -> Locator:
    return (
        _cards(page)
        .filter(has=page.locator("strong", has_text=re.compile(rf"^{re.escape(clock_name)}$")))
        .filter(has_text=family)
    )


def test_a_permanency_hearing_held_late(
    page: Page, journey: Journey, caseworker, supervisor, frozen
):
    # Removed 15.5 months ago with no hearing: entered foster care (removal + 60 days) on
    # January 14, 2025, so the permanency hearing was due January 14, 2026.
    late = open_case(worker=caseworker, name="Okafor", opened_on=dt.date(2024, 11, 15), today=TODAY)
    # Removed 24 days ago: relative notice (30 days) is due soon, nothing is overdue.
    open_case(worker=caseworker, name="Brandt", opened_on=dt.date(2026, 2, 5), today=TODAY)
    assert late.unit_id == supervisor.unit_id

    journey.sign_in(caseworker)
    journey.goto(f"/cases/{late.pk}/")
    expect(page.get_by_role("heading", level=4)).to_have_text(
        "In care since Nov. 15, 2024 (471 days)"
    )
    permanency = _clock(page, "permanency_hearing")
    expect(permanency).to_be_visible()
    expect(permanency).to_have_attribute("data-status", "overdue")
    expect(permanency).to_contain_text("Overdue")
    expect(permanency).to_contain_text(
        "Permanency hearing due Jan. 14, 2026: "
        "12 months after the child entered foster care on Jan. 14, 2025."
    )

    # What's due: overdue first, each explained, each with the page that satisfies it.
    page.locator("nav").get_by_role("link", name="What's due").click()
    expect(page).to_have_url(journey.url("/due/"))
    journey.audit()
    expect(page.get_by_role("heading", level=1)).to_have_text("What's due")
    statuses = [t.strip() for t in _cards(page).locator(".usa-tag").all_text_contents()]
    assert set(statuses) == {"Overdue", "Due soon"}, statuses
    assert statuses == sorted(statuses, key=lambda s: s != "Overdue"), (
        f"overdue items must come first: {statuses}"
    )
    hearing_card = _card(page, "Permanency hearing", "Okafor family")
    expect(hearing_card).to_have_count(1)
    expect(hearing_card.locator(".usa-tag")).to_have_text("Overdue")
    expect(hearing_card).to_contain_text(
        "Permanency hearing due Jan. 14, 2026: "
        "12 months after the child entered foster care on Jan. 14, 2025."
    )
    schedule = hearing_card.get_by_role("link", name="Schedule or record the hearing")
    expect(schedule).to_have_attribute("href", f"/court/cases/{late.pk}/hearings/new/")
    notice_card = _card(page, "Relative identification and notice", "Brandt family")
    expect(notice_card.locator(".usa-tag")).to_have_text("Due soon")
    expect(notice_card).to_contain_text(
        "Notice to adult relatives due March 7, 2026: 30 days after removal on Feb. 5, 2026."
    )
    expect(notice_card.get_by_role("link", name="Record relative notice")).to_be_visible()

    # The same list in Spanish, dates in the reader's language.
    journey.goto("/es/due/")
    expect(page.locator("html")).to_have_attribute("lang", "es")
    expect(_cards(page).filter(has_text="Okafor family").first).to_be_visible()
    expect(page.locator("main")).to_contain_text("14 de enero de 2026")

    # Hold the hearing late: scheduled and held on February 20, 37 days after it was due.
    journey.goto("/due/")
    _card(page, "Permanency hearing", "Okafor family").get_by_role(
        "link", name="Schedule or record the hearing"
    ).click()
    expect(page).to_have_url(journey.url(f"/court/cases/{late.pk}/hearings/new/"))
    journey.audit()
    page.select_option("#id_kind", label="Permanency hearing")
    page.fill("#id_scheduled_for", "2026-02-20")
    page.locator("main").get_by_role("button", name="Schedule hearing").click()
    expect(page).to_have_url(journey.url(f"/cases/{late.pk}/#court"))
    journey.audit()
    expect(page.locator("main [role=status]")).to_contain_text("Hearing scheduled.")
    # Scheduling is not holding: still overdue.
    expect(_clock(page, "permanency_hearing")).to_have_attribute("data-status", "overdue")

    court = page.locator("#court")
    court.get_by_role("link", name=re.compile(r"^Record as held")).click()
    hearing = Hearing.objects.get(case=late, kind=HearingKind.PERMANENCY)
    expect(page).to_have_url(journey.url(f"/court/hearings/{hearing.pk}/held/"))
    journey.audit()
    expect(page.locator("#id_held_on")).to_have_value("2026-02-20")
    page.fill("#id_attendees", "Mother, guardian ad litem, child's attorney")
    page.locator("main").get_by_role("button", name="Record as held").click()
    expect(page).to_have_url(journey.url(f"/cases/{late.pk}/#court"))
    journey.audit()
    expect(page.locator("main [role=status]")).to_contain_text("Hearing recorded as held.")
    expect(court).to_contain_text("held on Feb. 20, 2026")

    # The clock restarts from the late hearing: running, next one due 12 months after it.
    permanency = _clock(page, "permanency_hearing")
    expect(permanency).to_be_visible()
    expect(permanency).to_have_attribute("data-status", "running")
    expect(permanency).to_contain_text(
        "Next permanency hearing due Feb. 20, 2027: 12 months after the last one on Feb. 20, 2026."
    )
    hearing.refresh_from_db()
    assert (hearing.status, hearing.held_on) == (HearingStatus.HELD, dt.date(2026, 2, 20))

    # The supervisor's deadlines page counts it as due in January and not met on time.
    page.get_by_role("button", name=re.compile(r"^Sign out")).click()
    expect(page).to_have_url(re.compile(r"/accounts/sign-in/"))
    journey.sign_in(supervisor)
    page.locator("nav").get_by_role("link", name="My unit").click()
    expect(page).to_have_url(journey.url(f"/units/{supervisor.unit_id}/"))
    journey.audit()
    page.get_by_role("link", name="Deadlines and on-time rates").click()
    expect(page).to_have_url(journey.url(f"/due/units/{supervisor.unit_id}/"))
    journey.audit()
    page.fill("#id_start", "2026-01-01")
    page.fill("#id_end", "2026-01-31")
    page.locator("main").get_by_role("button", name="Show").click()
    expect(page).to_have_url(re.compile(r"\?start=2026-01-01&end=2026-01-31$"))
    journey.audit()
    rates = page.get_by_role(
        "table", name="Deadlines that fell due from Jan. 1, 2026 to Jan. 31, 2026"
    )
    row = rates.get_by_role("row").filter(
        has=page.get_by_role("rowheader", name="Permanency hearing", exact=True)
    )
    expect(row.get_by_role("cell")).to_have_text(["1", "0", "0%"])
