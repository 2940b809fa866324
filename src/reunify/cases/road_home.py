"""The road home: what must be in place before a trial home visit starts, before a case closes,
whether a new removal is a re-entry, and when the aftercare contacts fall (issue 6).

Pure: plain values in, results out; no Django (import-linter and mypy strict check it). Problem
messages are module constants marked with `gettext_noop`; those that name a person, a goal or a
threat are returned as `Text`: filled in, and still carrying the template and values so the
caller can translate.

Readings (reference/domain.md §4.1 guards, §2 steps 9-13, §9 T21/T22/T24):
- A trial home visit may start when a recorded reunification assessment recommends return home
  *or* every condition for return is met (the in-home safety analysis answered "yes" to all five
  questions) [S46, S48]; court authorization only where the jurisdiction profile requires it
  [S5]; every other adult in the household cleared by a background check ("pending" blocks as
  much as "not cleared"); a safety plan whose every action names a responsible adult and how it
  is checked; a crisis plan naming whom the family calls and what happens; at least one planned
  transition family-time session [S34].
- A case may close only when every checklist item passes: a closing safety assessment recorded
  with no active threats; a final risk level of low or moderate (the SDM bands under which
  return home is recommended, §6.1; no level recorded fails); every case-plan goal met; a court
  dismissal recorded when the case was court-involved; an aftercare plan when any child was
  reunified; no safety plan still open (Arizona) [S38b, S41b, S48]; and no child still in care:
  the case closes after every removal episode is discharged (a child on a trial home visit is
  still in care, reference/domain.md §4.2).
- Re-entry follows CFSR Round 3 P4 [S11]: a removal counts when the previous discharge was to
  reunification, to a relative or to guardianship, and the new removal falls after the discharge
  and no later than the same date 12 calendar months on. Adoption is *not* among these exits, so
  this set is narrower than `rules.PERMANENCY_EXITS` (the Round 4 re-entry indicator).
- Aftercare contacts: weekly contacts for the first weeks after the return home (4 by default,
  Missouri's weekly in-home contact in month one, manual 10.11.9 [S38]), then one contact a month
  from the last weekly contact, until the aftercare period ends (6 months by default, the
  Illinois minimum of services after return, 89 Ill. Adm. Code 315.310 [S39c]; Missouri sets no
  length). A contact on the last day of the period is included.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from reunify.clocks.dates import add_months
from reunify.core.marks import gettext_noop


class Text(str):
    """A message filled in with its values that still knows its template and values, so the
    caller translates the template and fills it again (`str(text)` is the English)."""

    template: str
    params: dict[str, str]

    def __new__(cls, template: str, **params: str) -> Text:
        text = super().__new__(cls, template % params)
        text.template = template
        text.params = params
        return text


# Background-check statuses.
CLEARED = "cleared"
PENDING = "pending"
NOT_CLEARED = "not_cleared"

# Final risk levels (SDM reunification reassessment, reference/domain.md §6.1).
LOW = "low"
MODERATE = "moderate"
HIGH = "high"
VERY_HIGH = "very_high"
ACCEPTABLE_RISK = frozenset({LOW, MODERATE})

# Discharge reasons after which a new removal is a re-entry (CFSR3 P4; cases.models values).
REENTRY_EXITS = frozenset({"reunification", "living_with_relative", "guardianship"})
REENTRY_WINDOW_MONTHS = 12

WEEKLY_CONTACT_WEEKS = 4
AFTERCARE_MONTHS = 6

# ---- trial home visit ------------------------------------------------------------------------

NO_RECOMMENDATION = gettext_noop(
    "Record a recommendation to return home, or meet every condition for return."
)
NO_COURT_AUTHORIZATION = gettext_noop(
    "Record the court's authorization: this jurisdiction requires it for a trial home visit."
)
ADULT_PENDING = gettext_noop("The background check of %(name)s is still pending.")
ADULT_NOT_CLEARED = gettext_noop("%(name)s has not cleared the background check.")
NO_SAFETY_ACTIONS = gettext_noop("Add at least one action to the safety plan.")
ACTION_NO_ADULT = gettext_noop("Name the adult responsible for the safety action “%(action)s”.")
ACTION_NO_CHECK = gettext_noop("Say how the safety action “%(action)s” is checked.")
NO_CRISIS_CALL = gettext_noop("Name whom the family calls in a crisis.")
NO_CRISIS_STEPS = gettext_noop("Say what happens when the family calls in a crisis.")
NO_TRANSITION_SESSIONS = gettext_noop("Plan at least one transition family-time session.")


@dataclass(frozen=True, slots=True)
class HouseholdAdult:
    name: str
    background_check: str  # CLEARED, PENDING or NOT_CLEARED


@dataclass(frozen=True, slots=True)
class SafetyAction:
    action: str
    responsible_adult: str
    how_checked: str


@dataclass(frozen=True, slots=True)
class CrisisPlan:
    who_to_call: str
    what_happens: str


@dataclass(frozen=True, slots=True)
class ThvStart:
    return_recommended: bool
    conditions_for_return_met: bool
    court_authorization_required: bool  # from the jurisdiction profile
    court_authorized: bool
    other_adults: Sequence[HouseholdAdult] = ()
    safety_actions: Sequence[SafetyAction] = ()
    crisis_plan: CrisisPlan | None = None
    transition_sessions_planned: int = 0


def thv_start_problems(thv: ThvStart) -> list[str]:
    """Why the trial home visit may not start yet; empty when it may."""
    problems: list[str] = []
    if not (thv.return_recommended or thv.conditions_for_return_met):
        problems.append(NO_RECOMMENDATION)
    if thv.court_authorization_required and not thv.court_authorized:
        problems.append(NO_COURT_AUTHORIZATION)
    for adult in thv.other_adults:
        if adult.background_check == CLEARED:
            continue
        message = ADULT_PENDING if adult.background_check == PENDING else ADULT_NOT_CLEARED
        problems.append(Text(message, name=adult.name))
    if not thv.safety_actions:
        problems.append(NO_SAFETY_ACTIONS)
    for step in thv.safety_actions:
        if not step.responsible_adult.strip():
            problems.append(Text(ACTION_NO_ADULT, action=step.action))
        if not step.how_checked.strip():
            problems.append(Text(ACTION_NO_CHECK, action=step.action))
    crisis = thv.crisis_plan
    if crisis is None or not crisis.who_to_call.strip():
        problems.append(NO_CRISIS_CALL)
    if crisis is None or not crisis.what_happens.strip():
        problems.append(NO_CRISIS_STEPS)
    if thv.transition_sessions_planned < 1:
        problems.append(NO_TRANSITION_SESSIONS)
    return problems


# ---- case closure ----------------------------------------------------------------------------

SAFETY = "safety_assessment"
RISK = "risk"
GOALS = "goals"
COURT = "court_dismissal"
AFTERCARE = "aftercare_plan"
SAFETY_PLAN = "safety_plan"
IN_CARE = "in_care"

SAFETY_OK = gettext_noop("The closing safety assessment shows no active threats.")
SAFETY_MISSING = gettext_noop("Record a closing safety assessment.")
SAFETY_THREATS = gettext_noop("The closing safety assessment shows active threats: %(threats)s.")
RISK_OK = gettext_noop("The risk level is acceptable (low or moderate).")
RISK_MISSING = gettext_noop("Record the final risk level; a case closes at low or moderate risk.")
RISK_TOO_HIGH = gettext_noop("The risk level is %(level)s; a case closes at low or moderate risk.")
GOALS_OK = gettext_noop("Every case-plan goal is met.")
GOAL_UNMET = gettext_noop("The case-plan goal “%(goal)s” is not met.")
COURT_OK = gettext_noop("The court dismissal is recorded.")
COURT_NOT_INVOLVED = gettext_noop("The case was not court-involved; no dismissal is needed.")
COURT_MISSING = gettext_noop("Record the court's dismissal of the case.")
AFTERCARE_OK = gettext_noop("An aftercare plan is in place.")
AFTERCARE_NOT_NEEDED = gettext_noop("No child was reunified; no aftercare plan is needed.")
AFTERCARE_MISSING = gettext_noop("Put an aftercare plan in place for the reunified children.")
SAFETY_PLAN_OK = gettext_noop("No safety plan is open.")
SAFETY_PLAN_OPEN = gettext_noop("Close the open safety plan before closing the case.")
IN_CARE_OK = gettext_noop("No child is still in care.")
CHILD_IN_CARE = gettext_noop(
    "%(child)s is still in care (a trial home visit included); record the discharge first."
)


@dataclass(frozen=True, slots=True)
class Goal:
    name: str
    met: bool


@dataclass(frozen=True, slots=True)
class Closure:
    safety_assessment_recorded: bool
    active_threats: Sequence[str] = ()  # from the closing safety assessment
    risk_level: str = ""  # final level after overrides; "" when none is recorded
    goals: Sequence[Goal] = ()
    court_involved: bool = False
    court_dismissed: bool = False
    any_child_reunified: bool = False
    aftercare_plan: bool = False
    open_safety_plan: bool = False
    children_in_care: Sequence[str] = ()  # names of children whose removal episode is open


@dataclass(frozen=True, slots=True)
class ChecklistItem:
    key: str
    ok: bool
    message: str


def closure_checklist(closure: Closure) -> list[ChecklistItem]:
    """Every closure criterion, passing or not, in the order a worker settles them."""
    items: list[ChecklistItem] = []

    if not closure.safety_assessment_recorded:
        items.append(ChecklistItem(SAFETY, False, SAFETY_MISSING))
    elif closure.active_threats:
        threats = ", ".join(closure.active_threats)
        items.append(ChecklistItem(SAFETY, False, Text(SAFETY_THREATS, threats=threats)))
    else:
        items.append(ChecklistItem(SAFETY, True, SAFETY_OK))

    if not closure.risk_level:
        items.append(ChecklistItem(RISK, False, RISK_MISSING))
    elif closure.risk_level not in ACCEPTABLE_RISK:
        level = closure.risk_level.replace("_", " ")
        items.append(ChecklistItem(RISK, False, Text(RISK_TOO_HIGH, level=level)))
    else:
        items.append(ChecklistItem(RISK, True, RISK_OK))

    unmet = [goal.name for goal in closure.goals if not goal.met]
    if unmet:
        items.extend(ChecklistItem(GOALS, False, Text(GOAL_UNMET, goal=name)) for name in unmet)
    else:
        items.append(ChecklistItem(GOALS, True, GOALS_OK))

    if not closure.court_involved:
        items.append(ChecklistItem(COURT, True, COURT_NOT_INVOLVED))
    else:
        dismissed = closure.court_dismissed
        items.append(ChecklistItem(COURT, dismissed, COURT_OK if dismissed else COURT_MISSING))

    if not closure.any_child_reunified:
        items.append(ChecklistItem(AFTERCARE, True, AFTERCARE_NOT_NEEDED))
    else:
        planned = closure.aftercare_plan
        items.append(
            ChecklistItem(AFTERCARE, planned, AFTERCARE_OK if planned else AFTERCARE_MISSING)
        )

    items.append(
        ChecklistItem(SAFETY_PLAN, False, SAFETY_PLAN_OPEN)
        if closure.open_safety_plan
        else ChecklistItem(SAFETY_PLAN, True, SAFETY_PLAN_OK)
    )

    if closure.children_in_care:
        items.extend(
            ChecklistItem(IN_CARE, False, Text(CHILD_IN_CARE, child=name))
            for name in closure.children_in_care
        )
    else:
        items.append(ChecklistItem(IN_CARE, True, IN_CARE_OK))
    return items


def closure_problems(closure: Closure) -> list[str]:
    """The failing items' messages; the case may close only when this is empty."""
    return [item.message for item in closure_checklist(closure) if not item.ok]


# ---- re-entry --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Reentry:
    days_since_discharge: int
    counted_exit: bool  # the previous discharge was one the CFSR3 P4 measure follows
    within_12_months: bool


def reentry(previous_discharge_on: date, previous_reason: str, new_removal_on: date) -> Reentry:
    """Whether a new removal is a re-entry within 12 months in the CFSR3 P4 reading (module
    docstring). A removal on or before the discharge is a recording error, not a re-entry."""
    if new_removal_on <= previous_discharge_on:
        raise ValueError("The new removal must come after the previous discharge.")
    counted = previous_reason in REENTRY_EXITS
    window_ends = add_months(previous_discharge_on, REENTRY_WINDOW_MONTHS)
    return Reentry(
        days_since_discharge=(new_removal_on - previous_discharge_on).days,
        counted_exit=counted,
        within_12_months=counted and new_removal_on <= window_ends,
    )


# ---- aftercare contacts ----------------------------------------------------------------------


def aftercare_schedule(
    returned_on: date,
    profile_weeks_weekly_contact: int = WEEKLY_CONTACT_WEEKS,
    months: int = AFTERCARE_MONTHS,
) -> list[date]:
    """Planned follow-up contacts after the return home on `returned_on`: one a week for the
    first `profile_weeks_weekly_contact` weeks, then one a month (counted in calendar months from
    the last weekly contact, so they do not drift) until `months` after the return."""
    if profile_weeks_weekly_contact < 0 or months < 0:
        raise ValueError("Weeks and months of aftercare cannot be negative.")
    ends = add_months(returned_on, months)
    weekly = [
        returned_on + timedelta(weeks=week) for week in range(1, profile_weeks_weekly_contact + 1)
    ]
    contacts = [on for on in weekly if on <= ends]
    anchor = contacts[-1] if contacts else returned_on
    step = 1
    while (on := add_months(anchor, step)) <= ends:
        contacts.append(on)
        step += 1
    return contacts
