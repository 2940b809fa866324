"""Pages: the mentor's portal (field set, canary, consent revoked or expired → the very next
request is 404) and the coordinator's staff pages."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.formats import date_format

from reunify.cases.models import FamilyCase, Placement, ResourceProvider
from reunify.cases.tests.factories import open_case
from reunify.core import clock
from reunify.court import services as court_services
from reunify.court.models import Hearing
from reunify.family_time import services as family_time_services
from reunify.partners import services
from reunify.partners.models import Participation, PartnerConsent, PartnerContact, Status
from reunify.partners.tests.factories import accepted, make_mentor, matched
from reunify.people.models import Address, Person
from reunify.portal.tests.factories import otp_client, parent_of

pytestmark = pytest.mark.django_db

FAMILY = "Zqfamilycanary"  # the family name: the parent's last name (never shown to the mentor)
PROVIDER_NAME = "Zqprovidercanary"
PROVIDER_ADDRESS = "12 Zqplacementcanary Lane"
HOME_ADDRESS = "9 Zqhomecanary Road"
HEARING_NOTES = "Zqhearingcanary allegation details"
VISIT_PLACE = "Zqvisitplacecanary Library"
CANARIES = [FAMILY, PROVIDER_NAME, PROVIDER_ADDRESS, HOME_ADDRESS, HEARING_NOTES, VISIT_PLACE]


@pytest.fixture
def setting(caseworker, agency_admin):
    """A parent matched with a mentor, with canaries planted in every protected field."""
    case = open_case(
        worker=caseworker, name=FAMILY, opened_on=clock.today() - dt.timedelta(days=60)
    )
    parent = parent_of(case)
    # Plant the canaries straight in the tables: test set-up, not a user's change.
    address = Address.objects.create(line1=PROVIDER_ADDRESS, city="Alder", state="MO")
    provider_ids = Placement.objects.filter(episode__case=case).values_list(
        "provider_id", flat=True
    )
    ResourceProvider.objects.filter(pk__in=provider_ids).update(name=PROVIDER_NAME, address=address)
    home = Address.objects.create(line1=HOME_ADDRESS, city="Alder", state="MO")
    Person.objects.filter(pk=parent.pk).update(address=home, phone="314-555-0199")
    hearing = court_services.hearing_schedule(
        actor=caseworker,
        case=case,
        kind="review",
        scheduled_for=clock.today() + dt.timedelta(days=10),
    )
    Hearing.objects.filter(pk=hearing.pk).update(notes=HEARING_NOTES)
    episode = case.episodes.get()
    family_time_services.plan_create(
        actor=caseworker,
        episode=episode,
        level="supervised",
        weekdays=list(range(7)),
        start_time=dt.time(17, 0),
        duration_minutes=60,
        location_type="community",
        address=VISIT_PLACE,
        effective_from=clock.today(),
        participants=[parent],
    )
    mentor = make_mentor(admin=agency_admin)
    participation = matched(
        worker=caseworker, case=case, mentor=mentor, goals="Get my own place by June."
    )
    return {"case": case, "mentor": mentor, "participation": participation, "hearing": hearing}


def _pages(client: Client, participation: Participation) -> list[str]:
    paths = [
        reverse("portal:partner-home"),
        reverse("portal:partner-parent", kwargs={"pk": participation.pk}),
        reverse("portal:partner-activity"),
        reverse("portal:home"),
    ]
    bodies = []
    for path in paths:
        response = client.get(path, follow=True)
        assert response.status_code == 200, path
        bodies.append(response.content.decode())
    return bodies


def test_mentor_sees_the_parent_shared_field_set_and_no_canary(setting):
    # given a mentor matched with a parent who consented (phone shared)
    mentor, participation = setting["mentor"], setting["participation"]
    client = otp_client(mentor.user)
    services.contact_log(
        actor=mentor.user,
        participation=participation,
        on=clock.today(),
        mode="video",
        event="court",
    )
    # when the mentor opens their pages
    home, parent_page, activity, _root = _pages(client, participation)
    # then the field set shows, and nothing protected
    assert "Rosa" in parent_page
    assert "Spanish" in parent_page
    assert "314-555-0199" in parent_page
    assert "Get my own place by June." in parent_page
    next_court = setting["hearing"].scheduled_for
    assert f"<dt>Next court date</dt><dd>{date_format(next_court)}</dd>" in parent_page
    assert "<dt>Next family time</dt><dd>—</dd>" not in parent_page  # a date, never the place
    assert "Rosa" in home
    assert "Rosa" in activity
    for body in (home, parent_page, activity, _root):
        leaked = [c for c in CANARIES if c in body]
        assert not leaked, leaked


def test_phone_hidden_without_consent_to_share_it(caseworker, agency_admin):
    case = open_case(worker=caseworker)
    Person.objects.filter(pk=parent_of(case).pk).update(phone="314-555-0142")
    mentor = make_mentor(admin=agency_admin)
    participation = matched(worker=caseworker, case=case, mentor=mentor, share_phone=False)
    body = otp_client(mentor.user).get(
        reverse("portal:partner-parent", kwargs={"pk": participation.pk})
    )
    assert body.status_code == 200
    assert "314-555-0142" not in body.content.decode()


@pytest.mark.parametrize("end", ["revoked", "expired", "closed", "deactivated", "case_closed"])
def test_the_very_next_request_after_access_ends_is_404(setting, caseworker, agency_admin, end):
    # given a mentor who can see their parent
    mentor, participation = setting["mentor"], setting["participation"]
    client = otp_client(mentor.user)
    page = reverse("portal:partner-parent", kwargs={"pk": participation.pk})
    contact = reverse("portal:partner-contact", kwargs={"pk": participation.pk})
    assert client.get(page).status_code == 200
    # when consent is revoked, expires, the participation closes or the mentor is deactivated
    if end == "revoked":
        services.consent_revoke(actor=caseworker, participation=participation)
    elif end == "expired":
        PartnerConsent.objects.filter(participation=participation).update(
            given_on=clock.today() - dt.timedelta(days=30), expires_on=clock.today()
        )
    elif end == "closed":
        services.participation_close(actor=caseworker, participation=participation, reason="Moved")
    elif end == "case_closed":
        FamilyCase.objects.filter(pk=setting["case"].pk).update(status=FamilyCase.Status.CLOSED)
    else:
        mentor.is_active = False
        mentor.save(update_fields=["is_active"])
    # then the very next request is 404, logging a contact too, and the home lists nobody
    assert client.get(page).status_code == 404
    before = PartnerContact.objects.count()
    posted = client.post(
        contact, {"on": clock.today().isoformat(), "mode": "phone", "event": "other"}
    )
    assert posted.status_code == 404
    assert PartnerContact.objects.count() == before
    home = client.get(reverse("portal:partner-home"))
    assert home.status_code == (404 if end == "deactivated" else 200)
    assert "Rosa" not in home.content.decode()


def test_another_mentor_sees_nothing_of_the_parent(setting, agency_admin):
    other = make_mentor(admin=agency_admin, name="Dana Whitfield", username="dana")
    client = otp_client(other.user)
    page = reverse("portal:partner-parent", kwargs={"pk": setting["participation"].pk})
    assert client.get(page).status_code == 404
    assert "Rosa" not in client.get(reverse("portal:partner-home")).content.decode()


def test_mentor_logs_a_contact_and_sees_the_monthly_summary(setting):
    mentor, participation = setting["mentor"], setting["participation"]
    client = otp_client(mentor.user)
    response = client.post(
        reverse("portal:partner-contact", kwargs={"pk": participation.pk}),
        {
            "on": clock.today().isoformat(),
            "mode": "in_person",
            "event": "team_meeting",
            "note": "Hi",
        },
    )
    assert response.status_code == 302
    assert PartnerContact.objects.filter(participation=participation, mentor=mentor).count() == 1
    activity = client.get(reverse("portal:partner-activity")).content.decode()
    assert "<td>1</td>" in activity


def test_mentor_needs_the_second_factor_and_never_reaches_staff_pages(setting):
    mentor = setting["mentor"]
    unverified = Client()
    unverified.force_login(mentor.user)
    response = unverified.get(reverse("portal:partner-home"))
    assert response.status_code == 302
    assert "second-factor" in response["Location"]
    client = otp_client(mentor.user)
    for name, kwargs in [
        ("partners:mentor-list", {}),
        ("partners:case-partners", {"pk": setting["case"].pk}),
        ("cases:case-detail", {"pk": setting["case"].pk}),
    ]:
        assert client.get(reverse(name, kwargs=kwargs)).status_code == 404


def test_mentor_joins_through_the_one_time_link(agency_admin):
    _mentor, path = services.mentor_create(
        actor=agency_admin,
        name="Luis Ortega",
        eligibility_evidence="Checked",
        eligibility_verified_on=clock.today(),
        experiences=[],
        languages=["Spanish"],
    )
    client = Client()
    assert client.get(path).status_code == 200
    response = client.post(
        path,
        {
            "username": "luis",
            "password": "a long mentor password",
            "password_again": "a long mentor password",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:second-factor-setup")
    assert Client().get(path).status_code == 404


# ---- staff pages -------------------------------------------------------------------------------


def test_coordinator_sees_the_ranked_mentors_with_reasons_and_confirms(caseworker, agency_admin):
    case = open_case(worker=caseworker)
    mentor = make_mentor(admin=agency_admin)
    make_mentor(admin=agency_admin, name="Full Mentor", username="full", capacity=1)
    matched(
        worker=caseworker,
        case=open_case(worker=caseworker),
        mentor=mentor.__class__.objects.get(name="Full Mentor"),
    )
    participation = accepted(worker=caseworker, case=case)
    client = Client()
    client.force_login(caseworker)
    page = client.get(reverse("partners:match", kwargs={"pk": participation.pk})).content.decode()
    assert "Marisol Vega" in page
    assert (
        "shares: recovery from substance use; speaks Spanish; same county; 8 of 8 places open"
        in page
    )
    assert "Full Mentor" not in page
    response = client.post(
        reverse("partners:match", kwargs={"pk": participation.pk}), {"mentor": mentor.pk}
    )
    assert response.status_code == 302
    participation.refresh_from_db()
    assert (participation.status, participation.mentor_id) == (Status.ACTIVE, mentor.pk)
    case_page = client.get(
        reverse("partners:case-partners", kwargs={"pk": case.pk})
    ).content.decode()
    assert "Marisol Vega" in case_page
    assert "speaks Spanish" in case_page
    mentors = client.get(reverse("partners:mentor-list")).content.decode()
    assert "1 of 8" in mentors
    assert "Full" in mentors


def test_steps_need_confirmation_and_illegal_steps_show_the_state(caseworker):
    case = open_case(worker=caseworker)
    client = Client()
    client.force_login(caseworker)
    response = client.post(
        reverse("partners:refer", kwargs={"pk": case.pk}),
        {"parent": parent_of(case).pk, "experiences": ["recovery"], "language": "English"},
    )
    assert response.status_code == 302
    participation = Participation.objects.get(case=case)
    assert (
        client.post(reverse("partners:offer", kwargs={"pk": participation.pk})).status_code == 400
    )
    participation.refresh_from_db()
    assert participation.status == Status.REFERRED
    refused = client.post(
        reverse("partners:accept", kwargs={"pk": participation.pk}), {"confirm": "yes"}
    )
    assert refused.status_code == 400
    assert "The participation is referred" in refused.content.decode()
    done = client.post(
        reverse("partners:offer", kwargs={"pk": participation.pk}), {"confirm": "yes"}
    )
    assert done.status_code == 302
    participation.refresh_from_db()
    assert participation.status == Status.OFFERED


def test_admin_adds_a_mentor_and_gets_a_one_time_link(agency_admin, caseworker):
    client = Client()
    client.force_login(caseworker)
    assert client.get(reverse("partners:mentor-new")).status_code == 403
    client.force_login(agency_admin)
    response = client.post(
        reverse("partners:mentor-new"),
        {
            "name": "Dana Whitfield",
            "experiences": ["housing", "domestic_violence"],
            "languages": "English, Spanish",
            "capacity": "8",
            "eligibility_evidence": "Own case closed 2021; training done.",
            "eligibility_verified_on": clock.today().isoformat(),
        },
    )
    assert response.status_code == 200
    assert "/portal/partner/join/" in response.content.decode()


def test_supervisor_edits_and_deactivates_a_mentor(supervisor, agency_admin):
    mentor = make_mentor(admin=agency_admin)
    client = Client()
    client.force_login(supervisor)
    page = client.get(reverse("partners:mentor-edit", kwargs={"pk": mentor.pk}))
    assert page.status_code == 200
    assert "English, Spanish" in page.content.decode()
    response = client.post(
        reverse("partners:mentor-edit", kwargs={"pk": mentor.pk}),
        {
            "name": "Marisol Vega",
            "experiences": ["recovery"],
            "languages": "Spanish",
            "capacity": "4",
            "eligibility_evidence": "Re-checked.",
            "eligibility_verified_on": clock.today().isoformat(),
        },
    )
    assert response.status_code == 302
    mentor.refresh_from_db()
    assert (mentor.capacity, mentor.is_active, mentor.languages) == (4, False, ["Spanish"])
    assert mentor.eligibility_verified_by == supervisor
