"""Writes for family cases: opening a case with its family, recording removals, placement
changes, discharges, permanency goals and reassignment. One function per use-case; each runs in
one transaction, validates, and writes history and an audit event."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Max
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from reunify.accounts.models import Role, User
from reunify.cases import road_home, rules
from reunify.cases.models import (
    SETTINGS_WITH_PROVIDER,
    CaseAssignment,
    CaseParticipant,
    ConcurrentPlanningReview,
    DischargeReason,
    EpisodeRemovalReason,
    FamilyCase,
    GoalKind,
    IntakeReport,
    ParticipantRole,
    PermanencyGoal,
    Placement,
    PlacementEndReason,
    PlacementSetting,
    ReentryFactor,
    ReentryReview,
    RelativeNotice,
    RemovalEpisode,
    ResourceProvider,
    TransitionSummary,
)
from reunify.clocks.hooks import events_changed
from reunify.core import audit, clock
from reunify.core.actor import write
from reunify.core.concurrency import lock_for_edit
from reunify.people import services as people_services
from reunify.people.models import FamilySide, ParentType, Person, RelationshipKind
from reunify.people.services import PersonInput

# Reasons the system writes itself are stored in English and translated when shown
# ({% translate %} on the stored text finds them in the catalogue; typed reasons pass through).
SYSTEM_REASON_CASE_OPENED = gettext_noop("Case opened")
SYSTEM_REASON_SET_AT_REMOVAL = gettext_noop("Set at removal")


@dataclass(frozen=True)
class PlacementInput:
    setting: str
    started_on: dt.date
    provider: ResourceProvider | None = None
    is_kinship: bool = False
    distance_miles: Decimal | None = None
    school: str = ""


@dataclass(frozen=True)
class RemovalInput:
    removed_on: dt.date
    legal_authority: str
    reasons: Sequence[str]
    placement: PlacementInput
    goal: str = GoalKind.REUNIFICATION
    concurrent_goal: str = ""


@dataclass(frozen=True)
class ChildInput:
    person: PersonInput
    removal: RemovalInput | None = None


@dataclass(frozen=True)
class ParentInput:
    person: PersonInput
    parent_type: str = ParentType.BIOLOGICAL
    is_custodial: bool = True


@dataclass(frozen=True)
class OtherInput:
    """A relative or other support: their relationship is to each child of the case."""

    person: PersonInput
    kind: str = RelationshipKind.OTHER_RELATIVE
    side: str = FamilySide.NOT_APPLICABLE


def _next_case_number(agency_id: int, year: int) -> str:
    prefix = f"{year}-"
    last = FamilyCase.objects.filter(agency_id=agency_id, number__startswith=prefix).aggregate(
        m=Max("number")
    )["m"]
    sequence = int(last.removeprefix(prefix)) + 1 if last else 1
    return f"{prefix}{sequence:06d}"


def _record(
    actor: Any, case: FamilyCase, action: str, summary: str, obj: Any = None, **changes: Any
) -> None:
    audit.record(
        actor=actor,
        action=action,
        obj=obj or case,
        case_id=case.pk,
        agency_id=case.agency_id,
        summary=summary,
        changes=changes,
    )


@write
def case_open(
    *,
    actor: User,
    name: str,
    opened_on: dt.date,
    children: Sequence[ChildInput],
    parents: Sequence[ParentInput] = (),
    others: Sequence[OtherInput] = (),
    today: dt.date | None = None,
) -> FamilyCase:
    """Open a family case: its people, their relationships, and a removal episode with a first
    placement and permanency goal for each child removed. The opening worker is assigned."""
    today = today or clock.today()
    if actor.role not in (Role.CASEWORKER, Role.SUPERVISOR) or actor.unit_id is None:
        raise ValidationError(_("Only caseworkers and supervisors in a unit open cases."))
    if not children:
        raise ValidationError(_("A family case needs at least one child."))
    if opened_on > today:
        raise ValidationError({"opened_on": _(rules.DATE_IN_FUTURE)})
    case = FamilyCase(
        agency_id=actor.agency_id,
        unit_id=actor.unit_id,
        worker=actor,
        name=name.strip(),
        opened_on=opened_on,
        number=_next_case_number(actor.agency_id, opened_on.year),
    )
    case.full_clean()
    case.save()
    CaseAssignment.objects.create(
        case=case,
        worker=actor,
        started_on=opened_on,
        assigned_by=actor,
        reason=SYSTEM_REASON_CASE_OPENED,
    )
    _record(actor, case, "case.opened", f"Opened case {case.number} ({case.name})")

    agency = case.agency
    child_people = []
    for index, child in enumerate(children):
        try:
            person = people_services.person_create(
                actor=actor, agency=agency, data=child.person, case_id=case.pk, today=today
            )
        except ValidationError as error:
            raise _prefix_errors(error, f"children-{index}-") from error
        _participant_add(case, person, ParticipantRole.CHILD, opened_on)
        child_people.append((person, child.removal))
    for index, parent in enumerate(parents):
        try:
            person = people_services.person_create(
                actor=actor, agency=agency, data=parent.person, case_id=case.pk, today=today
            )
        except ValidationError as error:
            raise _prefix_errors(error, f"parents-{index}-") from error
        _participant_add(case, person, ParticipantRole.PARENT, opened_on)
        for child_person, _removal in child_people:
            people_services.relationship_create(
                actor=actor,
                from_person=person,
                to_person=child_person,
                kind=RelationshipKind.PARENT,
                parent_type=parent.parent_type,
                is_custodial=parent.is_custodial,
                case_id=case.pk,
            )
    for other in others:
        person = people_services.person_create(
            actor=actor, agency=agency, data=other.person, case_id=case.pk, today=today
        )
        role = (
            ParticipantRole.SUPPORT
            if other.kind in (RelationshipKind.FICTIVE_KIN, RelationshipKind.SUPPORT)
            else ParticipantRole.RELATIVE
        )
        _participant_add(case, person, role, opened_on)
        for child_person, _removal in child_people:
            people_services.relationship_create(
                actor=actor,
                from_person=person,
                to_person=child_person,
                kind=other.kind,
                side=other.side,
                case_id=case.pk,
            )
    for index, (first, _r1) in enumerate(child_people):
        for second, _r2 in child_people[index + 1 :]:
            people_services.relationship_create(
                actor=actor,
                from_person=first,
                to_person=second,
                kind=RelationshipKind.SIBLING,
                case_id=case.pk,
            )
    for index, (person, removal) in enumerate(child_people):
        if removal is not None:
            try:
                _removal_create(actor=actor, case=case, child=person, data=removal, today=today)
            except ValidationError as error:
                raise _prefix_errors(error, f"children-{index}-") from error
    events_changed(case)
    return case


def _prefix_errors(error: ValidationError, prefix: str) -> ValidationError:
    """Name the form row a nested error belongs to, so the form can show it by the field."""
    if hasattr(error, "error_dict"):
        return ValidationError(
            {f"{prefix}{field}": errors for field, errors in error.error_dict.items()}
        )
    return error


def _participant_add(case: FamilyCase, person: Person, role: str, on: dt.date) -> CaseParticipant:
    participant = CaseParticipant(case=case, person=person, role=role, added_on=on)
    participant.full_clean()
    participant.save()
    return participant


def _parents_home(case: FamilyCase) -> Any:
    """The address the child was removed from: a custodial parent's home with coordinates."""
    parents = (
        Person.objects.filter(
            participations__case=case, participations__role=ParticipantRole.PARENT
        )
        .select_related("address")
        .order_by("-relationships_from__is_custodial", "id")
    )
    for parent in parents:
        if parent.address is not None and parent.address.has_coordinates:
            return parent.address
    return None


def _distance(case: FamilyCase, data: PlacementInput) -> tuple[Decimal | None, bool]:
    """Miles from the parents' home: computed when both ends have coordinates, else as entered."""
    home = _parents_home(case)
    provider_address = data.provider.address if data.provider is not None else None
    if home is not None and provider_address is not None and provider_address.has_coordinates:
        miles = rules.miles_between(
            float(home.latitude),
            float(home.longitude),
            float(provider_address.latitude),
            float(provider_address.longitude),
        )
        return Decimal(str(miles)), True
    return data.distance_miles, False


def _validate_placement_input(case: FamilyCase, data: PlacementInput) -> None:
    if data.setting in SETTINGS_WITH_PROVIDER and data.provider is None:
        raise ValidationError(
            {"provider": _("Choose the resource family or facility for this setting.")}
        )
    if data.provider is not None and data.provider.agency_id != case.agency_id:
        raise ValidationError(
            {"provider": _("Choose a resource family or facility of this agency.")}
        )
    if data.setting not in SETTINGS_WITH_PROVIDER and data.provider is not None:
        raise ValidationError({"provider": _("This setting has no resource family or facility.")})


def _placement_create(
    *, actor: User, episode: RemovalEpisode, data: PlacementInput, today: dt.date
) -> Placement:
    case = episode.case
    _validate_placement_input(case, data)
    others = [rules.Span(p.started_on, p.ended_on) for p in episode.placements.all()]
    problem = rules.placement_problem(
        start=data.started_on,
        end=None,
        removed_on=episode.removed_on,
        discharged_on=episode.discharged_on,
        others=others,
        today=today,
    )
    if problem:
        raise ValidationError({"started_on": _(problem)})
    distance, computed = _distance(case, data)
    is_kinship = (
        data.is_kinship
        or data.setting == PlacementSetting.FOSTER_FAMILY_RELATIVE
        or (data.provider is not None and data.provider.is_kin)
    )
    placement = Placement(
        episode=episode,
        setting=data.setting,
        provider=data.provider,
        is_kinship=is_kinship,
        school=data.school,
        started_on=data.started_on,
        distance_miles=distance,
        distance_computed=computed,
    )
    placement.full_clean()
    placement.save()
    _record(
        actor,
        case,
        "placement.started",
        f"{episode.child.full_name}: {placement.get_setting_display()} from {placement.started_on}",
        obj=placement,
        setting=data.setting,
        provider=str(data.provider or ""),
    )
    return placement


@write
def removal_record(
    *,
    actor: User,
    case: FamilyCase,
    child: Person,
    data: RemovalInput,
    today: dt.date | None = None,
) -> RemovalEpisode:
    """A child enters care: a new removal episode with its first placement and goal(s). A child
    who was discharged earlier re-enters with a new episode. The case's clocks are recomputed."""
    episode = _removal_create(actor=actor, case=case, child=child, data=data, today=today)
    events_changed(case)
    return episode


def _removal_create(
    *,
    actor: User,
    case: FamilyCase,
    child: Person,
    data: RemovalInput,
    today: dt.date | None = None,
) -> RemovalEpisode:
    today = today or clock.today()
    if problem := rules.removal_date_problem(
        removed_on=data.removed_on, born=child.date_of_birth, today=today
    ):
        raise ValidationError({"removed_on": _(problem)})
    if not data.reasons:
        raise ValidationError({"reasons": _("Give at least one reason for the removal.")})
    if RemovalEpisode.objects.filter(child=child, discharged_on__isnull=True).exists():
        raise ValidationError({"removed_on": _(rules.EPISODE_OVERLAP)})
    previous = (
        RemovalEpisode.objects.filter(child=child, discharged_on__isnull=False)
        .order_by("-discharged_on", "-id")
        .first()
    )
    if previous is not None and data.removed_on < previous.discharged_on:
        raise ValidationError(
            {"removed_on": _("A new removal cannot be dated before the last discharge.")}
        )
    episode = RemovalEpisode(
        case=case,
        child=child,
        removed_on=data.removed_on,
        legal_authority=data.legal_authority,
        previous_episode=previous,
        reentry_within_12_months=reentry_within_12_months(previous, data.removed_on),
    )
    episode.full_clean()
    episode.save()
    EpisodeRemovalReason.objects.bulk_create(
        EpisodeRemovalReason(episode=episode, reason=reason) for reason in sorted(set(data.reasons))
    )
    _record(
        actor,
        case,
        "removal.recorded",
        f"{child.full_name} removed on {data.removed_on}",
        obj=episode,
        reasons=sorted(set(data.reasons)),
        legal_authority=data.legal_authority,
        previous_episode=previous.pk if previous else None,
        reentry_within_12_months=episode.reentry_within_12_months,
    )
    _placement_create(actor=actor, episode=episode, data=data.placement, today=today)
    _goal_start(
        actor=actor,
        episode=episode,
        kind=data.goal,
        is_concurrent=False,
        on=data.removed_on,
        reason=SYSTEM_REASON_SET_AT_REMOVAL,
    )
    if data.concurrent_goal:
        _goal_start(
            actor=actor,
            episode=episode,
            kind=data.concurrent_goal,
            is_concurrent=True,
            on=data.removed_on,
            reason=SYSTEM_REASON_SET_AT_REMOVAL,
        )
    return episode


def reentry_within_12_months(previous: RemovalEpisode | None, removed_on: dt.date) -> bool:
    """Re-entry in the CFSR3 P4 reading (road_home.reentry). A removal on the day of the
    discharge is linked to the earlier episode but not flagged: the child never spent a night at
    home, which the re-entry measure is not about."""
    if previous is None or previous.discharged_on is None or removed_on <= previous.discharged_on:
        return False
    return road_home.reentry(
        previous.discharged_on, previous.discharge_reason, removed_on
    ).within_12_months


@write
def reentry_review_record(
    *,
    actor: User,
    episode: RemovalEpisode,
    factors: Sequence[str],
    note: str,
    reviewed_on: dt.date | None = None,
) -> ReentryReview:
    """What the team thinks contributed to a child's return to care; recorded once per episode
    and corrected by recording again."""
    reviewed_on = reviewed_on or clock.today()
    if episode.previous_episode_id is None:
        raise ValidationError(
            {"factors": _("This removal is the child's first: there is no re-entry to review.")}
        )
    unknown = set(factors) - set(ReentryFactor.values)
    if unknown:
        raise ValidationError({"factors": _("Choose from the listed factors.")})
    if not factors and not note.strip():
        raise ValidationError(
            {"factors": _("Choose at least one factor or say what the team thinks contributed.")}
        )
    if ReentryFactor.OTHER in factors and not note.strip():
        raise ValidationError({"note": _("Say what the other factor was.")})
    if reviewed_on < episode.removed_on or reviewed_on > clock.today():
        raise ValidationError(
            {"reviewed_on": _("The review date must fall between the removal and today.")}
        )
    review, created = ReentryReview.objects.update_or_create(
        episode=episode,
        defaults={
            "factors": sorted(set(factors)),
            "note": note.strip(),
            "reviewed_on": reviewed_on,
            "recorded_by": actor,
        },
    )
    _record(
        actor,
        episode.case,
        "reentry.reviewed" if created else "reentry.review_corrected",
        f"Re-entry of {episode.child} reviewed",
        obj=review,
        factors=sorted(set(factors)),
    )
    return review


@write
def placement_change(
    *,
    actor: User,
    episode: RemovalEpisode,
    expected_version: int,
    data: PlacementInput,
    end_reason: str,
    today: dt.date | None = None,
) -> Placement:
    """End the current placement and start the next one that day. `expected_version` is the
    episode's version when the worker opened the form: any change to the episode since then
    (another placement change, a goal, a discharge) makes this one stale."""
    today = today or clock.today()
    if not end_reason:
        raise ValidationError({"end_reason": _("Say why the current placement ended.")})
    episode = _edit_episode(episode, expected_version)
    if not episode.is_open:
        raise ValidationError(_("The child has been discharged; record a new removal instead."))
    current = episode.placements.filter(ended_on__isnull=True).first()
    if current is not None:
        if data.started_on < current.started_on:
            raise ValidationError(
                {"started_on": _("The new placement cannot start before the current one began.")}
            )
        current.ended_on = data.started_on
        current.end_reason = end_reason
        current.version += 1
        current.full_clean()
        current.save()
        _record(
            actor,
            episode.case,
            "placement.ended",
            f"{episode.child.full_name}: {current.get_setting_display()} ended {current.ended_on}",
            obj=current,
            end_reason=end_reason,
        )
    placement = _placement_create(actor=actor, episode=episode, data=data, today=today)
    events_changed(episode.case)
    return placement


@write
def episode_discharge(
    *,
    actor: User,
    episode: RemovalEpisode,
    expected_version: int,
    discharged_on: dt.date,
    reason: str,
    today: dt.date | None = None,
) -> RemovalEpisode:
    """Discharge from care: the episode ends, so does the current placement, and the current
    goals end (achieved when the exit matches the goal)."""
    today = today or clock.today()
    if reason not in DischargeReason.values:
        raise ValidationError({"reason": _("Choose the reason for discharge.")})
    episode = _edit_episode(episode, expected_version)
    if not episode.is_open:
        raise ValidationError(_("This episode has already ended."))
    current = episode.placements.filter(ended_on__isnull=True).first()
    problem = rules.discharge_problem(
        discharged_on=discharged_on,
        removed_on=episode.removed_on,
        last_placement_start=current.started_on if current else None,
        today=today,
    )
    if problem:
        raise ValidationError({"discharged_on": _(problem)})
    if current is not None:
        current.ended_on = discharged_on
        current.end_reason = PlacementEndReason.DISCHARGE
        current.version += 1
        current.full_clean()
        current.save()
    for goal in episode.goals.filter(ended_on__isnull=True):
        goal.ended_on = discharged_on
        goal.full_clean()
        goal.save()
    episode.discharged_on = discharged_on
    episode.discharge_reason = reason
    episode.full_clean()
    episode.save()
    _record(
        actor,
        episode.case,
        "episode.discharged",
        f"{episode.child.full_name} discharged on {discharged_on}: {episode.get_discharge_reason_display()}",
        obj=episode,
        reason=reason,
    )
    events_changed(episode.case)
    return episode


def _edit_episode(episode: RemovalEpisode, expected_version: int) -> RemovalEpisode:
    """Lock the episode, check the form saw its current version, and count this edit: the
    episode is the unit of concurrency for its placements, goals and discharge."""
    current = lock_for_edit(RemovalEpisode, pk=episode.pk, expected_version=expected_version)
    current.version += 1
    current.save(update_fields=["version"])
    return RemovalEpisode.objects.select_related("case", "child").get(pk=current.pk)


def _goal_start(
    *,
    actor: User,
    episode: RemovalEpisode,
    kind: str,
    is_concurrent: bool,
    on: dt.date,
    reason: str,
) -> PermanencyGoal:
    goal = PermanencyGoal(
        episode=episode,
        kind=kind,
        is_concurrent=is_concurrent,
        started_on=on,
        reason=reason,
        set_by=actor,
    )
    goal.full_clean()
    goal.save()
    slot = "concurrent" if is_concurrent else "primary"
    _record(
        actor,
        episode.case,
        "goal.set",
        f"{episode.child.full_name}: {slot} goal {goal.get_kind_display()}",
        obj=goal,
        kind=kind,
        concurrent=is_concurrent,
        reason=reason,
    )
    return goal


@write
def goal_set(
    *,
    actor: User,
    episode: RemovalEpisode,
    expected_version: int,
    kind: str,
    is_concurrent: bool,
    on: dt.date,
    reason: str,
    today: dt.date | None = None,
) -> PermanencyGoal | None:
    """Set or change the primary or concurrent goal (reason required). An empty `kind` for the
    concurrent slot ends the concurrent goal."""
    today = today or clock.today()
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the goal is set or changed.")})
    episode = _edit_episode(episode, expected_version)
    if not episode.is_open:
        raise ValidationError(_("Goals can only change while the child is in care."))
    if on > today:
        raise ValidationError({"on": _(rules.DATE_IN_FUTURE)})
    if on < episode.removed_on:
        raise ValidationError({"on": _("A goal cannot be set before the removal.")})
    if not kind and not is_concurrent:
        raise ValidationError({"kind": _("The primary goal cannot be removed; choose a goal.")})
    current = (
        episode.goals.select_for_update()
        .filter(is_concurrent=is_concurrent, ended_on__isnull=True)
        .first()
    )
    if current is not None:
        if current.kind == kind:
            raise ValidationError({"kind": _("That is already the current goal.")})
        if on < current.started_on:
            raise ValidationError(
                {"on": _("The change cannot be dated before the current goal was set.")}
            )
        current.ended_on = on
        current.full_clean()
        current.save()
        if not kind:
            events_changed(episode.case)
            _record(
                actor,
                episode.case,
                "goal.ended",
                f"{episode.child.full_name}: concurrent goal ended",
                obj=current,
                reason=reason,
            )
            return None
    elif not kind:
        raise ValidationError({"kind": _("There is no concurrent goal to end.")})
    goal = _goal_start(
        actor=actor,
        episode=episode,
        kind=kind,
        is_concurrent=is_concurrent,
        on=on,
        reason=reason.strip(),
    )
    events_changed(episode.case)
    return goal


@write
def case_reassign(
    *,
    actor: User,
    case: FamilyCase,
    expected_version: int,
    worker: User,
    reason: str,
    on: dt.date | None = None,
) -> FamilyCase:
    """A supervisor hands the case to another worker in the unit; the assignment history keeps
    who carried it and when."""
    on = on or clock.today()
    case = lock_for_edit(FamilyCase, pk=case.pk, expected_version=expected_version)
    if worker.agency_id != case.agency_id or worker.unit_id != case.unit_id or not worker.is_active:
        raise ValidationError({"worker": _("Choose an active worker in the case's unit.")})
    if worker.pk == case.worker_id:
        raise ValidationError({"worker": _("The case is already assigned to this worker.")})
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the case is reassigned.")})
    previous = case.worker
    for assignment in CaseAssignment.objects.filter(case=case, ended_on__isnull=True):
        assignment.ended_on = on
        assignment.full_clean()
        assignment.save()
    assignment = CaseAssignment.objects.create(
        case=case, worker=worker, started_on=on, assigned_by=actor, reason=reason.strip()
    )
    case.worker = worker
    case.version += 1
    case.full_clean()
    case.save()
    from reunify.cases import transition  # reads the apps built on cases, which import this one

    TransitionSummary.objects.create(
        case=case,
        assignment=assignment,
        built_at=clock.now(),
        content=transition.build(case=case, today=on),
    )
    _record(
        actor,
        case,
        "case.reassigned",
        f"Reassigned from {previous} to {worker}",
        reason=reason.strip(),
        previous_worker=previous.pk,
        worker=worker.pk,
    )
    return case


@write
def transition_acknowledge(*, actor: User, summary: TransitionSummary) -> TransitionSummary:
    """The new worker says they have read the handover; only the worker it was built for can."""
    if summary.assignment.worker_id != actor.pk:
        raise ValidationError(_("Only the worker the case was handed to can acknowledge it."))
    if summary.acknowledged_at is not None:
        raise ValidationError(_("This handover was already acknowledged."))
    summary.acknowledged_at = clock.now()
    summary.acknowledged_by = actor
    summary.save(update_fields=["acknowledged_at", "acknowledged_by"])
    _record(
        actor, summary.case, "transition.acknowledged", "Handover summary acknowledged", summary
    )
    return summary


def case_viewed(*, actor: User, case: FamilyCase) -> None:
    audit.record(
        actor=actor,
        action="case.viewed",
        obj=case,
        case_id=case.pk,
        agency_id=case.agency_id,
        kind=audit.AuditEvent.Kind.ACCESS,
        summary=f"Viewed case {case.number}",
    )


@write
def relative_notice_record(
    *,
    actor: User,
    episode: RemovalEpisode,
    sent_on: dt.date,
    relatives_notified: int,
    note: str = "",
    today: dt.date | None = None,
) -> RelativeNotice:
    """Adult relatives identified and notified after a removal (SSA 471(a)(29))."""
    today = today or clock.today()
    if sent_on > today:
        raise ValidationError({"sent_on": _(rules.DATE_IN_FUTURE)})
    if sent_on < episode.removed_on:
        raise ValidationError({"sent_on": _("Notices for this removal cannot predate it.")})
    notice = RelativeNotice(
        episode=episode,
        sent_on=sent_on,
        relatives_notified=relatives_notified,
        note=note.strip(),
        recorded_by=actor,
    )
    notice.full_clean()
    notice.save()
    _record(
        actor,
        episode.case,
        "relative_notice.recorded",
        f"{episode.child.full_name}: relatives notified {sent_on}",
        obj=notice,
    )
    events_changed(episode.case)
    return notice


@write
def concurrent_review_record(
    *,
    actor: User,
    episode: RemovalEpisode,
    reviewed_on: dt.date,
    reunification_likely: bool,
    note: str = "",
    today: dt.date | None = None,
) -> ConcurrentPlanningReview:
    """Whether reunification within six months is likely; when not, the clocks ask for a
    concurrent goal until one is set."""
    today = today or clock.today()
    if reviewed_on > today:
        raise ValidationError({"reviewed_on": _(rules.DATE_IN_FUTURE)})
    if reviewed_on < episode.removed_on:
        raise ValidationError(
            {"reviewed_on": _("A review of this episode cannot predate the removal.")}
        )
    review = ConcurrentPlanningReview(
        episode=episode,
        reviewed_on=reviewed_on,
        reunification_likely=reunification_likely,
        note=note.strip(),
        recorded_by=actor,
    )
    review.full_clean()
    review.save()
    likely = "likely" if reunification_likely else "unlikely"
    _record(
        actor,
        episode.case,
        "concurrent_review.recorded",
        f"{episode.child.full_name}: reunification within 6 months {likely}",
        obj=review,
    )
    events_changed(episode.case)
    return review


@dataclass(frozen=True)
class IntakeReportInput:
    received_on: dt.date
    reporter_role: str
    reporter_name: str = ""
    reporter_contact: str = ""
    allegations: str = ""
    narrative: str = ""


INTAKE_FIELDS = (
    "received_on",
    "reporter_role",
    "reporter_name",
    "reporter_contact",
    "allegations",
    "narrative",
)


@write
def intake_report_record(
    *,
    actor: User,
    case: FamilyCase,
    data: IntakeReportInput,
    expected_version: int | None = None,
    today: dt.date | None = None,
) -> IntakeReport:
    """Record or correct the report that brought the family in. The audit trail names the fields
    that changed, never their values: the reporter's identity is confidential (AZ-7)."""
    today = today or clock.today()
    if data.received_on > today:
        raise ValidationError({"received_on": _(rules.DATE_IN_FUTURE)})
    if data.received_on > case.opened_on:
        raise ValidationError(
            {"received_on": _("The report must have been received before the case was opened.")}
        )
    existing = IntakeReport.objects.filter(case=case).first()
    if existing is None:
        report = IntakeReport(case=case)
        changed = list(INTAKE_FIELDS)
    else:
        report = lock_for_edit(IntakeReport, pk=existing.pk, expected_version=expected_version or 0)
        report.version += 1
        changed = [f for f in INTAKE_FIELDS if getattr(report, f) != getattr(data, f)]
    for name in INTAKE_FIELDS:
        value = getattr(data, name)
        setattr(report, name, value.strip() if isinstance(value, str) else value)
    report.recorded_by = actor
    report.full_clean()
    report.save()
    _record(
        actor,
        case,
        "intake_report.recorded",
        "Intake report recorded" if existing is None else "Intake report corrected",
        obj=report,
        fields=changed,
    )
    return report
