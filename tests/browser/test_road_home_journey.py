"""The whole road home in the browser (issue 6, first journey).

Ana has been in care ten months. The caseworker records an in-home safety analysis: the home is
not calm enough yet and the mother has no stable place to live, so two conditions for return
appear on the case plan. She records the last of four weeks of family time (every session held,
strong) and rates the mother's progress on her goal. The reunification assessment reads the
family time, scores risk low and visitation acceptable, asks the safety questions and recommends
return home; its page shows the decision table row by row, row 1 chosen, and Ana's readiness
page says so too.

She prepares a trial home visit: the mother's partner, whose background check is pending until
it clears, a safety plan with who does what and how it is checked, a crisis plan and an
overnight transition visit (a session of her family-time plan with her mother). The visit starts.
Two months later it is converted to reunification (Ana is discharged, the safety plan closed with
it) and the worker writes the aftercare plan with the family; two weeks on she records the first two weekly follow-up contacts. She asks to close
the case and is refused, the refusal naming what is missing: the closing safety assessment, the
goal not yet met and the court's dismissal. She records the closing safety assessment, rates the
goal met, and records the dismissal from the case page; asked again, the closure waits for the
unit supervisor, who approves it: the case is closed.

The date moves on with time_machine (process-wide, so the live server's thread sees it too, see
test_clocks_journey.py): the trial home visit lasts two months and the follow-up contacts come
after the return home. Every page visited is audited (axe WCAG 2.x A/AA, CSP console): see
`Journey.audit`.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.urls import reverse
from playwright.sync_api import Locator, Page, expect

from reunify.assessments.models import ConditionForReturn, Response
from reunify.case_plans.tests.factories import plan_with_goal
from reunify.cases.models import DischargeReason, FamilyCase, PlacementSetting
from reunify.cases.tests.factories import open_case
from reunify.clocks.dates import add_months
from reunify.core import clock
from reunify.court import services as court_services
from reunify.court.models import HearingKind, OrderKind
from reunify.family_time import services as family_time_services
from reunify.family_time.models import FamilyTimeSession, SessionStatus
from reunify.road_home import selectors as road_home_selectors
from reunify.road_home.models import (
    AftercareContact,
    ClosureRequest,
    ClosureStatus,
    SafetyPlanStatus,
    ThvStatus,
    TrialHomeVisit,
)
from tests.browser.conftest import Journey

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.filterwarnings("ignore:No directory at:UserWarning"),
]

GOAL = "I will keep my home safe."
NO_ANSWERS = {
    "Is the home calm and consistent enough for an in-home safety plan and for safety "
    "providers to be there?": (
        "Shouting and fights between the mother and her partner most evenings.",
        "Three months of calm evenings, confirmed at unannounced visits.",
    ),
    "Do the parents have a stable place to live?": (
        "The mother is staying with friends and moves every few weeks.",
        "A lease in the mother's name with a bedroom for Ana.",
    ),
}
YES_QUESTIONS = (
    "Are the parents willing and able to cooperate with an in-home safety plan?",
    "Are enough safety services and resources available to control the danger in the home?",
    "Can the danger be managed in the home without first completing professional evaluations?",
)
THREATS = (
    "A caregiver is violent or out of control",
    "The child's basic needs are not met",
    "A caregiver is unable or unwilling to protect the child",
    "The home is hazardous to the child",
    "A caregiver's use of alcohol or drugs threatens the child",
    "The child is afraid of the home or of someone in it",
    "A caregiver's emotional condition keeps them from caring for the child",
    "No adult supervises the child",
)


def _main(page: Page) -> Locator:
    return page.locator("main")


def _status(page: Page) -> Locator:
    return page.locator("main [role=status]")


def _submit(page: Page, name: str) -> None:
    _main(page).get_by_role("button", name=name, exact=True).click()


def _answer(scope: Locator, question: str, answer: str) -> None:
    """Tick the answer of a radio group named by its question (USWDS moves the real input
    off-screen, so the label is clicked, as people do) and check the input took it."""
    group = scope.get_by_role("group", name=question, exact=True)
    group.locator("label", has_text=re.compile(rf"^{re.escape(answer)}$")).click()
    expect(group.get_by_label(answer, exact=True)).to_be_checked()


def _sign_in_again(page: Page, journey: Journey, user, next_path: str) -> None:
    """Days later the session has long expired: sign in again, landing on `next_path`."""
    page.context.clear_cookies()
    journey.sign_in(user, next_path=next_path)
    expect(page).to_have_url(journey.url(next_path))


def _family_time_so_far(caseworker, episode, today: dt.date) -> FamilyTimeSession:
    """Four weeks of supervised family time (Mondays and Thursdays, 5 p.m.), every past session
    held and rated strong but the latest, which the worker records in the journey."""
    four_weeks_ago = today - dt.timedelta(weeks=4)
    plan = family_time_services.plan_create(
        actor=caseworker,
        episode=episode,
        level="supervised",
        weekdays=[0, 3],
        start_time=dt.time(17, 0),
        duration_minutes=90,
        location_type="agency_room",
        effective_from=four_weeks_ago,
        today=four_weeks_ago,
    )
    past = list(plan.sessions.filter(starts_at__lt=clock.now()).order_by("starts_at"))
    assert len(past) >= 5  # four counted sessions at least, so that attendance is rated
    for session in past[:-1]:
        family_time_services.session_record(
            actor=caseworker,
            session=session,
            expected_version=session.version,
            status=SessionStatus.HELD,
            attendees="Mother",
            actual_minutes=90,
            quality=4,
        )
    return past[-1]


def test_the_whole_road_home_from_safety_analysis_to_an_approved_closure(
    page: Page, journey: Journey, caseworker, supervisor
):
    start = dt.datetime.now(dt.UTC).replace(microsecond=0)
    with time_machine.travel(start, tick=True) as traveller:
        today = clock.today()
        case = open_case(
            worker=caseworker, name="Okafor", opened_on=add_months(today, -10), today=today
        )
        episode = case.episodes.select_related("child").get()
        child = episode.child
        mother = case.participants.get(role="parent").person
        assert case.unit_id == supervisor.unit_id
        plan_with_goal(worker=caseworker, case=case, change=GOAL)
        # The case is before the court (a review hearing is on the calendar).
        court_services.hearing_schedule(
            actor=caseworker, case=case, kind=HearingKind.REVIEW, scheduled_for=today
        )
        if road_home_selectors.profile_for(case).thv_requires_court_authorization:
            court_services.order_record(
                actor=caseworker,
                case=case,
                kind=OrderKind.THV_AUTHORIZATION,
                issued_on=today,
                text="A trial home visit with the mother is authorized.",
                child=child,
            )
        latest_session = _family_time_so_far(caseworker, episode, today)
        case_path = reverse("cases:case-detail", args=[case.pk])
        plan_path = reverse("case_plans:plan", args=[case.pk])
        road_home_path = reverse("road_home:case", args=[case.pk])
        closure_path = reverse("road_home:closure", args=[case.pk])

        # 1. The in-home safety analysis: two "no" answers. --------------------------------------
        journey.sign_in(caseworker)
        journey.goto(case_path)
        _main(page).get_by_role("link", name="Assessments", exact=True).first.click()
        expect(page).to_have_url(
            journey.url(reverse("assessments:case-assessments", args=[case.pk]))
        )
        journey.audit()
        _main(page).get_by_role("link", name="Record: In-home safety analysis").click()
        journey.audit()
        expect(page.get_by_role("heading", level=1)).to_have_text("Record: In-home safety analysis")
        expect(page.get_by_label(child.full_name, exact=True)).to_be_checked()
        for question in YES_QUESTIONS:
            _answer(_main(page), question, "Yes")
        for question, (why, what) in NO_ANSWERS.items():
            _answer(_main(page), question, "No")
            item = _main(page).locator("[data-item]").filter(has_text=question)
            item.get_by_label("Why the child cannot return home now").fill(why)
            item.get_by_label("What must exist for the child to return home").fill(what)
        _submit(page, "Record the assessment")
        expect(_status(page)).to_contain_text("The assessment was recorded.")
        journey.audit()
        created = _main(page).locator("h2:has-text('Conditions for return created') + ul > li")
        expect(created).to_have_count(2)
        assert ConditionForReturn.objects.filter(case=case, status="open").count() == 2

        # ...and the two conditions for return are on the case plan.
        _main(page).get_by_role("link", name="Conditions for return on the case plan").click()
        expect(page).to_have_url(journey.url(plan_path))
        journey.audit()
        conditions = page.locator("[data-condition]")
        expect(conditions).to_have_count(2)
        for question, (why, what) in NO_ANSWERS.items():
            condition = conditions.filter(has_text=question)
            expect(condition).to_have_attribute("data-status", "open")
            expect(condition).to_contain_text(why)
            expect(condition).to_contain_text(what)
            expect(condition.get_by_role("link", name=re.compile(r"^Review"))).to_be_visible()

        # 2. Family time and progress on the goal. ----------------------------------------------
        family_time_path = reverse("family_time:child", args=[episode.pk])
        journey.goto(case_path)
        _main(page).get_by_role("link", name="Family time", exact=True).click()
        expect(page).to_have_url(journey.url(family_time_path))
        journey.audit()
        recent = page.get_by_role("table", name="The latest sessions and what happened")
        recent.get_by_role("link", name="Record", exact=True).first.click()
        expect(page).to_have_url(
            journey.url(reverse("family_time:session-record", args=[latest_session.pk]))
        )
        journey.audit()
        group = _main(page).locator("fieldset#id_status")
        group.locator("label", has_text=re.compile(r"^Held$")).click()
        quality = _main(page).locator("fieldset#id_quality")
        quality.locator("label", has_text=re.compile(r"^4 — Strong$")).click()
        expect(quality.get_by_label("4 — Strong", exact=True)).to_be_checked()
        page.fill("#id_attendees", f"{mother.full_name}")
        page.fill("#id_observations", "Ana read to her mother; they planned her bedroom.")
        _submit(page, "Save")
        expect(page).to_have_url(journey.url(family_time_path))
        expect(_status(page)).to_contain_text("Session recorded.")
        journey.audit()
        latest_session.refresh_from_db()
        assert (latest_session.status, latest_session.quality) == (SessionStatus.HELD, 4)
        held = FamilyTimeSession.objects.filter(
            plan__episode=episode, status=SessionStatus.HELD
        ).count()

        journey.goto(plan_path)
        _main(page).get_by_role("link", name="Rate progress (goal 1)").click()
        journey.audit()
        _answer(_main(page), "Behaviour change", "3 — Change shown")
        page.fill("#id_evidence", "Keeps the flat tidy and safe at each visit; no one left alone.")
        _submit(page, "Record progress")
        expect(page).to_have_url(journey.url(plan_path))
        expect(_status(page)).to_contain_text("Progress recorded.")
        journey.audit()
        goal = page.locator("section[data-goal]")
        expect(goal).to_contain_text("3 — Change shown")
        expect(goal.locator(".usa-tag", has_text="Met")).to_have_count(0)

        # 3. The reunification assessment recommends return home. --------------------------------
        journey.goto(reverse("assessments:case-assessments", args=[case.pk]))
        _main(page).get_by_role("link", name="Record: Reunification assessment").click()
        journey.audit()
        from_records = page.locator("[data-section=visitation]").get_by_role(
            "region", name="From recorded family time"
        )
        expect(from_records).to_contain_text(f"{held} of {held} sessions held")
        expect(from_records).to_contain_text("Attendance 100%")
        _answer(_main(page), "R1 prior risk level", "Low")
        _answer(_main(page), "R2 new substantiated investigation", "No")
        _answer(
            _main(page), "R3 caregiver progress (least progress)", "Substantial behavioural change"
        )
        # Visitation comes filled from the family time just recorded.
        for question, value in (
            ("V3 compliance with the visitation plan", "Excellent"),
            ("V4 quality of visitation", "Strong"),
        ):
            group = _main(page).get_by_role("group", name=question, exact=True)
            expect(group.get_by_label(value, exact=True)).to_be_checked()
        expect(page.get_by_label("V2 visits completed")).to_have_value(str(held))
        # The risk and visitation answers ask the safety section: wait until it is drawn.
        expect(page.locator("#asked-sections fieldset[data-section=safety]")).to_be_visible()
        page.wait_for_load_state("networkidle")
        for question in ("S1 danger indicator", "S2 danger indicator", "S3 danger indicator"):
            _answer(_main(page), question, "No")
        _answer(_main(page), "Safety decision", "Safe")
        _submit(page, "Record the assessment")
        expect(_status(page)).to_contain_text("The assessment was recorded.")
        journey.audit()
        decision = page.locator(f"section[data-decision='{child.pk}']")
        expect(decision.get_by_role("heading", level=3)).to_have_text(
            f"{child.full_name}: Return home"
        )
        rows = decision.locator("table[data-row]")
        expect(rows).to_have_count(
            8
        )  # every row of the v3 table (1, 2a-4b, 5), each with its checks
        chosen = decision.locator("table[data-chosen=true]")
        expect(chosen).to_have_count(1)
        expect(chosen).to_have_attribute("data-row", "1")
        expect(chosen.locator("caption")).to_contain_text("Row 1 → Return home")
        expect(chosen.locator("caption")).to_contain_text("chosen")
        expect(rows.nth(1).locator("caption")).to_contain_text("does not hold")
        assessment = Response.objects.get(case=case, instrument_key="reunification_assessment")
        assert assessment.risk_level == "low"
        assert assessment.covered.get().outcome == "return_home"

        journey.goto(case_path)
        _main(page).get_by_role("link", name="Can the child go home? (readiness)").click()
        journey.audit()
        expect(page.locator("[data-summary=recommendation]")).to_contain_text("Return home")

        # 4. A trial home visit, with its safety and crisis plans. --------------------------------
        journey.goto(case_path)
        _main(page).get_by_role(
            "link", name="Trial home visits, safety plans and aftercare"
        ).click()
        expect(page).to_have_url(journey.url(road_home_path))
        journey.audit()
        _main(page).get_by_role(
            "link", name=f"Prepare a trial home visit for {child.full_name}"
        ).click()
        journey.audit()
        page.get_by_label("Whose home the child returns to").fill(
            f"{mother.full_name} (mother), at her new flat"
        )
        _submit(page, "Prepare")
        expect(_status(page)).to_contain_text("Trial home visit prepared.")
        journey.audit()
        thv = TrialHomeVisit.objects.get(episode=episode)
        thv_path = reverse("road_home:thv", args=[thv.pk])
        expect(page).to_have_url(journey.url(thv_path))
        expect(_main(page)).to_contain_text("Reunification assessment of")
        missing = _main(page).locator(".usa-alert--warning")
        expect(missing).to_contain_text("Add at least one action to the safety plan.")
        expect(missing).to_contain_text("Name whom the family calls in a crisis.")
        expect(missing).to_contain_text("Plan at least one transition family-time session.")

        # The mother's partner lives there: his check is pending, then clears.
        partner = "Daniel Mensah"
        _main(page).get_by_role("link", name="Add an adult").click()
        journey.audit()
        page.fill("#id_name", partner)
        page.get_by_label("Relationship to the child").fill("Mother's partner")
        _answer(_main(page), "Background check", "Pending")
        _submit(page, "Add")
        expect(_status(page)).to_contain_text("Adult added.")
        journey.audit()
        expect(missing).to_contain_text(f"The background check of {partner} is still pending.")
        _main(page).get_by_role("link", name="Record a background check result").click()
        journey.audit()
        page.select_option("#id_adult", label=partner)
        _answer(_main(page), "Background check", "Cleared")
        _submit(page, "Record")
        expect(_status(page)).to_contain_text("Background check recorded.")
        journey.audit()
        expect(missing).not_to_contain_text(partner)

        # The safety plan: what keeps Ana safe, who is responsible, how it is checked.
        _main(page).get_by_role("link", name="Open the safety plan").click()
        journey.audit()
        _main(page).get_by_role("link", name="Add a safety action").click()
        journey.audit()
        page.get_by_label("Safety action").fill("Ana is never left alone with an adult who drank")
        page.get_by_label("Responsible adult").fill(mother.full_name)
        page.get_by_label("How it is checked").fill("Unannounced home visit each week")
        _submit(page, "Add")
        expect(_status(page)).to_contain_text("Safety action added.")
        journey.audit()
        actions = page.get_by_role("table", name="Safety actions")
        expect(actions).to_contain_text("Unannounced home visit each week")
        page.get_by_role("navigation", name="Breadcrumbs").get_by_role(
            "link", name=f"Trial home visit of {child.full_name}"
        ).click()
        expect(page).to_have_url(journey.url(thv_path))
        journey.audit()

        # The crisis plan, and an overnight at home before the visit.
        _main(page).get_by_role("link", name="Edit the crisis plan").click()
        journey.audit()
        page.get_by_label("Whom the family calls in a crisis").fill("Aunt Grace Okafor")
        page.get_by_label("Their phone number").fill("555-0142")
        page.get_by_label("What happens then").fill(
            "Grace comes over or takes Ana for the night; the mother calls the worker next day."
        )
        _submit(page, "Save")
        expect(_status(page)).to_contain_text("Crisis plan saved.")
        journey.audit()
        _main(page).get_by_role("link", name="Plan a transition visit").click()
        journey.audit()
        # It becomes a session of Ana's family-time plan with her mother: from 7 p.m., after
        # that day's supervised session (5 to 6:30 p.m. on Mondays and Thursdays), to 10 a.m.
        page.select_option("#id_kind", label="Overnight at home")
        page.fill("#id_on", (today - dt.timedelta(days=3)).isoformat())
        page.fill("#id_start_time", "19:00")
        page.fill("#id_ends_on", (today - dt.timedelta(days=2)).isoformat())
        page.fill("#id_end_time", "10:00")
        page.fill("#id_note", "Friday night at the new flat")
        _submit(page, "Plan")
        expect(_status(page)).to_contain_text("Transition visit planned.")
        journey.audit()
        expect(_main(page)).to_contain_text("Everything is in place: the visit may start.")
        expect(_main(page)).to_contain_text("Overnight at home — Friday night at the new flat")
        assert FamilyTimeSession.objects.get(transition_visit__thv=thv).kind == "transition"

        _main(page).get_by_role("link", name="Start the trial home visit").click()
        journey.audit()
        expect(page.get_by_label("The child went home on")).to_have_value(today.isoformat())
        _submit(page, "Start")
        expect(_status(page)).to_contain_text("The trial home visit has begun.")
        journey.audit()
        expect(_main(page)).to_contain_text("Under way")
        expect(_main(page)).to_contain_text("Time limit")
        thv.refresh_from_db()
        assert thv.status == ThvStatus.ACTIVE
        assert thv.started_on == today
        assert episode.placements.get(ended_on__isnull=True).setting == (
            PlacementSetting.TRIAL_HOME_VISIT
        )

        # 5. Two months on, the visit is converted to reunification. ------------------------------
        traveller.move_to(start + dt.timedelta(days=61))
        returned_on = clock.today()
        _sign_in_again(page, journey, caseworker, thv_path)
        _main(page).get_by_role("link", name="End the trial home visit").click()
        journey.audit()
        _answer(
            _main(page), "Outcome", "Converted to reunification: the child stays home (discharge)"
        )
        expect(page.get_by_label("Ended on")).to_have_value(returned_on.isoformat())
        page.get_by_label("What happened").fill(
            "Two calm months at home; school attendance full; the safety plan was kept."
        )
        expect(page.get_by_label("Close the visit's safety plan too")).to_be_checked()
        _submit(page, "End the visit")
        expect(_status(page)).to_contain_text("The trial home visit has ended.")
        journey.audit()
        expect(_main(page)).to_contain_text("Converted to reunification")
        episode.refresh_from_db()
        assert (episode.discharged_on, episode.discharge_reason) == (
            returned_on,
            DischargeReason.REUNIFICATION,
        )
        thv.refresh_from_db()
        assert thv.safety_plan.status == SafetyPlanStatus.CLOSED

        # 6. The aftercare plan, written with the family. -----------------------------------------
        _main(page).get_by_role("link", name="The road home", exact=True).click()
        expect(page).to_have_url(journey.url(road_home_path))
        journey.audit()
        _main(page).get_by_role("link", name="Write the aftercare plan").click()
        journey.audit()
        page.get_by_label("Services after the return").fill(
            "In-home family support, weekly for three months (Harbor Family Services)"
        )
        page.get_by_label("Informal supports named with the family").fill(
            "Aunt Grace: Sunday dinners and school pick-up on Wednesdays"
        )
        page.get_by_label("What happens if things slip").fill(
            "If the arguments come back, the mother calls Grace and the worker the same day."
        )
        page.get_by_label("Whom the family calls in a crisis").fill("Aunt Grace Okafor")
        page.get_by_label("Their phone number").fill("555-0142")
        _submit(page, "Write the plan")
        expect(_status(page)).to_contain_text(
            "Aftercare plan written, with its follow-up contacts."
        )
        journey.audit()
        aftercare_path = page.url.removeprefix(journey.base_url)
        expect(_main(page)).to_contain_text("6 months, until")
        contacts = page.get_by_role("table", name="Follow-up contacts")
        weekly = [returned_on + dt.timedelta(weeks=n) for n in (1, 2)]
        assert (
            list(
                AftercareContact.objects.filter(plan__case=case)
                .order_by("due_on")
                .values_list("due_on", flat=True)[:2]
            )
            == weekly
        )

        # 7. Two weeks after the return: the first two weekly contacts. ---------------------------
        traveller.move_to(start + dt.timedelta(days=61 + 15))
        _sign_in_again(page, journey, caseworker, aftercare_path)
        for held_on, how, who in (
            (weekly[0], "Visit at home", f"{mother.full_name} and {child.full_name}"),
            (weekly[1], "Phone", mother.full_name),
        ):
            contacts.get_by_role("link", name=re.compile(r"^Record")).first.click()
            journey.audit()
            page.fill("#id_held_on", held_on.isoformat())
            page.select_option("#id_how", label=how)
            page.get_by_label("Who was seen").fill(who)
            page.locator("#id_note").fill("Routines holding; no arguments reported.")
            _submit(page, "Record")
            expect(page).to_have_url(journey.url(aftercare_path))
            expect(_status(page)).to_contain_text("Follow-up contact recorded.")
            journey.audit()
        expect(_main(page)).to_contain_text(re.compile(r"2 held, 0 missed, of \d+ planned\."))
        expect(contacts.locator("tbody tr").nth(0)).to_contain_text("Visit at home")
        expect(contacts.locator("tbody tr").nth(1)).to_contain_text("Phone")

        # 8. Closure is refused while the checklist fails, naming what fails. ---------------------
        journey.goto(road_home_path)
        _main(page).get_by_role("link", name="Closure checklist").click()
        expect(page).to_have_url(journey.url(closure_path))
        journey.audit()
        checklist = page.get_by_role("list", name="Closure checklist")
        expect(checklist).to_contain_text("An aftercare plan is in place.")
        expect(checklist).to_contain_text("No child is still in care.")
        page.get_by_label("Note for the supervisor").fill("Ana is home and doing well.")
        _submit(page, "Ask to close the case")
        journey.audit()
        refusal = (
            _main(page)
            .get_by_role("alert")
            .filter(has=page.get_by_role("heading", name="The case cannot close yet"))
        )
        expect(refusal.locator("li")).to_have_text(
            [
                "Record a closing safety assessment.",
                f"The case-plan goal “{GOAL}” is not met.",
                "Record the court's dismissal of the case.",
            ]
        )
        assert not ClosureRequest.objects.filter(case=case).exists()

        # The closing safety assessment: no threat present.
        journey.goto(reverse("assessments:case-assessments", args=[case.pk]))
        _main(page).get_by_role("link", name="Record: Closing safety assessment").click()
        journey.audit()
        for threat in THREATS:
            _answer(_main(page), threat, "Absent")
        _answer(_main(page), "Is the child safe at home now?", "Safe")
        _submit(page, "Record the assessment")
        expect(_status(page)).to_contain_text("The assessment was recorded.")
        journey.audit()

        # The goal is met: the change has lasted.
        journey.goto(plan_path)
        _main(page).get_by_role("link", name="Rate progress (goal 1)").click()
        journey.audit()
        _answer(_main(page), "Behaviour change", "4 — Change sustained")
        page.fill("#id_evidence", "Two months home: the flat safe and Ana never left alone.")
        _submit(page, "Record progress")
        expect(_status(page)).to_contain_text("Progress recorded.")
        journey.audit()
        expect(goal.locator(".usa-tag", has_text="Met")).to_be_visible()

        # The court dismisses the case.
        journey.goto(case_path)
        _main(page).get_by_role("link", name="Record a court order").click()
        journey.audit()
        page.get_by_label("Kind of order").select_option(label="Dismissal")
        page.get_by_label("What the court ordered").fill(
            "The child is returned to the mother; the dependency is dismissed."
        )
        _submit(page, "Record order")
        expect(page).to_have_url(journey.url(f"{case_path}#court"))
        expect(_status(page)).to_contain_text("Court order recorded.")
        journey.audit()

        # Asked again, the checklist passes and the request waits for the supervisor.
        _main(page).get_by_role("link", name="Closure checklist").click()
        expect(page).to_have_url(journey.url(closure_path))
        journey.audit()
        expect(checklist.get_by_text("Not yet")).to_have_count(0)
        expect(checklist).to_contain_text("The court dismissal is recorded.")
        _submit(page, "Ask to close the case")
        expect(_status(page)).to_contain_text(
            "Closure requested; a supervisor of the unit decides."
        )
        journey.audit()
        request = ClosureRequest.objects.get(case=case)
        assert request.status == ClosureStatus.REQUESTED

        # 9. The unit supervisor approves: the case is closed. ------------------------------------
        page.context.clear_cookies()
        journey.sign_in(supervisor, next_path=closure_path)
        expect(page).to_have_url(journey.url(closure_path))
        journey.audit()
        _main(page).get_by_role("link", name="Decide", exact=True).click()
        expect(page).to_have_url(
            journey.url(reverse("road_home:closure-decide", args=[request.pk]))
        )
        journey.audit()
        expect(page.get_by_role("list", name="Closure checklist")).not_to_contain_text("Not yet")
        _answer(_main(page), "Decision", "Approve: close the case")
        _submit(page, "Record the decision")
        expect(page).to_have_url(journey.url(closure_path))
        expect(_status(page)).to_contain_text("Decision recorded.")
        journey.audit()
        closed_on = clock.today()
        expect(_main(page)).to_contain_text("The case closed on")
        expect(_main(page)).to_contain_text(f"decided by {supervisor}")
        case.refresh_from_db()
        request.refresh_from_db()
        assert (case.status, case.closed_on) == (FamilyCase.Status.CLOSED, closed_on)
        assert request.status == ClosureStatus.APPROVED
        assert request.decided_by == supervisor
