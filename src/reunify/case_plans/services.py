"""Writes for case plans (this slice: recording that a plan was completed)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from reunify.case_plans.models import CasePlan
from reunify.cases.models import RemovalEpisode
from reunify.cases.rules import DATE_IN_FUTURE
from reunify.clocks.hooks import events_changed
from reunify.core import audit, clock
from reunify.core.actor import write


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
    kind = CasePlan.Kind.UPDATE if episode.case_plans.exists() else CasePlan.Kind.INITIAL
    plan = CasePlan(
        episode=episode,
        kind=kind,
        completed_on=completed_on,
        developed_with_parents=developed_with_parents,
        parents_not_involved_reason=parents_not_involved_reason.strip(),
        recorded_by=actor,
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
    events_changed(episode.case)
    return plan
