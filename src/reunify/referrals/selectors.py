"""Reads for referral pages: a case's referrals, one referral with its timeline, the provider
link behind a token, overdue referrals for What's due, and the barrier summary. Each page reads
a fixed number of queries whatever the number of referrals (tests count them)."""

from __future__ import annotations

import datetime as dt
import hmac
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import QuerySet

from reunify.accounts.models import Agency, Unit
from reunify.cases.models import FamilyCase
from reunify.core import clock
from reunify.referrals import permissions, rules
from reunify.referrals.models import (
    Attendance,
    Barrier,
    Consent,
    ProviderLink,
    Referral,
    ReferralEvent,
    Status,
)
from reunify.referrals.services import token_digest

OVERDUE_SHOWN = 50


def _with_parts(referrals: QuerySet[Referral]) -> QuerySet[Referral]:
    return referrals.select_related("case", "person", "service__organization", "created_by")


def referrals_for_case(case: FamilyCase) -> list[Referral]:
    return list(_with_parts(Referral.objects.filter(case=case)).prefetch_related("barriers"))


@dataclass
class ReferralPage:
    referral: Referral
    events: list[ReferralEvent]
    attendance: list[Attendance]
    barriers: list[Barrier]
    consents: list[Consent]
    link: ProviderLink | None

    @property
    def consent(self) -> Consent | None:
        return next((c for c in self.consents if c.in_force), None)

    @property
    def open_barriers(self) -> list[Barrier]:
        return [b for b in self.barriers if b.resolved_at is None]

    @property
    def attended(self) -> int:
        return sum(1 for a in self.attendance if a.attended)


def referral_page(referral: Referral) -> ReferralPage:
    return ReferralPage(
        referral=referral,
        events=list(referral.events.select_related("user")),
        attendance=list(referral.attendance.all()),
        barriers=list(referral.barriers.select_related("recorded_by", "resolved_by")),
        consents=list(referral.consents.select_related("given_by", "recorded_by")),
        link=referral.links.filter(revoked_at__isnull=True).first(),
    )


# ---- the provider link ---------------------------------------------------------------------


def provider_link_for(token: str, *, now: dt.datetime | None = None) -> ProviderLink | None:
    """The provider link whose token this is, if it may be used now; else None (unknown,
    expired, revoked, or its referral withdrawn). The token is never stored: its SHA-256 is
    compared in constant time with the links sharing its first characters."""
    now = now or clock.now()
    if not token or len(token) > 100:
        return None
    digest = token_digest(token)
    found = None
    for link in ProviderLink.objects.filter(prefix=token[:8]).select_related("referral"):
        if hmac.compare_digest(link.digest, digest):
            found = link
    if found is None:
        return None
    state = rules.link_state(
        expires_at=found.expires_at,
        revoked_at=found.revoked_at,
        status=found.referral.status,
        now=now,
    )
    return found if state == rules.LINK_OK else None


def provider_link_known(token: str) -> ProviderLink | None:
    """The link of this token whatever its state (to audit refused uses of a real link)."""
    if not token or len(token) > 100:
        return None
    digest = token_digest(token)
    return next(
        (
            link
            for link in ProviderLink.objects.filter(prefix=token[:8]).select_related("referral")
            if hmac.compare_digest(link.digest, digest)
        ),
        None,
    )


def referral_for_provider(link: ProviderLink) -> Referral:
    """The link's own referral, with what `sharing.shared_facts` reads."""
    return Referral.objects.select_related(
        "case__agency", "person__address", "service__organization", "created_by", "plan"
    ).get(pk=link.referral_id)


def provider_attendance(link: ProviderLink) -> list[Attendance]:
    """The attendance of the link's own referral, for the provider's page."""
    return list(Attendance.objects.filter(referral_id=link.referral_id).order_by("-on")[:20])


# ---- What's due ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Overdue:
    referral: Referral
    due_on: dt.date
    days_late: int


def overdue_for(
    user: Any, *, today: dt.date | None = None, limit: int = OVERDUE_SHOWN
) -> list[Overdue]:
    """Referrals the user may see that were sent and not answered within
    REUNIFY_REFERRAL_RESPONSE_DAYS, longest waiting first. One query."""
    today = today or clock.today()
    days = settings.REUNIFY_REFERRAL_RESPONSE_DAYS
    zone = clock.agency_zone()
    bound = rules.sent_before_for_overdue(today, days=days)
    start_of_bound = dt.datetime.combine(bound, dt.time(0), tzinfo=zone)
    rows = _with_parts(
        permissions.referrals_visible_to(user).filter(
            status=Status.SENT, sent_at__lt=start_of_bound
        )
    ).order_by("sent_at", "pk")[:limit]
    result = []
    for referral in rows:
        sent_on = referral.sent_at.astimezone(zone).date()  # type: ignore[union-attr]
        due = rules.response_due(sent_on, days=days)
        result.append(Overdue(referral, due, (today - due).days))
    return result


# ---- barriers by unit ------------------------------------------------------------------------


def barrier_summary(
    *, agency: Agency, unit: Unit | None, since: dt.date, until: dt.date, top: int = 10
) -> rules.BarrierSummary:
    """Barriers recorded in [since, until] in the agency (or one unit): by kind, open and
    resolved, and the services with the most barriers. One query, the counting in rules."""
    zone = clock.agency_zone()
    start = dt.datetime.combine(since, dt.time(0), tzinfo=zone)
    end = dt.datetime.combine(until + dt.timedelta(days=1), dt.time(0), tzinfo=zone)
    barriers = Barrier.objects.filter(
        referral__case__agency=agency, recorded_at__gte=start, recorded_at__lt=end
    )
    if unit is not None:
        barriers = barriers.filter(referral__case__unit=unit)
    rows = (
        rules.BarrierRow(kind=kind, service=name, resolved=resolved is not None)
        for kind, name, resolved in barriers.values_list(
            "kind", "referral__service__name", "resolved_at"
        ).iterator(chunk_size=5000)
    )
    return rules.barrier_summary(rows, top=top)
