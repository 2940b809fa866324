"""Browser-test plumbing: skip (or fail in CI) without Chromium, sign-in, axe and CSP checks.

Every page a journey visits goes through `Journey.audit`, which runs axe-core (WCAG 2.0/2.1 A and
AA rules) and fails on any serious or critical violation, and fails on any console message about
the Content Security Policy seen so far in the browser context.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import ConsoleMessage, Page, expect

from reunify.cases.tests.factories import PASSWORD

# Same executable the root conftest gives pytest-playwright (browser_type_launch_args).
CHROMIUM = Path("/usr/bin/chromium")
AXE_JS = Path(__file__).parent / "vendor" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING_IMPACTS = {"serious", "critical"}
HERE = Path(__file__).parent.resolve()


def _in_here(item: pytest.Item) -> bool:
    return HERE in Path(str(item.path)).resolve().parents


def _missing_browser_reason() -> str | None:
    if CHROMIUM.exists():
        return None
    return (
        f"Chromium not found at {CHROMIUM}; install Debian's chromium package to run browser tests"
    )


def _in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() == "true"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """No Chromium: browser tests skip with a one-line reason (in CI they fail, see below)."""
    reason = _missing_browser_reason()
    if reason is None or _in_ci():
        return
    for item in items:
        if item.get_closest_marker("browser") and _in_here(item):
            item.add_marker(pytest.mark.skip(reason=reason))


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    """In CI a missing browser is an error in the build, never a quiet skip. This runs before any
    fixture is set up, so the failure names the cause instead of a Playwright launch traceback."""
    reason = _missing_browser_reason()
    if reason is not None and _in_ci() and item.get_closest_marker("browser"):
        pytest.fail(f"CI=true: {reason}", pytrace=False)


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict[str, Any]) -> dict[str, Any]:
    """English by default (no Accept-Language surprises), a laptop-size window."""
    return {**browser_context_args, "locale": "en-US", "viewport": {"width": 1280, "height": 900}}


@pytest.fixture(scope="session")
def axe_source() -> str:
    return AXE_JS.read_text(encoding="utf-8")


def axe_violations(page: Page, axe_source: str) -> list[dict[str, Any]]:
    """All axe violations for the WCAG 2.x A/AA rules on the page as it is now."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        # Not add_script_tag: the strict nonce CSP would refuse an injected <script>.
        page.evaluate(axe_source)
    return page.evaluate(
        "async (tags) => (await axe.run(document, {runOnly: tags, resultTypes: ['violations']})).violations"
        ".map(v => ({id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,"
        " targets: v.nodes.map(n => n.target.join(' '))}))",
        AXE_TAGS,
    )


def describe_violations(violations: list[dict[str, Any]]) -> str:
    lines = []
    for v in violations:
        targets = ", ".join(v["targets"][:4]) + (
            f" (+{len(v['targets']) - 4} more)" if len(v["targets"]) > 4 else ""
        )
        lines.append(f"- {v['id']} [{v['impact']}]: {v['help']} -> {targets}")
    return "\n".join(lines)


def assert_accessible(page: Page, axe_source: str) -> None:
    """Fail on serious or critical axe violations; minor and moderate ones do not block."""
    blocking = [v for v in axe_violations(page, axe_source) if v["impact"] in BLOCKING_IMPACTS]
    assert not blocking, (
        f"axe found serious/critical WCAG violations on {page.url}:\n{describe_violations(blocking)}"
    )


class Journey:
    """One user's browser session against the live server, with every visited page audited."""

    def __init__(self, page: Page, base_url: str, axe_source: str) -> None:
        self.page = page
        self.base_url = base_url.rstrip("/")
        self.axe_source = axe_source
        self.csp_messages: list[str] = []
        self.watch(page.context)

    def watch(self, context: Any) -> None:
        """Collect every console message about the CSP from all tabs of `context`."""

        def on_console(message: ConsoleMessage) -> None:
            if re.search(r"content[- ]security[- ]policy", message.text, re.IGNORECASE):
                self.csp_messages.append(
                    f"[{message.type}] {message.page.url if message.page else '?'}: {message.text}"
                )

        context.on("console", on_console)

    def url(self, path: str) -> str:
        return self.base_url + path

    def goto(self, path: str, *, page: Page | None = None, audit: bool = True) -> Any:
        page = page or self.page
        response = page.goto(self.url(path))
        if audit:
            self.audit(page)
        return response

    def audit(self, page: Page | None = None) -> None:
        page = page or self.page
        page.wait_for_load_state("load")
        assert_accessible(page, self.axe_source)
        self.assert_no_csp_errors()

    def assert_no_csp_errors(self) -> None:
        assert not self.csp_messages, (
            "Content Security Policy errors in the console:\n" + "\n".join(self.csp_messages)
        )

    def sign_in(
        self, user: Any, *, page: Page | None = None, next_path: str = "", audit: bool = True
    ) -> None:
        page = page or self.page
        self.goto(
            "/accounts/sign-in/" + (f"?next={next_path}" if next_path else ""),
            page=page,
            audit=audit,
        )
        page.fill("#id_username", user.username)
        page.fill("#id_password", PASSWORD)
        # The header's language switch is a form with its own submit button: use the one in <main>.
        page.locator("main").get_by_role("button", name="Sign in").click()
        expect(page).not_to_have_url(re.compile(r"/accounts/sign-in/"))
        if audit:
            self.audit(page)


@pytest.fixture
def journey(page: Page, live_server: Any, axe_source: str):
    j = Journey(page, live_server.url, axe_source)
    yield j
    j.assert_no_csp_errors()


@pytest.fixture
def sign_in(journey: Journey):
    """`sign_in(user)` signs `user` in on the test's page and lands on their start page."""
    return journey.sign_in
