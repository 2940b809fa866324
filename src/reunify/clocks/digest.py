"""The daily e-mail: for each worker who wants it, what became overdue since yesterday and what
falls due within 7 days on their cases."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import translation

from reunify.accounts.models import Role, User
from reunify.cases.models import FamilyCase
from reunify.clocks.models import ClockSnapshot, ClockStatus

DUE_WITHIN_DAYS = 7


def digest_for(worker: User, today: dt.date) -> dict[str, list[ClockSnapshot]] | None:
    base = ClockSnapshot.objects.filter(
        case__worker=worker, case__status=FamilyCase.Status.OPEN
    ).select_related("case", "child")
    newly_overdue = list(
        base.filter(status=ClockStatus.OVERDUE, due=today - dt.timedelta(days=1)).order_by(
            "case__name"
        )
    )
    due_soon = list(
        base.filter(
            status__in=[ClockStatus.DUE_SOON, ClockStatus.RUNNING],
            due__gte=today,
            due__lte=today + dt.timedelta(days=DUE_WITHIN_DAYS),
        ).order_by("due", "case__name")
    )
    if not newly_overdue and not due_soon:
        return None
    still_overdue = base.filter(
        status=ClockStatus.OVERDUE, due__lt=today - dt.timedelta(days=1)
    ).count()
    return {"newly_overdue": newly_overdue, "due_soon": due_soon, "still_overdue": still_overdue}


def digests_send(*, today: dt.date) -> int:
    """Send each opted-in worker their digest; returns how many e-mails went out."""
    sent = 0
    workers = User.objects.filter(
        is_active=True, wants_digest=True, role__in=[Role.CASEWORKER, Role.SUPERVISOR]
    ).exclude(email="")
    for worker in workers.iterator(chunk_size=500):
        content = digest_for(worker, today)
        if content is None:
            continue
        with translation.override(settings.LANGUAGE_CODE):
            body = render_to_string(
                "clocks/digest_email.txt", {"worker": worker, "today": today, **content}
            )
            subject = render_to_string(
                "clocks/digest_subject.txt", {"today": today, **content}
            ).strip()
        EmailMessage(subject=subject, body=body, to=[worker.email]).send()
        sent += 1
    return sent
