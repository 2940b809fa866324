"""Calendar feeds: the writer's output parses back, the secret address works without sign-in and
stops at once when revoked or when the owner may no longer see the case, nothing confidential or
private ever leaves in a feed."""

from __future__ import annotations

import datetime as dt

import icalendar
import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from reunify.accounts.models import User
from reunify.cases.tests.factories import open_case
from reunify.core import clock
from reunify.core.models import AuditEvent
from reunify.court import services as court_services
from reunify.court.models import HearingKind
from reunify.family_time import calendar_feeds, feed_services
from reunify.family_time.models import CalendarToken, FamilyTimeSession, LocationType
from reunify.family_time.tests.factories import make_plan

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 3, 20, 15, 0, tzinfo=dt.UTC)
CANARY = "742 Canarybird Lane"
SECRET = "Xqsecretobservation"


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(NOW, tick=False):
        yield


# ---- a small RFC 5545 reader for the checks (the icalendar package is not installed) ------------


def parse_ics(raw: bytes) -> list[dict[str, str]]:
    """Check the structure and return the events as {property name: value}."""
    text = raw.decode("utf-8")
    assert text.endswith("\r\n")
    physical = text[:-2].split("\r\n")
    assert all("\n" not in line and "\r" not in line for line in physical), "bare LF or CR"
    too_long = [line for line in physical if len(line.encode("utf-8")) > 75]
    assert not too_long, f"lines over 75 octets: {too_long}"
    logical: list[str] = []
    for line in physical:
        if line.startswith(" "):
            logical[-1] += line[1:]
        else:
            logical.append(line)
    stack: list[str] = []
    events: list[dict[str, str]] = []
    calendar: dict[str, str] = {}
    for line in logical:
        name, _, value = line.partition(":")
        assert value or name in {"LOCATION", "SUMMARY"}, f"not a content line: {line!r}"
        if name == "BEGIN":
            stack.append(value)
            if value == "VEVENT":
                events.append({})
        elif name == "END":
            assert stack, f"END:{value} without BEGIN"
            assert stack.pop() == value, f"unbalanced END:{value}"
        elif stack == ["VCALENDAR", "VEVENT"]:
            events[-1][name.split(";")[0]] = value
        else:
            assert stack == ["VCALENDAR"], f"property outside VCALENDAR: {line!r}"
            calendar[name] = value
    assert not stack, f"not closed: {stack}"
    assert logical[0] == "BEGIN:VCALENDAR"
    assert logical[-1] == "END:VCALENDAR"
    assert calendar["VERSION"] == "2.0"
    assert calendar["PRODID"]
    for event in events:
        assert {"UID", "DTSTAMP", "DTSTART", "SUMMARY"} <= set(event), event
        assert event["DTSTAMP"].endswith("Z")
    uids = [e["UID"] for e in events]
    assert len(uids) == len(set(uids))
    return events


def unescape(value: str) -> str:
    out, chars = [], iter(value)
    for char in chars:
        if char == "\\":
            following = next(chars)
            out.append("\n" if following in "nN" else following)
        else:
            out.append(char)
    return "".join(out)


# ---- the writer ---------------------------------------------------------------------------------


def test_writer_escapes_folds_and_uses_utc():
    long_name = "Visita de la familia Núñez-Peña; ñandú, \\ café\n" * 6
    chicago = dt.timezone(dt.timedelta(hours=-5))
    event = calendar_feeds.Event(
        uid="x-1@reunify",
        summary=long_name,
        starts_at=dt.datetime(2026, 3, 9, 17, 0, tzinfo=chicago),
        ends_at=dt.datetime(2026, 3, 9, 18, 0, tzinfo=chicago),
        location="Room 2, floor 3; east",
    )
    all_day = calendar_feeds.Event(
        uid="x-2@reunify", summary="Hearing", starts_at=dt.date(2026, 3, 10)
    )
    raw = calendar_feeds.calendar([event, all_day], name="Test", generated_at=NOW).encode()
    first, second = parse_ics(raw)
    assert unescape(first["SUMMARY"]) == long_name
    assert first["LOCATION"] == "Room 2\\, floor 3\\; east"
    assert first["DTSTART"] == "20260309T220000Z"
    assert first["DTEND"] == "20260309T230000Z"
    assert second["DTSTART"] == "20260310"
    assert b"DTSTART;VALUE=DATE:20260310\r\n" in raw


def test_fold_never_splits_a_character():
    line = "SUMMARY:" + "ñ" * 100
    folded = calendar_feeds.fold(line)
    for piece in folded.split("\r\n"):
        assert len(piece.encode("utf-8")) <= 75
        piece.encode("utf-8").decode("utf-8")
    assert folded.replace("\r\n ", "") == line


def test_naive_times_are_refused():
    naive = dt.datetime(2026, 3, 9, 17, 0)  # noqa: DTZ001 - the point of the test
    with pytest.raises(ValueError, match="timezone-aware"):
        calendar_feeds.utc_stamp(naive)


# ---- the feeds over HTTP -------------------------------------------------------------------------


def feed_url(token: CalendarToken) -> str:
    with translation.override("en"):
        return reverse("family_time:feed", args=[token.token])


def fetch(token: CalendarToken):
    return Client().get(feed_url(token))  # nobody signed in: calendar apps cannot


def test_worker_feed_needs_no_sign_in_and_lists_sessions_and_hearings(caseworker):
    plan = make_plan(worker=caseworker)
    case = plan.episode.case
    court_services.hearing_schedule(
        actor=caseworker,
        case=case,
        kind=HearingKind.REVIEW,
        scheduled_for=dt.date(2026, 4, 2),
        scheduled_time=dt.time(9, 30),
    )
    token = feed_services.token_create(actor=caseworker)

    response = fetch(token)

    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    events = parse_ics(response.content)
    sessions = [e for e in events if e["UID"].startswith("family-time-session-")]
    hearings = [e for e in events if e["UID"].startswith("court-hearing-")]
    assert len(sessions) == plan.sessions.count() > 0
    assert len(hearings) == 1
    assert hearings[0]["DTSTART"] == "20260402T143000Z"  # 9:30 CDT
    assert all(e["DTSTART"].endswith("Z") and e["DTEND"].endswith("Z") for e in sessions)
    assert case.number in unescape(hearings[0]["SUMMARY"])


def test_feeds_validate_with_an_independent_icalendar_parser(caseworker):
    """The icalendar package (a dev dependency, not used by the app) reads both feeds back
    strictly: every event, with aware UTC times, the child's local 5 p.m. start."""
    plan = make_plan(worker=caseworker)
    court_services.hearing_schedule(
        actor=caseworker,
        case=plan.episode.case,
        kind=HearingKind.REVIEW,
        scheduled_for=dt.date(2026, 4, 2),
    )  # no time: an all-day event
    for token in (
        feed_services.token_create(actor=caseworker),
        feed_services.token_create(actor=caseworker, episode=plan.episode),
    ):
        calendar = icalendar.Calendar.from_ical(fetch(token).content)
        assert calendar["VERSION"] == "2.0"
        events = calendar.walk("VEVENT")
        sessions = [e for e in events if str(e["UID"]).startswith("family-time-session-")]
        assert len(sessions) == plan.sessions.count()
        for event in sessions:
            start, end = event.decoded("DTSTART"), event.decoded("DTEND")
            assert start.utcoffset() == dt.timedelta(0)
            assert end > start
            assert start.astimezone(clock.agency_zone()).time() == dt.time(17)
        if token.episode is None:
            [hearing] = [e for e in events if str(e["UID"]).startswith("court-hearing-")]
            assert hearing.decoded("DTSTART") == dt.date(2026, 4, 2)


def test_child_feed_lists_only_that_childs_sessions(caseworker):
    plan = make_plan(worker=caseworker)
    other = make_plan(worker=caseworker)
    token = feed_services.token_create(actor=caseworker, episode=plan.episode)

    events = parse_ics(fetch(token).content)

    assert {e["UID"] for e in events} == {
        f"family-time-session-{pk}@reunify" for pk in plan.sessions.values_list("pk", flat=True)
    }
    assert other.sessions.exists()


def test_revoking_stops_the_feed_at_once(client, caseworker):
    token = feed_services.token_create(actor=caseworker)
    assert fetch(token).status_code == 200
    client.force_login(caseworker)

    response = client.post(reverse("family_time:feed-revoke"), {"token": token.pk})

    assert response.status_code == 302
    assert fetch(token).status_code == 404
    assert AuditEvent.objects.filter(action="family_time.calendar_token_revoke").count() == 1


def test_feed_queries_do_not_grow_with_the_caseload(caseworker, other_caseworker):
    make_plan(worker=caseworker)
    for _ in range(4):
        make_plan(worker=other_caseworker)
    counts = []
    for user in (caseworker, other_caseworker):
        token = feed_services.token_create(actor=user)
        with CaptureQueriesContext(connection) as queries:
            assert fetch(token).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_unknown_token_is_not_found():
    response = Client().get(reverse("family_time:feed", args=["no-such-token"]))
    assert response.status_code == 404


def test_only_the_owner_revokes(client, caseworker, other_caseworker):
    token = feed_services.token_create(actor=caseworker)
    client.force_login(other_caseworker)

    response = client.post(reverse("family_time:feed-revoke"), {"token": token.pk})

    assert response.status_code == 404
    assert fetch(token).status_code == 200


def test_policy_is_checked_at_every_request(caseworker, other_caseworker):
    plan = make_plan(worker=caseworker)
    child_token = feed_services.token_create(actor=caseworker, episode=plan.episode)
    mine = feed_services.token_create(actor=caseworker)
    # A token someone holds for a child they cannot see (planted: the service refuses it).
    planted = CalendarToken.objects.create(
        user=other_caseworker, kind="child", episode=plan.episode, token="planted", created_at=NOW
    )
    assert fetch(planted).status_code == 404
    assert fetch(child_token).status_code == 200

    User.objects.filter(pk=caseworker.pk).update(is_active=False)

    assert fetch(child_token).status_code == 404
    assert fetch(mine).status_code == 404


def test_another_agencys_token_sees_nothing_of_ours(caseworker, foreign_admin):
    plan = make_plan(worker=caseworker)
    theirs = feed_services.token_create(actor=foreign_admin)
    planted = CalendarToken.objects.create(
        user=foreign_admin, kind="child", episode=plan.episode, token="foreign", created_at=NOW
    )

    response = fetch(theirs)

    assert response.status_code == 200
    assert parse_ics(response.content) == []
    assert plan.episode.case.number.encode() not in response.content
    assert fetch(planted).status_code == 404
    with pytest.raises(Exception, match="Choose a child"):
        feed_services.token_create(actor=foreign_admin, episode=plan.episode)


def test_confidential_places_notes_and_observations_never_leave(client, caseworker, supervisor):
    confidential = make_plan(
        worker=caseworker, address=CANARY, location_confidential=True, location_type="community"
    )
    resource_home = make_plan(
        worker=caseworker,
        address=CANARY,
        location_type=LocationType.RESOURCE_HOME,
        location_confidential=False,
    )
    open_plan = make_plan(worker=caseworker, address="12 Main Street")
    FamilyTimeSession.objects.filter(plan__in=[confidential, resource_home, open_plan]).update(
        observations=SECRET, safety_note=SECRET, attendees=SECRET
    )
    court_services.hearing_schedule(
        actor=caseworker,
        case=confidential.episode.case,
        kind=HearingKind.REVIEW,
        scheduled_for=dt.date(2026, 4, 2),
        notes=SECRET,
    )
    tokens = [
        feed_services.token_create(actor=caseworker),
        feed_services.token_create(actor=supervisor),
        feed_services.token_create(actor=caseworker, episode=confidential.episode),
        feed_services.token_create(actor=caseworker, episode=resource_home.episode),
    ]
    for token in tokens:
        for prefix in ("", "/es"):
            response = Client().get(prefix + feed_url(token))
            assert response.status_code == 200
            body = response.content.decode()
            assert CANARY not in unescape(body.replace("\r\n ", ""))
            assert "Canarybird" not in body
            assert SECRET not in body
    events = parse_ics(fetch(tokens[0]).content)
    places = {unescape(e.get("LOCATION", "")) for e in events}
    assert "Arranged by the agency" in places
    assert "Agency visit room: 12 Main Street" in places
    client.force_login(caseworker)
    assert (
        CANARY not in client.get(reverse("family_time:week") + "?start=2026-03-02").content.decode()
    )


# ---- the feeds page ------------------------------------------------------------------------------


def test_feeds_page_creates_lists_and_refuses_unseen_children(client, caseworker, other_caseworker):
    plan = make_plan(worker=caseworker)
    unseen = make_plan(worker=other_caseworker)
    client.force_login(caseworker)
    url = reverse("family_time:feeds")

    assert client.post(url, {"calendar": "mine"}).status_code == 302
    assert client.post(url, {"calendar": str(plan.episode_id)}).status_code == 302
    refused = client.post(url, {"calendar": str(unseen.episode_id)})

    assert refused.status_code == 400
    tokens = CalendarToken.objects.filter(user=caseworker)
    assert sorted(t.kind for t in tokens) == ["child", "worker"]
    page = client.get(url).content.decode()
    for token in tokens:
        assert token.token in page
        assert "http://testserver" + feed_url(token) in page
    assert AuditEvent.objects.filter(action="family_time.calendar_token_create").count() == 2
    assert len(tokens[0].token) >= 43


def test_the_page_shows_only_live_tokens_of_the_user(client, caseworker, other_caseworker):
    mine = feed_services.token_create(actor=caseworker)
    revoked = feed_services.token_revoke(
        actor=caseworker, token=feed_services.token_create(actor=caseworker)
    )
    theirs = feed_services.token_create(actor=other_caseworker)
    client.force_login(caseworker)

    page = client.get(reverse("family_time:feeds")).content.decode()

    assert mine.token in page
    assert revoked.token not in page
    assert theirs.token not in page


def test_week_and_feed_for_a_caseworker_without_cases(client, caseworker):
    open_case(worker=caseworker)  # no plan: nothing to show, nothing breaks
    token = feed_services.token_create(actor=caseworker)
    assert parse_ics(fetch(token).content) == []
    client.force_login(caseworker)
    assert "Nothing scheduled." in client.get(reverse("family_time:week")).content.decode()
