"""Writes for case plans: recording a completion (the clocks' event), starting the plan, editing
the draft version, planning meetings, making a version final, signatures, and progress and
attendance on goals. Each runs in one transaction, validates, writes history and an audit event;
a refused call changes nothing. Every edit carries the plan's version (`FamilyPlan.version`): an
edit made against an older one is refused, naming who changed the plan and when."""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from reunify.case_plans import document as doc
from reunify.case_plans.models import (
    CasePlan,
    FamilyPlan,
    GoalProgress,
    MeetingParent,
    PlanningMeeting,
    PlanVersion,
    ServiceAttendance,
    Signature,
    VersionStatus,
)
from reunify.cases.models import FamilyCase, ParticipantRole, PermanencyGoal, RemovalEpisode
from reunify.cases.rules import DATE_IN_FUTURE, age_in_years
from reunify.clocks.hooks import events_changed
from reunify.core import audit, clock
from reunify.core.actor import write
from reunify.core.concurrency import lock_for_edit
from reunify.core.request_context import current_request_meta
from reunify.people.models import Person

# Messages shared with the tests (English source, translated when raised).
PLAN_EXISTS = gettext_noop("This case already has a case plan.")
NO_CHILDREN_IN_CARE = gettext_noop("No child of this case is in care: there is no plan to write.")
NOTHING_TO_FINALIZE = gettext_noop("There is no draft to make final: the plan has no changes.")
MEETING_NEEDED = gettext_noop(
    "Record the planning meeting for this version before making it final."
)
NOT_A_PARENT = gettext_noop("Choose the parents of this case.")
EVERY_PARENT = gettext_noop("Say for each parent of the case whether they took part.")
ABSENCE_REASON = gettext_noop("Say why %(name)s did not take part.")
NO_SUCH_ITEM = gettext_noop("This item is no longer in the plan.")
NO_SUCH_CHILD = gettext_noop("Choose a child of this plan.")
NOT_A_SIGNER = gettext_noop("Only a parent of the case, or a youth 14 or older, signs the plan.")
NAME_MISMATCH = gettext_noop("The typed name must be the signer's own name (%(name)s).")
ALREADY_SIGNED = gettext_noop("%(name)s has already signed version %(number)s.")
NO_SUCH_GOAL = gettext_noop("Choose one of the plan's goals.")
ATTENDED_TOO_MANY = gettext_noop("Sessions attended cannot exceed sessions scheduled.")
PERIOD_ORDER = gettext_noop("The period must end on or after its first day.")
EVIDENCE_NEEDED = gettext_noop("Describe what shows the progress: attendance alone is not change.")
UNKNOWN_RATING = gettext_noop("Choose a rating.")

COLLECTIONS = {"goal": "goals", "condition": "conditions_for_return", "task": "tasks"}


def _audit(actor: Any, plan: FamilyPlan, action: str, summary: str, obj: Any = None, **changes):
    audit.record(
        actor=actor,
        action=action,
        obj=obj if obj is not None else plan,
        case_id=plan.case_id,
        agency_id=plan.case.agency_id,
        summary=summary,
        changes={
            k: v if isinstance(v, bool | int | str | list | None) else str(v)
            for k, v in changes.items()
        },
    )


# ---- the completion event the clocks read ------------------------------------------------------


def _completion(
    *,
    actor: Any,
    episode: RemovalEpisode,
    completed_on: dt.date,
    developed_with_parents: bool,
    parents_not_involved_reason: str,
    plan_version: PlanVersion | None = None,
) -> CasePlan:
    kind = CasePlan.Kind.UPDATE if episode.case_plans.exists() else CasePlan.Kind.INITIAL
    plan = CasePlan(
        episode=episode,
        kind=kind,
        completed_on=completed_on,
        developed_with_parents=developed_with_parents,
        parents_not_involved_reason=parents_not_involved_reason.strip()[:300],
        recorded_by=actor,
        plan_version=plan_version,
    )
    plan.full_clean()
    plan.save()
    audit.record(
        actor=actor,
        action="case_plan.recorded",
        obj=plan,
        case_id=episode.case_id,
        summary=f"{episode.child}: {plan.get_kind_display()} completed {completed_on}",
    )
    return plan


@write
def case_plan_record(
    *,
    actor: Any,
    episode: RemovalEpisode,
    completed_on: dt.date,
    developed_with_parents: bool = True,
    parents_not_involved_reason: str = "",
    today: dt.date | None = None,
) -> CasePlan:
    today = today or clock.today()
    if completed_on > today:
        raise ValidationError({"completed_on": _(DATE_IN_FUTURE)})
    if completed_on < episode.removed_on:
        raise ValidationError(
            {"completed_on": _("A case plan for this episode cannot predate the removal.")}
        )
    plan = _completion(
        actor=actor,
        episode=episode,
        completed_on=completed_on,
        developed_with_parents=developed_with_parents,
        parents_not_involved_reason=parents_not_involved_reason,
    )
    events_changed(episode.case)
    return plan


# ---- the plan and its versions -----------------------------------------------------------------


def _open_episodes(case: FamilyCase) -> list[RemovalEpisode]:
    return list(
        case.episodes.filter(discharged_on__isnull=True)
        .select_related("child")
        .order_by("child__date_of_birth", "child_id")
    )


def _with_case_goals(document: Mapping[str, Any], case: FamilyCase) -> dict[str, Any]:
    """The document with a section for each child in care, carrying the case's current permanency
    goals (the case owns them: `cases:goal-set`; the plan states them as they are)."""
    episodes = _open_episodes(case)
    goals: dict[tuple[int, bool], str] = {
        (episode_id, concurrent): kind
        for episode_id, concurrent, kind in PermanencyGoal.objects.filter(
            episode__in=episodes, ended_on__isnull=True
        ).values_list("episode_id", "is_concurrent", "kind")
    }
    result = copy.deepcopy(dict(document))
    for episode in episodes:
        result = doc.put_child(
            result,
            episode.child_id,
            goal=goals.get((episode.pk, False), ""),
            concurrent_goal=goals.get((episode.pk, True), ""),
        )
    return result


def child_ages(case: FamilyCase, today: dt.date) -> dict[int, int | None]:
    people = Person.objects.filter(
        participations__case=case, participations__role=ParticipantRole.CHILD
    ).values_list("pk", "date_of_birth")
    return {
        pk: age_in_years(born=born, on=today) if born is not None else None for pk, born in people
    }


def _check(document: Mapping[str, Any], case: FamilyCase, today: dt.date) -> None:
    problems = doc.validate(document, child_ages=child_ages(case, today))
    if problems:
        raise ValidationError(
            {
                (p.name or "__all__"): _(p.message) % dict(p.params) if p.params else _(p.message)
                for p in reversed(problems)
            }
        )


@write
def plan_start(*, actor: Any, case: FamilyCase) -> FamilyPlan:
    """The case's plan, with a first draft naming each child in care and their goals."""
    if FamilyPlan.objects.filter(case=case).exists():
        raise ValidationError(_(PLAN_EXISTS))
    episodes = _open_episodes(case)
    if not episodes:
        raise ValidationError(_(NO_CHILDREN_IN_CARE))
    now = clock.now()
    plan = FamilyPlan(case=case, created_at=now, created_by=actor)
    plan.full_clean()
    plan.save()
    content = _with_case_goals(doc.empty(e.child_id for e in episodes), case)
    version = PlanVersion(plan=plan, number=1, document=content, created_at=now, created_by=actor)
    version.full_clean()
    version.save()
    _audit(actor, plan, "case_plan.started", f"Case plan started for {case}", obj=version)
    return plan


def _edit(plan: FamilyPlan, expected_version: int, actor: Any) -> tuple[FamilyPlan, PlanVersion]:
    """Lock the plan at the version the form read, and return its draft: the existing one, or a
    new one copying the latest final version (which stays as it was)."""
    current = lock_for_edit(FamilyPlan, pk=plan.pk, expected_version=expected_version)
    current.case = plan.case
    draft = current.versions.filter(status=VersionStatus.DRAFT).first()
    if draft is not None:
        return current, draft
    latest = current.versions.order_by("-number").first()
    draft = PlanVersion(
        plan=current,
        number=(latest.number + 1) if latest else 1,
        document=_with_case_goals(latest.document if latest else doc.empty([]), plan.case),
        created_at=clock.now(),
        created_by=actor,
    )
    draft.full_clean()
    draft.save()
    _audit(
        actor,
        current,
        "case_plan.version_started",
        f"Case plan version {draft.number} started",
        obj=draft,
    )
    return current, draft


def _bump(plan: FamilyPlan) -> None:
    plan.version += 1
    plan.save(update_fields=["version"])


def _save_document(
    *,
    actor: Any,
    plan: FamilyPlan,
    draft: PlanVersion,
    content: dict[str, Any],
    action: str,
    summary: str,
    today: dt.date,
    **changes: Any,
) -> PlanVersion:
    _check(content, plan.case, today)
    draft.document = content
    draft.full_clean()
    draft.save(update_fields=["document"])
    _bump(plan)
    _audit(actor, plan, action, summary, obj=draft, **changes)
    return draft


def _clean_services(services: Iterable[Mapping[str, Any] | str]) -> list[dict[str, Any]]:
    cleaned = []
    for service in services:
        item = {"name": service} if isinstance(service, str) else dict(service)
        item["name"] = str(item.get("name", "")).strip()
        if item["name"]:
            cleaned.append({k: v for k, v in item.items() if v is not None})
    return cleaned


@write
def goal_save(
    *,
    actor: Any,
    plan: FamilyPlan,
    expected_version: int,
    change: str,
    safety_concern: str,
    services: Iterable[Mapping[str, Any] | str] = (),
    key: str = "",
    today: dt.date | None = None,
) -> PlanVersion:
    """Add a goal for what will be different (in the parent's words), or change one by its key."""
    today = today or clock.today()
    plan, draft = _edit(plan, expected_version, actor)
    if key and doc.find(draft.document, "goals", key) is None:
        raise ValidationError(_(NO_SUCH_ITEM))
    item = {
        "key": key or doc.new_key(),
        "change": change.strip(),
        "safety_concern": safety_concern.strip(),
        "services": _clean_services(services),
    }
    return _save_document(
        actor=actor,
        plan=plan,
        draft=draft,
        content=doc.put(draft.document, "goals", item),
        action="case_plan.goal_saved",
        summary=f"Case plan v{draft.number}: goal {'changed' if key else 'added'}",
        today=today,
        key=item["key"],
    )


@write
def condition_save(
    *,
    actor: Any,
    plan: FamilyPlan,
    expected_version: int,
    text: str,
    status: str = "not_met",
    key: str = "",
    today: dt.date | None = None,
) -> PlanVersion:
    today = today or clock.today()
    plan, draft = _edit(plan, expected_version, actor)
    if key and doc.find(draft.document, "conditions_for_return", key) is None:
        raise ValidationError(_(NO_SUCH_ITEM))
    item = {"key": key or doc.new_key(), "text": text.strip(), "status": status}
    return _save_document(
        actor=actor,
        plan=plan,
        draft=draft,
        content=doc.put(draft.document, "conditions_for_return", item),
        action="case_plan.condition_saved",
        summary=f"Case plan v{draft.number}: condition for return {'changed' if key else 'added'}",
        today=today,
        key=item["key"],
    )


@write
def task_save(
    *,
    actor: Any,
    plan: FamilyPlan,
    expected_version: int,
    text: str,
    owner: str,
    due_on: dt.date | None,
    owner_name: str = "",
    status: str = "not_started",
    goal_key: str = "",
    key: str = "",
    today: dt.date | None = None,
) -> PlanVersion:
    """Add a task (who does what by when), or change one by its key."""
    today = today or clock.today()
    plan, draft = _edit(plan, expected_version, actor)
    if key and doc.find(draft.document, "tasks", key) is None:
        raise ValidationError(_(NO_SUCH_ITEM))
    item = {
        "key": key or doc.new_key(),
        "text": text.strip(),
        "owner": owner,
        "owner_name": owner_name.strip(),
        "due_on": due_on.isoformat() if due_on else "",
        "status": status,
        "goal_key": goal_key,
    }
    return _save_document(
        actor=actor,
        plan=plan,
        draft=draft,
        content=doc.put(draft.document, "tasks", item),
        action="case_plan.task_saved",
        summary=f"Case plan v{draft.number}: task {'changed' if key else 'added'}",
        today=today,
        key=item["key"],
    )


@write
def need_save(
    *,
    actor: Any,
    plan: FamilyPlan,
    expected_version: int,
    person_id: int,
    area: str,
    need: str,
    who_meets_it: str,
    key: str = "",
    today: dt.date | None = None,
) -> PlanVersion:
    """A child's health, education or well-being need and who is meeting it."""
    today = today or clock.today()
    plan, draft = _edit(plan, expected_version, actor)
    child = doc.child_of(draft.document, person_id)
    if child is None:
        raise ValidationError({"child": _(NO_SUCH_CHILD)})
    if key and not any(n.get("key") == key for n in child.get("needs", [])):
        raise ValidationError(_(NO_SUCH_ITEM))
    item = {
        "key": key or doc.new_key(),
        "area": area,
        "need": need.strip(),
        "who_meets_it": who_meets_it.strip(),
    }
    return _save_document(
        actor=actor,
        plan=plan,
        draft=draft,
        content=doc.put_need(draft.document, person_id, item),
        action="case_plan.need_saved",
        summary=f"Case plan v{draft.number}: child's need {'changed' if key else 'added'}",
        today=today,
        key=item["key"],
    )


@write
def youth_save(
    *,
    actor: Any,
    plan: FamilyPlan,
    expected_version: int,
    person_id: int,
    own_words: str,
    team_members: Iterable[str],
    today: dt.date | None = None,
) -> PlanVersion:
    """The youth's own part (14 or older): their words and up to two team members they chose."""
    today = today or clock.today()
    plan, draft = _edit(plan, expected_version, actor)
    if doc.child_of(draft.document, person_id) is None:
        raise ValidationError({"child": _(NO_SUCH_CHILD)})
    youth = {
        "own_words": own_words.strip(),
        "team_members": [n.strip() for n in team_members if n.strip()],
    }
    return _save_document(
        actor=actor,
        plan=plan,
        draft=draft,
        content=doc.put_child(draft.document, person_id, youth=youth),
        action="case_plan.youth_saved",
        summary=f"Case plan v{draft.number}: youth's part saved",
        today=today,
    )


@write
def efforts_save(
    *,
    actor: Any,
    plan: FamilyPlan,
    expected_version: int,
    agency_efforts: str,
    today: dt.date | None = None,
) -> PlanVersion:
    """The agency's efforts (shown in the court version of the plan)."""
    today = today or clock.today()
    plan, draft = _edit(plan, expected_version, actor)
    content = {**copy.deepcopy(draft.document), "agency_efforts": agency_efforts.strip()}
    return _save_document(
        actor=actor,
        plan=plan,
        draft=draft,
        content=content,
        action="case_plan.efforts_saved",
        summary=f"Case plan v{draft.number}: agency's efforts saved",
        today=today,
    )


@write
def item_remove(
    *,
    actor: Any,
    plan: FamilyPlan,
    expected_version: int,
    what: str,
    key: str,
    person_id: int | None = None,
    today: dt.date | None = None,
) -> PlanVersion:
    """Take a goal, condition, task or (with `person_id`) a child's need out of the draft."""
    today = today or clock.today()
    plan, draft = _edit(plan, expected_version, actor)
    content = draft.document
    if what == "need":
        child = doc.child_of(content, person_id or 0)
        needs = (child or {}).get("needs", [])
        if not any(n.get("key") == key for n in needs):
            raise ValidationError(_(NO_SUCH_ITEM))
        content = doc.put_child(
            content, person_id or 0, needs=[n for n in needs if n.get("key") != key]
        )
    else:
        collection = COLLECTIONS.get(what, "")
        if not collection or doc.find(content, collection, key) is None:
            raise ValidationError(_(NO_SUCH_ITEM))
        content = doc.remove(content, collection, key)
    return _save_document(
        actor=actor,
        plan=plan,
        draft=draft,
        content=content,
        action="case_plan.item_removed",
        summary=f"Case plan v{draft.number}: {what} removed",
        today=today,
        what=what,
        key=key,
    )


# ---- planning meetings -------------------------------------------------------------------------


@dataclass(frozen=True)
class ParentAttendance:
    person: Person
    present: bool
    absence_reason: str = ""


def case_parents(case: FamilyCase) -> list[Person]:
    return list(
        Person.objects.filter(
            participations__case=case, participations__role=ParticipantRole.PARENT
        ).order_by("last_name", "first_name", "pk")
    )


@write
def meeting_record(
    *,
    actor: Any,
    plan: FamilyPlan,
    expected_version: int,
    held_on: dt.date,
    parents: Iterable[ParentAttendance],
    youth_present: bool = False,
    resource_family_present: bool = False,
    parent_partner_present: bool = False,
    others: str = "",
    strengths: str = "",
    needs: str = "",
    today: dt.date | None = None,
) -> PlanningMeeting:
    """Who took part in writing the draft version (each parent present, or why not) and the
    parents' own words on their strengths and what they need."""
    today = today or clock.today()
    if held_on > today:
        raise ValidationError({"held_on": _(DATE_IN_FUTURE)})
    attendance = list(parents)
    expected = {p.pk for p in case_parents(plan.case)}
    given = [a.person.pk for a in attendance]
    if any(pk not in expected for pk in given) or len(set(given)) != len(given):
        raise ValidationError(_(NOT_A_PARENT))
    if set(given) != expected:
        raise ValidationError(_(EVERY_PARENT))
    errors = {
        f"reason_{a.person.pk}": _(ABSENCE_REASON) % {"name": a.person.full_name}
        for a in attendance
        if not a.present and not a.absence_reason.strip()
    }
    if errors:
        raise ValidationError(errors)
    plan, draft = _edit(plan, expected_version, actor)
    meeting = PlanningMeeting(
        version=draft,
        held_on=held_on,
        youth_present=youth_present,
        resource_family_present=resource_family_present,
        parent_partner_present=parent_partner_present,
        others=others.strip(),
        strengths=strengths.strip(),
        needs=needs.strip(),
        recorded_by=actor,
        recorded_at=clock.now(),
    )
    meeting.full_clean()
    meeting.save()
    for a in attendance:
        row = MeetingParent(
            meeting=meeting,
            person=a.person,
            present=a.present,
            absence_reason="" if a.present else a.absence_reason.strip(),
        )
        row.full_clean()
        row.save()
    _bump(plan)
    _audit(
        actor,
        plan,
        "case_plan.meeting_recorded",
        f"Planning meeting {held_on} recorded for version {draft.number}",
        obj=meeting,
        present=[a.person.full_name for a in attendance if a.present],
    )
    return meeting


# ---- final versions and signatures -------------------------------------------------------------


def _finalize(*, actor: Any, plan: FamilyPlan, draft: PlanVersion, today: dt.date) -> PlanVersion:
    meeting = draft.meetings.order_by("-held_on", "-id").first()
    if meeting is None:
        raise ValidationError(_(MEETING_NEEDED))
    content = _with_case_goals(draft.document, plan.case)
    _check(content, plan.case, today)
    missing = doc.missing_for_final(content)
    if missing:
        raise ValidationError([_(m) for m in dict.fromkeys(p.message for p in missing)])
    now = clock.now()
    for previous in plan.versions.filter(status=VersionStatus.FINAL):
        previous.status = VersionStatus.SUPERSEDED
        previous.save(update_fields=["status"])
    draft.document = content
    draft.status = VersionStatus.FINAL
    draft.finalized_at = now
    draft.finalized_by = actor
    draft.full_clean()
    draft.save()
    absent = [p for p in meeting.parents.select_related("person") if not p.present]
    with_parents = meeting.parents.filter(present=True).exists() or not absent
    reason = "; ".join(f"{p.person.full_name}: {p.absence_reason}" for p in absent)
    for episode in _open_episodes(plan.case):
        _completion(
            actor=actor,
            episode=episode,
            completed_on=today,
            developed_with_parents=with_parents,
            parents_not_involved_reason="" if with_parents else reason,
            plan_version=draft,
        )
    _bump(plan)
    _audit(
        actor,
        plan,
        "case_plan.version_final",
        f"Case plan version {draft.number} made final",
        obj=draft,
    )
    events_changed(plan.case)
    return draft


@write
def version_finalize(
    *, actor: Any, plan: FamilyPlan, expected_version: int, today: dt.date | None = None
) -> PlanVersion:
    """Make the draft the plan in force: it needs its planning meeting, a permanency goal per
    child and a goal for what will be different. Records the completion event per child in care
    (initial, then update) so the clocks see it."""
    today = today or clock.today()
    current = lock_for_edit(FamilyPlan, pk=plan.pk, expected_version=expected_version)
    current.case = plan.case
    draft = current.versions.filter(status=VersionStatus.DRAFT).first()
    if draft is None:
        raise ValidationError(_(NOTHING_TO_FINALIZE))
    return _finalize(actor=actor, plan=current, draft=draft, today=today)


def signers(case: FamilyCase, today: dt.date) -> list[Person]:
    """Who may sign: the case's parents, and its children 14 or older."""
    ages = child_ages(case, today)
    youth = [pk for pk, age in ages.items() if age is not None and age >= doc.YOUTH_AGE]
    return case_parents(case) + list(
        Person.objects.filter(pk__in=youth).order_by("date_of_birth", "pk")
    )


@write
def plan_sign(
    *,
    actor: Any,
    plan: FamilyPlan,
    expected_version: int,
    signer: Person,
    typed_name: str,
    account: Any = None,
    today: dt.date | None = None,
) -> Signature:
    """A parent or youth signs the current version; a draft is made final first (with the same
    checks). A change after signing starts a new version: final versions never change."""
    today = today or clock.today()
    if signer.pk not in {p.pk for p in signers(plan.case, today)}:
        raise ValidationError({"signer": _(NOT_A_SIGNER)})
    if not doc.name_matches(
        typed_name, first=signer.first_name, last=signer.last_name, middle=signer.middle_name
    ):
        raise ValidationError({"typed_name": _(NAME_MISMATCH) % {"name": signer.full_name}})
    current = lock_for_edit(FamilyPlan, pk=plan.pk, expected_version=expected_version)
    current.case = plan.case
    version = current.versions.filter(status=VersionStatus.DRAFT).first()
    if version is not None:
        _finalize(actor=actor, plan=current, draft=version, today=today)
    else:
        version = current.versions.get(status=VersionStatus.FINAL)
    if version.signatures.filter(signer=signer).exists():
        raise ValidationError(
            {"signer": _(ALREADY_SIGNED) % {"name": signer.full_name, "number": version.number}}
        )
    meta = current_request_meta()
    signature = Signature(
        version=version,
        signer=signer,
        typed_name=typed_name.strip(),
        signed_at=clock.now(),
        account=account,
        recorded_by=actor,
        ip_address=meta.ip_address,
        user_agent=str(getattr(meta, "user_agent", ""))[:300],
    )
    signature.full_clean()
    signature.save()
    _bump(current)
    _audit(
        actor,
        current,
        "case_plan.signed",
        f"Case plan version {version.number} signed by {signer.full_name}",
        obj=signature,
    )
    return signature


# ---- progress and attendance -------------------------------------------------------------------


def _goal_keys(plan: FamilyPlan) -> set[str]:
    keys: set[str] = set()
    for content in plan.versions.values_list("document", flat=True):
        keys |= {g.get("key") for g in (content or {}).get("goals", [])}
    return keys


@write
def progress_record(
    *,
    actor: Any,
    plan: FamilyPlan,
    goal_key: str,
    recorded_on: dt.date,
    rating: int,
    evidence: str,
    today: dt.date | None = None,
) -> GoalProgress:
    """Behavioural progress on a goal, rated with the evidence seen (required)."""
    today = today or clock.today()
    if goal_key not in _goal_keys(plan):
        raise ValidationError({"goal_key": _(NO_SUCH_GOAL)})
    if recorded_on > today:
        raise ValidationError({"recorded_on": _(DATE_IN_FUTURE)})
    if rating not in doc.RATINGS:
        raise ValidationError({"rating": _(UNKNOWN_RATING)})
    if not evidence.strip():
        raise ValidationError({"evidence": _(EVIDENCE_NEEDED)})
    progress = GoalProgress(
        plan=plan,
        goal_key=goal_key,
        recorded_on=recorded_on,
        rating=rating,
        evidence=evidence.strip(),
        recorded_by=actor,
    )
    progress.full_clean()
    progress.save()
    _audit(
        actor,
        plan,
        "case_plan.progress_recorded",
        f"Progress on a case-plan goal rated {rating}",
        obj=progress,
        goal_key=goal_key,
        rating=rating,
    )
    return progress


@write
def attendance_record(
    *,
    actor: Any,
    plan: FamilyPlan,
    goal_key: str,
    service_name: str,
    period_start: dt.date,
    period_end: dt.date,
    sessions_scheduled: int,
    sessions_attended: int,
    note: str = "",
    today: dt.date | None = None,
) -> ServiceAttendance:
    """Service compliance on a goal for a period. It never changes whether the goal is met."""
    today = today or clock.today()
    if goal_key not in _goal_keys(plan):
        raise ValidationError({"goal_key": _(NO_SUCH_GOAL)})
    if period_end > today:
        raise ValidationError({"period_end": _(DATE_IN_FUTURE)})
    if period_end < period_start:
        raise ValidationError({"period_end": _(PERIOD_ORDER)})
    if sessions_attended > sessions_scheduled:
        raise ValidationError({"sessions_attended": _(ATTENDED_TOO_MANY)})
    row = ServiceAttendance(
        plan=plan,
        goal_key=goal_key,
        service_name=service_name.strip(),
        period_start=period_start,
        period_end=period_end,
        sessions_scheduled=sessions_scheduled,
        sessions_attended=sessions_attended,
        note=note.strip(),
        recorded_by=actor,
    )
    row.full_clean()
    row.save()
    _audit(
        actor,
        plan,
        "case_plan.attendance_recorded",
        f"Attendance {sessions_attended}/{sessions_scheduled} at {row.service_name}",
        obj=row,
        goal_key=goal_key,
    )
    return row
