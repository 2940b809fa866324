"""A closed-loop referral in the browser.

The caseworker opens the case's referrals and refers the mother to a service found by searching
the agency's directory; records what the mother agreed to share (her name and phone) and sends
the referral. The provider opens the link from the e-mail, with no account, accepts the referral
and then, on a phone, marks the family as in service. Back at the office the worker sees the
referral in service with the provider's steps on its timeline.

Every page visited is audited (axe WCAG 2.x A/AA, CSP console): see `Journey.audit`.
"""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.urls import reverse
from playwright.sync_api import Locator, Page, expect

from reunify.cases.tests.factories import open_case
from reunify.referrals.models import Referral, Status
from reunify.referrals.tests.factories import parent_of, provider_service
from tests.browser.conftest import Journey

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.filterwarnings("ignore:No directory at:UserWarning"),
]

PHONE = {"width": 375, "height": 812}


def _main(page: Page) -> Locator:
    return page.locator("main")


def _choose(page: Page, field_id: str, label: str) -> None:
    group = page.locator(f"fieldset#{field_id}")
    group.locator("label", has_text=re.compile(rf"^{re.escape(label)}$")).click()
    expect(group.get_by_label(label, exact=True)).to_be_checked()


def test_refer_to_a_service_found_by_search_and_the_provider_answers(
    page: Page, journey: Journey, caseworker
):
    case = open_case(worker=caseworker)
    mother = parent_of(case)
    provider_service(case, name="Harbor Parenting Circle")
    provider_service(case, name="Alder Food Pantry")
    journey.sign_in(caseworker)

    # The worker finds the service by searching the directory and writes the referral.
    journey.goto(reverse("referrals:case-referrals", args=[case.pk]))
    _main(page).get_by_role("link", name="Refer to a service").click()
    journey.audit()
    page.get_by_label("Words in the service's name or description").fill("parenting")
    _main(page).get_by_role("button", name="Search").click()
    journey.audit()
    expect(_main(page)).to_contain_text("1 service found")
    _main(page).get_by_role("link", name="Refer (Harbor Parenting Circle)").click()
    journey.audit()
    expect(page.get_by_role("heading", level=1)).to_have_text("Refer to Harbor Parenting Circle")
    page.get_by_label("Who is referred").select_option(label=mother.full_name)
    page.get_by_label("Reason for the referral").fill("Support with routines at bedtime")
    _main(page).get_by_role("button", name="Write the referral").click()
    journey.audit()
    referral = Referral.objects.get()
    expect(_main(page)).to_contain_text("Draft")

    # Consent: the mother signed a release for her name and phone; then the referral goes out.
    _main(page).get_by_role("link", name="Record consent").click()
    journey.audit()
    _choose(page, "id_fields_shared", "Name")
    _choose(page, "id_fields_shared", "Phone number")
    _choose(page, "id_how", "Signed release")
    _main(page).get_by_role("button", name="Record consent").click()
    journey.audit()
    _main(page).get_by_role("link", name="Send to the provider").click()
    journey.audit()
    expect(page.get_by_label("Provider's e-mail address")).to_have_value("intake@provider.example")
    _main(page).get_by_role("button", name="Send").click()
    journey.audit()
    expect(_main(page)).to_contain_text("Sent, waiting for an answer")
    (message,) = mail.outbox
    path = re.search(r"https?://[^/\s]+(/referrals/p/[\w-]+/)", message.body).group(1)
    assert "Support with routines" not in message.body  # the reason was not consented

    # The provider, with no account, opens the link in a browser of their own.
    provider = page.context.browser.new_context(locale="en-US")
    journey.watch(provider)
    tab = provider.new_page()
    journey.goto(path, page=tab)
    expect(tab.locator("main")).to_contain_text(mother.full_name)
    expect(tab.locator("main")).not_to_contain_text(case.number)
    tab.locator("main").get_by_role("button", name="Accept the referral").click()
    journey.audit(tab)
    expect(tab.locator("#referral-status")).to_have_text("Accepted")
    tab.set_viewport_size(PHONE)  # the provider's intake worker, on a phone
    tab.locator("main").get_by_role("button", name="The family started the service").click()
    journey.audit(tab)
    expect(tab.locator("#referral-status")).to_have_text("In service")
    expect(tab.locator("main")).to_contain_text("Attendance")
    provider.close()

    # Back at the office: in service, with the provider's steps on the timeline.
    referral.refresh_from_db()
    assert referral.status == Status.IN_SERVICE
    journey.goto(reverse("referrals:referral-detail", args=[referral.pk]))
    timeline = _main(page).get_by_role("list", name="Referral timeline")
    expect(timeline).to_contain_text("Accepted")
    expect(timeline).to_contain_text("Provider (secure link)")
