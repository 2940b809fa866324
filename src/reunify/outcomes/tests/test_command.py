"""`reunify indicators`: the JSON shape, the table, skipped rows, --strict and bad arguments,
through call_command and through the installed `reunify` script."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from reunify.outcomes import indicators as rules

DATA = Path(__file__).parent / "data"
ARGS = [
    "--episodes",
    str(DATA / "episodes.csv"),
    "--placements",
    str(DATA / "placements.csv"),
    "--period-start",
    "2023-01-01",
    "--as-of",
    "2024-12-31",
]
INDICATOR_KEYS = {
    "numerator",
    "denominator",
    "value",
    "unit",
    "national_performance",
    "direction",
    "numerator_children",
    "denominator_children",
    "excluded",
}


def _run(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("indicators", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.mark.parametrize("engine", ["duckdb", "python"])
def test_json_shape_and_values(engine):
    out, _ = _run(*ARGS, "--json", "--engine", engine)
    data = json.loads(out)
    assert set(data) == {"period_start", "indicators"}  # no skipped_rows: nothing was skipped
    assert data["period_start"] == "2023-01-01"
    assert list(data["indicators"]) == [
        "perm12_entries",
        "perm12_12_23",
        "perm12_24plus",
        "reentry_12m",
        "placement_stability",
    ]
    for key in rules.KEYS[:4]:
        assert set(data["indicators"][key]) == INDICATOR_KEYS
    p1 = data["indicators"]["perm12_entries"]
    # Values as worked out in test_indicators.py, unrounded.
    assert (p1["numerator"], p1["denominator"], p1["value"]) == (8, 15, 100 * 8 / 15)
    assert p1["excluded"] == {
        "E05": "in_care_under_8_days",
        "E07": "age_18_or_older_at_entry",
        "E08": "missing_discharge_reason",
        "R02": "in_care_under_8_days",
    }
    assert (p1["national_performance"], p1["direction"]) == (35.2, "higher")
    ps = data["indicators"]["placement_stability"]
    assert set(ps) == INDICATOR_KEYS | {"moves", "days"}
    assert (ps["moves"], ps["days"], ps["value"]) == (4, 2536, 1000 * 4 / 2536)
    assert (ps["national_performance"], ps["direction"]) == (4.48, "lower")
    assert data["indicators"]["reentry_12m"]["numerator_children"] == ["E09", "L06", "R01", "R04"]


def test_table_output():
    out, _ = _run(*ARGS)
    assert "period 2023-01-01 to 2023-12-31, data as of 2024-12-31" in out
    assert "Permanency in 12 months (entries)" in out
    assert "53.33%" in out
    assert "Placement stability" in out
    assert "2536" in out


@pytest.fixture
def malformed(tmp_path):
    episodes = tmp_path / "episodes.csv"
    episodes.write_text(
        (DATA / "episodes.csv").read_text() + "BAD,2015-01-01,2023-02-30,,\n"
    )  # line 46: 30 February
    placements = tmp_path / "placements.csv"
    placements.write_text(
        (DATA / "placements.csv").read_text() + "E01,2023-02-01,2023-02-01,,teleporter,X\n"
    )  # line 34: unknown setting
    return episodes, placements


def test_skipped_rows_are_counted_in_the_json(malformed):
    episodes, placements = malformed
    out, _ = _run(
        "--episodes", str(episodes), "--placements", str(placements),
        "--period-start", "2023-01-01", "--as-of", "2024-12-31", "--json",
    )  # fmt: skip
    data = json.loads(out)
    assert data["skipped_rows"]["count"] == 2
    assert [(r["file"], r["line"], r["field"]) for r in data["skipped_rows"]["rows"]] == [
        (str(episodes), 46, "episode_start"),
        (str(placements), 34, "setting"),
    ]
    # The good rows still give the hand-worked results.
    assert data["indicators"]["perm12_entries"]["numerator"] == 8


def test_strict_refuses_with_exit_code_2_naming_file_line_and_field(malformed):
    episodes, placements = malformed
    err = StringIO()
    with pytest.raises(CommandError) as refused:
        call_command(
            "indicators", "--episodes", str(episodes), "--placements", str(placements),
            "--period-start", "2023-01-01", "--strict", stderr=err,
        )  # fmt: skip
    assert refused.value.returncode == 2
    assert f"{episodes}, line 46, field episode_start: '2023-02-30' is not a date" in err.getvalue()
    assert f"{placements}, line 34, field setting" in err.getvalue()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"--period-start": "2023-1-1"}, "'2023-1-1' is not a date"),
        ({"--as-of": "2022-12-31"}, "--as-of is before --period-start"),
        ({"--episodes": "/nonexistent/e.csv"}, "--episodes /nonexistent/e.csv is not a file"),
    ],
)
def test_bad_arguments_exit_with_code_2(change, message):
    args = list(ARGS)
    for option, value in change.items():
        args[args.index(option) + 1] = value
    with pytest.raises(CommandError, match=message) as error:
        _run(*args)
    assert error.value.returncode == 2


def _reunify(*args: str) -> subprocess.CompletedProcess[str]:
    script = Path(sys.executable).parent / "reunify"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test"}
    return subprocess.run(  # noqa: S603 (our own script, fixed arguments)
        [str(script), "indicators", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )


def test_the_installed_command_prints_json():
    done = _reunify(*ARGS, "--json")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["indicators"]["perm12_12_23"]["value"] == 40.0
    assert data["indicators"]["perm12_24plus"]["numerator_children"] == ["L01", "L06", "L07"]


def test_the_installed_command_exits_2_on_strict_refusal_and_bad_arguments(malformed):
    episodes, placements = malformed
    refused = _reunify(
        "--episodes", str(episodes), "--placements", str(placements),
        "--period-start", "2023-01-01", "--strict",
    )  # fmt: skip
    assert refused.returncode == 2
    assert f"{episodes}, line 46, field episode_start" in refused.stderr
    missing = _reunify("--episodes", str(episodes))  # argparse: required options missing
    assert missing.returncode == 2
    assert "--placements" in missing.stderr


@pytest.mark.parametrize("engine", ["duckdb", "python"])
def test_trend_json_is_eight_rolling_periods_oldest_first(engine):
    out, _ = _run(*ARGS, "--trend", "--json", "--engine", engine)
    data = json.loads(out)
    assert set(data) == {"trend"}
    starts = [report["period_start"] for report in data["trend"]]
    assert starts == [
        "2019-07-01", "2020-01-01", "2020-07-01", "2021-01-01",
        "2021-07-01", "2022-01-01", "2022-07-01", "2023-01-01",
    ]  # fmt: skip
    # The last period is the single-period report; each carries its national performance.
    single, _ = _run(*ARGS, "--json", "--engine", engine)
    assert data["trend"][-1] == json.loads(single)
    for report in data["trend"]:
        assert list(report["indicators"]) == list(rules.KEYS)
        p1 = report["indicators"]["perm12_entries"]
        assert (p1["national_performance"], p1["direction"]) == (35.2, "higher")
    # An earlier period is computed for itself, with the same data-as-of date.
    middle = data["trend"][5]["indicators"]["perm12_entries"]
    assert middle != data["trend"][-1]["indicators"]["perm12_entries"]


def test_trend_engines_agree():
    duck, _ = _run(*ARGS, "--trend", "--json")
    pure, _ = _run(*ARGS, "--trend", "--json", "--engine", "python")
    assert json.loads(duck) == json.loads(pure)


def test_trend_table_has_a_line_per_period_and_the_national_value():
    out, _ = _run(*ARGS, "--trend")
    assert "8 rolling 12-month periods from 2019-07-01 to 2023-12-31" in out
    assert "data as of 2024-12-31" in out
    assert "Permanency in 12 months (entries) (percent; national 35.2%, higher is better)" in out
    assert "Placement stability (moves per 1,000 days; national 4.48, lower is better)" in out
    lines = out.splitlines()
    for key in rules.KEYS:
        title = rules.DEFINITIONS[key].title
        at = next(i for i, line in enumerate(lines) if line.startswith(title))
        rows = lines[at + 2 : at + 10]
        assert [row.split()[0] for row in rows] == [
            "2019-07-01", "2020-01-01", "2020-07-01", "2021-01-01",
            "2021-07-01", "2022-01-01", "2022-07-01", "2023-01-01",
        ]  # fmt: skip
    p1_last = next(line for line in lines if line.startswith("  2023-01-01 to 2023-12-31"))
    assert p1_last.split()[3:] == ["8", "15", "53.33%", "35.2%"]


def test_trend_counts_skipped_rows(malformed):
    episodes, placements = malformed
    out, _ = _run(
        "--episodes", str(episodes), "--placements", str(placements),
        "--period-start", "2023-01-01", "--as-of", "2024-12-31", "--trend", "--json",
    )  # fmt: skip
    data = json.loads(out)
    assert len(data["trend"]) == 8
    assert data["skipped_rows"]["count"] == 2


@pytest.mark.django_db
def test_the_agencys_own_extract_round_trips_through_reunify_indicators(tmp_path, caseworker):
    """`reunify extract-export` writes Reunify's episodes and placements as a §11 pair that
    `reunify indicators` reads back to the same numbers the engine gives on the records."""
    import datetime as dt

    from reunify.cases.models import Placement, RemovalEpisode
    from reunify.cases.tests.factories import open_case
    from reunify.core.models import AuditEvent
    from reunify.outcomes import engine, source

    # Given children entering in 2025: one home in five months, one still in care after a
    # move, one home after three days (excluded), and one in care since 2023
    case = open_case(worker=caseworker, children=3, opened_on=dt.date(2025, 2, 3))
    first, second, third = case.episodes.order_by("child__first_name")
    for episode, on in ((first, dt.date(2025, 7, 1)), (third, dt.date(2025, 2, 6))):
        Placement.objects.filter(episode=episode).update(ended_on=on, end_reason="discharge")
        RemovalEpisode.objects.filter(pk=episode.pk).update(
            discharged_on=on, discharge_reason="reunification"
        )
    placement = second.placements.get()
    Placement.objects.filter(pk=placement.pk).update(
        ended_on=dt.date(2025, 5, 1), end_reason="child_needs"
    )
    other = type(placement.provider).objects.create(
        agency=placement.provider.agency, name="Second home", kind=placement.provider.kind
    )
    Placement.objects.create(
        episode=second, setting=placement.setting, provider=other, started_on=dt.date(2025, 5, 1)
    )
    open_case(worker=caseworker, children=1, opened_on=dt.date(2023, 6, 1))

    # When the agency's extract is exported and read back by `reunify indicators`
    out = StringIO()
    call_command("extract-export", "--out", str(tmp_path), stdout=out)
    assert "4 episodes" in out.getvalue()
    printed = StringIO()
    call_command(
        "indicators",
        "--episodes", str(tmp_path / "episodes.csv"),
        "--placements", str(tmp_path / "placements.csv"),
        "--period-start", "2025-01-01",
        "--as-of", "2026-11-01",
        "--json",
        stdout=printed,
    )  # fmt: skip

    # Then the numbers are the engine's on the agency's own records
    data = source.own_data(caseworker.agency_id)
    expected = engine.compute(
        data.episodes, data.placements, period_start=dt.date(2025, 1, 1), as_of=dt.date(2026, 11, 1)
    )
    got = json.loads(printed.getvalue())["indicators"]
    for key in rules.KEYS:
        want = expected.results[key]
        assert got[key]["denominator_children"] == list(want.denominator_children), key
        assert got[key]["numerator_children"] == list(want.numerator_children), key
        assert got[key]["excluded"] == want.excluded, key
    entries = got[rules.PERM12_ENTRIES]
    assert (entries["numerator"], entries["denominator"]) == (1, 2)
    assert entries["excluded"] == {str(third.child_id): rules.UNDER_8_DAYS}
    assert got[rules.PLACEMENT_STABILITY]["moves"] == 1
    # the export is audited, and an existing extract is not overwritten
    assert AuditEvent.objects.filter(action="outcomes.extract_exported").count() == 1
    with pytest.raises(CommandError, match="exists"):
        call_command("extract-export", "--out", str(tmp_path))
