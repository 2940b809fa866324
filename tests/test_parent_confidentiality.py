"""The confidentiality canary (DESIGN §4.5): a resource family's address, and any place flagged
confidential, never reach a birth parent.

Canary strings are planted on the resource family's address (the provider of the child's current
placement), on a family-time plan at the resource family's home, and on a second plan at a place
flagged confidential. Then every surface a birth parent can receive today is rendered through the
real backends (locmem e-mail and SMS, the test client) and searched, case-insensitively:

- the reminder e-mail: subject, text body, HTML alternative and every attachment (the .ics), both
  as Django holds them and as the MIME message that would go on the wire;
- the reminder text message;
- the answer page: GET in English and in Spanish, and the page after each answer.

Each must say "Arranged by the agency" (or its Spanish) instead. The same canaries do show on the
worker's family-time page, so this test can fail.
"""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import translation

from reunify.cases.tests.factories import open_case
from reunify.family_time import services as family_time_services
from reunify.family_time.models import Level, LocationType
from reunify.family_time.tests.factories import TODAY, parents_of
from reunify.people.models import Address
from reunify.reminders import selectors, services, sms
from reunify.reminders.models import Reminder

pytestmark = pytest.mark.django_db

CANARY_STREET = "CANARY-7731 Hidden Lane"
CANARY_CITY = "Canaryburgh Falls"
CANARY_CONFIDENTIAL = "CANARY-CONF 19 Quiet Court"
CANARIES = [CANARY_STREET, CANARY_CITY, CANARY_CONFIDENTIAL, "canary", "hidden lane", "quiet court"]
SAFE = ["Arranged by the agency", "Lo coordina la agencia"]
NOW = dt.datetime(2026, 3, 3, 23, 30, tzinfo=dt.UTC)  # the sessions start at 23:00 UTC tomorrow


def _plan(worker, episode, **where):
    return family_time_services.plan_create(
        actor=worker,
        episode=episode,
        level=Level.SUPERVISED,
        weekdays=[2],  # Wednesdays, 17:00 in Chicago
        start_time=dt.time(17, 0),
        duration_minutes=60,
        effective_from=TODAY,
        participants=parents_of(episode.case),
        today=TODAY,
        **where,
    )


@pytest.fixture
def family(caseworker):
    """Two children placed with one resource family; family time for one at that family's home
    (not even flagged confidential: the home is hidden anyway), for the other at a confidential
    place; their mother subscribed to reminders by e-mail (English) and text (Spanish)."""
    sms.outbox.clear()
    case = open_case(worker=caseworker, children=2, today=TODAY)
    home, hidden = case.episodes.select_related("child").order_by("child__first_name")
    provider = selectors.current_provider(home)
    assert provider == selectors.current_provider(hidden)
    Address.objects.filter(pk=provider.address_id).update(
        line1=CANARY_STREET, line2="Unit CANARY", city=CANARY_CITY, postal_code="77310"
    )  # set-up: plant the canary straight in the table
    at_home = _plan(
        caseworker,
        home,
        location_type=LocationType.RESOURCE_HOME,
        address=f"{CANARY_STREET}, {CANARY_CITY}",
        location_confidential=False,
    )
    confidential = _plan(
        caseworker,
        hidden,
        location_type=LocationType.COMMUNITY,
        address=CANARY_CONFIDENTIAL,
        location_confidential=True,
    )
    mother = parents_of(case)[0]
    assert list(at_home.participants.all()) == list(confidential.participants.all()) == [mother]
    for episode in (home, hidden):
        for channel, destination, language in (
            ("email", "rosa@example.org", "en"),
            ("sms", "+13145550123", "es"),
        ):
            services.subscription_add(
                actor=caseworker,
                episode=episode,
                person=mother,
                channel=channel,
                destination=destination,
                language=language,
                consent=True,
                now=NOW - dt.timedelta(days=2),
            )
    with time_machine.travel(NOW, tick=False):
        counts = services.reminders_send_due()
    assert counts["sent"] == 4
    return {"home": home, "hidden": hidden, "plans": [at_home, confidential]}


def _unfold(text: str) -> str:
    return text.replace("\r\n ", "").replace("\r\n\t", "")


def _as_text(content: str | bytes) -> str:
    return content.decode("utf-8") if isinstance(content, bytes) else content


def _email_surfaces() -> list[tuple[str, str]]:
    surfaces = []
    for n, email in enumerate(mail.outbox):
        surfaces.append((f"e-mail {n} subject", email.subject))
        surfaces.append((f"e-mail {n} text", email.body))
        for i, (content, mimetype) in enumerate(email.alternatives):
            surfaces.append((f"e-mail {n} alternative {i} ({mimetype})", _as_text(content)))
        for name, content, mimetype in email.attachments:
            surfaces.append((f"e-mail {n} attachment {name} ({mimetype})", _as_text(content)))
        wire = email.message()
        surfaces.append((f"e-mail {n} headers", str(wire.items())))
        for part in wire.walk():
            if not part.is_multipart():
                payload = part.get_payload(decode=True).decode("utf-8")
                surfaces.append((f"e-mail {n} MIME part {part.get_content_type()}", payload))
    return surfaces


def _page_surfaces() -> list[tuple[str, str]]:
    surfaces = []
    for reminder in Reminder.objects.order_by("pk"):
        with translation.override("en"):
            path = reverse("reminders:respond", args=[reminder.token])
        for label, url, cookie in (
            ("English", path, "en"),
            ("Spanish", f"/es{path}", ""),
            ("reminder's language", path, ""),
        ):
            client = Client()
            if cookie:
                client.cookies["django_language"] = cookie
            response = client.get(url)
            assert response.status_code == 200
            surfaces.append((f"answer page {reminder.pk} GET {label}", response.content.decode()))
        for answer in ("confirmed", "cannot_come"):
            response = Client().post(path, {"response": answer, "note": "ok"})
            assert response.status_code == 200
            surfaces.append(
                (f"answer page {reminder.pk} after {answer}", response.content.decode())
            )
    return surfaces


def test_no_surface_a_birth_parent_receives_shows_a_confidential_address(family):
    with time_machine.travel(NOW + dt.timedelta(hours=1), tick=False):
        pages = _page_surfaces()
    texts = [(f"SMS {n}", m.body) for n, m in enumerate(sms.outbox)]
    surfaces = _email_surfaces() + texts + pages

    assert len(mail.outbox) == 2
    assert len(sms.outbox) == 2
    leaks = [
        (where, canary)
        for where, text in surfaces
        for canary in CANARIES
        if canary.lower() in _unfold(text).lower()
    ]
    assert leaks == []
    for where, text in surfaces:
        if "subject" in where or "headers" in where:
            continue
        assert any(safe in _unfold(text) for safe in SAFE), f"{where} does not say who arranges"
    assert sum("Lo coordina la agencia" in text for _where, text in texts) == 2


def test_the_canaries_are_real_the_worker_sees_them(family, client, caseworker):
    client.force_login(caseworker)
    for key, canary in (("home", CANARY_STREET), ("hidden", CANARY_CONFIDENTIAL)):
        page = client.get(reverse("family_time:child", args=[family[key].pk]))
        assert canary in page.content.decode()
