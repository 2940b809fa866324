"""Family time and the monthly caseworker visit in the browser.

The caseworker opens the child's family-time page from the case page and creates a supervised
plan (Mondays and Wednesdays, 5 p.m., 90 minutes, agency visit room); the sessions appear as
upcoming. Ten days later, on her phone, she records one past session as held and one as cancelled
by the parent, sees this month's planned-against-held count and the cancellations by cause move,
and proposes unsupervised day visits. The unit supervisor approves; the plan shows the new level
and the level history the change. The caseworker then records February's visit with the child in
the residence, which shows on the child's contacts page and counts on the unit's compliance page.
When the app has the worker's week view (family_time:week), the sessions are checked there too.

The date is frozen with time_machine (process-wide, so the live server's thread sees it too, see
test_clocks_journey.py) and moved on ten days once the plan exists: the plan schedules sessions
from today on, so only a later "today" has sessions in the past. Every page visited is audited
(axe WCAG 2.x A/AA, CSP console): see `Journey.audit`.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.urls import NoReverseMatch, reverse
from playwright.sync_api import Locator, Page, expect

from reunify.cases.tests.factories import open_case
from reunify.contacts.models import CaseworkerContact
from reunify.family_time.models import (
    ChangeStatus,
    FamilyTimePlan,
    FamilyTimeSession,
    Level,
    SessionStatus,
)
from tests.browser.conftest import Journey

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    # WhiteNoise warns that STATIC_ROOT (collectstatic output) is absent; tests use the finders.
    pytest.mark.filterwarnings("ignore:No directory at:UserWarning"),
]

# 17:00 UTC is 11:00 in the agency's zone (America/Chicago): the same date everywhere.
MONDAY = dt.datetime(2026, 3, 2, 17, 0, tzinfo=dt.UTC)  # the plan is made this morning
TEN_DAYS_LATER = dt.datetime(2026, 3, 12, 16, 0, tzinfo=dt.UTC)  # Thursday 11:00 (CDT by then)
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 812}
TO = "\N{EN DASH}"  # between a session's start and end times


def _main(page: Page) -> Locator:
    return page.locator("main")


def _status(page: Page) -> Locator:
    return page.locator("main [role=status]")


def _choose(page: Page, field_id: str, label: str) -> None:
    """Tick a radio or checkbox of a USWDS choice list by its label, as people do (USWDS moves
    the real input off-screen), and check the input took it."""
    group = page.locator(f"fieldset#{field_id}")
    group.locator("label", has_text=re.compile(rf"^{re.escape(label)}$")).click()
    expect(group.get_by_label(label, exact=True)).to_be_checked()


def _sign_out(page: Page) -> None:
    page.get_by_role("button", name=re.compile(r"^Sign out")).click()
    expect(page).to_have_url(re.compile(r"/accounts/sign-in/"))


def _row(page: Page, table: Locator, header: str) -> Locator:
    return table.get_by_role("row").filter(
        has=page.get_by_role("rowheader", name=header, exact=True)
    )


def _week_path() -> str | None:
    """The worker's family-time week, if the app has it (it is being added alongside this test)."""
    try:
        return reverse("family_time:week")
    except NoReverseMatch:
        return None


def _day(page: Page, heading: str) -> Locator:
    """One day's section of the week view, named by its heading (the "Today" tag may follow)."""
    return page.get_by_role("region", name=re.compile(rf"^{re.escape(heading)}"))


def test_family_time_plan_sessions_level_change_and_the_monthly_visit(
    page: Page, journey: Journey, caseworker, supervisor
):
    case = open_case(
        worker=caseworker, name="Achebe", opened_on=dt.date(2026, 1, 10), today=MONDAY.date()
    )
    assert case.unit_id == supervisor.unit_id
    episode = case.episodes.select_related("child").get()
    child = episode.child
    family_time_path = reverse("family_time:child", args=[episode.pk])

    with time_machine.travel(MONDAY, tick=True) as traveller:
        # 1. The plan, from the case page. -------------------------------------------------------
        journey.sign_in(caseworker)
        journey.goto(f"/cases/{case.pk}/")
        _main(page).get_by_role("link", name="Family time", exact=True).click()
        expect(page).to_have_url(journey.url(family_time_path))
        journey.audit()
        expect(page.get_by_role("heading", level=1)).to_have_text(
            f"Family time for {child.full_name}"
        )
        expect(_main(page)).to_contain_text("No family-time plan yet.")

        page.get_by_role("link", name="Create a family-time plan").click()
        expect(page).to_have_url(journey.url(reverse("family_time:plan-create", args=[episode.pk])))
        journey.audit()
        # The server's today is the frozen Monday: the travel reached its thread.
        expect(page.locator("#id_effective_from")).to_have_value("2026-03-02")
        page.select_option("#id_level", label="Supervised")
        _choose(page, "id_participants", f"Rosa {case.name.removesuffix(' family')}")
        _choose(page, "id_weekdays", "Monday")
        _choose(page, "id_weekdays", "Wednesday")
        page.fill("#id_start_time", "17:00")
        page.fill("#id_duration_minutes", "90")
        page.select_option("#id_location_type", label="Agency visit room")
        page.fill("#id_supervisor", "Family-time coach, Riverbend office")
        page.locator("main").get_by_role("button", name="Create plan").click()

        expect(page).to_have_url(journey.url(family_time_path))
        journey.audit()
        expect(_status(page)).to_contain_text("Family-time plan created and sessions scheduled.")
        facts = page.locator("dl.reunify-facts").first  # the plan's; the evaluation's follows
        expect(facts).to_contain_text("Supervised")
        expect(facts).to_contain_text("Monday, Wednesday · 5 p.m. · 90 minutes")
        expect(facts).to_contain_text("Agency visit room")
        expect(facts).to_contain_text(f"Rosa {case.name.removesuffix(' family')}")
        # Eight weeks of Mondays and Wednesdays from today; the page lists the next ten.
        assert FamilyTimeSession.objects.filter(plan__episode=episode).count() == 16
        upcoming = page.locator("h2:has-text('Upcoming sessions') + ul > li")
        expect(upcoming).to_have_count(10)
        expect(upcoming.nth(0)).to_contain_text(f"Mon March 2, 2026, 5 p.m.{TO}6:30 p.m.")
        expect(upcoming.nth(1)).to_contain_text(f"Wed March 4, 2026, 5 p.m.{TO}6:30 p.m.")
        # After the clocks go forward (March 8) the sessions keep their local time.
        expect(upcoming.nth(2)).to_contain_text(f"Mon March 9, 2026, 5 p.m.{TO}6:30 p.m.")
        expect(upcoming.nth(0).get_by_role("link", name="Record or cancel")).to_be_visible()
        expect(_main(page)).to_contain_text("0 of 9 planned sessions held")

        # The worker's week, when the app has it: this week's two sessions are on it.
        week = _week_path()
        if week is None:
            pass  # No family_time:week view in this build (it is being added): nothing to check.
        else:
            journey.goto(week)
            expect(page.get_by_role("heading", level=1)).to_have_text("Week of March 2, 2026")
            for day in ("Monday, March 2, 2026", "Wednesday, March 4, 2026"):
                on_day = _day(page, day)
                expect(on_day.locator("li")).to_have_count(1)
                expect(on_day.locator("li")).to_contain_text(f"5 p.m.{TO}6:30 p.m.")
                expect(on_day.locator("li")).to_contain_text("Scheduled")
                expect(
                    on_day.get_by_role("link", name=f"Family time: {child.full_name}")
                ).to_have_attribute("href", family_time_path)
            expect(_day(page, "Tuesday, March 3, 2026")).to_contain_text("Nothing scheduled.")
        _sign_out(page)

        # 2. Ten days on, on her phone: one session held, one cancelled. -------------------------
        traveller.move_to(TEN_DAYS_LATER)
        page.set_viewport_size(PHONE)
        journey.sign_in(caseworker, next_path=family_time_path)
        expect(page).to_have_url(journey.url(family_time_path))
        month = page.locator("h2:has-text('This month') + p")
        expect(month).to_have_text("0 of 9 planned sessions held · 0.0 of 13.5 hours")
        causes = page.locator("h3:has-text('Missed sessions by cause') + ul")
        expect(causes.locator("li")).to_have_text(["No-shows: 0"])
        recent = page.get_by_role("table", name="The latest sessions and what happened")
        # Thursday the 12th: Monday 2, Wednesday 4, Monday 9 and Wednesday 11 are behind us.
        expect(recent.locator("tbody tr")).to_have_count(4)
        expect(recent.locator("tbody th")).to_have_text(
            [
                "March 11, 2026, 5 p.m.",
                "March 9, 2026, 5 p.m.",
                "March 4, 2026, 5 p.m.",
                "March 2, 2026, 5 p.m.",
            ]
        )

        held = FamilyTimeSession.objects.get(
            plan__episode=episode, starts_at=dt.datetime(2026, 3, 4, 23, 0, tzinfo=dt.UTC)
        )
        _row(page, recent, "March 4, 2026, 5 p.m.").get_by_role("link", name="Record").click()
        expect(page).to_have_url(journey.url(reverse("family_time:session-record", args=[held.pk])))
        journey.audit()
        expect(_main(page)).to_contain_text(f"{child.full_name}, March 4, 2026 at 5 p.m.")
        _choose(page, "id_status", "Held")
        _choose(page, "id_quality", "3 — Good")
        page.fill("#id_attendees", "Mother; the child's younger brother")
        expect(page.locator("#id_actual_minutes")).to_have_value("90")
        page.fill("#id_observations", "Warm greeting; mother brought a snack and a board game.")
        page.locator("main").get_by_role("button", name="Save").click()
        expect(page).to_have_url(journey.url(family_time_path))
        journey.audit()
        expect(_status(page)).to_contain_text("Session recorded.")
        expect(month).to_have_text("1 of 9 planned sessions held · 1.5 of 13.5 hours")
        expect(_row(page, recent, "March 4, 2026, 5 p.m.").get_by_role("cell")).to_have_text(
            ["Held", "3 — Good · 90 minutes", "Correct"]
        )

        cancelled = FamilyTimeSession.objects.get(
            plan__episode=episode, starts_at=dt.datetime(2026, 3, 9, 22, 0, tzinfo=dt.UTC)
        )
        _row(page, recent, "March 9, 2026, 5 p.m.").get_by_role("link", name="Record").click()
        expect(page).to_have_url(
            journey.url(reverse("family_time:session-record", args=[cancelled.pk]))
        )
        journey.audit()
        _choose(page, "id_status", "Cancelled")
        _choose(page, "id_cancelled_by", "Parent")
        page.fill("#id_cancel_reason", "Mother had the flu")
        page.locator("main").get_by_role("button", name="Save").click()
        expect(page).to_have_url(journey.url(family_time_path))
        journey.audit()
        expect(_status(page)).to_contain_text("Session recorded.")
        # A cancellation stays planned and is not held; it is counted by its cause.
        expect(month).to_have_text("1 of 9 planned sessions held · 1.5 of 13.5 hours")
        expect(causes.locator("li")).to_have_text(["Cancelled by Parent: 1", "No-shows: 0"])
        expect(_row(page, recent, "March 9, 2026, 5 p.m.").get_by_role("cell")).to_have_text(
            ["Cancelled", "Parent: Mother had the flu", "Correct"]
        )
        # The visitation evaluation (last 90 days): four sessions have come, one held, one
        # cancelled by the mother, two not recorded yet; two counted sessions are too few to rate.
        evaluation = page.locator("h2:has-text('Visitation evaluation') ~ dl").first
        expect(evaluation).to_contain_text("1 of 4 completed · 2 not yet recorded")
        expect(evaluation).to_contain_text("Too few sessions to rate (50%)")
        expect(evaluation).to_contain_text("3.0 of 4 (one rated session)")
        if week is not None:  # the following week, on the phone: what happened shows there too
            journey.goto(f"{week}?start=2026-03-09")
            expect(page.get_by_role("heading", level=1)).to_have_text("Week of March 9, 2026")
            expect(_day(page, "Monday, March 9, 2026").locator("li")).to_contain_text("Cancelled")
            expect(_day(page, "Wednesday, March 11, 2026").locator("li")).to_contain_text(
                "Scheduled"
            )
            expect(_day(page, "Thursday, March 12, 2026")).to_contain_text("Today")
            _day(page, "Monday, March 9, 2026").get_by_role(
                "link", name=f"Family time: {child.full_name}"
            ).click()
            expect(page).to_have_url(journey.url(family_time_path))
            journey.audit()
        held.refresh_from_db()
        cancelled.refresh_from_db()
        assert (held.status, held.quality, held.actual_minutes, held.recorded_by) == (
            SessionStatus.HELD,
            3,
            90,
            caseworker,
        )
        assert held.attendees == "Mother; the child's younger brother"
        assert (cancelled.status, cancelled.cancelled_by, cancelled.cancel_reason) == (
            SessionStatus.CANCELLED,
            "parent",
            "Mother had the flu",
        )

        # 3. Propose less supervision; it waits for the supervisor. -------------------------------
        plan = FamilyTimePlan.objects.get(episode=episode)
        page.get_by_role("link", name="Propose a change of level").click()
        expect(page).to_have_url(journey.url(reverse("family_time:level-propose", args=[plan.pk])))
        journey.audit()
        expect(_main(page)).to_contain_text("Current level: Supervised.")
        page.select_option("#id_to_level", label="Unsupervised, day")
        page.fill("#id_reason", "Visits consistently good; mother completed parenting classes")
        page.fill("#id_evidence", "Held March 4 (good). One cancellation for illness.")
        page.locator("main").get_by_role("button", name="Propose").click()
        expect(page).to_have_url(journey.url(family_time_path))
        journey.audit()
        expect(_status(page)).to_contain_text("Change proposed; it waits for the supervisor.")
        expect(_main(page)).to_contain_text(
            f"{caseworker} proposed moving to Unsupervised, day; "
            "it waits for the supervisor's decision."
        )
        expect(facts).to_contain_text("Supervised")
        expect(_main(page).get_by_role("link", name="Decide")).to_have_count(0)  # not hers
        page.set_viewport_size(DESKTOP)  # back at the office; the header menu is open again
        _sign_out(page)

        # 4. The unit supervisor approves. ---------------------------------------------------------
        journey.sign_in(supervisor, next_path=family_time_path)
        expect(page).to_have_url(journey.url(family_time_path))
        _main(page).get_by_role("link", name="Decide").click()
        expect(page).to_have_url(journey.url(reverse("family_time:level-decide", args=[plan.pk])))
        journey.audit()
        expect(_main(page)).to_contain_text(
            f"{caseworker} proposes moving from Supervised to Unsupervised, day."
        )
        expect(_main(page)).to_contain_text(
            "Visits consistently good; mother completed parenting classes"
        )
        _choose(page, "id_decision", "Approve")
        page.fill("#id_note", "Agreed; review after four weeks")
        page.locator("main").get_by_role("button", name="Save decision").click()
        expect(page).to_have_url(journey.url(family_time_path))
        journey.audit()
        expect(_status(page)).to_contain_text("Change approved.")
        expect(facts.locator("dd").first).to_have_text("Unsupervised, day")
        expect(_main(page)).not_to_contain_text("it waits for the supervisor's decision")
        history = page.get_by_role("list", name="Level history")
        expect(history.locator("li")).to_have_count(1)
        change = history.locator("li").first
        expect(change).to_contain_text("Supervised → Unsupervised, day · Applied")
        expect(change).to_contain_text(
            f"March 12, 2026 · {caseworker}: "
            "Visits consistently good; mother completed parenting classes"
        )
        expect(change).to_contain_text(f"decided by {supervisor}")
        plan.refresh_from_db()
        assert plan.level == Level.UNSUPERVISED_DAY
        assert list(plan.changes.values_list("status", "decided_by")) == [
            (ChangeStatus.APPLIED, supervisor.pk)
        ]
        _sign_out(page)

        # 5. The caseworker records February's visit with the child, at home. --------------------
        journey.sign_in(caseworker)
        journey.goto(f"/cases/{case.pk}/")
        _main(page).get_by_role("link", name="Contacts and monthly visits").click()
        contacts_path = reverse("contacts:child-contacts", args=[case.pk, child.pk])
        expect(page).to_have_url(journey.url(contacts_path))
        journey.audit()
        visits = page.get_by_role("table", name="Full months in care and the visits in each")
        # Removed January 10: February is the only full month in care so far, and it was missed.
        expect(visits.locator("tbody tr")).to_have_count(1)
        expect(_row(page, visits, "February 2026").get_by_role("cell")).to_have_text(
            ["No", "No", "No", "No"]
        )

        journey.goto(f"/cases/{case.pk}/")
        _main(page).get_by_role("link", name="Record a contact").click()
        expect(page).to_have_url(
            journey.url(reverse("contacts:visit-record", args=[case.pk, child.pk]))
        )
        journey.audit()
        expect(page.locator("#id_occurred_on")).to_have_value("2026-03-12")
        page.fill("#id_occurred_on", "2026-02-18")
        expect(page.get_by_label("The child", exact=True)).to_be_checked()
        expect(page.locator("#id_face_to_face")).to_be_checked()
        expect(page.locator("#id_in_child_residence")).to_be_checked()
        page.locator("label[for='id_private_conversation']").click()
        expect(page.locator("#id_private_conversation")).to_be_checked()
        _choose(page, "id_purposes", "Safety")
        _choose(page, "id_purposes", "Well-being")
        page.fill("#id_duration_minutes", "45")
        page.fill("#id_note", "Saw her room; talked alone about school and visits.")
        page.locator("main").get_by_role("button", name="Record contact").click()

        expect(page).to_have_url(journey.url(contacts_path))
        journey.audit()
        expect(_status(page)).to_contain_text("Contact recorded.")
        expect(_row(page, visits, "February 2026").get_by_role("cell")).to_have_text(
            ["Yes", "Yes", "No", "No"]
        )
        expect(_main(page)).to_contain_text(
            "Visited face to face in 1 of 1 full months in care (100.0%)."
        )
        expect(_main(page)).not_to_contain_text("Months without a face-to-face visit:")
        contact_rows = page.get_by_role("table", name="Contacts, newest first")
        row = _row(page, contact_rows, "Feb. 18, 2026")
        expect(row).to_contain_text("The child")
        expect(row).to_contain_text(
            "Face to face; in the child's residence; private conversation; 45 minutes"
        )
        expect(row).to_contain_text("Safety, Well-being")
        contact = CaseworkerContact.objects.get(case=case, child=child)
        assert (
            contact.occurred_on,
            contact.face_to_face,
            contact.in_child_residence,
            contact.private_conversation,
            contact.worker,
        ) == (dt.date(2026, 2, 18), True, True, True, caseworker)
        _sign_out(page)

        # 6. The supervisor's unit compliance for February counts it. ----------------------------
        journey.sign_in(supervisor)
        page.locator("nav").get_by_role("link", name="Caseworker visits").click()
        expect(page).to_have_url(
            journey.url(reverse("contacts:unit-compliance", args=[supervisor.unit_id]))
        )
        journey.audit()
        page.fill("#id_start", "2026-02-01")
        page.fill("#id_end", "2026-02-28")
        page.locator("main").get_by_role("button", name="Show").click()
        expect(page).to_have_url(re.compile(r"\?start=2026-02-01&end=2026-02-28$"))
        journey.audit()
        standards = page.get_by_role(
            "table", name="Caseworker visits against the federal standards"
        )
        expect(
            _row(page, standards, "Child-months with a face-to-face visit").get_by_role("cell")
        ).to_have_text(["1 / 1", "100.0%", "95% or more: met"])
        expect(
            _row(
                page, standards, "Visited months with a visit in the child's residence"
            ).get_by_role("cell")
        ).to_have_text(["1 / 1", "100.0%", "More than half: met"])
        by_worker = page.get_by_role("table", name="Visits per worker")
        expect(_row(page, by_worker, str(caseworker)).get_by_role("cell")).to_have_text(
            ["1", "1", "100.0%", "1"]
        )
        expect(page.get_by_role("table", name="Child-months missed")).to_contain_text(
            "None: every child in care was visited every full month."
        )
        # Family time in February: the plan began in March, so the one child-month had none.
        family = page.get_by_role(
            "table", name=re.compile(r"^Full child-months in care with family time held")
        )
        expect(_row(page, family, "Family time with parents").get_by_role("cell")).to_have_text(
            ["0 / 1", "0.0%"]
        )
        expect(
            _row(page, family, "Family time with siblings placed apart").get_by_role("cell")
        ).to_have_text(["0 / 0", "—"])
