"""Planted canaries: nothing of a separated child's whereabouts reaches the inquirer's side before
verification is complete (DESIGN §4.5, issue 9).

Unique strings are planted in the child's current location, current caregiver and in the photo's
metadata, and a distinctive care arrangement is chosen. Then every tracing page reachable by
links from the tracing home (plus the child's photo address) is crawled as the request's worker,
a worker who is not on the child's team, at each stage of verification (proposed, confirmed,
interviewed, verified, one approval of the best-interests decision), and every e-mail sent to
that worker and every audit row are read. None may show a canary. Positive controls: the child's
worker sees them on the child's page from the start, and the request's worker once the decision
to reunify has its second approval.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from PIL import Image

from reunify.core.models import AuditEvent
from reunify.tracing import services
from reunify.tracing.tests.factories import (
    candidate,
    file_request,
    interviews,
    register_child,
)

pytestmark = pytest.mark.django_db

LOCATION = "Cnryloc4471 Block C, Sehitkamil"
CAREGIVER = "Cnrycare4471 Demir"
EXIF = "Cnryexif4471 37.06N 37.38E"
CARE_LABEL = "Residential care"  # the planted arrangement's label; no other tracing page shows it
CANARIES = ("Cnryloc4471", "Cnrycare4471", "Cnryexif4471", CARE_LABEL)


def _photo() -> bytes:
    exif = Image.Exif()
    exif[0x010E] = EXIF  # ImageDescription
    exif[0x013B] = EXIF  # Artist
    out = io.BytesIO()
    Image.new("RGB", (32, 24), "green").save(out, format="JPEG", exif=exif)
    return out.getvalue()


def _leaks(text: str, *, blank_form: bool = False) -> list[str]:
    """The canaries in `text`; a blank registration form lists every care arrangement as a
    choice, so there the arrangement's label is no leak."""
    return [c for c in CANARIES if c in text and not (blank_form and c == CARE_LABEL)]


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _crawl(client: Client, starts: Iterable[str], *, limit: int = 60) -> dict[str, str]:
    """Every /tracing/ page reachable by links from `starts` (GET only), with its body."""
    seen: dict[str, str] = {}
    queue = list(starts)
    while queue and len(seen) < limit:
        path = queue.pop(0)
        if path in seen:
            continue
        response = client.get(path)
        body = (
            response.content.decode("utf-8", errors="replace")
            if response.status_code == 200
            else ""
        )
        seen[path] = body
        if response.get("Content-Type", "").startswith("text/html"):
            for link in re.findall(r'href="(/tracing/[^"#?]*)"', body):
                if link not in seen:
                    queue.append(link)
    return seen


@pytest.fixture
def world(
    caseworker, other_caseworker, supervisor, other_supervisor, django_capture_on_commit_callbacks
):
    """The request (other_caseworker's) is filed first; the child (caseworker's) is registered
    after, so the likely-match e-mail goes to the request's worker."""
    request = file_request(worker=other_caseworker)
    with django_capture_on_commit_callbacks(execute=True):
        child = register_child(
            worker=caseworker,
            photo=_photo(),
            current_location=LOCATION,
            current_caregiver=CAREGIVER,
            care_arrangement="residential",
        )
    return {"request": request, "child": child, "match": candidate(request, child)}


def _assert_inquirer_sees_nothing(world, inquirer) -> list[str]:
    client = _client(inquirer)
    pages = _crawl(
        client,
        [
            reverse("tracing:home"),
            reverse("tracing:request-detail", args=[world["request"].pk]),
            reverse("tracing:candidate-detail", args=[world["match"].pk]),
            reverse("tracing:child-detail", args=[world["child"].pk]),
        ],
    )
    leaked = {
        path: found
        for path, body in pages.items()
        if (found := _leaks(body, blank_form=path == reverse("tracing:child-new")))
    }
    assert not leaked, f"canaries reached {inquirer.username}: {leaked}"
    photo = client.get(reverse("tracing:child-photo", args=[world["child"].pk]))
    assert photo.status_code == 404
    for message in mail.outbox:
        if inquirer.email in message.to:
            assert not _leaks(message.subject + message.body), message.body
    audit_text = " ".join(
        f"{e.summary} {e.changes}" for e in AuditEvent.objects.filter(action__startswith="tracing.")
    )
    assert not _leaks(audit_text)
    return sorted(pages)


def test_inquirer_side_sees_no_canary_until_verification_is_complete(
    world, caseworker, other_caseworker, supervisor, other_supervisor
):
    match = world["match"]
    # The request's worker was told of the likely match, and the e-mail says nothing of where.
    assert [m.to for m in mail.outbox] == [[other_caseworker.email]]
    # The photo kept no metadata.
    world["child"].refresh_from_db()
    assert b"Cnryexif4471" not in bytes(world["child"].photo)

    # Proposed: the crawl covers the request, candidate, child and home pages.
    crawled = _assert_inquirer_sees_nothing(world, other_caseworker)
    assert reverse("tracing:candidate-detail", args=[match.pk]) in crawled
    _assert_inquirer_sees_nothing(world, other_supervisor)

    # Confirmed, then interviewed, then verified: still nothing.
    services.candidate_confirm(actor=other_caseworker, match=match)
    _assert_inquirer_sees_nothing(world, other_caseworker)
    interviews(worker=other_caseworker, match=match)
    _assert_inquirer_sees_nothing(world, other_caseworker)
    services.candidate_verify(actor=other_caseworker, match=match)
    _assert_inquirer_sees_nothing(world, other_caseworker)

    # A decision to reunify with one approval: still nothing.
    bid = services.decision_propose(
        actor=caseworker, child=world["child"], match=match, decision="reunify", rationale="Home"
    )
    services.decision_approve(actor=supervisor, decision=bid)
    _assert_inquirer_sees_nothing(world, other_caseworker)

    # The second approval completes verification: now the inquirer's worker may see where.
    services.decision_approve(actor=other_supervisor, decision=bid)
    page = _client(other_caseworker).get(reverse("tracing:candidate-detail", args=[match.pk]))
    assert "Cnryloc4471" in page.content.decode()
    assert "Cnrycare4471" in page.content.decode()


def test_childs_worker_and_supervisor_see_the_canaries(world, caseworker, supervisor, agency_admin):
    # Positive control: the plants are real and shown where the policy allows.
    for user in (caseworker, supervisor):
        body = _client(user).get(reverse("tracing:child-detail", args=[world["child"].pk]))
        text = body.content.decode()
        assert "Cnryloc4471" in text
        assert "Cnrycare4471" in text
        assert CARE_LABEL in text
        photo = _client(user).get(reverse("tracing:child-photo", args=[world["child"].pk]))
        assert photo.status_code == 200
        assert photo["Content-Type"] == "image/jpeg"
    # The agency's administrator reads the child's page, but not where the child is.
    admin_page = _client(agency_admin).get(
        reverse("tracing:child-detail", args=[world["child"].pk])
    )
    assert admin_page.status_code == 200
    assert not _leaks(admin_page.content.decode())


def test_child_without_consent_never_appears(caseworker, other_caseworker):
    hidden = register_child(
        worker=caseworker, given_name="Zainab", sex="F", consent_given=False, consent_on=None
    )
    request = file_request(
        worker=other_caseworker,
        sought=[services.SoughtDetails(given_name="Zainab", family_name="Haddad", sex="F")],
    )
    client = _client(other_caseworker)
    pages = _crawl(
        client,
        [reverse("tracing:home"), reverse("tracing:request-detail", args=[request.pk])],
    )
    candidate_pages = [p for p in pages if "/candidates/" in p]
    assert not candidate_pages
    assert request.candidates.count() == 0
    assert hidden.candidates.count() == 0
