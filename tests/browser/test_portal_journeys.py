"""The family's side of Reunify in the browser (issue 7, first and third acceptance points).

Rosa Mensah's worker invites her to the family portal from the case. Rosa opens the link from the
e-mail on her phone, chooses a user name and a password, sets up an authenticator app (the code is
worked out from the key the page shows, as her app would), keeps her ten recovery codes and lands
on her family's home. She reads the road home (what must change before her son comes home, her
goal and her progress), tells the worker she will be at the next family time, and writes to the
worker. The worker answers on the case's thread; the first reply is measured, and the unit
supervisor sees the request answered on the unit's response-time page. Rosa sees the reply.

The same sign-up and road home work in Spanish. The resource family the child lives with writes
in the shared-parenting journal and Rosa reads it, without their surname. A parent partner is
matched with Rosa, logs a contact, and the moment the worker records that Rosa revoked her consent
the mentor's very next request for Rosa's page is refused (404). Finally every family-side page of
the portal, and the sign-up and second-factor pages, pass axe as the right account.

Pages use the real clock: dates are built relative to `clock.today()`. Every page visited is
audited (axe WCAG 2.x A/AA, CSP console): see `Journey.audit`.
"""

from __future__ import annotations

import base64
import datetime as dt
import re
from typing import Any

import pytest
from django.core import mail
from django.urls import reverse
from django_otp.oath import totp
from playwright.sync_api import Locator, Page, expect

from reunify.assessments import services as assessment_services
from reunify.assessments.display import IN_HOME_SAFETY
from reunify.assessments.scoring import Answer
from reunify.assessments.tests.factories import SAFETY_QUESTIONS
from reunify.case_plans import services as plan_services
from reunify.case_plans.tests.factories import fresh, hold_meeting, plan_with_goal
from reunify.cases.models import FamilyCase, ParticipantRole, Placement
from reunify.cases.tests.factories import PASSWORD, open_case
from reunify.core import clock
from reunify.court import services as court_services
from reunify.family_time.models import FamilyTimeSession
from reunify.family_time.tests.factories import make_plan
from reunify.messaging import services as messaging_services
from reunify.messaging.models import Thread
from reunify.partners import services as partner_services
from reunify.partners.models import Participation, PartnerContact
from reunify.partners.tests.factories import make_mentor, matched
from reunify.portal import services as portal_services
from reunify.portal.models import Kind, PortalAccount, SessionAnswer
from reunify.portal.tests.factories import current_code, family_account
from tests.browser.conftest import Journey

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.filterwarnings("ignore:No directory at:UserWarning"),
]

PHONE = {"width": 375, "height": 812}
GOAL = "I will keep my home calm and safe."
CONDITION = "A calm home where the adults settle arguments without shouting."
JOIN = re.compile(r"https?://[^/\s]+(/(?:es/)?portal/join/[\w-]+/)")


def _main(page: Page) -> Locator:
    return page.locator("main")


def _label(text: str) -> re.Pattern[str]:
    """A field's label, with or without the "(required)" hint the forms add."""
    return re.compile(rf"^{re.escape(text)}( \(.+\))?$")


def _family_case(worker: Any, *, name: str = "Mensah", children: int = 1) -> FamilyCase:
    """An open case with a road home to show: a condition for return, a case plan in force with
    a goal and its progress, weekly family time from today and a review hearing in three weeks."""
    today = clock.today()
    case = open_case(
        worker=worker,
        name=name,
        children=children,
        opened_on=today - dt.timedelta(days=60),
        today=today,
    )
    make_plan(worker=worker, case=case, effective_from=today, today=today)
    court_services.hearing_schedule(
        actor=worker,
        case=case,
        kind="review",
        scheduled_for=today + dt.timedelta(days=21),
        scheduled_time=dt.time(9, 30),
    )
    answers: dict[str, object] = dict.fromkeys(SAFETY_QUESTIONS, "yes")
    answers["home_calm"] = Answer("no", note="Shouting heard by neighbours.", follow_up=CONDITION)
    assessment_services.response_record(
        actor=worker, case=case, instrument_key=IN_HOME_SAFETY, answers=answers
    )
    plan = plan_with_goal(worker=worker, case=case, change=GOAL)
    hold_meeting(worker=worker, plan=plan, held_on=today)
    plan = fresh(plan)
    plan_services.version_finalize(actor=worker, plan=plan, expected_version=plan.version)
    plan = fresh(plan)
    goal_key = plan.versions.get(status="final").document["goals"][0]["key"]
    plan_services.progress_record(
        actor=worker,
        plan=plan,
        goal_key=goal_key,
        recorded_on=today,
        rating=2,
        evidence="Calmer at the last two visits.",
    )
    return case


def _parent(case: FamilyCase):
    return case.participants.get(role=ParticipantRole.PARENT).person


def _child(case: FamilyCase):
    """The case's first child (by the participants' order)."""
    return case.participants.filter(role=ParticipantRole.CHILD).first().person


def _account(worker: Any, case: FamilyCase, **kwargs: Any):
    """A family or partner account made through the services, with the browser tests' password."""
    user = family_account(worker=worker, case=case, **kwargs)
    user.set_password(PASSWORD)
    user.save(update_fields=["password"])
    return user


def _sign_in_with_code(journey: Journey, user: Any, page: Page | None = None) -> None:
    """Password, then the 6-digit code of the user's authenticator; both pages audited."""
    page = page or journey.page
    journey.sign_in(user, page=page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Enter your code")
    page.get_by_label(_label("Code")).fill(current_code(user))
    _main(page).get_by_role("button", name="Continue").click()
    expect(page).not_to_have_url(re.compile(r"/accounts/second-factor/"))
    journey.audit(page)


def _code_from_key(shown: str) -> str:
    """What the authenticator app shows for the key typed in from the setup page."""
    key = re.sub(r"\s", "", shown).upper()
    key += "=" * (-len(key) % 8)
    return f"{totp(base64.b32decode(key)):06d}"


def _invite_through_the_page(
    page: Page, journey: Journey, case: FamilyCase, email: str, language: str
) -> str:
    """The worker invites the birth parent from the case; returns the link's path."""
    journey.goto(reverse("portal:invite", args=[case.pk]))
    page.get_by_label("Whom to invite").select_option(label="Birth parent")
    page.get_by_label("Parent or youth").select_option(label=_parent(case).full_name)
    _main(page).get_by_role("textbox", name="E-mail").fill(email)
    page.get_by_label("Language of the invitation").select_option(label=language)
    _main(page).get_by_role("button", name="Send the invitation").click()
    journey.audit()
    expect(_main(page).get_by_role("status").first).to_contain_text("Invitation sent.")
    message = mail.outbox[-1]
    assert message.to == [email]
    return JOIN.search(message.body).group(1)


def _sign_up(
    tab: Page,
    journey: Journey,
    path: str,
    *,
    username: str,
    labels: dict[str, str],
) -> None:
    """Join through the link, set up the authenticator, keep the recovery codes, continue."""
    journey.goto(path, page=tab)
    expect(tab.get_by_role("heading", level=1)).to_have_text(labels["join"])
    tab.get_by_label(_label(labels["username"])).fill(username)
    tab.get_by_label(_label(labels["password"])).fill(PASSWORD)
    tab.get_by_label(_label(labels["again"])).fill(PASSWORD)
    _main(tab).get_by_role("button", name=labels["create"]).click()
    journey.audit(tab)
    expect(tab.get_by_role("heading", level=1)).to_have_text(labels["setup"])
    expect(tab.get_by_role("img", name=labels["qr"])).to_be_visible()
    code = _code_from_key(tab.locator(".reunify-secret").inner_text())
    tab.get_by_label(_label(labels["code"])).fill(code)
    _main(tab).get_by_role("button", name=labels["confirm"]).click()
    journey.audit(tab)
    expect(tab.get_by_role("heading", level=1)).to_have_text(labels["codes"])
    codes = _main(tab).get_by_role("list", name=labels["codes_list"])
    expect(codes.get_by_role("listitem")).to_have_count(10)
    _main(tab).get_by_role("link", name=labels["continue"]).click()
    journey.audit(tab)


ENGLISH = {
    "join": "Create your account",
    "username": "Choose a user name",
    "password": "Choose a password",
    "again": "Type the password again",
    "create": "Create my account",
    "setup": "Set up your second factor",
    "qr": "QR code for your authenticator app",
    "code": "Code from the app",
    "confirm": "Confirm",
    "codes": "Keep your recovery codes",
    "codes_list": "Recovery codes",
    "continue": "I have kept my codes, continue",
}
SPANISH = {
    "join": "Cree su cuenta",
    "username": "Elija un nombre de usuario",
    "password": "Elija una contraseña",
    "again": "Escriba de nuevo la contraseña",
    "create": "Crear mi cuenta",
    "setup": "Configure su segundo factor",
    "qr": "Código QR para su aplicación de autenticación",
    "code": "Código de la aplicación",
    "confirm": "Confirmar",
    "codes": "Guarde sus códigos de recuperación",
    "codes_list": "Códigos de recuperación",
    "continue": "Ya guardé mis códigos, continuar",
}


def test_an_invited_parent_signs_up_reads_the_road_home_answers_and_writes_to_the_worker(
    page: Page, journey: Journey, caseworker, supervisor
):
    case = _family_case(caseworker)
    rosa = _parent(case)

    # The worker invites Rosa from the case (the office, a laptop).
    journey.sign_in(caseworker)
    path = _invite_through_the_page(page, journey, case, "rosa@example.org", "English")

    # Rosa opens the link on her phone.
    phone = page.context.browser.new_context(locale="en-US")
    journey.watch(phone)
    tab = phone.new_page()
    tab.set_viewport_size(PHONE)
    _sign_up(tab, journey, path, username="rosa", labels=ENGLISH)
    expect(tab.get_by_role("heading", level=1)).to_have_text(f"Welcome, {rosa.first_name}")
    account = PortalAccount.objects.get(person=rosa)

    # The road home, from her home page.
    _main(tab).get_by_role("link", name=re.compile(r"^The road home")).click()
    journey.audit(tab)
    expect(tab.get_by_role("heading", level=1)).to_have_text("The road home")
    expect(
        tab.get_by_role("heading", name="What must change before your child comes home")
    ).to_be_visible()
    expect(_main(tab)).to_contain_text(CONDITION)
    expect(_main(tab)).to_contain_text(GOAL)
    expect(tab.get_by_role("heading", name="What comes next")).to_be_visible()

    # Family time: she will be at the next session.
    sections = tab.get_by_role("navigation", name="Sections of your case")
    sections.get_by_role("link", name="Family time").click()
    journey.audit(tab)
    expect(tab.get_by_role("heading", level=1)).to_have_text("Family time")
    next_session = (
        FamilyTimeSession.objects.filter(plan__episode__case=case, starts_at__gt=clock.now())
        .order_by("starts_at", "id")
        .first()
    )
    card = _main(tab).get_by_role("listitem").filter(has=tab.get_by_role("heading", level=2)).first
    card.locator("label", has_text="I will be there").click()
    expect(card.get_by_label("I will be there")).to_be_checked()
    card.get_by_role("button", name="Send my answer").click()
    journey.audit(tab)
    expect(_main(tab)).to_contain_text("Thank you. Your worker will see your answer.")
    expect(card).to_contain_text("You said you will be there")
    answer = SessionAnswer.objects.get(account=account)
    assert answer.session_id == next_session.pk
    assert answer.answer == "confirmed"

    # She writes to the worker.
    sections.get_by_role("link", name="My family").click()
    journey.audit(tab)
    _main(tab).get_by_role("link", name="Messages with your worker").click()
    journey.audit(tab)
    tab.get_by_label("Subject").fill("Bus pass for Wednesday")
    tab.get_by_label(_label("Message")).fill("Can I get a bus pass for the visits?")
    _main(tab).get_by_role("button", name="Send").click()
    journey.audit(tab)
    expect(tab.get_by_role("heading", level=1)).to_have_text("Bus pass for Wednesday")
    expect(_main(tab)).to_contain_text("Message sent. Your worker will answer.")
    thread = Thread.objects.get(case=case)
    assert thread.awaiting_reply_since is not None
    thread_path = tab.url.removeprefix(journey.base_url)

    # The worker sees the message waiting and answers it.
    journey.goto(reverse("messaging:case-threads", args=[case.pk]))
    item = _main(page).get_by_role("listitem").filter(has_text="Bus pass for Wednesday")
    expect(item).to_contain_text("Waiting for your reply")
    item.get_by_role("link", name="Bus pass for Wednesday").click()
    journey.audit()
    expect(_main(page)).to_contain_text("Can I get a bus pass for the visits?")
    page.get_by_label(_label("Message")).fill("Yes: I will leave one at the front desk.")
    _main(page).get_by_role("button", name="Send").click()
    journey.audit()
    expect(_main(page)).to_contain_text("Message sent.")
    thread.refresh_from_db()
    assert thread.awaiting_reply_since is None  # the request is answered: its wait is over

    # The first reply is measured: the supervisor sees the request answered.
    page.context.clear_cookies()
    journey.sign_in(supervisor)
    journey.goto(reverse("messaging:unit-response-times", args=[case.unit_id]))
    table = _main(page).get_by_role("table")
    unit_row = table.get_by_role("row").filter(
        has=page.get_by_role("rowheader", name="The unit", exact=True)
    )
    expect(unit_row.get_by_role("cell").nth(0)).to_have_text("1")  # requests
    expect(unit_row.get_by_role("cell").nth(1)).to_have_text("1")  # answered

    # Rosa sees the reply.
    journey.goto(thread_path, page=tab)
    conversation = _main(tab).get_by_role("list", name="Messages")
    expect(conversation).to_contain_text("Yes: I will leave one at the front desk.")
    phone.close()


def test_the_same_sign_up_and_road_home_in_spanish(page: Page, journey: Journey, caseworker):
    case = _family_case(caseworker, name="Ortega")
    journey.sign_in(caseworker)
    path = _invite_through_the_page(page, journey, case, "lucia@example.org", "Español")
    if not path.startswith("/es/"):
        path = "/es" + path  # she opens the Spanish version of the link

    phone = page.context.browser.new_context(locale="es-US")
    journey.watch(phone)
    tab = phone.new_page()
    tab.set_viewport_size(PHONE)
    _sign_up(tab, journey, path, username="lucia", labels=SPANISH)
    expect(tab).to_have_url(re.compile(r"/es/portal/$"))
    expect(tab.get_by_role("heading", level=1)).to_have_text(
        f"Bienvenido(a), {_parent(case).first_name}"
    )

    _main(tab).get_by_role("link", name=re.compile(r"^El camino a casa")).click()
    journey.audit(tab)
    expect(tab.get_by_role("heading", level=1)).to_have_text("El camino a casa")
    for heading in (
        "Lo que debe cambiar antes de que su hijo o hija regrese a casa",
        "Sus metas y su progreso",
        "Lo que sigue",
    ):
        expect(tab.get_by_role("heading", name=heading, exact=True)).to_be_visible()
    expect(_main(tab)).to_contain_text(GOAL)  # the worker's words stay as written
    sections = tab.get_by_role("navigation").filter(
        has=tab.get_by_role("link", name="Tiempo en familia")
    )
    sections.get_by_role("link", name="Tiempo en familia").click()
    journey.audit(tab)
    expect(tab.get_by_role("heading", level=1)).to_have_text("Tiempo en familia")
    expect(_main(tab)).to_contain_text("Asistiré")
    phone.close()


def test_a_resource_parent_writes_in_the_journal_and_the_birth_parent_reads_it(
    page: Page, journey: Journey, caseworker
):
    case = _family_case(caseworker, name="Achebe")
    child = _child(case)
    provider = Placement.objects.get(episode__case=case, ended_on__isnull=True).provider
    rosa = _account(caseworker, case, username="rosa")
    dana = _account(caseworker, case, kind=Kind.RESOURCE_PARENT, provider=provider, username="dana")
    news = f"{child.first_name} scored her first goal at football today!"

    # Dana, the resource parent, on her phone.
    page.set_viewport_size(PHONE)
    _sign_in_with_code(journey, dana)
    _main(page).get_by_role("link", name=f"{child.first_name}: shared-parenting journal").click()
    journey.audit()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Journal: {child.first_name}")
    page.get_by_label("This is").select_option(label="News")
    page.get_by_label("Your entry").fill(news)
    _main(page).get_by_role("button", name="Share").click()
    journey.audit()
    expect(_main(page)).to_contain_text(news)

    # Rosa, the birth parent, on her phone.
    page.context.clear_cookies()
    _sign_in_with_code(journey, rosa)
    _main(page).get_by_role(
        "link", name="Shared-parenting journal with the family your child lives with"
    ).click()
    journey.audit()  # one child in care: straight to the child's journal
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Journal: {child.first_name}")
    expect(_main(page)).to_contain_text(news)
    expect(_main(page)).not_to_contain_text(provider.name)  # their surname stays theirs


def test_a_mentor_is_matched_logs_a_contact_and_loses_access_when_consent_is_revoked(
    page: Page, journey: Journey, caseworker, supervisor
):
    case = _family_case(caseworker, name="Diallo")
    rosa = _parent(case)
    mentor = make_mentor(admin=supervisor, name="Marisol Vega", username="marisol")
    mentor.user.set_password(PASSWORD)
    mentor.user.save(update_fields=["password"])
    today = clock.today()

    # The worker refers Rosa, who accepts and consents; the worker confirms the best match.
    journey.sign_in(caseworker)
    journey.goto(reverse("partners:case-partners", args=[case.pk]))
    main = _main(page)
    page.get_by_label(_label("Parent")).select_option(label=rosa.full_name)
    main.locator("label", has_text="Recovery from substance use").click()
    page.get_by_label("Preferred language").fill("Spanish")
    page.get_by_label(_label("County")).fill("Alder")
    main.get_by_role("button", name="Refer", exact=True).click()
    journey.audit()
    main.get_by_role("button", name="Offered to the parent").click()
    journey.audit()
    main.get_by_role("button", name="The parent accepted").click()
    journey.audit()
    main.locator("summary", has_text="Record consent").click()
    page.get_by_label("Consent given on").fill(today.isoformat())
    page.get_by_label("Consent expires on").fill((today + dt.timedelta(days=180)).isoformat())
    main.get_by_role("button", name="Record consent").click()
    journey.audit()
    expect(main).to_contain_text("Given")
    main.get_by_role("link", name="Find a mentor").click()
    journey.audit()
    candidate = main.get_by_role("listitem").filter(has_text="Marisol Vega")
    candidate.get_by_role("button", name="Confirm this mentor").click()
    journey.audit()
    participation = Participation.objects.get(case=case)
    assert participation.mentor_id == mentor.pk
    expect(main).to_contain_text("Mentor: Marisol Vega")

    # Marisol, on her phone, sees Rosa and logs their call before court.
    mentor_context = page.context.browser.new_context(locale="en-US")
    journey.watch(mentor_context)
    tab = mentor_context.new_page()
    tab.set_viewport_size(PHONE)
    _sign_in_with_code(journey, mentor.user, page=tab)
    expect(tab.get_by_role("heading", level=1)).to_have_text(re.compile(r"^Welcome"))
    _main(tab).get_by_role("link", name=rosa.first_name, exact=True).click()
    journey.audit(tab)
    parent_path = tab.url.removeprefix(journey.base_url)
    tab.get_by_label(_label("How")).select_option(label="Phone")
    tab.get_by_label(_label("What for")).select_option(label="Court")
    tab.get_by_label("Note").fill("Went over what to expect at the review hearing.")
    _main(tab).get_by_role("button", name="Log the contact").click()
    journey.audit(tab)
    expect(_main(tab)).to_contain_text("Contact logged.")
    expect(_main(tab)).to_contain_text("Went over what to expect at the review hearing.")
    assert PartnerContact.objects.filter(participation=participation).count() == 1

    # Rosa revokes her consent; the worker records it.
    main.get_by_role("button", name="The parent revoked consent").click()
    journey.audit()
    expect(main).to_contain_text("revoked")

    # The mentor's very next request for Rosa's page is refused.
    response = journey.goto(parent_path, page=tab)
    assert response.status == 404
    expect(_main(tab)).not_to_contain_text(rosa.last_name)
    mentor_context.close()


def test_every_portal_page_passes_axe(page: Page, journey: Journey, caseworker, supervisor):
    case = _family_case(caseworker, name="Nakamura", children=2)  # the journal lists both
    child = _child(case)
    provider = Placement.objects.filter(episode__child=child, ended_on__isnull=True).get().provider
    dana = _account(caseworker, case, kind=Kind.RESOURCE_PARENT, provider=provider, username="dana")
    mentor = make_mentor(admin=supervisor, name="Marisol Vega", username="marisol")
    mentor.user.set_password(PASSWORD)
    mentor.user.save(update_fields=["password"])
    _invitation, link = portal_services.invitation_send(
        actor=caseworker,
        case=case,
        kind=Kind.PARENT,
        channel="email",
        email="rosa@example.org",
        person=_parent(case),
    )
    _new_mentor, mentor_link = partner_services.mentor_create(
        actor=supervisor,
        name="Keisha Brown",
        eligibility_evidence="Own case closed with reunification; training completed.",
        eligibility_verified_on=clock.today(),
        experiences=["housing"],
        languages=["English"],
        counties=["Alder"],
        zip_codes=[],
        capacity=4,
    )
    page.set_viewport_size(PHONE)

    # The links of people who have no account yet: a mentor's, and one that does not work.
    journey.goto(re.sub(r"^https?://[^/]+", "", mentor_link))
    expect(page.get_by_role("heading", level=1)).to_have_text("Create your account")
    response = journey.goto(reverse("portal:join", args=["no-such-invitation"]))
    assert response.status == 404

    # The birth parent: join, second-factor setup and recovery codes, then every page.
    _sign_up(page, journey, JOIN.search(link).group(1), username="rosa", labels=ENGLISH)
    rosa = PortalAccount.objects.get(person=_parent(case)).user
    participation = matched(worker=caseworker, case=case, mentor=mentor)
    thread = messaging_services.thread_start(
        actor=rosa,
        case=case,
        account=rosa.portal_account,
        subject="Bus pass",
        body="Can I get a bus pass?",
    )
    for name, args in (
        ("portal:home", []),
        ("portal:road-home", [case.pk]),
        ("portal:family-time", [case.pk]),
        ("portal:court-dates", [case.pk]),
        ("portal:tasks", [case.pk]),
        ("portal:case-plan", [case.pk]),
        ("portal:documents", [case.pk]),
        ("portal:calendar", []),
        ("portal:messages", []),
        ("portal:messages-thread", [thread.pk]),
        ("portal:journal-children", [case.pk]),
        ("portal:journal", [case.pk, child.pk]),
    ):
        response = journey.goto(reverse(name, args=args))
        assert response.status == 200, name

    # The resource parent: the second-factor check, then their pages.
    page.context.clear_cookies()
    _sign_in_with_code(journey, dana)
    for name, args in (
        ("portal:home", []),
        ("portal:resource-child", [case.pk, child.pk]),
        ("portal:journal", [case.pk, child.pk]),
        ("portal:journal-identity", []),
        ("portal:messages", []),
    ):
        response = journey.goto(reverse(name, args=args))
        assert response.status == 200, name

    # The mentor.
    page.context.clear_cookies()
    _sign_in_with_code(journey, mentor.user)
    for name, args in (
        ("portal:partner-home", []),
        ("portal:partner-parent", [participation.pk]),
        ("portal:partner-activity", []),
    ):
        response = journey.goto(reverse(name, args=args))
        assert response.status == 200, name
