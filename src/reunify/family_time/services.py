"""Writes for family time: a plan and its schedule, recording sessions, and moves on the ladder.
Each runs in one transaction, validates, and writes history and an audit event; a refused call
changes nothing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.formats import date_format, time_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from simple_history.utils import bulk_create_with_history

from reunify.accounts.models import Role, User
from reunify.cases.models import RemovalEpisode
from reunify.core import audit, clock
from reunify.core.actor import write
from reunify.core.concurrency import lock_for_edit
from reunify.court.models import CourtOrder, OrderKind
from reunify.family_time import rules, selectors
from reunify.family_time.models import (
    CancelledBy,
    ChangeStatus,
    FamilyTimePlan,
    FamilyTimeSession,
    Level,
    LevelChange,
    LevelName,
    LocationType,
    PlanKind,
    SessionKind,
    SessionStatus,
)
from reunify.people.models import Person

PLAN_WEEKS = 8

# Messages shared with the tests (English source, translated when raised).
EPISODE_CLOSED = gettext_noop("The child's removal episode is closed.")
PLAN_EXISTS = gettext_noop("The child already has a current plan for family time with %(kind)s.")
UNKNOWN_KIND = gettext_noop("Choose whom the family time is with.")
NOT_IN_CASE = gettext_noop("Choose people of the child's case.")
ORDER_NOT_FOR_CHILD = gettext_noop("Choose a visitation order of this case that covers the child.")
ORDER_NEEDS_FLOOR = gettext_noop("Give the least restrictive level the court order allows.")
CROSSES_ORDER = gettext_noop(
    "The court's %(order)s order of %(issued)s allows no less supervision than %(floor)s; "
    "%(level)s would go past it."
)
CROSSES_FLOOR = gettext_noop(
    "The court-ordered floor allows no less supervision than %(floor)s; %(level)s would go past it."
)
NOT_RECORDABLE = gettext_noop("Record the session as held, cancelled or a no-show.")
NOT_YET = gettext_noop("This session has not started yet; record it once it has happened.")
CANCEL_WHO = gettext_noop("Say who cancelled.")
CANCEL_WHY = gettext_noop("Say why the session was cancelled.")
INCIDENT_NOTE = gettext_noop("Describe the safety incident.")
INCIDENT_ONLY_HELD = gettext_noop("A safety incident is recorded on a session that was held.")
REASON_NEEDED = gettext_noop("Give the reason for the change.")
PROPOSAL_PENDING = gettext_noop("A level change is already waiting for a decision.")
ONLY_UNIT_SUPERVISOR = gettext_noop(
    "Only the supervisor of the case's unit decides a change of level."
)
NOT_PENDING = gettext_noop("This change has already been decided.")
LEVEL_MOVED = gettext_noop("The plan's level changed since this was proposed; propose it again.")
NOTE_NEEDED = gettext_noop("Say why the change is rejected.")
SESSION_NOT_IN_PLAN = gettext_noop("That session is not part of this plan.")
PLAN_ENDED = gettext_noop("This family-time plan has ended; add the session to the current plan.")
PLAN_SUSPENDED = gettext_noop("Family time is suspended; no session can be added.")
OUTSIDE_PLAN = gettext_noop(
    "The session must fall within the plan's effective dates (%(start)s to %(end)s)."
)
OPEN_ENDED = gettext_noop("no end date")
OVERLAPS = gettext_noop(
    "The session overlaps the child's family time of %(when)s; move it or cancel that one first."
)
UNKNOWN_SESSION_KIND = gettext_noop("Choose a session added once or a transition visit.")
# Reasons the system writes itself (stored in English, translated when shown).
SYSTEM_SUPERSEDED = gettext_noop("Superseded by an immediate restriction.")
SYSTEM_SUSPENDED = gettext_noop("Family time suspended.")


def _record(actor: Any, plan: FamilyTimePlan, action: str, summary: str, obj: Any, **changes: Any):
    case = plan.episode.case
    audit.record(
        actor=actor,
        action=action,
        obj=obj,
        case_id=case.pk,
        agency_id=case.agency_id,
        summary=summary,
        changes={k: _plain(v) for k, v in changes.items()},
    )


def _plain(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float | str | list):
        return value
    return str(value)


def floor_problem(
    plan_floor: str, order: CourtOrder | None, level: str, *, agency_id: int
) -> str | None:
    """The refusal when `level` would go past the court floor, naming the order when there is one
    (and the levels by the agency's names for them)."""
    if not rules.crosses_floor(level, plan_floor or None):
        return None
    names = selectors.level_names(agency_id)
    values = {"floor": names[plan_floor], "level": names[level]}
    if order is None:
        return _(CROSSES_FLOOR) % values
    return _(CROSSES_ORDER) % {
        **values,
        "order": order.get_kind_display(),
        "issued": date_format(order.issued_on, "DATE_FORMAT"),
    }


def _schedule(
    plan: FamilyTimePlan, today: dt.date, after: dt.date | None = None
) -> list[FamilyTimeSession]:
    """Sessions of the plan up to PLAN_WEEKS weeks ahead of `today`, from `today` or from the
    day after `after` (the last day already scheduled); none while family time is suspended."""
    if plan.level == Level.SUSPENDED:
        return []
    start = max(plan.effective_from, today)
    if after is not None:
        start = max(start, after + dt.timedelta(days=1))
    end = today + dt.timedelta(weeks=PLAN_WEEKS, days=-1)
    if plan.effective_to is not None:
        end = min(end, plan.effective_to)
    found = rules.occurrences(
        start,
        end,
        plan.weekday_list,
        plan.start_time,
        dt.timedelta(minutes=plan.duration_minutes),
        clock.agency_zone(),
    )
    if found:
        # A session added once (an overnight at home) takes the place of the weekly ones it covers.
        added = list(
            FamilyTimeSession.objects.filter(
                plan__episode_id=plan.episode_id,
                starts_at__lt=found[-1].end,
                ends_at__gt=found[0].start,
            )
            .exclude(kind=SessionKind.REGULAR)
            .exclude(status=SessionStatus.CANCELLED)
            .values_list("starts_at", "ends_at")
        )
        found = [
            o for o in found if not any(rules.overlaps(o.start, o.end, a, b) for a, b in added)
        ]
    sessions = [FamilyTimeSession(plan=plan, starts_at=o.start, ends_at=o.end) for o in found]
    return bulk_create_with_history(sessions, FamilyTimeSession)


@write
def plan_create(
    *,
    actor: User,
    episode: RemovalEpisode,
    level: str,
    weekdays: Iterable[int],
    start_time: dt.time,
    duration_minutes: int,
    location_type: str,
    effective_from: dt.date,
    kind: str = PlanKind.PARENT,
    participants: Iterable[Person] = (),
    address: str = "",
    location_confidential: bool | None = None,
    supervisor: str = "",
    transport: str = "",
    not_permitted: str = "",
    court_floor: str = "",
    court_order: CourtOrder | None = None,
    effective_to: dt.date | None = None,
    next_review_on: dt.date | None = None,
    today: dt.date | None = None,
) -> FamilyTimePlan:
    """A child's family-time plan of one kind (with the parents, siblings or relatives), with its
    sessions for the next eight weeks. The location of a resource family's home is confidential
    unless the caller says otherwise."""
    today = today or clock.today()
    case = episode.case
    if not episode.is_open:
        raise ValidationError(_(EPISODE_CLOSED))
    if kind not in PlanKind.values:
        raise ValidationError({"kind": _(UNKNOWN_KIND)})
    if FamilyTimePlan.objects.filter(
        episode=episode, kind=kind, effective_to__isnull=True
    ).exists():
        raise ValidationError({"kind": _(PLAN_EXISTS) % {"kind": PlanKind(kind).label.lower()}})
    if not rules.is_level(level):
        raise ValidationError({"level": _(rules.UNKNOWN_LEVEL)})
    days = sorted(set(weekdays))
    if problem := rules.weekdays_problem(days):
        raise ValidationError({"weekdays": _(problem)})
    if problem := rules.duration_problem(duration_minutes):
        raise ValidationError({"duration_minutes": _(problem)})
    if effective_to is not None and effective_to < effective_from:
        raise ValidationError({"effective_to": _(rules.ENDS_BEFORE_START)})
    people = list(participants)
    in_case = set(
        case.participants.exclude(person_id=episode.child_id).values_list("person_id", flat=True)
    )
    if any(p.pk not in in_case for p in people):
        raise ValidationError({"participants": _(NOT_IN_CASE)})
    if court_order is not None:
        if (
            court_order.case_id != case.pk
            or court_order.kind != OrderKind.VISITATION_CONDITIONS
            or court_order.child_id not in (None, episode.child_id)
        ):
            raise ValidationError({"court_order": _(ORDER_NOT_FOR_CHILD)})
        if not court_floor:
            raise ValidationError({"court_floor": _(ORDER_NEEDS_FLOOR)})
    if court_floor and not rules.is_level(court_floor):
        raise ValidationError({"court_floor": _(rules.UNKNOWN_LEVEL)})
    if problem := floor_problem(court_floor, court_order, level, agency_id=case.agency_id):
        raise ValidationError({"level": problem})
    if location_confidential is None:
        location_confidential = location_type == LocationType.RESOURCE_HOME
    plan = FamilyTimePlan(
        episode=episode,
        kind=kind,
        level=level,
        weekdays=rules.format_weekdays(days),
        start_time=start_time,
        duration_minutes=duration_minutes,
        location_type=location_type,
        address=address.strip(),
        location_confidential=location_confidential,
        supervisor=supervisor.strip(),
        transport=transport.strip(),
        not_permitted=not_permitted.strip(),
        court_floor=court_floor,
        court_order=court_order,
        effective_from=effective_from,
        effective_to=effective_to,
        next_review_on=next_review_on,
        created_by=actor,
    )
    plan.full_clean()
    plan.save()
    plan.participants.set(people)
    sessions = _schedule(plan, today)
    _record(
        actor,
        plan,
        "family_time.plan_created",
        f"Family-time plan for {episode.child.full_name}: {plan.get_level_display()}, "
        f"{len(sessions)} sessions scheduled",
        plan,
        kind=kind,
        level=level,
        weekdays=plan.weekdays,
        start_time=start_time.isoformat(timespec="minutes"),
        duration_minutes=duration_minutes,
        participants=sorted(p.pk for p in people),
        court_floor=court_floor,
        court_order=court_order.pk if court_order else None,
    )
    return plan


@write
def session_record(
    *,
    actor: User,
    session: FamilyTimeSession,
    expected_version: int,
    status: str,
    cancelled_by: str = "",
    cancel_reason: str = "",
    attendees: str = "",
    actual_minutes: int | None = None,
    observations: str = "",
    quality: int | None = None,
    safety_incident: bool = False,
    safety_note: str = "",
    now: dt.datetime | None = None,
) -> FamilyTimeSession:
    """Held, cancelled (who and why) or a no-show. Held and no-show only once it has started."""
    now = now or clock.now()
    if status not in (SessionStatus.HELD, SessionStatus.CANCELLED, SessionStatus.NO_SHOW):
        raise ValidationError({"status": _(NOT_RECORDABLE)})
    if status != SessionStatus.CANCELLED and session.starts_at > now:
        raise ValidationError({"status": _(NOT_YET)})
    if status == SessionStatus.CANCELLED:
        if cancelled_by not in CancelledBy.values:
            raise ValidationError({"cancelled_by": _(CANCEL_WHO)})
        if not cancel_reason.strip():
            raise ValidationError({"cancel_reason": _(CANCEL_WHY)})
    else:
        cancelled_by, cancel_reason = "", ""
    if safety_incident and status != SessionStatus.HELD:
        raise ValidationError({"safety_incident": _(INCIDENT_ONLY_HELD)})
    if safety_incident and not safety_note.strip():
        raise ValidationError({"safety_note": _(INCIDENT_NOTE)})
    held = status == SessionStatus.HELD
    current = lock_for_edit(FamilyTimeSession, pk=session.pk, expected_version=expected_version)
    current.version += 1
    current.status = status
    current.cancelled_by = cancelled_by
    current.cancel_reason = cancel_reason.strip()
    current.attendees = attendees.strip() if held else ""
    current.actual_minutes = actual_minutes if held else None
    current.observations = observations.strip()
    current.quality = quality if held else None
    current.safety_incident = safety_incident
    current.safety_note = safety_note.strip() if safety_incident else ""
    current.recorded_by = actor
    current.full_clean()
    current.save()
    plan = FamilyTimePlan.objects.select_related("episode__case", "episode__child").get(
        pk=current.plan_id
    )
    _record(
        actor,
        plan,
        "family_time.session_recorded",
        f"Family time on {current.starts_at:%Y-%m-%d} with {plan.episode.child.full_name}: "
        f"{current.get_status_display()}",
        current,
        status=status,
        cancelled_by=cancelled_by,
        safety_incident=safety_incident,
    )
    return current


@write
def session_add(
    *,
    actor: User,
    plan: FamilyTimePlan,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    kind: str = SessionKind.ONE_OFF,
    note: str = "",
) -> FamilyTimeSession:
    """One session outside the weekly schedule (a transition visit home, a make-up visit): inside
    the plan's effective dates, not while family time is suspended, and overlapping none of the
    child's sessions still on. It may last up to 14 days (an overnight, a weekend, a longer stay).
    The rolling schedule ignores it (`_last_scheduled_day`); the page, the week, the calendar
    feeds and the reminders read it like any other session."""
    if kind not in (SessionKind.ONE_OFF, SessionKind.TRANSITION):
        raise ValidationError({"kind": _(UNKNOWN_SESSION_KIND)})
    if ends_at <= starts_at:
        raise ValidationError({"ends_at": _(rules.ENDS_BEFORE_START)})
    if problem := rules.one_off_length_problem(starts_at, ends_at):
        raise ValidationError({"ends_at": _(problem)})
    current = FamilyTimePlan.objects.select_for_update().get(pk=plan.pk)
    current = FamilyTimePlan.objects.select_related("episode__case", "episode__child").get(
        pk=current.pk
    )
    if not current.episode.is_open:
        raise ValidationError(_(EPISODE_CLOSED))
    if current.level == Level.SUSPENDED:
        raise ValidationError(_(PLAN_SUSPENDED))
    zone = clock.agency_zone()
    first, last = starts_at.astimezone(zone).date(), ends_at.astimezone(zone).date()
    if first < current.effective_from or (
        current.effective_to is not None and last > current.effective_to
    ):
        raise ValidationError(
            {
                "starts_at": _(OUTSIDE_PLAN)
                % {
                    "start": date_format(current.effective_from, "DATE_FORMAT"),
                    "end": date_format(current.effective_to, "DATE_FORMAT")
                    if current.effective_to
                    else _(OPEN_ENDED),
                }
            }
        )
    clash = (
        FamilyTimeSession.objects.filter(
            plan__episode_id=current.episode_id, starts_at__lt=ends_at, ends_at__gt=starts_at
        )
        .exclude(status=SessionStatus.CANCELLED)
        .order_by("starts_at")
        .first()
    )
    if clash is not None:
        when = clash.starts_at.astimezone(zone)
        raise ValidationError(
            {
                "starts_at": _(OVERLAPS)
                % {
                    "when": f"{date_format(when, 'DATE_FORMAT')}, {time_format(when, 'TIME_FORMAT')}"
                }
            }
        )
    session = FamilyTimeSession(
        plan=current, starts_at=starts_at, ends_at=ends_at, kind=kind, note=note.strip()
    )
    session.full_clean()
    session.save()
    _record(
        actor,
        current,
        "family_time.session_added",
        f"Family time added on {starts_at.astimezone(zone):%Y-%m-%d %H:%M} with "
        f"{current.episode.child.full_name} ({kind})",
        session,
        kind=kind,
        starts_at=starts_at.isoformat(),
        ends_at=ends_at.isoformat(),
    )
    return session


def _edit_plan(plan: FamilyTimePlan, expected_version: int) -> FamilyTimePlan:
    current = lock_for_edit(FamilyTimePlan, pk=plan.pk, expected_version=expected_version)
    current.episode = plan.episode  # keep the loaded episode and case
    return current


def _apply(plan: FamilyTimePlan, to_level: str) -> None:
    """Move the plan to `to_level`; lifting a suspension schedules the sessions again."""
    resumes = plan.level == Level.SUSPENDED
    plan.level = to_level
    plan.version += 1
    plan.full_clean()
    plan.save()
    if resumes:
        _extend(plan, clock.today())


@write
def level_propose(
    *,
    actor: User,
    plan: FamilyTimePlan,
    expected_version: int,
    to_level: str,
    reason: str,
    evidence: str = "",
    now: dt.datetime | None = None,
) -> LevelChange:
    """A worker proposes a move. Toward less supervision it waits for the unit supervisor; toward
    more it applies at once. Nothing may go past the court floor."""
    now = now or clock.now()
    if not rules.is_level(to_level):
        raise ValidationError({"to_level": _(rules.UNKNOWN_LEVEL)})
    if not reason.strip():
        raise ValidationError({"reason": _(REASON_NEEDED)})
    current = _edit_plan(plan, expected_version)
    if to_level == current.level:
        raise ValidationError({"to_level": _(rules.SAME_LEVEL)})
    if problem := floor_problem(
        current.court_floor, current.court_order, to_level, agency_id=current.episode.case.agency_id
    ):
        raise ValidationError({"to_level": problem})
    if current.changes.filter(status=ChangeStatus.PROPOSED).exists():
        raise ValidationError(_(PROPOSAL_PENDING))
    waits = rules.needs_supervisor_approval(current.level, to_level)
    change = LevelChange(
        plan=current,
        from_level=current.level,
        to_level=to_level,
        reason=reason.strip(),
        evidence=evidence.strip(),
        status=ChangeStatus.PROPOSED if waits else ChangeStatus.APPLIED,
        proposed_by=actor,
        proposed_at=now,
        decided_by=None if waits else actor,
        decided_at=None if waits else now,
    )
    change.full_clean()
    change.save()
    if not waits:
        _apply(current, to_level)
    _record(
        actor,
        current,
        "family_time.level_proposed" if waits else "family_time.level_changed",
        f"Family-time level {change.from_level} → {to_level} "
        f"({'awaiting approval' if waits else 'applied'})",
        change,
        from_level=change.from_level,
        to_level=to_level,
        status=change.status,
    )
    return change


def is_unit_supervisor(user: Any, plan: FamilyTimePlan) -> bool:
    case = plan.episode.case
    return bool(
        getattr(user, "role", None) == Role.SUPERVISOR
        and user.agency_id == case.agency_id
        and user.unit_id == case.unit_id
    )


def _decidable(actor: User, change: LevelChange, expected_version: int) -> FamilyTimePlan:
    plan = change.plan
    if not is_unit_supervisor(actor, plan):
        raise ValidationError(_(ONLY_UNIT_SUPERVISOR))
    current = _edit_plan(plan, expected_version)
    change.refresh_from_db()
    if change.status != ChangeStatus.PROPOSED:
        raise ValidationError(_(NOT_PENDING))
    return current


@write
def level_approve(
    *,
    actor: User,
    change: LevelChange,
    expected_version: int,
    note: str = "",
    now: dt.datetime | None = None,
) -> LevelChange:
    """The unit supervisor approves a proposed move; it applies at once. A move past the court
    floor is refused, naming the order."""
    now = now or clock.now()
    plan = _decidable(actor, change, expected_version)
    if plan.level != change.from_level:
        raise ValidationError(_(LEVEL_MOVED))
    if problem := floor_problem(
        plan.court_floor, plan.court_order, change.to_level, agency_id=plan.episode.case.agency_id
    ):
        raise ValidationError(problem)
    change.status = ChangeStatus.APPLIED
    change.decided_by = actor
    change.decided_at = now
    change.decision_note = note.strip()
    change.full_clean()
    change.save()
    _apply(plan, change.to_level)
    _record(
        actor,
        plan,
        "family_time.level_approved",
        f"Family-time level {change.from_level} → {change.to_level} approved",
        change,
        from_level=change.from_level,
        to_level=change.to_level,
    )
    return change


@write
def level_reject(
    *,
    actor: User,
    change: LevelChange,
    expected_version: int,
    note: str,
    now: dt.datetime | None = None,
) -> LevelChange:
    now = now or clock.now()
    plan = _decidable(actor, change, expected_version)
    if not note.strip():
        raise ValidationError({"note": _(NOTE_NEEDED)})
    change.status = ChangeStatus.REJECTED
    change.decided_by = actor
    change.decided_at = now
    change.decision_note = note.strip()
    change.full_clean()
    change.save()
    plan.version += 1  # a decision on the plan: forms opened before it are stale
    plan.save(update_fields=["version"])
    _record(
        actor,
        plan,
        "family_time.level_rejected",
        f"Family-time level {change.from_level} → {change.to_level} rejected",
        change,
        from_level=change.from_level,
        to_level=change.to_level,
    )
    return change


@write
def level_restrict(
    *,
    actor: User,
    plan: FamilyTimePlan,
    expected_version: int,
    to_level: str,
    reason: str,
    session: FamilyTimeSession | None = None,
    now: dt.datetime | None = None,
) -> LevelChange:
    """After a safety incident: a more restrictive level applies at once, without approval. A
    pending proposal is rejected; suspending cancels the sessions still to come."""
    now = now or clock.now()
    if not rules.is_level(to_level):
        raise ValidationError({"to_level": _(rules.UNKNOWN_LEVEL)})
    if not reason.strip():
        raise ValidationError({"reason": _(REASON_NEEDED)})
    if session is not None and session.plan_id != plan.pk:
        raise ValidationError(_(SESSION_NOT_IN_PLAN))
    current = _edit_plan(plan, expected_version)
    if not rules.is_less_restrictive(current.level, to_level):
        raise ValidationError({"to_level": _(rules.NOT_A_RESTRICTION)})
    for pending in current.changes.filter(status=ChangeStatus.PROPOSED):
        pending.status = ChangeStatus.REJECTED
        pending.decided_by, pending.decided_at = actor, now
        pending.decision_note = SYSTEM_SUPERSEDED
        pending.save()
    change = LevelChange(
        plan=current,
        from_level=current.level,
        to_level=to_level,
        is_restriction=True,
        session=session,
        reason=reason.strip(),
        status=ChangeStatus.APPLIED,
        proposed_by=actor,
        proposed_at=now,
        decided_by=actor,
        decided_at=now,
    )
    change.full_clean()
    change.save()
    _apply(current, to_level)
    cancelled = 0
    if to_level == Level.SUSPENDED:
        for upcoming in current.sessions.filter(status=SessionStatus.SCHEDULED, starts_at__gt=now):
            upcoming.status = SessionStatus.CANCELLED
            upcoming.cancelled_by = CancelledBy.AGENCY
            upcoming.cancel_reason = SYSTEM_SUSPENDED
            upcoming.version += 1
            upcoming.save()
            cancelled += 1
    _record(
        actor,
        current,
        "family_time.level_restricted",
        f"Family time restricted at once: {change.from_level} → {to_level}",
        change,
        from_level=change.from_level,
        to_level=to_level,
        session=session.pk if session else None,
        sessions_cancelled=cancelled,
    )
    return change


def _last_scheduled_day(plan: FamilyTimePlan) -> dt.date | None:
    """The day of the latest session of the weekly schedule (a session added once, however far
    ahead, does not stop the schedule from filling the weeks before it)."""
    last = (
        plan.sessions.filter(kind=SessionKind.REGULAR)
        .order_by("-starts_at")
        .values_list("starts_at", flat=True)
        .first()
    )
    return last.astimezone(clock.agency_zone()).date() if last else None


def _extend(plan: FamilyTimePlan, today: dt.date) -> int:
    return len(_schedule(plan, today, after=_last_scheduled_day(plan)))


@write
def schedules_extend(*, today: dt.date | None = None) -> int:
    """Keep every current plan scheduled PLAN_WEEKS weeks ahead (run nightly): the sessions after
    the last one already scheduled, so sessions edited or cancelled one at a time stay as they
    are. Returns the number of sessions added."""
    today = today or clock.today()
    added = 0
    plans = FamilyTimePlan.objects.filter(
        effective_to__isnull=True, episode__discharged_on__isnull=True
    ).exclude(level=Level.SUSPENDED)
    for plan in plans.iterator():
        added += _extend(plan, today)
    if added:
        audit.record(
            actor=None,
            action="family_time.schedules_extended",
            summary=f"{added} family-time sessions scheduled ahead",
            changes={"today": today.isoformat(), "sessions": added},
        )
    return added


@write
def level_names_set(*, actor: User, names: dict[str, tuple[str, str]]) -> int:
    """Set the agency's English and Spanish names for the levels (blank: the default). Returns
    how many levels changed; nothing is written when none did."""
    agency_id = actor.agency_id
    current = {n.level: n for n in LevelName.objects.filter(agency_id=agency_id)}
    changed: dict[str, list[str]] = {}
    for level, (name_en, name_es) in names.items():
        if not rules.is_level(level):
            raise ValidationError(_(rules.UNKNOWN_LEVEL))
        row = current.get(level) or LevelName(agency_id=agency_id, level=level)
        if (row.name_en, row.name_es) == (name_en, name_es):
            continue
        row.name_en, row.name_es = name_en, name_es
        row.full_clean()
        row.save()
        changed[level] = [name_en, name_es]
    if changed:
        audit.record(
            actor=actor,
            action="family_time.level_names_changed",
            summary=f"Family-time level names changed: {', '.join(sorted(changed))}",
            agency_id=agency_id,
            changes=changed,
        )
    return len(changed)
