"""What a family or partner account may see, from the facts of its standing. Pure; no Django.

The portal asks these functions on every request with facts read fresh from the record, so a
change of standing (termination of parental rights entered, a no-contact order, a placement
ended, consent revoked, the case closed) takes effect from the very next request
(reliability.md AZ-6). Deny by default: a standing these rules do not know sees nothing.

Readings:
- A parent sees their case's road home, family time, court dates, tasks and services, case plan,
  documents shared with them and messages with the worker.
- Under a no-contact order the parent sees nothing of the child's placement or schedule: no
  family time, no shared-parenting journal; messages with the worker and the rest stay.
- After termination of their parental rights the parent sees only what the jurisdiction profile
  allows (`portal_after_tpr_court_dates`: the court dates, so an appeal stays possible; off by
  default).
- When the case closes the parent keeps what the profile allows (`portal_after_closure_case_plan`:
  the case plan they worked on; on by default) and loses the rest.
- A resource parent sees a child only while the child is placed with them now; a former
  placement sees nothing new.
- A youth (14 or older) sees their own road home, family time, court dates and messages while
  their case is open.
- A parent partner sees a parent only while matched, with the parent's consent on file, not
  revoked and not expired, and only the parent-shared field set.
"""

from __future__ import annotations

from dataclasses import dataclass

ROAD_HOME = "road_home"
FAMILY_TIME = "family_time"
COURT_DATES = "court_dates"
TASKS = "tasks"
CASE_PLAN = "case_plan"
DOCUMENTS = "documents"
MESSAGES = "messages"
JOURNAL = "journal"
CHILD_NEEDS = "child_needs"
CASEWORKER_CONTACT = "caseworker_contact"
PARTNER = "partner"

PARENT_ALL = frozenset(
    {ROAD_HOME, FAMILY_TIME, COURT_DATES, TASKS, CASE_PLAN, DOCUMENTS, MESSAGES, JOURNAL}
)
NO_CONTACT_HIDES = frozenset({FAMILY_TIME, JOURNAL})
RESOURCE_ALL = frozenset({FAMILY_TIME, CHILD_NEEDS, CASEWORKER_CONTACT, JOURNAL})
YOUTH_ALL = frozenset({ROAD_HOME, FAMILY_TIME, COURT_DATES, MESSAGES})
YOUTH_MIN_AGE = 14


@dataclass(frozen=True, slots=True)
class Rules:
    """The jurisdiction profile's portal rules."""

    after_tpr_court_dates: bool = False
    after_closure_case_plan: bool = True


@dataclass(frozen=True, slots=True)
class ParentStanding:
    case_open: bool
    parental_rights_terminated: bool = False
    no_contact_order: bool = False


def parent_sections(standing: ParentStanding, rules: Rules) -> frozenset[str]:
    if standing.parental_rights_terminated:
        return frozenset({COURT_DATES}) if rules.after_tpr_court_dates else frozenset()
    sections = PARENT_ALL
    if standing.no_contact_order:
        sections = sections - NO_CONTACT_HIDES
    if not standing.case_open:
        kept = {CASE_PLAN} if rules.after_closure_case_plan else set()
        sections = sections & frozenset(kept)
    return sections


def resource_sections(*, placed_now: bool, case_open: bool) -> frozenset[str]:
    return RESOURCE_ALL if placed_now and case_open else frozenset()


def youth_sections(*, age: int | None, case_open: bool) -> frozenset[str]:
    if age is None or age < YOUTH_MIN_AGE or not case_open:
        return frozenset()
    return YOUTH_ALL


def partner_sections(
    *, matched: bool, consent_on_file: bool, consent_current: bool
) -> frozenset[str]:
    return frozenset({PARTNER}) if matched and consent_on_file and consent_current else frozenset()
