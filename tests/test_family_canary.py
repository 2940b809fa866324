"""Nothing confidential reaches the family side (reliability.md AZ-4, AZ-5, AZ-7, AZ-8; issue 7).

Unique canary strings are planted in every protected field: the resource family's surname,
street, phone and the school the child attends from there; a family-time place flagged
confidential and its transport; the other parent's address-confidentiality-program location, home
and phone; the intake report's reporter (name, contact), allegations and investigation narrative;
the worker's evidence and notes; another family's names and case number. Then, as each family
principal, the whole portal is crawled from "/" by following every link the pages give (HTML,
the case-plan PDF as text, the .ics feed, journal photos, attachments), and every e-mail and
text message sent during the test and every log record are read. Zero canaries may appear.

The principals: the birth parent (full standing), the same parent under a no-contact order and
after termination of parental rights, a youth (15), the resource family while the child lives
with them and after the child moved (a former placement), a matched parent partner, the same
partner after the parent revoked consent, an unmatched partner, and the parent of another family.

The canaries are real: a caseworker sees each of them on the staff pages (last test), and the
crawl must reach every family page of the portal's URL list (coverage check), so this test fails
if a page stops being crawled or a canary stops being planted.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import shutil
import subprocess
import warnings
from collections import deque
from urllib.parse import urlsplit

import pytest
import time_machine
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import resolve, reverse
from django.urls.exceptions import Resolver404

from reunify.cases import services as case_services
from reunify.cases.models import (
    CaseParticipant,
    FamilyCase,
    ParticipantRole,
    Placement,
)
from reunify.cases.tests.factories import ProviderFactory, move_child, open_case
from reunify.core import clock
from reunify.court import services as court_services
from reunify.messaging import services as messaging_services
from reunify.messaging.tests.factories import photo_bytes
from reunify.partners import services as partner_services
from reunify.partners.tests.factories import make_mentor, matched
from reunify.people import services as people_services
from reunify.people.models import Address, Person
from reunify.portal import documents, journal, parent_services
from reunify.portal.models import Kind
from reunify.portal.tests.factories import family_account, otp_client
from reunify.portal.tests.resource_world import NOW, PARENT_ONLY, RESOURCE_CANARIES, build_resource
from reunify.reminders import sms

pytestmark = pytest.mark.django_db

# --- what is planted -----------------------------------------------------------------------------

# Where the child lives: hidden from every parent, youth and partner.
LOCATION = RESOURCE_CANARIES | {
    "provider_phone": "Zqfosterphone",
    "school": "Zqschoolname Elementary",
}
# The next resource family (after the move): hidden from the former resource family too.
NEXT_LOCATION = {
    "next_provider_name": "Zqnextfamily",
    "next_provider_street": "Zqnextstreet",
    "next_provider_phone": "Zqnextphone",
    "next_school": "Zqnextschool Academy",
}
# Hidden from every family principal, whoever they are.
NEVER = {
    "reporter_name": "Zqreportername",
    "reporter_contact": "Zqreportercontact",
    "allegations": "Zqallegationdetails",
    "narrative": "Zqinvestigationnarrative",
    "acp_location": "Zqacplocation",
    "other_parent_street": "Zqotherparentstreet",
    "other_parent_phone": "Zqotherparentphone",
    "other_family": "Zqotherfamily",
}
PARENT_PRIVATE = dict(PARENT_ONLY)  # the parent's own address, notes and evidence
FAMILY_NAME = {"family_name": "Mensah"}  # who the parent is: only for those who may know

NOT_CRAWLED = {  # family URL names a crawl cannot reach by following links, and why
    "portal:join": "the invitation link arrives by e-mail and is used once (tested in test_portal)",
    "portal:partner-join": "the mentor's sign-up link arrives by e-mail (tested in partners)",
}


def _leaks(text: str, canaries: dict[str, str]) -> list[str]:
    low = text.lower()
    return [key for key, canary in canaries.items() if canary.lower() in low]


# --- the world -----------------------------------------------------------------------------------


@pytest.fixture
def world(caseworker, agency_admin):
    sms.outbox.clear()
    _CLIENTS.clear()
    with time_machine.travel(NOW, tick=False):
        yield _build(caseworker, agency_admin)


def _build(worker, admin) -> dict:
    w = build_resource(worker)
    case = w.case
    placement = Placement.objects.get(episode__case=case, ended_on__isnull=True)
    # Set-up writes straight to the tables where no service exists for the field.
    type(w.provider).objects.filter(pk=w.provider.pk).update(phone=LOCATION["provider_phone"])
    Placement.objects.filter(pk=placement.pk).update(school=LOCATION["school"])
    case_services.intake_report_record(
        actor=worker,
        case=case,
        data=case_services.IntakeReportInput(
            received_on=case.opened_on,
            reporter_role="education",
            reporter_name=NEVER["reporter_name"],
            reporter_contact=NEVER["reporter_contact"],
            allegations=NEVER["allegations"],
            narrative=NEVER["narrative"],
        ),
        today=clock.today(),
    )
    # Parent partners: one matched with the parent (consent on file), one with nobody.
    mentor = make_mentor(admin=admin, username="mentor")
    participation = matched(worker=worker, case=case, mentor=mentor)
    lonely = make_mentor(admin=admin, name="Noor Haddad", username="lonely")
    # The other parent: a survivor in an address confidentiality program.
    other = people_services.person_create(
        actor=worker,
        agency=worker.agency,
        data=people_services.PersonInput(
            first_name="Lena",
            last_name="Mensah",
            phone=NEVER["other_parent_phone"],
            protected_location=NEVER["acp_location"],
            address=people_services.AddressInput(
                line1=NEVER["other_parent_street"], city="Alder", state="MO"
            ),
        ),
        today=clock.today(),
    )
    CaseParticipant.objects.create(
        case=case, person=other, role=ParticipantRole.PARENT, added_on=case.opened_on
    )
    # A youth: the child, now 15.
    Person.objects.filter(pk=w.child.pk).update(date_of_birth=dt.date(2011, 1, 5))
    w.child.refresh_from_db()
    youth = family_account(
        worker=worker, case=case, kind=Kind.YOUTH, person=w.child, username="youth"
    )
    # Another family, with its own parent account, message and everything.
    other_case = open_case(worker=worker, name=NEVER["other_family"], today=clock.today())
    other_parent = family_account(worker=worker, case=other_case, username="otherparent")
    # Messages both ways, journal entries both ways, a calendar address: the pages have content
    # and the notices (e-mail, SMS) go out.
    parent_account = w.user.portal_account
    thread = messaging_services.thread_start(
        actor=worker,
        case=case,
        account=parent_account,
        subject="Saturday",
        body="See you Saturday.",
    )
    messaging_services.message_send(
        actor=w.user,
        thread=thread,
        body="Thank you, we'll be there.",
        upload=SimpleUploadedFile(
            "us.jpg", photo_bytes(text=LOCATION["provider_street"]), content_type="image/jpeg"
        ),
    )
    messaging_services.thread_start(
        actor=worker,
        case=other_case,
        account=other_parent.portal_account,
        subject=NEVER["other_family"],
        body=f"{NEVER['other_family']} visit",
    )
    for user in (w.resource_user, w.user):
        # A photo from the resource family's phone, its location in the metadata.
        photo = photo_bytes(fmt="PNG", text=LOCATION["provider_street"])
        journal.entry_post(
            actor=user,
            account=user.portal_account,
            case=case,
            child=w.child,
            text="Loved the library today.",
            photo=SimpleUploadedFile("day.png", photo, content_type="image/png"),
        )
    parent_services.feed_create(actor=w.user, account=parent_account)
    documents.document_share(
        actor=worker,
        case=case,
        account=parent_account,
        title="Visit letter",
        upload=SimpleUploadedFile(
            "letter.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf"
        ),
    )
    return {
        "w": w,
        "worker": worker,
        "youth": youth,
        "other_parent": other_parent,
        "mentor": mentor,
        "lonely": lonely,
        "participation": participation,
        "other_case": other_case,
    }


# --- the crawl -----------------------------------------------------------------------------------

PDFTOTEXT, PDFINFO = shutil.which("pdftotext"), shutil.which("pdfinfo")
HREF = re.compile(r"""(?:href|src|action)="([^"#]*)""")
FEED = re.compile(r"""value="((?:https?|webcal)://[^"]*)""")  # the calendar address to copy
SKIP = ("/accounts/logout", "/i18n/", "/static/", "/favicon")


def _text(response) -> str:
    kind = response.get("Content-Type", "")
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if kind.startswith("application/pdf"):
        raw = body.decode("latin-1")  # the bytes too (an uploaded PDF may not be parseable)
        if PDFTOTEXT is None or PDFINFO is None:  # .ci/run installs poppler-utils
            warnings.warn("pdftotext missing: PDF text not searched", stacklevel=1)
            return raw
        text = [PDFTOTEXT, "-enc", "UTF-8", "-", "-"]
        pdf = subprocess.run(text, input=body, capture_output=True)  # noqa: S603
        info = subprocess.run([PDFINFO, "-"], input=body, capture_output=True)  # noqa: S603
        return raw + pdf.stdout.decode(errors="replace") + info.stdout.decode(errors="replace")
    if kind.startswith("text/calendar"):
        return body.decode().replace("\r\n ", "").replace("\r\n\t", "")
    return body.decode("utf-8", errors="replace")


def crawl(client: Client, *, limit: int = 150) -> dict[str, str]:
    """Every page reachable from "/" by GET, by following links: {path: text}."""
    seen: dict[str, str] = {}
    queue = deque(["/"])
    while queue and len(seen) < limit:
        path = queue.popleft()
        if path in seen or path.startswith(SKIP):
            continue
        response = client.get(path)
        assert response.status_code < 500, (path, response.status_code)
        if response.status_code in (301, 302):
            seen[path] = ""
            queue.append(response["Location"])
            continue
        text = _text(response) if response.status_code == 200 else ""
        seen[path] = text
        if "html" in response.get("Content-Type", ""):
            for link in FEED.findall(text):
                queue.append(urlsplit(link).path)
            for link in HREF.findall(text):
                parts = urlsplit(link.replace("&amp;", "&"))
                if parts.netloc and parts.netloc != "testserver":
                    continue
                if parts.scheme in ("webcal", "http", "https") or not parts.scheme:
                    target = parts.path + (f"?{parts.query}" if parts.query else "")
                    if target.startswith("/"):
                        queue.append(target)
    return seen


def url_names(paths) -> set[str]:
    names = set()
    for path in paths:
        try:
            match = resolve(urlsplit(path).path)
        except Resolver404:
            continue
        names.add(f"{match.namespace}:{match.url_name}" if match.namespace else match.url_name)
    return names


_CLIENTS: dict[int, Client] = {}


def _signed_in(user) -> Client:
    """One signed-in client per account (time stands still here, and a code is good once)."""
    if user.pk not in _CLIENTS:
        _CLIENTS[user.pk] = otp_client(user)
    return _CLIENTS[user.pk]


def _sweep(who: str, user, canaries: dict[str, str], *, min_pages: int) -> set[str]:
    pages = crawl(_signed_in(user))
    leaks = [(who, path, key) for path, text in pages.items() for key in _leaks(text, canaries)]
    assert leaks == []
    assert len([t for t in pages.values() if t]) >= min_pages, (who, sorted(pages))
    return url_names(pages)


def test_no_family_principal_ever_sees_a_protected_fact(world, caplog):
    for name in ("reunify", "django.request", "django.security"):
        caplog.set_level(logging.DEBUG, logger=name)
    w = world["w"]
    worker = world["worker"]
    everyone = NEVER | LOCATION | NEXT_LOCATION
    visited: set[str] = set()

    with time_machine.travel(NOW, tick=False):
        # Full standing.
        visited |= _sweep("birth parent", w.user, everyone, min_pages=10)
        visited |= _sweep("youth", world["youth"], everyone | PARENT_PRIVATE, min_pages=4)
        visited |= _sweep(
            "resource parent", w.resource_user, NEVER | PARENT_PRIVATE | NEXT_LOCATION, min_pages=3
        )
        visited |= _sweep("matched partner", world["mentor"].user, everyone, min_pages=3)
        visited |= _sweep(
            "unmatched partner", world["lonely"].user, everyone | FAMILY_NAME, min_pages=2
        )
        visited |= _sweep(
            "another family's parent",
            world["other_parent"],
            {
                k: v
                for k, v in (everyone | PARENT_PRIVATE | FAMILY_NAME).items()
                if k != "other_family"
            },
            min_pages=5,
        )

        # The parent under a no-contact order, then after termination of parental rights.
        for kind, who in (("no_contact", "no-contact parent"), ("tpr", "parent after TPR")):
            court_services.order_record(
                actor=worker,
                case=w.case,
                kind=kind,
                issued_on=clock.today(),
                text="Order of the court.",
                parent=w.parent,
            )
            visited |= _sweep(who, w.user, everyone, min_pages=2)

        # The parent revoked the partner's consent.
        partner_services.consent_revoke(actor=worker, participation=world["participation"])
        _sweep(
            "partner after consent revoked",
            world["mentor"].user,
            everyone | FAMILY_NAME,
            min_pages=2,
        )

        # The child moved to another family: the former resource family sees nothing new.
        episode = w.case.episodes.get()
        address = Address.objects.create(
            line1=NEXT_LOCATION["next_provider_street"], city="Alder", state="MO"
        )
        provider = ProviderFactory(
            agency=worker.agency,
            name=NEXT_LOCATION["next_provider_name"],
            phone=NEXT_LOCATION["next_provider_phone"],
            address=address,
        )
        move_child(
            worker=worker, episode=episode, provider=provider, school=NEXT_LOCATION["next_school"]
        )
        _sweep(
            "former resource parent",
            w.resource_user,
            NEVER | PARENT_PRIVATE | NEXT_LOCATION,
            min_pages=1,
        )

    # Every message and notice that went out, and every log record.
    sent = [(f"e-mail {m.to}", f"{m.subject}\n{m.body}") for m in mail.outbox]
    sent += [
        (f"e-mail {m.to} alternative", str(c))
        for m in mail.outbox
        for c, _t in getattr(m, "alternatives", ())
    ]
    sent += [
        (f"e-mail {m.to} attachment {a[0]}", str(a[1])) for m in mail.outbox for a in m.attachments
    ]
    sent += [(f"SMS {m.to}", m.body) for m in sms.outbox]
    sent += [(f"log {r.name}", r.getMessage()) for r in caplog.records]
    assert mail.outbox, "the invitations and message notices went out"
    leaks = [(where, key) for where, text in sent for key in _leaks(text, everyone)]
    assert leaks == []

    # Coverage: the crawl reached every family page of the portal.
    family_names = {
        f"portal:{p.name}"
        for p in __import__("reunify.portal.urls", fromlist=["urlpatterns"]).urlpatterns
        if not str(p.pattern).startswith("staff/")
    }
    missing = family_names - visited - set(NOT_CRAWLED)
    assert missing == set()


def test_the_canaries_are_real_staff_see_them(world, client):
    """Positive control: the same strings are on the caseworker's pages."""
    w = world["w"]
    client.force_login(world["worker"])
    with time_machine.travel(NOW, tick=False):
        case_page = client.get(reverse("cases:case-detail", args=[w.case.pk])).content.decode()
        other = w.case.participants.exclude(person=w.parent).get(role=ParticipantRole.PARENT)
        person_page = client.get(
            reverse("people:person-detail", args=[other.person_id])
        ).content.decode()
        other_case = FamilyCase.objects.get(pk=world["other_case"].pk)
        other_page = client.get(reverse("cases:case-detail", args=[other_case.pk])).content.decode()
    for key in ("provider_phone", "school", "provider_name"):
        assert LOCATION[key] in case_page, key
    for key in ("reporter_name", "reporter_contact", "allegations", "narrative"):
        assert NEVER[key] in case_page, key
    for key in ("acp_location", "other_parent_street", "other_parent_phone"):
        assert NEVER[key] in person_page, key
    assert NEVER["other_family"] in other_page
