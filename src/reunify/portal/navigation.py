"""The portal's menu for a family account (core.context_processors asks for it)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _


def links(user: Any) -> list[dict[str, str]]:
    found = [{"url": reverse("portal:home"), "label": _("My family")}]
    found += parent_links(user)
    found += partner_links(user)
    return found


def parent_links(user: Any) -> list[dict[str, str]]:
    """A parent's or youth's calendar page (its case pages are reached from the home cards)."""
    from reunify.portal.models import Kind
    from reunify.portal.permissions import account_of

    account = account_of(user)
    if account is None or account.kind not in (Kind.PARENT, Kind.YOUTH):
        return []
    return [
        {"url": reverse("portal:messages"), "label": _("Messages")},
        {"url": reverse("portal:calendar"), "label": _("My calendar")},
    ]


def partner_links(user: Any) -> list[dict[str, str]]:
    """A parent partner's pages (reunify.partners)."""
    if getattr(user, "role", "") != "parent_partner":
        return []
    return [
        {"url": reverse("portal:partner-home"), "label": _("My parents")},
        {"url": reverse("portal:partner-activity"), "label": _("My monthly activity")},
    ]
