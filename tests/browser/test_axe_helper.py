"""The accessibility check must be able to fail: prove it catches a real violation."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from tests.browser.conftest import Journey, assert_accessible, axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


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
