"""What a reminder says, in the recipient's language: the e-mail (subject, text, HTML and the
session as an .ics attachment) and the text message.

The place is `family_time.schedule.location_label(plan)` and nothing else: for a confidential place
or a resource family's home it reads "Arranged by the agency". Never give these templates a plan's
address, a provider, a placement or a person: only the strings built in `facts`."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format, time_format
from django.utils.translation import gettext as _

from reunify.core import clock
from reunify.family_time import calendar_feeds
from reunify.family_time.models import FamilyTimeSession
from reunify.family_time.schedule import location_label
from reunify.reminders import rules
from reunify.reminders.models import Reminder

SMS_LIMIT = 320
ICS_NAME = "family-time.ics"


@dataclass(frozen=True)
class Content:
    subject: str
    text: str
    html: str
    sms: str
    ics: str


def response_url(reminder: Reminder) -> str:
    """The absolute address of the reminder's response page, in the reminder's language."""
    with translation.override(reminder.language):
        path = reverse("reminders:respond", args=[reminder.token])
    return settings.REUNIFY_BASE_URL.rstrip("/") + path


def facts(session: FamilyTimeSession) -> dict[str, str]:
    """The session as a recipient may see it, formatted in the active language: the child's first
    name, the day, date and times in the agency's zone, and the parent-safe place."""
    zone = clock.agency_zone()
    starts = session.starts_at.astimezone(zone)
    ends = session.ends_at.astimezone(zone)
    return {
        "child": session.plan.episode.child.first_name,
        "day": date_format(starts, "l"),
        "date": date_format(starts, "DATE_FORMAT"),
        "time": time_format(starts, "TIME_FORMAT"),
        "ends": time_format(ends, "TIME_FORMAT"),
        "where": location_label(session.plan),
    }


def content(reminder: Reminder, *, now: dt.datetime) -> Content:
    session = reminder.session
    link = response_url(reminder)
    with translation.override(reminder.language):
        context = {**facts(session), "link": link}
        subject = _("Reminder: family time with %(child)s on %(day)s, %(date)s") % context
        head = _("Reunify: family time with %(child)s on %(day)s, %(date)s at %(time)s.") % context
        sms = rules.sms_text(
            head=head,
            where=_("Where: %(where)s.") % context,
            link=_("Will you come? %(link)s") % context,
            limit=SMS_LIMIT,
        )
        event = calendar_feeds.Event(
            uid=f"family-time-session-{session.pk}@reunify",
            summary=_("Family time: %(child)s") % context,
            starts_at=session.starts_at,
            ends_at=session.ends_at,
            location=context["where"],
            url=link,
        )
        ics = calendar_feeds.calendar([event], name=event.summary, generated_at=now)
        return Content(
            subject=subject,
            text=render_to_string("reminders/email.txt", context),
            html=render_to_string("reminders/email.html", context),
            sms=sms,
            ics=ics,
        )
