"""Writes and the one read for calendar feed tokens. A token is a secret address a calendar app
subscribes to without signing in; every request re-checks the policy for the token's owner."""

from __future__ import annotations

import secrets
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from reunify.cases.models import RemovalEpisode
from reunify.core import audit, clock
from reunify.core.actor import write
from reunify.family_time import permissions
from reunify.family_time.models import CalendarKind, CalendarToken

NOT_VISIBLE = gettext_noop("Choose a child in a case you can see.")


@write
def token_create(*, actor: Any, episode: RemovalEpisode | None = None) -> CalendarToken:
    """A feed of the actor's schedule, or of one child's family time when `episode` is given."""
    if episode is not None and not permissions.episodes_visible_to(actor).filter(pk=episode.pk):
        raise ValidationError({"episode": _(NOT_VISIBLE)})
    token = CalendarToken(
        user=actor,
        kind=CalendarKind.CHILD if episode is not None else CalendarKind.WORKER,
        episode=episode,
        token=secrets.token_urlsafe(32),
        created_at=clock.now(),
    )
    token.full_clean()
    token.save()
    audit.record(
        actor=actor,
        action="family_time.calendar_token_create",
        obj=token,
        case_id=episode.case_id if episode is not None else None,
        summary=f"Calendar feed created ({token.kind})",
        changes={"kind": token.kind, "episode": episode.pk if episode is not None else None},
    )
    return token


@write
def token_revoke(*, actor: Any, token: CalendarToken) -> CalendarToken:
    """Only the owner revokes; revoking twice changes nothing."""
    if token.user_id != actor.pk:
        raise ValidationError(_("You can revoke only your own calendar feeds."))
    if token.revoked_at is None:
        token.revoked_at = clock.now()
        token.save(update_fields=["revoked_at"])
        audit.record(
            actor=actor,
            action="family_time.calendar_token_revoke",
            obj=token,
            case_id=token.episode.case_id if token.episode_id else None,
            summary=f"Calendar feed revoked ({token.kind})",
        )
    return token


def live_token(value: str) -> CalendarToken | None:
    """The token for a feed request, if it exists, is not revoked, and its owner may still see
    what it shows (policy at request time); None otherwise."""
    token = (
        CalendarToken.objects.filter(token=value, revoked_at__isnull=True)
        .select_related("user", "episode__child")
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    if token.kind == CalendarKind.CHILD and not (
        permissions.episodes_visible_to(token.user).filter(pk=token.episode_id).exists()
    ):
        return None
    return token
