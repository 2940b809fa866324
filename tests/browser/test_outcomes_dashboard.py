"""The Outcomes dashboard in a browser: a supervisor of the demo agency opens it, every chart is
drawn by vega-embed under the strict nonce CSP (no console CSP errors, no eval), the page passes
the accessibility audit (axe WCAG 2.x A/AA, see `Journey.audit`), and a screenshot of a chart
really shows a drawn line: pixels of the line's colour are counted in the PNG itself (decoded
here with zlib; Pillow is not a dependency), and the SVG path has many segments.

The demo data are built as of 1 November 2026 and the clock is frozen there with time_machine
(process-wide, so the live server's thread sees the same "today" and the same default period).
"""

from __future__ import annotations

import datetime as dt
import re
import struct
import zlib
from pathlib import Path

import pytest
import time_machine
from playwright.sync_api import Page, expect

from reunify.accounts.models import User
from reunify.cases.demo import DEMO_PASSWORD, demo_agency_create
from reunify.outcomes import indicators as rules
from reunify.outcomes.charts import TREND_COLOUR
from tests.browser.conftest import Journey

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.filterwarnings("ignore:No directory at:UserWarning"),
]

NOW = dt.datetime(2026, 11, 1, 17, 0, tzinfo=dt.UTC)
AS_OF = dt.date(2026, 11, 1)
ARTIFACTS = Path(__file__).parent / "artifacts"
PHONE = {"width": 375, "height": 812}


def _png_pixels(png: bytes) -> tuple[int, int, list[bytes]]:
    """Width, height and the rows of an 8-bit RGB/RGBA non-interlaced PNG (what Chromium
    writes), unfiltered."""
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    position, data, header = 8, b"", b""
    while position < len(png):
        (length,) = struct.unpack(">I", png[position : position + 4])
        kind = png[position + 4 : position + 8]
        body = png[position + 8 : position + 8 + length]
        if kind == b"IHDR":
            header = body
        elif kind == b"IDAT":
            data += body
        position += 12 + length
    width, height, depth, colour, _c, _f, interlace = struct.unpack(">IIBBBBB", header)
    assert depth == 8
    assert interlace == 0
    assert colour in (2, 6)
    channels = 3 if colour == 2 else 4
    raw = zlib.decompress(data)
    stride = width * channels
    rows: list[bytes] = []
    previous = bytearray(stride)
    for y in range(height):
        kind = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1 : (y + 1) * (stride + 1)])
        for x in range(stride):
            left = line[x - channels] if x >= channels else 0
            up = previous[x]
            corner = previous[x - channels] if x >= channels else 0
            if kind == 1:
                line[x] = (line[x] + left) & 0xFF
            elif kind == 2:
                line[x] = (line[x] + up) & 0xFF
            elif kind == 3:
                line[x] = (line[x] + (left + up) // 2) & 0xFF
            elif kind == 4:
                p = left + up - corner
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
                predictor = left if pa <= pb and pa <= pc else (up if pb <= pc else corner)
                line[x] = (line[x] + predictor) & 0xFF
        rows.append(bytes(line if channels == 3 else _rgb(line)))
        previous = line
    return width, height, rows


def _rgb(line: bytearray) -> bytearray:
    return bytearray(b for i, b in enumerate(line) if i % 4 != 3)


def _count_colour(png: bytes, hex_colour: str, tolerance: int = 40) -> int:
    target = tuple(int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    _w, _h, rows = _png_pixels(png)
    count = 0
    for row in rows:
        for x in range(0, len(row), 3):
            if sum(abs(row[x + i] - target[i]) for i in range(3)) <= tolerance:
                count += 1
    return count


@pytest.fixture
def demo_supervisor():
    with time_machine.travel(NOW, tick=True):
        demo_agency_create(cases=40, seed=20261122, as_of=AS_OF)
        yield User.objects.get(username="supervisor")


def test_a_supervisor_sees_the_dashboard_with_drawn_charts(
    page: Page, journey: Journey, demo_supervisor
):
    # given the demo supervisor signed in (the demo password, not the factories')
    journey.goto("/accounts/sign-in/")
    page.fill("#id_username", demo_supervisor.username)
    page.fill("#id_password", DEMO_PASSWORD)
    page.locator("main").get_by_role("button", name="Sign in").click()
    expect(page).not_to_have_url(re.compile(r"/accounts/sign-in/"))

    # when they follow Outcomes in the navigation
    page.locator("nav").get_by_role("link", name="Outcomes").click()
    expect(page).to_have_url(journey.url("/outcomes/"))

    # then every indicator's trend chart is drawn (vega-embed resolved, an SVG with a line)
    # (counted once the page has loaded them all: five trends and the survival curves)
    charts = page.locator("[data-vl-spec]")
    expect(charts).to_have_count(len(rules.KEYS) + 1)
    expect(page.locator("[data-drawn]")).to_have_count(len(rules.KEYS) + 1, timeout=20_000)
    expect(page.locator("[data-drawn='error']")).to_have_count(0)
    journey.audit()

    # and the Kaplan-Meier curve (all children entering in the period) is a many-step line...
    curve = page.locator("[data-vl-spec='spec-survival']")
    expect(curve).to_have_attribute("data-drawn", "true")
    d = curve.locator("svg g.mark-line path").first.get_attribute("d") or ""
    steps = len(re.findall(r"[LHV]", d))
    assert steps >= 10, f"the survival curve has only {steps} segments: {d[:200]}"

    # ...and the screenshots really show drawn lines: pixels of the line colour in the charts
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "outcomes-dashboard.png"), full_page=True)
    curve_png = curve.screenshot(path=str(ARTIFACTS / "outcomes-survival-curve.png"))
    drawn = _count_colour(curve_png, TREND_COLOUR)
    assert drawn >= 200, f"only {drawn} pixels of the curve colour in the survival chart"
    trend = page.locator(f"[data-indicator='{rules.PERM12_ENTRIES}'] [data-vl-spec]")
    trend_png = trend.screenshot(path=str(ARTIFACTS / "outcomes-trend-chart.png"))
    drawn = _count_colour(trend_png, TREND_COLOUR)
    assert drawn >= 100, f"only {drawn} pixels of the line colour in the trend chart"
    journey.assert_no_csp_errors()

    # and on a phone the page, charts included, is no wider than the screen
    page.set_viewport_size(PHONE)
    page.reload()
    expect(page.locator("[data-drawn='true']")).to_have_count(charts.count(), timeout=20_000)
    journey.audit()
    overflow = page.evaluate(
        "Math.max(0, document.documentElement.scrollWidth - window.innerWidth)"
    )
    assert overflow == 0, f"the dashboard is {overflow}px wider than a phone"

    # and a case-review rate opens the list of children behind it, which passes the audit too
    page.locator("[data-measure='family_time_parents'] a").click()
    expect(page).to_have_url(re.compile(r"/outcomes/compliance/\?"))
    expect(page.locator("[data-table='compliance-children'] tbody th").first).to_be_visible()
    journey.audit()
