"""Activity-feed labels: audit events store an English summary for the record; the page shows a
translated label for the action, so the feed reads in the user's language."""

from __future__ import annotations

from django import template
from django.utils.translation import gettext_lazy as _

from reunify.core.models import AuditEvent

register = template.Library()

ACTION_LABELS = {
    "case.opened": _("Case opened"),
    "case.reassigned": _("Case reassigned"),
    "person.created": _("Person added"),
    "person.updated": _("Person's details edited"),
    "relationship.created": _("Relationship recorded"),
    "removal.recorded": _("Removal recorded"),
    "placement.started": _("Placement started"),
    "placement.ended": _("Placement ended"),
    "episode.discharged": _("Discharged from care"),
    "goal.set": _("Permanency goal set"),
    "goal.ended": _("Concurrent goal ended"),
    "demo.seeded": _("Created from demo data"),
    "petition.filed": _("Petition filed"),
    "hearing.scheduled": _("Hearing scheduled"),
    "hearing.held": _("Hearing held"),
    "hearing.continued": _("Hearing continued"),
    "hearing.vacated": _("Hearing vacated"),
    "finding.recorded": _("Court finding recorded"),
    "order.recorded": _("Court order recorded"),
    "case_plan.recorded": _("Case plan recorded"),
    "contact.recorded": _("Caseworker visit recorded"),
    "relative_notice.recorded": _("Relatives notified"),
    "concurrent_review.recorded": _("Concurrent-planning review recorded"),
    "clock.exception_recorded": _("15 of 22 exception recorded"),
}


@register.filter
def activity_label(event: AuditEvent) -> str:
    return str(ACTION_LABELS.get(event.action, event.action))
