"""What a provider may see of a referral: only the fields the parent consented to share, in force
now. The provider page and the referral e-mail are built from `SharedFacts` alone, never from
the referral itself, so a template cannot reach the case, other people or the child's placement.

Whose details are shared: when a parent is referred, their own; when a child is referred, the
child's name and the consenting parent's contact details and home address. A child's own
address and phone are never read here: they may be the resource family's."""

from __future__ import annotations

from dataclasses import dataclass

from reunify.case_plans.models import VersionStatus
from reunify.cases.models import ParticipantRole
from reunify.people.models import Person
from reunify.referrals import rules
from reunify.referrals.models import Consent, Referral


@dataclass(frozen=True)
class SharedFacts:
    reference: str
    agency: str
    service: str
    organization: str
    status: str  # the status code (rules.STATUSES)
    status_label: str
    worker_name: str
    worker_email: str
    person_name: str | None = None  # the person referred
    contact_name: str | None = None  # the parent to contact, when a child is referred
    phone: str | None = None
    email: str | None = None
    language: str | None = None
    address: str | None = None
    reason: str | None = None
    goal: str | None = None

    @property
    def shares_nothing(self) -> bool:
        fields = (self.person_name, self.phone, self.email, self.language, self.address)
        return all(v is None for v in (*fields, self.reason, self.goal))


def reference(referral: Referral) -> str:
    return f"R-{referral.pk:06d}"


def consent_in_force(referral: Referral) -> Consent | None:
    return (
        Consent.objects.filter(referral=referral, revoked_at__isnull=True)
        .select_related("given_by__address")
        .first()
    )


def _is_child(referral: Referral) -> bool:
    return referral.case.participants.filter(
        person_id=referral.person_id, role=ParticipantRole.CHILD
    ).exists()


def goal_text(referral: Referral) -> str | None:
    """The words of the plan goal the referral serves, from the plan as it stands."""
    if referral.plan_id is None or not referral.goal_key:
        return None
    version = (
        referral.plan.versions.exclude(status=VersionStatus.SUPERSEDED).order_by("-number").first()
    )
    for goal in (version.document if version else {}).get("goals", []):
        if goal.get("key") == referral.goal_key:
            return str(goal.get("change") or "") or None
    return None


def shared_facts(referral: Referral) -> SharedFacts:
    """The facts of `referral` its provider may see now."""
    consent = consent_in_force(referral)
    allowed = rules.shared(consent.fields if consent else ())
    person: Person = referral.person
    contact: Person | None = None
    if consent is not None:
        contact = consent.given_by if _is_child(referral) else person
    worker = referral.created_by
    facts: dict[str, str | None] = {}
    if rules.NAME in allowed:
        facts["person_name"] = person.full_name
        if contact is not None and contact.pk != person.pk:
            facts["contact_name"] = contact.full_name
    if contact is not None:
        if rules.PHONE in allowed and contact.phone:
            facts["phone"] = contact.phone
        if rules.EMAIL in allowed and contact.email:
            facts["email"] = contact.email
        if rules.LANGUAGE in allowed and contact.primary_language:
            facts["language"] = contact.primary_language
        if rules.ADDRESS in allowed and contact.address_id:
            facts["address"] = str(contact.address)
    if rules.REASON in allowed:
        facts["reason"] = referral.reason
    if rules.GOAL in allowed:
        facts["goal"] = goal_text(referral)
    return SharedFacts(
        reference=reference(referral),
        agency=referral.case.agency.name,
        service=referral.service.name,
        organization=referral.service.organization.name,
        status=referral.status,
        status_label=str(referral.get_status_display()),
        worker_name=(worker.get_full_name() or worker.get_username()) if worker else "",
        worker_email=worker.email if worker else "",
        **facts,
    )
