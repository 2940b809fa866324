"""The birth parent's world (parent_world) seen also from the resource family the child lives
with: a resource-parent account of the child's provider, the child's needs in the plan in force,
and canaries in the parent's home address and the resource family's surname and phone."""

from __future__ import annotations

from dataclasses import dataclass

from reunify.case_plans import document as plan_document
from reunify.case_plans.models import PlanVersion, VersionStatus
from reunify.cases.models import Placement, ResourceProvider
from reunify.portal.models import Kind
from reunify.portal.tests.factories import family_account
from reunify.portal.tests.parent_world import CANARIES, NOW, TODAY, World, build

__all__ = ["NOW", "PARENT_ONLY", "RESOURCE_CANARIES", "TODAY", "ResourceWorld", "build_resource"]

# Never on a birth parent's page unless the resource family opts in (the surname), or ever (the
# address). The provider's name is the resource account's surname (the invitation names it).
RESOURCE_CANARIES = {
    "provider_name": CANARIES["provider_name"],
    "provider_street": CANARIES["provider_street"],
}
# Never on the resource family's pages: the parents' private information.
PARENT_ONLY = {
    "parent_street": "Zqparentstreet",
    "why_not_now": CANARIES["why_not_now"],
    "evidence": CANARIES["evidence"],
    "hearing_notes": CANARIES["hearing_notes"],
    "session_note": CANARIES["session_note"],
    "confidential_place": CANARIES["confidential_place"],
    "transport": CANARIES["provider_street"],
}
HEALTH_NEED = "Asthma: inhaler before sports."
SCHOOL_NEED = "Reading help three times a week."


@dataclass
class ResourceWorld(World):
    provider: ResourceProvider | None = None
    resource_user: object = None


def build_resource(worker) -> ResourceWorld:
    world = build(worker)
    parent = world.parent
    if parent.address is not None:
        parent.address.line1 = PARENT_ONLY["parent_street"]
        parent.address.save(update_fields=["line1"])
    provider = Placement.objects.get(episode__case=world.case, ended_on__isnull=True).provider
    # The child's needs in the plan in force (planted in the final version: test set-up).
    version = PlanVersion.objects.get(plan__case=world.case, status=VersionStatus.FINAL)
    document = plan_document.put_need(
        version.document,
        world.child.pk,
        {"key": "n1", "area": "health", "need": HEALTH_NEED, "who_meets_it": "Dr. Ade"},
    )
    document = plan_document.put_need(
        document,
        world.child.pk,
        {"key": "n2", "area": "education", "need": SCHOOL_NEED, "who_meets_it": "School"},
    )
    PlanVersion.objects.filter(pk=version.pk).update(document=document)
    resource_user = family_account(
        worker=worker,
        case=world.case,
        kind=Kind.RESOURCE_PARENT,
        provider=provider,
        username="foster",
    )
    resource_user.first_name = "Dana"
    resource_user.save(update_fields=["first_name"])
    return ResourceWorld(**vars(world), provider=provider, resource_user=resource_user)
