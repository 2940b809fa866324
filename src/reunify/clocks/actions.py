"""Where to go to satisfy a clock: the page that records the event it waits for."""

from __future__ import annotations

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from reunify.clocks.models import ClockSnapshot

ACTIONS = {
    "relative_notice": ("cases:relative-notice", "episode", _("Record relative notice")),
    "case_plan": ("case_plans:record", "episode", _("Record the case plan")),
    "case_plan_update": ("case_plans:record", "episode", _("Record the case plan update")),
    "concurrent_review": ("cases:concurrent-review", "episode", _("Record the review")),
    "tpr_15_22": ("clocks:exception", "episode", _("Record an exception")),
    "thv_limit": ("cases:placement-change", "episode", _("End or change the trial home visit")),
    "first_visit": ("contacts:visit-record", "case_child", _("Record a visit")),
    "monthly_visit": ("contacts:visit-record", "case_child", _("Record a visit")),
    "permanency_hearing": ("court:hearing-schedule", "case", _("Schedule or record the hearing")),
    "periodic_review": ("court:hearing-schedule", "case", _("Schedule or record the review")),
    "shelter_hearing": ("court:hearing-schedule", "case", _("Schedule or record the hearing")),
    "re_prevent_removal": ("court:finding-record", "case", _("Record the finding")),
    "re_finalize": ("court:finding-record", "case", _("Record the finding")),
}


def action_for(snapshot: ClockSnapshot) -> tuple[str, str] | None:
    """(url, label) of the page that satisfies the clock, or None."""
    entry = ACTIONS.get(snapshot.key)
    if entry is None:
        return None
    name, shape, label = entry
    args = {
        "episode": [snapshot.episode_id],
        "case": [snapshot.case_id],
        "case_child": [snapshot.case_id, snapshot.child_id],
    }[shape]
    try:
        return reverse(name, args=args), str(label)
    except NoReverseMatch:
        return None
