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
    "intake_report.recorded": _("Intake report recorded"),
    "clock.exception_recorded": _("15 of 22 exception recorded"),
    "family_time.plan_created": _("Family-time plan created"),
    "family_time.session_recorded": _("Family-time session recorded"),
    "family_time.level_proposed": _("Family-time level change proposed"),
    "family_time.level_changed": _("Family-time level changed"),
    "family_time.level_approved": _("Family-time level change approved"),
    "family_time.level_rejected": _("Family-time level change rejected"),
    "family_time.level_restricted": _("Family time restricted after a safety incident"),
    "reminders.subscription_add": _("Reminder consent recorded"),
    "reminders.subscription_stop": _("Reminders stopped"),
    "reminders.planned": _("Family-time reminders planned"),
    "reminders.deferred": _("Family-time reminder moved out of quiet hours"),
    "reminders.sent": _("Family-time reminder sent"),
    "reminders.failed": _("Family-time reminder could not be sent"),
    "reminders.skipped": _("Family-time reminder not sent"),
    "reminders.response": _("Answer to a family-time reminder"),
    "case_plan.started": _("Case plan started"),
    "case_plan.version_started": _("New version of the case plan started"),
    "case_plan.goal_saved": _("Case-plan goal saved"),
    "case_plan.condition_saved": _("Condition for return saved"),
    "case_plan.task_saved": _("Case-plan task saved"),
    "case_plan.need_saved": _("Child's need saved"),
    "case_plan.youth_saved": _("Youth's part of the plan saved"),
    "case_plan.efforts_saved": _("Agency's efforts saved"),
    "case_plan.item_removed": _("Item removed from the case plan"),
    "case_plan.meeting_recorded": _("Planning meeting recorded"),
    "case_plan.version_final": _("Case plan version made final"),
    "case_plan.signed": _("Case plan signed"),
    "case_plan.progress_recorded": _("Progress on a goal recorded"),
    "case_plan.attendance_recorded": _("Service attendance recorded"),
}


@register.filter
def activity_label(event: AuditEvent) -> str:
    return str(ACTION_LABELS.get(event.action, event.action))
