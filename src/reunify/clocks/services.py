"""Writes for clocks: recompute a case's clocks after its events change (called by the services
that record those events, in the same transaction), recompute everything nightly in batches,
record exceptions, and send the daily digest."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from reunify.cases.models import FamilyCase, RemovalEpisode
from reunify.cases.rules import DATE_IN_FUTURE
from reunify.clocks import profiles, rules, selectors
from reunify.clocks.models import ClockException, ClockSnapshot
from reunify.core import audit, clock
from reunify.core.actor import write

BATCH_SIZE = 500


def _json(params: Any) -> dict[str, Any]:
    return {k: v.isoformat() if isinstance(v, dt.date) else v for k, v in dict(params).items()}


def compute_for_cases(
    case_ids: Iterable[int], *, today: dt.date, profile: rules.Profile
) -> list[ClockSnapshot]:
    snapshots = []
    for item in selectors.child_events(case_ids, today):
        for c in rules.compute(item.events, today=today, profile=profile):
            snapshots.append(
                ClockSnapshot(
                    case_id=item.case_id,
                    episode_id=item.episode_id,
                    child_id=item.child_id,
                    key=c.key,
                    name=c.name,
                    basis=c.basis,
                    status=c.status,
                    due=c.due,
                    met_on=c.met_on,
                    message=c.message,
                    params=_json(c.params),
                    profile=profile.key,
                    computed_on=today,
                )
            )
    return snapshots


def _replace(case_ids: list[int], snapshots: list[ClockSnapshot]) -> None:
    ClockSnapshot.objects.filter(case_id__in=case_ids).delete()
    ClockSnapshot.objects.bulk_create(snapshots, batch_size=2000)


def case_clocks_refresh(*, case: FamilyCase, today: dt.date | None = None) -> list[ClockSnapshot]:
    """Recompute one case's clocks. Runs inside the caller's transaction, so the clocks a page
    shows always match the events just recorded."""
    today = today or clock.today()
    profile = profiles.get(case.agency.clock_profile)
    with transaction.atomic():
        snapshots = compute_for_cases([case.pk], today=today, profile=profile)
        _replace([case.pk], snapshots)
    return snapshots


def _batches(ids: list[int], size: int) -> Iterator[list[int]]:
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def clocks_refresh_all(*, today: dt.date | None = None, batch_size: int = BATCH_SIZE) -> int:
    """The nightly recomputation: every open case, and recently closed ones, batch by batch so
    memory stays bounded. Returns the number of cases processed."""
    today = today or clock.today()
    recent = today - dt.timedelta(days=selectors.RECENTLY_DISCHARGED_DAYS)
    processed = 0
    by_agency: dict[str, list[int]] = {}
    rows = (
        FamilyCase.objects.filter(
            Q(episodes__discharged_on__isnull=True) | Q(episodes__discharged_on__gte=recent)
        )
        .distinct()
        .values_list("id", "agency__clock_profile")
    )
    for case_id, profile_key in rows:
        by_agency.setdefault(profile_key, []).append(case_id)
    for profile_key, case_ids in by_agency.items():
        profile = profiles.get(profile_key)
        for batch in _batches(sorted(case_ids), batch_size):
            with transaction.atomic():
                _replace(batch, compute_for_cases(batch, today=today, profile=profile))
            processed += len(batch)
    return processed


@write
def clock_exception_record(
    *,
    actor: Any,
    episode: RemovalEpisode,
    reason: str,
    note: str,
    recorded_on: dt.date | None = None,
    clock_key: str = "tpr_15_22",
) -> ClockException:
    recorded_on = recorded_on or clock.today()
    if recorded_on > clock.today():
        raise ValidationError({"recorded_on": _(DATE_IN_FUTURE)})
    if not note.strip():
        raise ValidationError(
            {"note": _("Document the exception: the court and reviewers will read it.")}
        )
    exception = ClockException(
        episode=episode,
        clock_key=clock_key,
        reason=reason,
        recorded_on=recorded_on,
        note=note.strip(),
        recorded_by=actor,
    )
    exception.full_clean()
    exception.save()
    audit.record(
        actor=actor,
        action="clock.exception_recorded",
        obj=exception,
        case_id=episode.case_id,
        summary=f"{episode.child}: 15 of 22 exception ({exception.get_reason_display()})",
    )
    case_clocks_refresh(case=episode.case)
    return exception


@write
def digest_preference_set(*, actor: Any, wants_digest: bool) -> None:
    from reunify.accounts.models import User

    user = User.objects.get(pk=actor.pk)
    user.wants_digest = wants_digest
    user.save(update_fields=["wants_digest"])
    audit.record(
        actor=actor,
        action="digest.preference",
        obj=actor,
        summary=f"Daily digest {'on' if wants_digest else 'off'}",
    )


@write
def agency_profile_set(*, actor: Any, agency: Any, key: str) -> None:
    if key not in profiles.available():
        raise ValidationError({"clock_profile": _("Choose one of the installed profiles.")})
    old = agency.clock_profile
    agency.clock_profile = key
    agency.save(update_fields=["clock_profile"])
    audit.record(
        actor=actor,
        action="agency.clock_profile",
        obj=agency,
        agency_id=agency.pk,
        summary=f"Clock rules changed from {old} to {key}",
        changes={"clock_profile": [old, key]},
    )
