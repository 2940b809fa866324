"""A small, valid definition that the tests break or extend."""

from typing import Any


def minimal() -> dict[str, Any]:
    return {
        "key": "sample",
        "version": 1,
        "title": "Sample",
        "scales": {
            "yes_no": {
                "options": [{"value": "yes", "label": "Yes"}, {"value": "no", "label": "No"}]
            },
            "points": {"min": 0, "max": 3},
        },
        "sections": [
            {
                "id": "first",
                "title": "First",
                "items": [
                    {"id": "a", "label": "A", "scale": "points"},
                    {"id": "b", "label": "B", "scale": "points"},
                    {"id": "c", "label": "C", "scale": "yes_no", "scored": False},
                ],
            }
        ],
        "scoring": [{"section": "first", "bands": "level"}],
        "bands": {
            "level": [
                {"level": "low", "label": "Low", "max": 2},
                {"level": "high", "label": "High", "min": 3},
            ]
        },
        "overrides": [
            {"id": "bump", "kind": "discretionary", "target": "first", "label": "Bump"},
        ],
        "decision_table": {
            "outcomes": [{"id": "go", "label": "Go"}, {"id": "stop", "label": "Stop"}],
            "rows": [
                {"id": "1", "when": {"first": ["low"], "c": ["yes"]}, "outcome": "go"},
                {"id": "2", "when": {"first": ["low", "high"]}, "outcome": "stop"},
            ],
        },
    }
