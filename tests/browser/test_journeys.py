"""End-to-end journeys through a real Chromium against the live server.

Every page visited is audited (axe WCAG 2.x A/AA, serious+critical fail) and checked for
Content Security Policy errors in the console: see `Journey.audit` in conftest.py.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from playwright.sync_api import Page, expect

from reunify.cases.models import ParticipantRole, Placement, PlacementEndReason, RemovalEpisode
from reunify.cases.tests.factories import ProviderFactory, open_case
from reunify.people.models import Person
from tests.browser.conftest import Journey

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    # WhiteNoise warns that STATIC_ROOT (collectstatic output) is absent; tests use the finders.
    pytest.mark.filterwarnings("ignore:No directory at:UserWarning"),
]


def _children(case) -> list[Person]:
    return [
        p.person
        for p in case.participants.select_related("person")
        .filter(role=ParticipantRole.CHILD)
        .order_by("person__first_name")
    ]


# a. -------------------------------------------------------------------------------------------
def test_caseworker_signs_in_and_sees_their_caseload(
    page: Page, journey: Journey, caseworker, other_caseworker
):
    mine = [open_case(worker=caseworker, children=2), open_case(worker=caseworker, children=1)]
    theirs = open_case(worker=other_caseworker, children=1)

    journey.sign_in(caseworker)

    expect(page).to_have_url(journey.url("/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("My caseload")
    results = page.locator("#results")
    for case in mine:
        expect(results.get_by_role("link", name=case.name)).to_be_visible()
        for child in _children(case):
            expect(results).to_contain_text(child.full_name)
    expect(results).not_to_contain_text(theirs.name)
    expect(page.locator("main")).to_contain_text("2 open cases")


# b. -------------------------------------------------------------------------------------------
def _fill_child(
    page: Page, index: int, *, first: str, last: str, born: str, removed: str, provider_pk: int
) -> None:
    p = f"#id_children-{index}-"
    page.fill(p + "first_name", first)
    page.fill(p + "last_name", last)
    page.fill(p + "date_of_birth", born)
    expect(page.locator(p + "removed")).to_be_checked()  # removal recorded by default
    page.fill(p + "removed_on", removed)
    page.select_option(p + "legal_authority", label="Court order")
    # USWDS moves the real checkbox off-screen; people (and we) click its label.
    row = page.locator("fieldset[data-row=child]").nth(index)
    row.locator(f"label[for='id_children-{index}-reasons_2']").click()
    expect(page.locator(p + "reasons_2")).to_be_checked()
    expect(page.locator(p + "reasons_2")).to_have_value("neglect")
    page.select_option(p + "setting", label="Foster family home, non-relative")
    page.select_option(p + "provider", value=str(provider_pk))


def test_open_a_family_case_with_two_children(page: Page, journey: Journey, caseworker):
    provider = ProviderFactory(agency=caseworker.agency, name="Okafor resource family")
    journey.sign_in(caseworker)

    page.locator("nav").get_by_role("link", name="Open a case").click()
    expect(page).to_have_url(journey.url("/cases/new/"))
    journey.audit()

    page.fill("#id_name", "Delgado family")
    page.fill("#id_opened_on", "2026-01-15")
    _fill_child(
        page,
        0,
        first="Mateo",
        last="Delgado",
        born="2016-04-02",
        removed="2026-01-15",
        provider_pk=provider.pk,
    )

    expect(page.locator("fieldset[data-row=child]")).to_have_count(1)
    page.get_by_role("button", name="Add another child").click()
    expect(page.locator("fieldset[data-row=child]")).to_have_count(2)
    expect(page.locator("#id_children-TOTAL_FORMS")).to_have_value("2")
    expect(page.locator("fieldset[data-row=child]").nth(1).locator("legend").first).to_have_text(
        "Child 2"
    )
    expect(page.locator("#id_children-1-first_name")).to_be_focused()
    journey.audit()  # the cloned row must be as accessible as the first

    _fill_child(
        page,
        1,
        first="Lucia",
        last="Delgado",
        born="2019-09-20",
        removed="2026-01-15",
        provider_pk=provider.pk,
    )

    page.fill("#id_parents-0-first_name", "Elena")
    page.fill("#id_parents-0-last_name", "Delgado")
    page.get_by_role("button", name="Open case").click()

    expect(page).to_have_url(re.compile(r"/cases/\d+/$"))
    journey.audit()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Delgado family")
    expect(page.get_by_role("heading", level=3, name=re.compile("Mateo Delgado"))).to_be_visible()
    expect(page.get_by_role("heading", level=3, name=re.compile("Lucia Delgado"))).to_be_visible()
    expect(page.locator("main")).to_contain_text("Elena Delgado")

    case_pk = int(re.search(r"/cases/(\d+)/$", page.url).group(1))
    episodes = RemovalEpisode.objects.filter(case_id=case_pk)
    assert episodes.count() == 2
    assert sorted(e.child.first_name for e in episodes) == ["Lucia", "Mateo"]
    assert all(e.removed_on == dt.date(2026, 1, 15) for e in episodes)


# c. -------------------------------------------------------------------------------------------
def test_record_a_placement_change_and_see_it_on_the_timeline(
    page: Page, journey: Journey, caseworker
):
    case = open_case(worker=caseworker, children=1)
    episode = case.episodes.get()
    old = episode.placements.get()
    kin = ProviderFactory(agency=caseworker.agency, name="Grandma Rivera's home")

    journey.sign_in(caseworker)
    journey.goto(f"/cases/{case.pk}/")
    timeline = page.locator("ol.reunify-timeline")
    expect(timeline.locator("li")).to_have_count(1)

    page.get_by_role("link", name="Change placement").click()
    expect(page).to_have_url(journey.url(f"/episodes/{episode.pk}/placement/"))
    journey.audit()

    page.fill("#id_started_on", "2026-03-01")
    page.select_option("#id_end_reason", label="Move to kin")
    page.select_option("#id_setting", label="Foster family home, relative (kin)")
    page.select_option("#id_provider", value=str(kin.pk))
    page.get_by_role("button", name="Record placement change").click()

    expect(page).to_have_url(journey.url(f"/cases/{case.pk}/"))
    journey.audit()
    expect(page.locator("main [role=status]")).to_contain_text("Placement change recorded.")
    items = timeline.locator("li")
    expect(items).to_have_count(2)
    current = timeline.locator("li.is-current")
    expect(current).to_have_count(1)
    expect(current).to_contain_text("Foster family home, relative (kin)")
    expect(current).to_contain_text("Grandma Rivera's home")
    expect(current).to_contain_text("March 1, 2026 \N{EN DASH} now")
    ended = timeline.locator("li:not(.is-current)")
    expect(ended).to_have_count(1)
    expect(ended).to_contain_text("Foster family home, non-relative")
    expect(ended).to_contain_text("March 1, 2026 (Move to kin)")

    old.refresh_from_db()
    assert old.ended_on == dt.date(2026, 3, 1)
    assert old.end_reason == PlacementEndReason.KIN_FOUND
    assert Placement.objects.get(episode=episode, ended_on__isnull=True).provider_id == kin.pk


# d. -------------------------------------------------------------------------------------------
def test_a_stale_edit_is_refused_and_names_who_changed_it(page: Page, journey: Journey, caseworker):
    case = open_case(worker=caseworker, children=1)
    child = _children(case)[0]
    original_name = child.first_name
    edit_path = f"/people/{child.pk}/edit/"

    journey.sign_in(caseworker)
    first = page
    second = page.context.new_page()  # a second tab, same session
    journey.goto(edit_path, page=first)
    journey.goto(edit_path, page=second)
    expect(first.locator("#id_first_name")).to_have_value(original_name)
    expect(second.locator("#id_first_name")).to_have_value(original_name)

    first.fill("#id_first_name", "Alpha")
    first.locator("main").get_by_role("button", name="Save").click()
    expect(first).to_have_url(journey.url(f"/people/{child.pk}/"))
    journey.audit(first)
    expect(first.locator("main [role=status]")).to_contain_text("Changes saved.")

    second.fill("#id_first_name", "Beta")
    second.locator("main").get_by_role("button", name="Save").click()
    expect(second).to_have_url(journey.url(edit_path))
    journey.audit(second)
    who = caseworker.get_full_name()
    assert who
    expect(
        second.locator("main [role=alert]").filter(has_text="changed this record")
    ).to_contain_text(f"{who} changed this record")
    expect(second.locator("main")).to_contain_text("Your changes were not saved")

    child.refresh_from_db()
    assert child.first_name == "Alpha"


# e. -------------------------------------------------------------------------------------------
def test_an_unassigned_caseworker_cannot_open_the_case(
    page: Page, journey: Journey, caseworker, other_caseworker
):
    case = open_case(worker=caseworker, children=2)
    children = _children(case)
    assert other_caseworker.unit_id == caseworker.unit_id

    journey.sign_in(other_caseworker)
    for path in (
        f"/cases/{case.pk}/",
        f"/people/{children[0].pk}/",
        f"/people/{children[0].pk}/edit/",
    ):
        response = journey.goto(path)
        assert response is not None
        assert response.status in (403, 404), f"{path} answered {response.status}"
        body = page.locator("body")
        for child in children:
            expect(body).not_to_contain_text(child.first_name)
            expect(body).not_to_contain_text(child.last_name)
        expect(body).not_to_contain_text(case.number)


# f. -------------------------------------------------------------------------------------------
def test_the_interface_in_spanish(page: Page, journey: Journey, caseworker):
    open_case(worker=caseworker, children=1)
    journey.sign_in(caseworker)

    journey.goto("/es/")
    expect(page.locator("html")).to_have_attribute("lang", "es")

    expect(page.get_by_role("heading", level=1)).to_have_text("Mis casos")
    expect(page).to_have_title(re.compile("Mis casos"))
    # The case page in Spanish, through the link on the caseload, passes axe too.
    page.locator("#results a.usa-link").first.click()
    expect(page.locator("html")).to_have_attribute("lang", "es")
    expect(page.get_by_role("heading", name="Niños")).to_be_visible()
    journey.audit()


# g. -------------------------------------------------------------------------------------------
def test_the_caseload_fits_a_phone(page: Page, journey: Journey, caseworker):
    for _ in range(3):
        open_case(worker=caseworker, children=2)
    page.set_viewport_size({"width": 375, "height": 812})
    journey.sign_in(caseworker)

    journey.goto("/")
    expect(page.locator("#results tbody tr").first).to_be_visible()
    scroll_width, inner_width = page.evaluate(
        "() => [document.documentElement.scrollWidth, window.innerWidth]"
    )
    assert scroll_width <= inner_width + 1, (
        f"the page scrolls sideways on a phone: {scroll_width}px wide in a {inner_width}px window"
    )
