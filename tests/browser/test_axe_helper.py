"""The page checks must be able to fail: prove each one catches a real problem."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from tests.browser.conftest import Journey, assert_accessible, axe_violations

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    # WhiteNoise warns that STATIC_ROOT (collectstatic output) is absent; tests use the finders.
    pytest.mark.filterwarnings("ignore:No directory at:UserWarning"),
]


def test_axe_helper_reports_an_image_without_alt(page: Page, live_server, journey: Journey):
    journey.goto("/accounts/sign-in/")  # clean to begin with (audited)

    page.evaluate(
        """() => {
            const img = document.createElement('img');
            img.src = 'data:image/gif;base64,R0lGODlhAQABAAAAACw=';
            img.id = 'planted-image';
            document.querySelector('main').appendChild(img);
        }"""
    )

    ids = {v["id"] for v in axe_violations(page, journey.axe_source)}
    assert "image-alt" in ids
    with pytest.raises(AssertionError, match=r"image-alt \[critical\].*#planted-image"):
        assert_accessible(page, journey.axe_source)


def test_csp_watch_reports_a_blocked_inline_script(page: Page, live_server, journey: Journey):
    journey.goto("/accounts/sign-in/")  # clean to begin with (audited)

    with page.context.expect_event(
        "console", predicate=lambda m: "Content Security Policy" in m.text
    ):
        page.evaluate(
            """() => {
                const script = document.createElement('script');
                script.textContent = 'window.plantedScriptRan = true';
                document.body.appendChild(script);
            }"""
        )

    assert page.evaluate("() => window.plantedScriptRan") is None  # the CSP really blocked it
    with pytest.raises(AssertionError, match="Content Security Policy errors"):
        journey.assert_no_csp_errors()
    journey.csp_messages.clear()  # handled: the fixture's final check must not trip on it
