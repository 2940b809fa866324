"""Writes for the road home: preparing, starting and ending a trial home visit, safety plans,
the aftercare plan and its follow-up contacts, and closing the case with a supervisor's approval.
Each runs in one transaction (`@write`), validates, writes history and an audit event; a refused
call changes nothing. Placements and discharges go through `cases.services`, which also
recomputes the case's clocks (the trial home visit limit on What's due)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from simple_history.utils import bulk_create_with_history

from reunify.accounts.models import User
from reunify.cases import road_home as rules
from reunify.cases import services as case_services
from reunify.cases.models import (
    DischargeReason,
    FamilyCase,
    PlacementEndReason,
    PlacementSetting,
    RemovalEpisode,
)
from reunify.cases.rules import DATE_IN_FUTURE
from reunify.clocks.hooks import events_changed
from reunify.core import audit, clock
from reunify.core.actor import write
from reunify.core.concurrency import lock_for_edit
from reunify.family_time import services as family_time_services
from reunify.family_time.models import FamilyTimePlan, PlanKind, SessionKind
from reunify.people.models import Person
from reunify.road_home import permissions, selectors
from reunify.road_home.models import (
    UNFINISHED,
    AftercareContact,
    AftercarePlan,
    BackgroundCheck,
    ClosureRequest,
    ClosureStatus,
    ContactStatus,
    ContactWay,
    HouseholdAdult,
    SafetyAction,
    SafetyPlan,
    SafetyPlanStatus,
    ThvStatus,
    TransitionKind,
    TransitionVisit,
    TrialHomeVisit,
)

# Messages shared with the tests (English source, translated when raised).
CASE_CLOSED = gettext_noop("The case is closed.")
EPISODE_CLOSED = gettext_noop("The child is no longer in care.")
THV_EXISTS = gettext_noop("This child already has a trial home visit being prepared or under way.")
REQUIRED = gettext_noop("This is required.")
NOT_PLANNED = gettext_noop("Only a trial home visit being prepared can be changed this way.")
NOT_UNFINISHED = gettext_noop("This trial home visit has ended.")
NOT_ACTIVE = gettext_noop("Only a trial home visit under way can end.")
UNKNOWN_CHECK = gettext_noop("Choose the result of the background check.")
CHECK_DATE = gettext_noop("Give the date of the background check result.")
UNKNOWN_KIND = gettext_noop("Choose one of the options.")
START_BEFORE_PLACEMENT = gettext_noop(
    "The trial home visit cannot start before the current placement began."
)
END_BEFORE_START = gettext_noop("The trial home visit cannot end before it started.")
UNKNOWN_OUTCOME = gettext_noop("Say whether the child stays home or returns to care.")
NEW_PLACEMENT_NEEDED = gettext_noop("Choose where the child lives now.")
NOT_THV_SETTING = gettext_noop("Choose a placement setting other than a trial home visit.")
PLAN_CLOSED = gettext_noop("This safety plan is closed.")
PLAN_OF_ACTIVE_THV = gettext_noop(
    "This safety plan belongs to a trial home visit that has not ended; end the visit first."
)
CLOSE_BEFORE_OPEN = gettext_noop("A safety plan cannot close before it was opened.")
NOT_IN_CASE = gettext_noop("Choose a child of this case.")
NO_REUNIFICATION = gettext_noop(
    "No child of this case has been discharged to reunification; an aftercare plan follows the "
    "return home."
)
AFTERCARE_EXISTS = gettext_noop("This return home already has an aftercare plan.")
CONTACT_RECORDED = gettext_noop("This contact is already recorded.")
UNKNOWN_CONTACT_STATUS = gettext_noop("Say whether the contact was held or missed.")
HELD_BEFORE_RETURN = gettext_noop("A follow-up contact cannot be dated before the return home.")
NOT_DUE_YET = gettext_noop("A contact can be marked missed only once its date has come.")
MISSED_NEEDS_NOTE = gettext_noop("Say why the contact was missed.")
CLOSURE_WAITING = gettext_noop("A closure request is already waiting for a decision.")
NOT_WAITING = gettext_noop("This closure request has already been decided.")
NOT_UNIT_SUPERVISOR = gettext_noop("Only a supervisor of the case's unit decides on closing it.")
OWN_REQUEST = gettext_noop(
    "You asked for this case to close; another supervisor of the unit decides."
)
RETURN_NEEDS_REASON = gettext_noop("Say why the request is returned.")

NO_PARENT_PLAN = gettext_noop(
    "%(child)s has no current family-time plan with the parents. Create one on the child's "
    "family-time page first; transition visits are sessions of that plan."
)
DAY_VISIT_SAME_DAY = gettext_noop("A day visit ends on the day it starts.")
STAY_ENDS_LATER = gettext_noop("An overnight, a weekend or a longer stay ends on a later day.")
ADULTS_OF_STARTED_THV = gettext_noop(
    "The trial home visit has started: its household is kept as it was when it began. Add an "
    "adult who moved in, or record a new background check result."
)
ACTION_OF_STARTED_THV = gettext_noop(
    "The trial home visit has started: its safety plan is in force, so an action can be changed "
    "but not removed."
)

# Purposes the system writes itself (stored in English, translated when shown).
THV_SAFETY_PLAN = gettext_noop("Trial home visit")


# ---- messages from the pure rules ------------------------------------------------------------


def translated(message: str) -> str:
    """A message of `cases.road_home` in the active language: a filled-in `Text` is translated
    from its template and filled again."""
    if isinstance(message, rules.Text):
        return _(message.template) % message.params
    return _(message)


# ---- helpers ---------------------------------------------------------------------------------


def _record(
    actor: Any, case: FamilyCase, action: str, summary: str, obj: Any, **changes: Any
) -> None:
    audit.record(
        actor=actor,
        action=f"road_home.{action}",
        obj=obj,
        case_id=case.pk,
        agency_id=case.agency_id,
        summary=summary,
        changes={
            k: v if isinstance(v, bool | int | str | None) else str(v) for k, v in changes.items()
        },
    )


def _open_case(case: FamilyCase) -> None:
    if case.status != FamilyCase.Status.OPEN:
        raise ValidationError(_(CASE_CLOSED))


def _not_future(field: str, value: dt.date, today: dt.date) -> None:
    if value > today:
        raise ValidationError({field: _(DATE_IN_FUTURE)})


def _required(**values: str) -> dict[str, str]:
    """The stripped values; refused naming each empty one."""
    stripped = {name: value.strip() for name, value in values.items()}
    missing = {name: _(REQUIRED) for name, value in stripped.items() if not value}
    if missing:
        raise ValidationError(missing)
    return stripped


def _thv(thv: TrialHomeVisit, expected_version: int | None = None) -> TrialHomeVisit:
    """The visit locked for this transaction (checked against the form's version if given)."""
    if expected_version is not None:
        lock_for_edit(TrialHomeVisit, pk=thv.pk, expected_version=expected_version)
    else:
        TrialHomeVisit.objects.select_for_update().get(pk=thv.pk)
    return TrialHomeVisit.objects.select_related(
        "episode__case__agency", "episode__child", "safety_plan"
    ).get(pk=thv.pk)


def _bump(thv: TrialHomeVisit) -> None:
    thv.version += 1
    thv.full_clean()
    thv.save()


# ---- trial home visit ------------------------------------------------------------------------


@write
def thv_plan(
    *,
    actor: User,
    episode: RemovalEpisode,
    returning_to: str,
    planned_start: dt.date,
    today: dt.date | None = None,
) -> TrialHomeVisit:
    """Begin preparing a child's trial home visit, with its (open) safety plan."""
    today = today or clock.today()
    episode = RemovalEpisode.objects.select_related("case__agency", "child").get(pk=episode.pk)
    _open_case(episode.case)
    if not episode.is_open:
        raise ValidationError(_(EPISODE_CLOSED))
    values = _required(returning_to=returning_to)
    if TrialHomeVisit.objects.filter(episode=episode, status__in=UNFINISHED).exists():
        raise ValidationError(_(THV_EXISTS))
    plan = SafetyPlan(
        case=episode.case,
        child=episode.child,
        purpose=THV_SAFETY_PLAN,
        opened_on=today,
        created_by=actor,
    )
    plan.full_clean()
    plan.save()
    thv = TrialHomeVisit(
        episode=episode,
        returning_to=values["returning_to"],
        planned_start=planned_start,
        safety_plan=plan,
        created_by=actor,
    )
    thv.full_clean()
    thv.save()
    _record(
        actor,
        episode.case,
        "thv_planned",
        f"{episode.child.full_name}: trial home visit prepared, planned from {planned_start}",
        thv,
        planned_start=planned_start,
    )
    return thv


@write
def household_adult_add(
    *,
    actor: User,
    thv: TrialHomeVisit,
    name: str,
    relationship: str,
    background_check: str,
    checked_on: dt.date | None = None,
    today: dt.date | None = None,
) -> HouseholdAdult:
    """Another adult living in the home, with their background-check status."""
    today = today or clock.today()
    thv = _thv(thv)
    if thv.status not in UNFINISHED:
        raise ValidationError(_(NOT_UNFINISHED))
    values = _required(name=name, relationship=relationship)
    _check_result(background_check, checked_on, today)
    adult = HouseholdAdult(
        thv=thv,
        name=values["name"],
        relationship=values["relationship"],
        background_check=background_check,
        checked_on=checked_on,
    )
    adult.full_clean()
    adult.save()
    _bump(thv)
    _record(
        actor,
        thv.episode.case,
        "household_adult_added",
        f"Household adult {adult.name} ({adult.relationship}): background check {background_check}",
        adult,
        background_check=background_check,
    )
    return adult


def _check_result(background_check: str, checked_on: dt.date | None, today: dt.date) -> None:
    if background_check not in BackgroundCheck.values:
        raise ValidationError({"background_check": _(UNKNOWN_CHECK)})
    if background_check != BackgroundCheck.PENDING and checked_on is None:
        raise ValidationError({"checked_on": _(CHECK_DATE)})
    if checked_on is not None:
        _not_future("checked_on", checked_on, today)


@write
def household_adult_check(
    *,
    actor: User,
    adult: HouseholdAdult,
    background_check: str,
    checked_on: dt.date | None,
    today: dt.date | None = None,
) -> HouseholdAdult:
    """The result of an adult's background check came in (or changed)."""
    today = today or clock.today()
    thv = _thv(adult.thv)
    if thv.status not in UNFINISHED:
        raise ValidationError(_(NOT_UNFINISHED))
    _check_result(background_check, checked_on, today)
    adult = HouseholdAdult.objects.get(pk=adult.pk)
    before = adult.background_check
    adult.background_check, adult.checked_on = background_check, checked_on
    adult.full_clean()
    adult.save()
    _bump(thv)
    _record(
        actor,
        thv.episode.case,
        "household_adult_checked",
        f"Background check of {adult.name}: {before} -> {background_check}",
        adult,
        background_check=background_check,
    )
    return adult


def _adult_of_prepared_thv(adult: HouseholdAdult) -> tuple[TrialHomeVisit, HouseholdAdult]:
    thv = _thv(adult.thv)
    if thv.status not in UNFINISHED:
        raise ValidationError(_(NOT_UNFINISHED))
    if not thv.is_planned:
        raise ValidationError(_(ADULTS_OF_STARTED_THV))
    return thv, HouseholdAdult.objects.get(pk=adult.pk)


@write
def household_adult_edit(
    *,
    actor: User,
    adult: HouseholdAdult,
    name: str,
    relationship: str,
    background_check: str,
    checked_on: dt.date | None = None,
    today: dt.date | None = None,
) -> HouseholdAdult:
    """Correct an adult of a visit being prepared (name, relationship, background check). Once
    the visit has started the household stays as it was (history), and only new adults and new
    check results are recorded."""
    today = today or clock.today()
    thv, adult = _adult_of_prepared_thv(adult)
    values = _required(name=name, relationship=relationship)
    _check_result(background_check, checked_on, today)
    before = {"name": adult.name, "relationship": adult.relationship}
    adult.name, adult.relationship = values["name"], values["relationship"]
    adult.background_check, adult.checked_on = background_check, checked_on
    adult.full_clean()
    adult.save()
    _bump(thv)
    _record(
        actor,
        thv.episode.case,
        "household_adult_edited",
        f"Household adult {before['name']} corrected: {adult.name} ({adult.relationship}), "
        f"background check {background_check}",
        adult,
        before_name=before["name"],
        before_relationship=before["relationship"],
        background_check=background_check,
    )
    return adult


@write
def household_adult_remove(*, actor: User, adult: HouseholdAdult) -> None:
    """Remove an adult from a visit being prepared (recorded by mistake, or moved out before the
    visit began). Its history rows keep what was recorded."""
    thv, adult = _adult_of_prepared_thv(adult)
    name, pk = adult.name, adult.pk
    adult.delete()
    _bump(thv)
    _record(
        actor,
        thv.episode.case,
        "household_adult_removed",
        f"Household adult {name} removed from the trial home visit",
        thv,
        adult=pk,
        name=name,
    )


@write
def thv_crisis_plan_set(
    *,
    actor: User,
    thv: TrialHomeVisit,
    expected_version: int,
    who_to_call: str,
    phone: str,
    what_happens: str,
) -> TrialHomeVisit:
    """Whom the family calls in a crisis (and their number) and what happens then."""
    thv = _thv(thv, expected_version)
    if thv.status not in UNFINISHED:
        raise ValidationError(_(NOT_UNFINISHED))
    values = _required(who_to_call=who_to_call, what_happens=what_happens)
    thv.crisis_who_to_call = values["who_to_call"]
    thv.crisis_phone = phone.strip()
    thv.crisis_what_happens = values["what_happens"]
    _bump(thv)
    _record(
        actor,
        thv.episode.case,
        "thv_crisis_plan",
        f"{thv.episode.child.full_name}: crisis plan of the trial home visit recorded",
        thv,
    )
    return thv


def _parent_plan(thv: TrialHomeVisit) -> FamilyTimePlan:
    """The child's current family-time plan with the parents, where transition visits go."""
    plan = FamilyTimePlan.objects.filter(
        episode=thv.episode, kind=PlanKind.PARENT, effective_to__isnull=True
    ).first()
    if plan is None:
        raise ValidationError(_(NO_PARENT_PLAN) % {"child": thv.episode.child.full_name})
    return plan


@write
def transition_visit_add(
    *,
    actor: User,
    thv: TrialHomeVisit,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    kind: str,
    note: str = "",
) -> TransitionVisit:
    """A family-time visit of the transition home, created as a session (kind "transition") in
    the child's current family-time plan with the parents, so it is on the family-time page, the
    week, the calendar feeds and the reminders. A day visit ends the day it starts; an overnight,
    a weekend or a longer stay ends on a later day. Refused when the child has no such plan."""
    thv = _thv(thv)
    if not thv.is_planned:
        raise ValidationError(_(NOT_PLANNED))
    if kind not in TransitionKind.values:
        raise ValidationError({"kind": _(UNKNOWN_KIND)})
    zone = clock.agency_zone()
    first, last = starts_at.astimezone(zone).date(), ends_at.astimezone(zone).date()
    if kind == TransitionKind.DAY and last != first:
        raise ValidationError({"ends_on": _(DAY_VISIT_SAME_DAY)})
    if kind != TransitionKind.DAY and last <= first:
        raise ValidationError({"ends_on": _(STAY_ENDS_LATER)})
    session = family_time_services.session_add(
        actor=actor,
        plan=_parent_plan(thv),
        starts_at=starts_at,
        ends_at=ends_at,
        kind=SessionKind.TRANSITION,
        note=note,
    )
    visit = TransitionVisit(thv=thv, session=session, on=first, kind=kind, note=note.strip())
    visit.full_clean()
    visit.save()
    _bump(thv)
    _record(
        actor,
        thv.episode.case,
        "transition_visit_planned",
        f"{thv.episode.child.full_name}: transition visit ({kind}) planned on {first}",
        visit,
        on=first,
        kind=kind,
        session=session.pk,
    )
    return visit


@write
def thv_start(
    *,
    actor: User,
    thv: TrialHomeVisit,
    expected_version: int,
    started_on: dt.date,
    today: dt.date | None = None,
) -> TrialHomeVisit:
    """The child goes home on a trial basis: refused, naming every problem, unless the
    trial-home-visit rule is satisfied (`cases.road_home.thv_start_problems`). The current
    placement ends and a "trial home visit" placement begins in the same episode."""
    today = today or clock.today()
    thv = _thv(thv, expected_version)
    if not thv.is_planned:
        raise ValidationError(_(NOT_PLANNED))
    episode = thv.episode
    _open_case(episode.case)
    if not episode.is_open:
        raise ValidationError(_(EPISODE_CLOSED))
    _not_future("started_on", started_on, today)
    readiness = selectors.thv_readiness(thv, on=started_on)
    if readiness.problems:
        raise ValidationError([translated(p) for p in readiness.problems])
    current = episode.placements.filter(ended_on__isnull=True).first()
    if current is not None and started_on < current.started_on:
        raise ValidationError({"started_on": _(START_BEFORE_PLACEMENT)})
    placement = case_services.placement_change(
        actor=actor,
        episode=episode,
        expected_version=RemovalEpisode.objects.get(pk=episode.pk).version,
        data=case_services.PlacementInput(
            setting=PlacementSetting.TRIAL_HOME_VISIT, started_on=started_on
        ),
        end_reason=PlacementEndReason.TRIAL_HOME_VISIT,
        today=today,
    )
    thv = _thv(thv)
    thv.status = ThvStatus.ACTIVE
    thv.started_on = started_on
    thv.placement = placement
    thv.basis = readiness.basis
    thv.court_order = readiness.order
    _bump(thv)
    _record(
        actor,
        episode.case,
        "thv_started",
        f"{episode.child.full_name}: trial home visit began {started_on} ({readiness.basis})",
        thv,
        started_on=started_on,
        basis=readiness.basis,
        court_order=readiness.order.pk if readiness.order else None,
    )
    return thv


CONVERTED = ThvStatus.CONVERTED.value
DISRUPTED = ThvStatus.DISRUPTED.value


@write
def thv_end(
    *,
    actor: User,
    thv: TrialHomeVisit,
    expected_version: int,
    outcome: str,
    ended_on: dt.date,
    reason: str,
    close_safety_plan: bool = False,
    placement: case_services.PlacementInput | None = None,
    today: dt.date | None = None,
) -> TrialHomeVisit:
    """End the trial home visit: converted to reunification (the child is discharged, reason
    reunification) or disrupted (the child is placed again in the same episode; not a new
    removal). The visit's safety plan may be closed with it."""
    today = today or clock.today()
    thv = _thv(thv, expected_version)
    if not thv.is_active:
        raise ValidationError(_(NOT_ACTIVE))
    if outcome not in (CONVERTED, DISRUPTED):
        raise ValidationError({"outcome": _(UNKNOWN_OUTCOME)})
    values = _required(reason=reason)
    _not_future("ended_on", ended_on, today)
    if thv.started_on is not None and ended_on < thv.started_on:
        raise ValidationError({"ended_on": _(END_BEFORE_START)})
    episode = thv.episode
    version = RemovalEpisode.objects.get(pk=episode.pk).version
    if outcome == CONVERTED:
        case_services.episode_discharge(
            actor=actor,
            episode=episode,
            expected_version=version,
            discharged_on=ended_on,
            reason=DischargeReason.REUNIFICATION,
            today=today,
        )
    else:
        if placement is None:
            raise ValidationError({"setting": _(NEW_PLACEMENT_NEEDED)})
        if placement.setting == PlacementSetting.TRIAL_HOME_VISIT:
            raise ValidationError({"setting": _(NOT_THV_SETTING)})
        case_services.placement_change(
            actor=actor,
            episode=episode,
            expected_version=version,
            data=case_services.PlacementInput(
                setting=placement.setting,
                started_on=ended_on,
                provider=placement.provider,
                is_kinship=placement.is_kinship,
                distance_miles=placement.distance_miles,
            ),
            end_reason=PlacementEndReason.TRIAL_HOME_VISIT_ENDED,
            today=today,
        )
    thv = _thv(thv)
    thv.status = outcome
    thv.ended_on = ended_on
    thv.end_reason = values["reason"]
    _bump(thv)
    if close_safety_plan and thv.safety_plan.is_open:
        closed_on = max(ended_on, thv.safety_plan.opened_on)
        _close_plan(actor, thv.safety_plan, closed_on=closed_on, reason=values["reason"])
    _record(
        actor,
        episode.case,
        f"thv_{outcome}",
        f"{episode.child.full_name}: trial home visit ended {ended_on} ({outcome})",
        thv,
        ended_on=ended_on,
        outcome=outcome,
        safety_plan_closed=close_safety_plan,
    )
    return thv


# ---- safety plans ----------------------------------------------------------------------------


@write
def safety_plan_create(
    *,
    actor: User,
    case: FamilyCase,
    purpose: str,
    child: Person | None = None,
    today: dt.date | None = None,
) -> SafetyPlan:
    """A safety plan of the case outside a trial home visit (an in-home safety plan)."""
    today = today or clock.today()
    _open_case(case)
    values = _required(purpose=purpose)
    if child is not None and not case.participants.filter(person=child, role="child").exists():
        raise ValidationError({"child": _(NOT_IN_CASE)})
    plan = SafetyPlan(
        case=case, child=child, purpose=values["purpose"], opened_on=today, created_by=actor
    )
    plan.full_clean()
    plan.save()
    _record(actor, case, "safety_plan_opened", f"Safety plan opened: {plan.purpose}", plan)
    return plan


@write
def safety_action_add(
    *,
    actor: User,
    plan: SafetyPlan,
    action: str,
    responsible_adult: str = "",
    how_checked: str = "",
) -> SafetyAction:
    """An action of the safety plan. Who is responsible and how it is checked may follow later;
    a trial home visit does not start until every action has both."""
    plan = SafetyPlan.objects.select_for_update().select_related("case").get(pk=plan.pk)
    if not plan.is_open:
        raise ValidationError(_(PLAN_CLOSED))
    values = _required(action=action)
    step = SafetyAction(
        plan=plan,
        action=values["action"],
        responsible_adult=responsible_adult.strip(),
        how_checked=how_checked.strip(),
    )
    step.full_clean()
    step.save()
    plan.version += 1
    plan.save(update_fields=["version"])
    if hasattr(plan, "trial_home_visit"):
        TrialHomeVisit.objects.filter(pk=plan.trial_home_visit.pk).update(
            version=plan.trial_home_visit.version + 1
        )
    _record(actor, plan.case, "safety_action_added", f"Safety action added: {step.action}", step)
    return step


def _open_action(action: SafetyAction) -> tuple[SafetyPlan, SafetyAction]:
    plan = SafetyPlan.objects.select_for_update().select_related("case").get(pk=action.plan_id)
    if not plan.is_open:
        raise ValidationError(_(PLAN_CLOSED))
    return plan, SafetyAction.objects.get(pk=action.pk)


def _plan_changed(plan: SafetyPlan) -> None:
    """Forms opened on the plan (and on its trial home visit) before this change are stale."""
    plan.version += 1
    plan.save(update_fields=["version"])
    TrialHomeVisit.objects.filter(safety_plan=plan).update(version=models.F("version") + 1)


@write
def safety_action_edit(
    *,
    actor: User,
    action: SafetyAction,
    text: str,
    responsible_adult: str = "",
    how_checked: str = "",
) -> SafetyAction:
    """Change an action of an open safety plan: the plan is live while the visit is under way,
    so its actions may be corrected then too."""
    plan, step = _open_action(action)
    values = _required(action=text)
    before = step.action
    step.action = values["action"]
    step.responsible_adult = responsible_adult.strip()
    step.how_checked = how_checked.strip()
    step.full_clean()
    step.save()
    _plan_changed(plan)
    _record(
        actor,
        plan.case,
        "safety_action_edited",
        f"Safety action changed: {before} -> {step.action}",
        step,
        before=before,
    )
    return step


@write
def safety_action_remove(*, actor: User, action: SafetyAction) -> None:
    """Remove an action of an open safety plan, unless the plan is that of a trial home visit
    under way: what the family agreed to when the child went home stays on the record."""
    plan, step = _open_action(action)
    if TrialHomeVisit.objects.filter(safety_plan=plan, status=ThvStatus.ACTIVE).exists():
        raise ValidationError(_(ACTION_OF_STARTED_THV))
    text, pk = step.action, step.pk
    step.delete()
    _plan_changed(plan)
    _record(
        actor,
        plan.case,
        "safety_action_removed",
        f"Safety action removed: {text}",
        plan,
        safety_action=pk,
        text=text,
    )


def _close_plan(actor: User, plan: SafetyPlan, *, closed_on: dt.date, reason: str) -> None:
    if closed_on < plan.opened_on:
        raise ValidationError({"closed_on": _(CLOSE_BEFORE_OPEN)})
    plan.status = SafetyPlanStatus.CLOSED
    plan.closed_on = closed_on
    plan.close_reason = reason[:300]
    plan.version += 1
    plan.full_clean()
    plan.save()
    _record(actor, plan.case, "safety_plan_closed", f"Safety plan closed: {plan.purpose}", plan)


@write
def safety_plan_close(
    *,
    actor: User,
    plan: SafetyPlan,
    expected_version: int,
    reason: str,
    closed_on: dt.date | None = None,
    today: dt.date | None = None,
) -> SafetyPlan:
    """Close a safety plan (its reason kept). A trial home visit's plan closes only after the
    visit ended."""
    today = today or clock.today()
    closed_on = closed_on or today
    plan = lock_for_edit(SafetyPlan, pk=plan.pk, expected_version=expected_version)
    if not plan.is_open:
        raise ValidationError(_(PLAN_CLOSED))
    thv = TrialHomeVisit.objects.filter(safety_plan=plan).first()
    if thv is not None and thv.status in UNFINISHED:
        raise ValidationError(_(PLAN_OF_ACTIVE_THV))
    values = _required(reason=reason)
    _not_future("closed_on", closed_on, today)
    _close_plan(actor, plan, closed_on=closed_on, reason=values["reason"])
    return plan


# ---- aftercare -------------------------------------------------------------------------------


@write
def aftercare_plan_create(
    *,
    actor: User,
    case: FamilyCase,
    services: str,
    informal_supports: str,
    relapse_plan: str,
    crisis_who_to_call: str,
    crisis_phone: str = "",
    now: dt.datetime | None = None,
) -> AftercarePlan:
    """The plan after the latest return home, for the children reunified that day, with its
    follow-up contacts on the jurisdiction's schedule (weekly in month one, then monthly, for
    the profile's aftercare months)."""
    now = now or clock.now()
    case = FamilyCase.objects.select_related("agency").get(pk=case.pk)
    _open_case(case)
    reunified = selectors.latest_reunification(case)
    if reunified is None:
        raise ValidationError(_(NO_REUNIFICATION))
    values = _required(
        services=services,
        informal_supports=informal_supports,
        relapse_plan=relapse_plan,
        crisis_who_to_call=crisis_who_to_call,
    )
    if AftercarePlan.objects.filter(case=case, returned_on=reunified.returned_on).exists():
        raise ValidationError(_(AFTERCARE_EXISTS))
    profile = selectors.profile_for(case)
    plan = AftercarePlan(
        case=case,
        returned_on=reunified.returned_on,
        months=profile.aftercare_months,
        crisis_phone=crisis_phone.strip(),
        created_by=actor,
        created_at=now,
        **values,
    )
    plan.full_clean()
    plan.save()
    plan.children.set(reunified.children)
    schedule = rules.aftercare_schedule(
        reunified.returned_on, profile.aftercare_weekly_contacts, profile.aftercare_months
    )
    bulk_create_with_history(
        [AftercareContact(plan=plan, due_on=on) for on in schedule], AftercareContact
    )
    _record(
        actor,
        case,
        "aftercare_plan_created",
        f"Aftercare plan from the return home on {reunified.returned_on}: "
        f"{len(schedule)} follow-up contacts over {profile.aftercare_months} months",
        plan,
        returned_on=reunified.returned_on,
        contacts=len(schedule),
    )
    return plan


@write
def aftercare_contact_record(
    *,
    actor: User,
    contact: AftercareContact,
    status: str,
    held_on: dt.date | None = None,
    how: str = "",
    who_seen: str = "",
    note: str = "",
    now: dt.datetime | None = None,
) -> AftercareContact:
    """A planned follow-up contact was held (when, how, who was seen) or missed (why)."""
    now = now or clock.now()
    today = now.astimezone(clock.agency_zone()).date()
    contact = (
        AftercareContact.objects.select_for_update().select_related("plan__case").get(pk=contact.pk)
    )
    if contact.status != ContactStatus.PLANNED:
        raise ValidationError(_(CONTACT_RECORDED))
    note = note.strip()
    if status == ContactStatus.HELD:
        errors: dict[str, str] = {}
        if held_on is None:
            errors["held_on"] = _(REQUIRED)
        elif held_on > today:
            errors["held_on"] = _(DATE_IN_FUTURE)
        elif held_on < contact.plan.returned_on:
            errors["held_on"] = _(HELD_BEFORE_RETURN)
        if how not in ContactWay.values:
            errors["how"] = _(REQUIRED)
        if not who_seen.strip():
            errors["who_seen"] = _(REQUIRED)
        if errors:
            raise ValidationError(errors)
        contact.held_on, contact.how, contact.who_seen = held_on, how, who_seen.strip()
    elif status == ContactStatus.MISSED:
        if contact.due_on > today:
            raise ValidationError(_(NOT_DUE_YET))
        if not note:
            raise ValidationError({"note": _(MISSED_NEEDS_NOTE)})
    else:
        raise ValidationError({"status": _(UNKNOWN_CONTACT_STATUS)})
    contact.status = status
    contact.note = note
    contact.recorded_by = actor
    contact.recorded_at = now
    contact.full_clean()
    contact.save()
    _record(
        actor,
        contact.plan.case,
        f"aftercare_contact_{status}",
        f"Follow-up contact planned for {contact.due_on}: {status}",
        contact,
        due_on=contact.due_on,
        held_on=held_on,
    )
    return contact


# ---- closure ---------------------------------------------------------------------------------


def _snapshot(items: list[rules.ChecklistItem]) -> list[dict[str, Any]]:
    return [{"key": i.key, "ok": i.ok, "message": i.message} for i in items]


def _refuse_failing(items: list[rules.ChecklistItem]) -> None:
    failing = [translated(i.message) for i in items if not i.ok]
    if failing:
        raise ValidationError(failing)


@write
def closure_request(
    *,
    actor: User,
    case: FamilyCase,
    expected_version: int,
    note: str = "",
    now: dt.datetime | None = None,
) -> ClosureRequest:
    """Ask for the case to close: refused, naming every failing item, unless the whole closure
    checklist passes (`cases.road_home.closure_checklist`)."""
    now = now or clock.now()
    case = lock_for_edit(FamilyCase, pk=case.pk, expected_version=expected_version)
    _open_case(case)
    if ClosureRequest.objects.filter(case=case, status=ClosureStatus.REQUESTED).exists():
        raise ValidationError(_(CLOSURE_WAITING))
    items = selectors.closure_checklist(case)
    _refuse_failing(items)
    request = ClosureRequest(
        case=case,
        note=note.strip(),
        checklist=_snapshot(items),
        requested_by=actor,
        requested_at=now,
    )
    request.full_clean()
    request.save()
    _record(actor, case, "closure_requested", f"Closure of case {case.number} requested", request)
    return request


def _decidable(actor: User, request: ClosureRequest) -> ClosureRequest:
    request = (
        ClosureRequest.objects.select_for_update()
        .select_related("case__agency", "requested_by")
        .get(pk=request.pk)
    )
    if not request.is_waiting:
        raise ValidationError(_(NOT_WAITING))
    if not permissions.can_decide_closure(actor, request.case):
        raise ValidationError(_(NOT_UNIT_SUPERVISOR))
    if request.requested_by_id == actor.pk:
        raise ValidationError(_(OWN_REQUEST))
    return request


@write
def closure_approve(
    *, actor: User, request: ClosureRequest, now: dt.datetime | None = None
) -> ClosureRequest:
    """A supervisor of the case's unit, not the one who asked, approves: the checklist is checked
    again (refused naming what fails now), the case closes today and its clocks stop."""
    now = now or clock.now()
    today = now.astimezone(clock.agency_zone()).date()
    request = _decidable(actor, request)
    case = FamilyCase.objects.select_for_update().get(pk=request.case_id)
    _open_case(case)
    items = selectors.closure_checklist(case)
    _refuse_failing(items)
    case.status = FamilyCase.Status.CLOSED
    case.closed_on = today
    case.version += 1
    case.full_clean()
    case.save()
    request.status = ClosureStatus.APPROVED
    request.decided_by = actor
    request.decided_at = now
    request.checklist = _snapshot(items)
    request.full_clean()
    request.save()
    events_changed(case)
    _record(
        actor,
        case,
        "case_closed",
        f"Case {case.number} closed on {today}",
        request,
        closed_on=today,
    )
    return request


@write
def closure_return(
    *, actor: User, request: ClosureRequest, reason: str, now: dt.datetime | None = None
) -> ClosureRequest:
    """The supervisor sends the request back to the worker, saying why; the case stays open."""
    now = now or clock.now()
    request = _decidable(actor, request)
    values = _required(reason=reason)
    request.status = ClosureStatus.RETURNED
    request.decided_by = actor
    request.decided_at = now
    request.return_reason = values["reason"][:500]
    request.full_clean()
    request.save()
    _record(
        actor,
        request.case,
        "closure_returned",
        f"Closure request of case {request.case.number} returned",
        request,
        reason=request.return_reason,
    )
    return request
