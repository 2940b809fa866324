"""The handover summary a worker receives when a case is reassigned (issue 6, worker transition).

`build` gathers, at the moment of the handover, what a new worker needs before first meeting
the family: the case's history, each child's episode and goals, the case-plan goals with their
latest progress, the conditions for return, the clocks still running, the family-time plans, the
people to call and the most recent contact notes. It returns plain JSON so the summary is kept
exactly as handed over (the record shows what the worker was told, even after the case moves on);
labels are stored as codes or English system text and translated when shown.

It reads the apps built on cases, which import cases themselves, so `cases.services` imports this
module inside `case_reassign`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.dates import WEEKDAYS
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from reunify.assessments import selectors as assessments
from reunify.assessments.models import ConditionStatus
from reunify.case_plans.selectors import plan_page
from reunify.cases import rules
from reunify.cases.models import (
    CaseAssignment,
    DischargeReason,
    FamilyCase,
    GoalKind,
    ParticipantRole,
    PermanencyGoal,
    Placement,
    PlacementSetting,
    RemovalEpisode,
)
from reunify.clocks.display import explain
from reunify.clocks.models import ClockSnapshot, ClockStatus
from reunify.contacts.models import CaseworkerContact, Seen
from reunify.court.models import Hearing, HearingKind, HearingStatus
from reunify.family_time.models import FamilyTimePlan, PlanKind
from reunify.family_time.selectors import level_names

RECENT_NOTES = 5
NOTE_CHARS = 400
OPEN_CLOCKS = (ClockStatus.OVERDUE, ClockStatus.DUE_SOON, ClockStatus.RUNNING)


def _day(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


def _children(case: FamilyCase, today: dt.date) -> list[dict[str, Any]]:
    episodes = (
        RemovalEpisode.objects.filter(case=case)
        .select_related("child")
        .order_by("child__date_of_birth", "removed_on", "id")
    )
    placements: dict[int, list[Placement]] = {}
    for p in Placement.objects.filter(episode__case=case).order_by("started_on", "id"):
        placements.setdefault(p.episode_id, []).append(p)
    goals: dict[int, list[PermanencyGoal]] = {}
    for g in PermanencyGoal.objects.filter(episode__case=case, ended_on__isnull=True):
        goals.setdefault(g.episode_id, []).append(g)
    children: dict[int, dict[str, Any]] = {}
    for episode in episodes:
        child = children.setdefault(
            episode.child_id,
            {"person_id": episode.child_id, "name": episode.child.full_name, "episodes": []},
        )
        own = placements.get(episode.pk, [])
        current = next((p for p in own if p.ended_on is None), None)
        child["episodes"].append(
            {
                "removed_on": _day(episode.removed_on),
                "discharged_on": _day(episode.discharged_on),
                "discharge_reason": episode.discharge_reason,
                "days_in_care": rules.days_in_care(
                    removed_on=episode.removed_on,
                    discharged_on=episode.discharged_on,
                    today=today,
                ),
                "placements": rules.placement_count(p.setting for p in own),
                "current_setting": current.setting if current else "",
                "reentry": episode.reentry_within_12_months,
                "goals": [
                    {"kind": g.kind, "concurrent": g.is_concurrent, "since": _day(g.started_on)}
                    for g in sorted(goals.get(episode.pk, []), key=lambda g: g.is_concurrent)
                ],
            }
        )
    return list(children.values())


def _plan_goals(case: FamilyCase, today: dt.date) -> list[dict[str, Any]]:
    page = plan_page(case=case, today=today)
    return [
        {
            "text": view.goal.get("text", ""),
            "rating": view.latest.rating if view.latest else None,
            "rated_on": _day(view.latest.recorded_on) if view.latest else None,
            "met": view.met,
        }
        for view in page.goals
    ]


def _conditions(case: FamilyCase) -> list[dict[str, Any]]:
    return [
        {
            "child": c.child.full_name if c.child_id else "",
            "question": c.question_label,
            "what_must_exist": c.what_must_exist,
            "status": c.status,
        }
        for c in assessments.conditions(case=case)
    ]


def _clocks(case: FamilyCase) -> list[dict[str, Any]]:
    rows = (
        ClockSnapshot.objects.filter(case=case, status__in=OPEN_CLOCKS)
        .select_related("child")
        .order_by("due", "key")
    )
    return [
        {
            "child": s.child.full_name,
            "key": s.key,
            "name": s.name,
            "status": s.status,
            "due": _day(s.due),
            "message": s.message,
            "params": s.params,
        }
        for s in rows
    ]


def _family_time(case: FamilyCase) -> list[dict[str, Any]]:
    plans = (
        FamilyTimePlan.objects.filter(episode__case=case, effective_to__isnull=True)
        .select_related("episode__child")
        .order_by("episode__child__date_of_birth", "kind")
    )
    return [
        {
            "child": p.episode.child.full_name,
            "kind": p.kind,
            "level": p.level,
            "weekdays": p.weekdays,
            "start_time": p.start_time.strftime("%H:%M"),
            "duration_minutes": p.duration_minutes,
            "next_review_on": _day(p.next_review_on),
        }
        for p in plans
    ]


def _people(case: FamilyCase, today: dt.date) -> list[dict[str, Any]]:
    people = [
        {"name": p.person.full_name, "role": p.role, "phone": p.person.phone}
        for p in case.participants.select_related("person").order_by("role", "id")
        if p.role != ParticipantRole.CHILD
    ]
    providers = (
        Placement.objects.filter(episode__case=case, ended_on__isnull=True, provider__isnull=False)
        .select_related("provider")
        .order_by("provider__name")
    )
    seen: set[int] = set()
    for placement in providers:
        provider = placement.provider
        if provider is None or provider.pk in seen:
            continue
        seen.add(provider.pk)
        people.append({"name": provider.name, "role": "resource_provider", "phone": ""})
    return people


def _hearings(case: FamilyCase, today: dt.date) -> list[dict[str, Any]]:
    upcoming = Hearing.objects.filter(
        case=case, status=HearingStatus.SCHEDULED, scheduled_for__gte=today
    ).order_by("scheduled_for")[:3]
    return [{"kind": h.kind, "on": _day(h.scheduled_for)} for h in upcoming]


def _notes(case: FamilyCase) -> list[dict[str, Any]]:
    contacts = (
        CaseworkerContact.objects.filter(case=case)
        .exclude(note="")
        .select_related("child", "worker")
        .order_by("-occurred_on", "-id")[:RECENT_NOTES]
    )
    return [
        {
            "on": _day(c.occurred_on),
            "child": c.child.full_name,
            "seen": c.seen,
            "by": str(c.worker) if c.worker else "",
            "note": c.note[:NOTE_CHARS],
        }
        for c in contacts
    ]


def build(*, case: FamilyCase, today: dt.date) -> dict[str, Any]:
    assignments = CaseAssignment.objects.filter(case=case).select_related("worker")
    return {
        "case": {
            "number": case.number,
            "name": case.name,
            "opened_on": _day(case.opened_on),
            "workers": [
                {
                    "name": str(a.worker),
                    "from": _day(a.started_on),
                    "to": _day(a.ended_on),
                    "reason": a.reason,
                }
                for a in assignments.order_by("started_on", "id")
            ],
            "reassignments": max(assignments.count() - 1, 0),
        },
        "children": _children(case, today),
        "plan_goals": _plan_goals(case, today),
        "conditions": _conditions(case),
        "clocks": _clocks(case),
        "family_time": _family_time(case),
        "people": _people(case, today),
        "hearings": _hearings(case, today),
        "notes": _notes(case),
    }


# ---- showing a stored summary in the reader's language -----------------------------------------


def _date(value: str | None) -> str:
    return date_format(dt.date.fromisoformat(value), "DATE_FORMAT") if value else ""


def _label(choices: Any, value: str) -> str:
    return str(dict(choices).get(value, value))


def display(content: dict[str, Any], *, agency_id: int) -> dict[str, Any]:
    """The stored summary with its codes turned into labels and its dates formatted, in the
    active language. Codes no longer known are shown as stored."""
    levels = level_names(agency_id)
    roles = {**dict(ParticipantRole.choices), "resource_provider": _("Resource family")}
    children = [
        {
            **child,
            "episodes": [
                {
                    **e,
                    "removed_on": _date(e["removed_on"]),
                    "discharged_on": _date(e["discharged_on"]),
                    "discharge_reason": _label(DischargeReason.choices, e["discharge_reason"]),
                    "current_setting": _label(PlacementSetting.choices, e["current_setting"]),
                    "goals": [
                        {
                            "kind": _label(GoalKind.choices, g["kind"]),
                            "concurrent": g["concurrent"],
                            "since": _date(g["since"]),
                        }
                        for g in e["goals"]
                    ],
                }
                for e in child["episodes"]
            ],
        }
        for child in content.get("children", [])
    ]
    return {
        "case": {
            **content["case"],
            "opened_on": _date(content["case"]["opened_on"]),
            "workers": [
                {**w, "from": _date(w["from"]), "to": _date(w["to"])}
                for w in content["case"]["workers"]
            ],
        },
        "children": children,
        "plan_goals": [{**g, "rated_on": _date(g["rated_on"])} for g in content["plan_goals"]],
        "conditions": [
            {**c, "status": _label(ConditionStatus.choices, c["status"])}
            for c in content.get("conditions", [])
        ],
        "clocks": [
            {
                **c,
                "due": _date(c["due"]),
                "status": _label(ClockStatus.choices, c["status"]),
                "explained": explain(c["message"], c["params"]),
            }
            for c in content["clocks"]
        ],
        "family_time": [
            {
                **f,
                "kind": _label(PlanKind.choices, f["kind"]),
                "level": levels.get(f["level"], f["level"]),
                "days": ", ".join(
                    str(WEEKDAYS[int(d)]) for d in f["weekdays"].split(",") if d.strip()
                ),
                "next_review_on": _date(f["next_review_on"]),
            }
            for f in content["family_time"]
        ],
        "people": [{**p, "role": roles.get(p["role"], p["role"])} for p in content["people"]],
        "hearings": [
            {"kind": _label(HearingKind.choices, h["kind"]), "on": _date(h["on"])}
            for h in content["hearings"]
        ],
        "notes": [
            {**n, "on": _date(n["on"]), "seen": _label(Seen.choices, n["seen"])}
            for n in content["notes"]
        ],
    }
