"""Vega-Lite specs for the Outcomes dashboard's charts. Pure: plain values in, a JSON-ready dict
out (no Django). The page embeds them with vega-embed under the strict nonce CSP.

Accessibility: each chart sits in an element with role="img" and a label, and its numbers are in
a table beside it; the marks themselves are hidden from assistive technology (`aria: false`,
which vega renders as aria-hidden) so a screen reader is not walked through SVG groups.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from reunify.outcomes import indicators as rules

SCHEMA = "https://vega.github.io/schema/vega-lite/v6.json"
TREND_COLOUR = "#005ea2"  # USWDS primary
NATIONAL_COLOUR = "#757575"


def trend_spec(
    key: str, points: Sequence[tuple[date, float | None]], *, title: str
) -> dict[str, Any]:
    """One indicator over rolling periods (points: last day of the period, value), with the
    national performance as a dashed rule."""
    definition = rules.DEFINITIONS[key]
    unit = "%" if definition.unit == rules.PERCENT else ""
    values = [{"period": period_end.isoformat(), "value": value} for period_end, value in points]
    national = definition.national_performance
    return {
        "$schema": SCHEMA,
        "description": title,
        "width": "container",
        "height": 110,
        "background": None,
        "data": {"values": values},
        "layer": [
            {
                "mark": {
                    "type": "line",
                    "point": {"aria": False, "color": TREND_COLOUR},
                    "color": TREND_COLOUR,
                    "strokeWidth": 2,
                    "aria": False,
                },
                "encoding": {
                    "x": {
                        "field": "period",
                        "type": "temporal",
                        "title": None,
                        "axis": {"format": "%b %Y", "labelAngle": 0, "tickCount": 4},
                    },
                    "y": {
                        "field": "value",
                        "type": "quantitative",
                        "title": unit or None,
                        "scale": {"zero": True},
                    },
                },
            },
            {
                "mark": {
                    "type": "rule",
                    "strokeDash": [4, 4],
                    "color": NATIONAL_COLOUR,
                    "aria": False,
                },
                "encoding": {"y": {"datum": national}},
            },
        ],
        "config": {"view": {"stroke": None}, "aria": False},
    }


# A categorical palette that starts with the trend colour and stays distinguishable for the
# common colour-vision deficiencies (after Okabe and Ito, darkened for contrast on white).
GROUP_COLOURS = (
    TREND_COLOUR,
    "#d55e00",
    "#007a5e",
    "#b07800",
    "#8b5a9a",
    "#0072b2",
    "#5c5c5c",
    "#c2185b",
)


def survival_spec(
    curves: Sequence[tuple[str, Sequence[tuple[float, float, float | None, float | None]]]],
    *,
    title: str,
    x_title: str,
    y_title: str,
) -> dict[str, Any]:
    """Kaplan-Meier step curves, one per group: `curves` = (label, points) with points =
    (day, survival, ci_low, ci_high); the confidence band is drawn under each curve."""
    values = [
        {"group": label, "day": day, "survival": survival, "low": low, "high": high}
        for label, points in curves
        for day, survival, low, high in points
    ]
    labels = [label for label, _points in curves]
    colour = {
        "field": "group",
        "type": "nominal",
        "title": None,
        "scale": {"domain": labels, "range": list(GROUP_COLOURS[: max(1, len(labels))])},
        "legend": {
            "orient": "bottom",
            "columns": 2,
            "symbolType": "stroke",
            "symbolOpacity": 1,
            "symbolStrokeWidth": 3,
        }
        if len(labels) > 1
        else None,
    }
    x = {"field": "day", "type": "quantitative", "title": x_title, "scale": {"nice": True}}
    return {
        "$schema": SCHEMA,
        "description": title,
        "width": "container",
        "height": 260,
        "background": None,
        "data": {"values": values},
        "layer": [
            {
                "mark": {
                    "type": "area",
                    "interpolate": "step-after",
                    "opacity": 0.15,
                    "aria": False,
                },
                "encoding": {
                    "x": x,
                    "y": {"field": "low", "type": "quantitative"},
                    "y2": {"field": "high"},
                    "color": colour,
                },
            },
            {
                "mark": {
                    "type": "line",
                    "interpolate": "step-after",
                    "strokeWidth": 2,
                    "aria": False,
                },
                "encoding": {
                    "x": x,
                    "y": {
                        "field": "survival",
                        "type": "quantitative",
                        "title": y_title,
                        "scale": {"domain": [0, 1]},
                        "axis": {"format": "%"},
                    },
                    "color": colour,
                },
            },
        ],
        "config": {"view": {"stroke": None}, "aria": False},
    }
