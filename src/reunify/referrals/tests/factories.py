"""Referrals built through the real services."""

from __future__ import annotations

import datetime as dt
from typing import Any

from reunify.cases.models import FamilyCase, ParticipantRole
from reunify.cases.tests.factories import open_case
from reunify.core import clock
from reunify.people.models import Person
from reunify.referrals import rules, services
from reunify.referrals.models import Referral
from reunify.services.models import Service
from reunify.services.tests.factories import make_service

NOW = dt.datetime(2026, 3, 2, 17, 0, tzinfo=dt.UTC)  # 11:00 in the agency's zone
ALL_FIELDS = rules.SHAREABLE


def parent_of(case: FamilyCase) -> Person:
    return case.participants.filter(role=ParticipantRole.PARENT).order_by("pk").first().person  # type: ignore[union-attr]


def child_of(case: FamilyCase) -> Person:
    return case.participants.filter(role=ParticipantRole.CHILD).first().person  # type: ignore[union-attr]


def provider_service(case: FamilyCase, **kwargs: Any) -> Service:
    service = make_service(case.agency, name=kwargs.pop("name", "Parenting Circle"), **kwargs)
    service.email = "intake@provider.example"
    service.save(update_fields=["email"])
    return service


def draft(
    worker: Any,
    *,
    case: FamilyCase | None = None,
    person: Person | None = None,
    service: Service | None = None,
    reason: str = "Parenting support after a neglect finding",
    goal_key: str = "",
    now: dt.datetime = NOW,
) -> Referral:
    case = case or open_case(worker=worker)
    return services.referral_create(
        actor=worker,
        case=case,
        person=person or parent_of(case),
        service=service or provider_service(case),
        reason=reason,
        goal_key=goal_key,
        now=now,
    )


def consent(
    worker: Any, referral: Referral, *, fields=ALL_FIELDS, given_by: Person | None = None, now=NOW
):
    return services.consent_record(
        actor=worker,
        referral=referral,
        given_by=given_by or parent_of(referral.case),
        fields=fields,
        how=rules.SIGNED,
        given_on=now.astimezone(clock.agency_zone()).date(),
        now=now,
    )


def sent(worker: Any, *, fields=ALL_FIELDS, now: dt.datetime = NOW, **kwargs: Any) -> services.Sent:
    """A referral with consent, sent: (referral, link, token)."""
    referral = draft(worker, now=now, **kwargs)
    consent(worker, referral, fields=fields, now=now)
    return services.referral_send(
        actor=worker,
        referral=referral,
        expected_version=referral.version,
        to="intake@provider.example",
        now=now,
    )


def fresh(referral: Referral) -> Referral:
    return Referral.objects.select_related("case", "service").get(pk=referral.pk)


def referral_for_matrix(*, worker: Any, case: FamilyCase, service: Service) -> Referral:
    """The authorization matrix's referral (tests/authz_matrix.d/referrals.yaml): the case's
    parent referred to `service`, with consent, sent, and one open barrier."""
    referral = services.referral_create(
        actor=worker, case=case, person=parent_of(case), service=service, reason="Food support"
    )
    consent(worker, referral, now=referral.created_at)
    result = services.referral_send(
        actor=worker, referral=referral, expected_version=1, to="intake@provider.example"
    )
    services.barrier_add(actor=worker, referral=result.referral, kind="transport")
    return result.referral
