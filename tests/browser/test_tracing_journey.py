"""Family tracing in the browser (issue 9's acceptance).

A tracing worker registers a separated child with consent. Another worker files a request from
the father, who spells the names differently and gives an approximate age; the candidate appears
at once with its explanation; a child registered without consent never appears. The request's
worker confirms the candidate for verification and records the two separate interviews; the
relationship is verified. The child's worker proposes a best-interests decision to reunify and two
other people approve it, each with their own account; the child is reunified, followed up and the
case closed. The tracing home is also seen in Spanish.

Every page visited is audited (axe WCAG 2.x A/AA, CSP console): see `Journey.audit`.
"""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from playwright.sync_api import Locator, Page, expect

from reunify.tracing.models import CandidateMatch, SeparatedChild
from reunify.tracing.tests.factories import register_child
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


def _open(page: Page, summary: str) -> None:
    _main(page).locator("summary", has_text=summary).click()


def _as(journey: Journey, page: Page, user) -> Page:
    """A browser of `user`'s own, signed in."""
    context = page.context.browser.new_context(
        locale="en-US", viewport={"width": 1280, "height": 900}
    )
    journey.watch(context)
    tab = context.new_page()
    journey.sign_in(user, page=tab)
    return tab


def test_register_match_verify_decide_reunify_follow_up_close(
    page: Page, journey: Journey, caseworker, other_caseworker, supervisor, other_supervisor
):
    # A child registered without consent, with the same names: never matched, never shown.
    hidden = register_child(
        worker=caseworker, given_name="Mohammed", consent_given=False, consent_on=None
    )

    # The child's worker registers Mohammed, with consent, on a phone.
    journey.sign_in(caseworker)
    page.set_viewport_size(PHONE)
    journey.goto(reverse("tracing:home"))
    _main(page).get_by_role("link", name="Register a separated child").click()
    journey.audit()
    page.get_by_label("Given name").fill("Mohammed")
    page.get_by_label("Family name").fill("Haddad")
    page.get_by_label("Other names and nicknames").fill("Hamoudi")
    page.get_by_label("Sex").select_option("M")
    page.get_by_label("Estimated age (years)").fill("9")
    page.locator("#id_origin_country").fill("Syria")
    page.locator("#id_origin_region").fill("Aleppo")
    page.locator("#id_origin_village").fill("Haritan")
    page.locator("#id_separation_country").fill("Turkey")
    page.locator("#id_separation_region").fill("Hatay")
    page.locator("#id_separation_district").fill("Reyhanli")
    page.get_by_label("Father's name").fill("Ahmad Haddad")
    page.get_by_label("Mother's name").fill("Fatima")
    page.get_by_label("Language").fill("Arabic")
    page.get_by_label("Current location").fill("Gaziantep interim care centre")
    page.get_by_label("Current caregiver").fill("Leyla Demir")
    page.locator("label[for=id_consent_given]").click()
    page.get_by_label("Consent given on").fill(page.get_by_label("Registration date").input_value())
    _main(page).get_by_role("button", name="Register").click()
    journey.audit()
    expect(page.locator("#child-status")).to_have_text("Open")
    child = SeparatedChild.objects.get(consent_given=True)
    page.set_viewport_size({"width": 1280, "height": 900})

    # The request's worker files the father's request: other spellings, an approximate age.
    inquirer = _as(journey, page, other_caseworker)
    journey.goto(reverse("tracing:request-new"), page=inquirer)
    inquirer.get_by_label("Requester's name").fill("Ahmed Hadad")
    inquirer.get_by_label("Relationship to the children sought").fill("father")
    inquirer.locator("#id_separation_country").fill("Turkey")
    inquirer.locator("#id_separation_region").fill("Hatay")
    inquirer.locator("#id_origin_country").fill("Syria")
    inquirer.locator("#id_origin_village").fill("Haritan")
    inquirer.locator("#id_sought-0-given_name").fill("Muhammad")
    inquirer.locator("#id_sought-0-family_name").fill("Hadad")
    inquirer.locator("#id_sought-0-sex").select_option("M")
    inquirer.locator("#id_sought-0-age_at_separation").fill("8")
    inquirer.locator("#id_sought-0-father_name").fill("Ahmed Hadad")
    inquirer.locator("#id_sought-0-mother_name").fill("Fatima")
    _main(inquirer).get_by_role("button", name="Record the request").click()
    journey.audit(inquirer)

    # The candidate is there at once, with its explanation; the child without consent is not;
    # nothing of where the child is.
    match = CandidateMatch.objects.get(child=child)
    main = _main(inquirer)
    expect(main).to_contain_text(f"match probability {match.percent}%")
    expect(main.get_by_role("table").first).to_contain_text("for,")
    expect(main).not_to_contain_text("Gaziantep")
    expect(main).not_to_contain_text("Leyla")
    assert not CandidateMatch.objects.filter(child=hidden).exists()
    expect(
        main.locator(f"a[href='{reverse('tracing:candidate-detail', args=[match.pk])}']")
    ).to_have_count(1)

    # Confirm for verification; the two separate interviews; verified.
    main.get_by_role("link", name=re.compile(r"Mohammed Haddad")).click()
    journey.audit(inquirer)
    _main(inquirer).get_by_role("button", name="Confirm for verification").click()
    journey.audit(inquirer)
    expect(inquirer.locator("#candidate-status")).to_have_text("Confirmed for verification")
    _open(inquirer, "Record the interview with the child")
    _choose(inquirer, "id_child-recognises", "Yes")
    _choose(inquirer, "id_child-wishes", "Yes")
    _choose(inquirer, "id_child-consistent", "Yes")
    inquirer.locator("label[for=id_child-photo_among_others]").click()
    _main(inquirer).get_by_role("button", name="Record the child's interview").click()
    journey.audit(inquirer)
    _open(inquirer, "Record the interview with the adult")
    _choose(inquirer, "id_adult-willing", "Yes")
    _choose(inquirer, "id_adult-able", "Yes")
    _choose(inquirer, "id_adult-consistent", "Yes")
    inquirer.locator("label[for=id_adult-community]").click()
    _main(inquirer).get_by_role("button", name="Record the adult's interview").click()
    journey.audit(inquirer)
    _main(inquirer).get_by_role("button", name="The relationship is verified").click()
    journey.audit(inquirer)
    expect(inquirer.locator("#candidate-status")).to_have_text("Verified")
    expect(_main(inquirer)).not_to_contain_text("Gaziantep")

    # The child's worker proposes a decision to reunify.
    journey.goto(reverse("tracing:child-detail", args=[child.pk]))
    expect(page.locator("#child-status")).to_have_text("Verified")
    _open(page, "Propose a best-interests decision")
    _choose(page, "id_decision", "Reunify")
    page.get_by_label("Rationale").fill("Verified father; the child wishes to go home.")
    page.get_by_label("With the verified adult").select_option(str(match.pk))
    _main(page).get_by_role("button", name="Propose the decision").click()
    journey.audit()

    # Two other people approve it, each with their own account.
    for approver in (supervisor, other_supervisor):
        tab = _as(journey, page, approver)
        journey.goto(reverse("tracing:child-detail", args=[child.pk]), page=tab)
        _main(tab).get_by_role("button", name="Approve the decision").click()
        journey.audit(tab)
        tab.context.close()
    journey.goto(reverse("tracing:child-detail", args=[child.pk]))
    expect(_main(page)).to_contain_text("approved")

    # Now verification is complete: the request's side may see where the child is.
    journey.goto(reverse("tracing:candidate-detail", args=[match.pk]), page=inquirer)
    expect(_main(inquirer)).to_contain_text("Gaziantep interim care centre")

    # Reunify; a follow-up visit finds the child stable; close.
    page.get_by_label("Relationship to the child").fill("father")
    _main(page).get_by_role("button", name="Record the reunification").click()
    journey.audit()
    expect(page.locator("#child-status")).to_have_text("Reunified")
    _open(page, "Record a follow-up visit")
    _choose(page, "id_stable", "Yes")
    page.get_by_label("Notes").fill("Back at school; eating well.")
    _main(page).get_by_role("button", name="Record the follow-up").click()
    journey.audit()
    _open(page, "Close the case")
    _main(page).locator("form[action$='/close/'] button").click()
    journey.audit()
    expect(page.locator("#child-status")).to_have_text("Closed")

    # One step in Spanish: the tracing home.
    journey.goto("/es" + reverse("tracing:home"))
    expect(page.locator("html")).to_have_attribute("lang", "es")
