"""Case-review compliance rates for the outcomes page, from what Reunify has recorded.

Nothing is re-counted here: each rate comes from the selector that owns the rule, over the same
cases.
- Caseworker visits (a face-to-face visit in each full calendar month in care; the majority of
  visited months in the child's residence): `contacts.selectors.compliance_for_cases`, rules in
  `contacts/compliance.py`.
- Family time (held at least once in each full month in care, with the parents, and with a
  sibling in care living elsewhere): `family_time.selectors.family_time_rates`, rules in
  `family_time/evaluation.py`.
- Initial case plan within 60 days of removal (the agency's clock profile, 45 CFR 1356.21(g)):
  `clocks.selectors.unit_compliance`, key `case_plan`, rules in `clocks/rules.py`.

A measure with nothing to count says why instead of showing a zero: no child in care for a full
month in the period, no case plan due in it, or no record of that kind at all for these children
(the agency keeps it elsewhere, or has not started recording it in Reunify). A zero rate is shown
only when there were records and none met the rule.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from reunify.accounts.models import Agency
from reunify.case_plans.models import CasePlan
from reunify.cases.models import FamilyCase
from reunify.clocks import profiles
from reunify.clocks import selectors as clock_selectors
from reunify.contacts import compliance as visit_rules
from reunify.contacts import selectors as contact_selectors
from reunify.contacts.models import CaseworkerContact
from reunify.core import clock
from reunify.family_time import selectors as family_time_selectors
from reunify.family_time.models import FamilyTimeSession
from reunify.people.models import Person

CASEWORKER_VISITS = "caseworker_visits"
VISITS_IN_RESIDENCE = "visits_in_residence"
FAMILY_TIME_PARENTS = "family_time_parents"
FAMILY_TIME_SIBLINGS = "family_time_siblings"
CASE_PLAN_60_DAYS = "case_plan_60_days"
KEYS = (
    CASEWORKER_VISITS,
    VISITS_IN_RESIDENCE,
    FAMILY_TIME_PARENTS,
    FAMILY_TIME_SIBLINGS,
    CASE_PLAN_60_DAYS,
)

TITLES = {
    CASEWORKER_VISITS: _("Caseworker visit each full month in care"),
    VISITS_IN_RESIDENCE: _("Visited months with a visit in the child's residence"),
    FAMILY_TIME_PARENTS: _("Family time with parents each full month in care"),
    FAMILY_TIME_SIBLINGS: _("Family time with siblings placed apart each full month"),
    CASE_PLAN_60_DAYS: _("Initial case plan within %(days)s days of removal"),
}

NO_FULL_MONTHS = _("No child was in care for a full calendar month in the period.")
NO_VISITS_RECORDED = _("No caseworker visits are recorded in Reunify for these children.")
NO_VISITED_MONTHS = _("No month in the period had a face-to-face visit.")
NO_FAMILY_TIME_RECORDED = _("No family time is recorded in Reunify for these children.")
NO_SIBLINGS_APART = _("No child in care had a sibling in care living elsewhere.")
NO_CASE_PLANS_RECORDED = _("No case plans are recorded in Reunify for these children.")
NO_CASE_PLAN_DUE = _("No initial case plan came due in the period.")


@dataclass(frozen=True)
class Measure:
    """One compliance rate, or why there is none (`missing`)."""

    key: str
    title: str | Promise
    numerator: int | None
    denominator: int | None
    target_percent: int | None = None
    missing: str | Promise = ""

    @property
    def rate(self) -> float | None:
        """Percent, unrounded; None when the measure is missing."""
        if self.missing or not self.denominator or self.numerator is None:
            return None
        return 100 * self.numerator / self.denominator

    @property
    def available(self) -> bool:
        return not self.missing


def case_plan_title(days: int) -> str:
    return str(TITLES[CASE_PLAN_60_DAYS]) % {"days": days}


def title_for(key: str, *, agency_id: int) -> str:
    """A measure's title; the case plan's names the agency's time limit."""
    if key == CASE_PLAN_60_DAYS:
        profile = profiles.get(Agency.objects.get(pk=agency_id).clock_profile)
        return case_plan_title(profile.case_plan_days)
    return str(TITLES[key])


def _measure(
    key: str,
    title: str | Promise,
    numerator: int,
    denominator: int,
    *,
    recorded: bool,
    empty: str | Promise,
    unrecorded: str | Promise,
    target: int | None = None,
) -> Measure:
    if denominator == 0:
        return Measure(key, title, None, None, target, missing=empty)
    if not recorded:
        return Measure(key, title, None, None, target, missing=unrecorded)
    return Measure(key, title, numerator, denominator, target)


def _no_visited_months(months: int, *, recorded: bool) -> str | Promise:
    if not months:
        return NO_FULL_MONTHS
    return NO_VISITED_MONTHS if recorded else NO_VISITS_RECORDED


def cases_in_scope(*, agency_id: int, unit_id: int | None = None) -> QuerySet[FamilyCase]:
    """The agency's cases, or the unit's (the case's unit, as `cases.permissions` scopes a
    supervisor)."""
    cases = FamilyCase.objects.filter(agency_id=agency_id)
    return cases if unit_id is None else cases.filter(unit_id=unit_id)


def case_review_compliance(
    *,
    agency_id: int,
    unit_id: int | None = None,
    start: dt.date,
    end: dt.date,
    today: dt.date,
) -> list[Measure]:
    """The case-review compliance measures for the months from `start` to `end` (visits and
    family time: full calendar months in care; case plans: those due from `start` to `end`)."""
    cases = cases_in_scope(agency_id=agency_id, unit_id=unit_id)

    visits = contact_selectors.compliance_for_cases(cases=cases, start=start, end=end, today=today)
    visits_recorded = CaseworkerContact.objects.filter(case__in=cases).exists()
    tally = visits.tally
    result = [
        _measure(
            CASEWORKER_VISITS,
            TITLES[CASEWORKER_VISITS],
            tally.visited,
            tally.months,
            recorded=visits_recorded,
            empty=NO_FULL_MONTHS,
            unrecorded=NO_VISITS_RECORDED,
            target=visit_rules.TARGET_PERCENT,
        ),
        _measure(
            VISITS_IN_RESIDENCE,
            TITLES[VISITS_IN_RESIDENCE],
            tally.in_residence,
            tally.visited,
            recorded=visits_recorded,
            empty=_no_visited_months(tally.months, recorded=visits_recorded),
            unrecorded=NO_VISITS_RECORDED,
            target=50,  # "the majority": more than half
        ),
    ]

    family_time = family_time_selectors.family_time_rates(
        cases=cases, start=start, end=end, today=today, tz=clock.agency_zone()
    )
    family_time_recorded = FamilyTimeSession.objects.filter(plan__episode__case__in=cases).exists()
    rates = family_time.rates
    result += [
        _measure(
            FAMILY_TIME_PARENTS,
            TITLES[FAMILY_TIME_PARENTS],
            rates.parent_visited,
            rates.months,
            recorded=family_time_recorded,
            empty=NO_FULL_MONTHS,
            unrecorded=NO_FAMILY_TIME_RECORDED,
        ),
        _measure(
            FAMILY_TIME_SIBLINGS,
            TITLES[FAMILY_TIME_SIBLINGS],
            rates.sibling_visited,
            rates.sibling_months,
            recorded=family_time_recorded,
            empty=NO_SIBLINGS_APART if rates.months else NO_FULL_MONTHS,
            unrecorded=NO_FAMILY_TIME_RECORDED,
        ),
    ]

    profile = profiles.get(Agency.objects.get(pk=agency_id).clock_profile)
    clocks = {
        c.key: c
        for c in clock_selectors.unit_compliance(
            cases=cases, start=start, end=end, today=today, profile=profile
        )
    }
    plan = clocks.get("case_plan")
    plans_recorded = CasePlan.objects.filter(episode__case__in=cases).exists()
    result.append(
        _measure(
            CASE_PLAN_60_DAYS,
            case_plan_title(profile.case_plan_days),
            plan.on_time if plan else 0,
            plan.due if plan else 0,
            recorded=plans_recorded,
            empty=NO_CASE_PLAN_DUE,
            unrecorded=NO_CASE_PLANS_RECORDED,
        )
    )
    return result


# ---- the children behind a rate --------------------------------------------------------------

# The measures whose children are listed on the outcomes pages (the caseworker-visit measures
# link to the contacts compliance pages, which list the months without a visit child by child).
LISTED = (FAMILY_TIME_PARENTS, FAMILY_TIME_SIBLINGS, CASE_PLAN_60_DAYS)


@dataclass(frozen=True)
class ChildCount:
    """One child's share of a rate: `counted` of the denominator, `met` of the numerator
    (full months in care and months with family time; initial case plans due and on time)."""

    person_id: int
    name: str
    case_id: int
    counted: int
    met: int
    due_on: dt.date | None = None  # case plans: the due date and when the plan was made
    met_on: dt.date | None = None

    @property
    def missed(self) -> int:
        return self.counted - self.met


def compliance_children(
    *,
    key: str,
    agency_id: int,
    unit_id: int | None = None,
    start: dt.date,
    end: dt.date,
    today: dt.date,
) -> list[ChildCount]:
    """The children behind one of the `LISTED` measures, from the same selectors and over the
    same cases as `case_review_compliance`, so the rows add up to its numerator and denominator.
    Children who count nothing toward the measure are left out; the list is ordered with the
    most shortfall first, then by name."""
    cases = cases_in_scope(agency_id=agency_id, unit_id=unit_id)
    rows: list[tuple[int, int, int, int, dt.date | None, dt.date | None]] = []
    if key in (FAMILY_TIME_PARENTS, FAMILY_TIME_SIBLINGS):
        family_time = family_time_selectors.family_time_rates(
            cases=cases, start=start, end=end, today=today, tz=clock.agency_zone()
        )
        for episode, rates in family_time.children:
            counted, met = (
                (rates.months, rates.parent_visited)
                if key == FAMILY_TIME_PARENTS
                else (rates.sibling_months, rates.sibling_visited)
            )
            if counted:
                rows.append((episode.child_id, episode.case_id, counted, met, None, None))
    elif key == CASE_PLAN_60_DAYS:
        profile = profiles.get(Agency.objects.get(pk=agency_id).clock_profile)
        for item, occurrence in clock_selectors.due_occurrences(
            cases=cases, start=start, end=end, today=today, profile=profile
        ):
            if occurrence.key == "case_plan":
                met = 1 if occurrence.on_time(today) else 0
                rows.append(
                    (item.child_id, item.case_id, 1, met, occurrence.due, occurrence.met_on)
                )
    else:
        raise ValueError(f"no child list for {key!r}")
    names = {
        p.pk: p.full_name
        for p in Person.objects.filter(pk__in={row[0] for row in rows}).only(
            "id", "first_name", "middle_name", "last_name"
        )
    }
    children = [
        ChildCount(person, names.get(person, ""), case, counted, met, due_on, met_on)
        for person, case, counted, met, due_on, met_on in rows
    ]
    return sorted(children, key=lambda c: (-c.missed, c.name, c.case_id, c.due_on or dt.date.min))
