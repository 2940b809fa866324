"""The DuckDB engine and the pure rules agree exactly on random small extracts, including the
awkward ones: overlapping episodes, same-day records, month ends, 29 February, censoring by
the data-as-of date, children turning 18, placements after the period."""

from __future__ import annotations

import tempfile
from datetime import date, timedelta
from pathlib import Path

import duckdb
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reunify.clocks.dates import add_months
from reunify.outcomes import engine
from reunify.outcomes import indicators as rules
from reunify.outcomes.extract import ExtractRefused, read_extract
from reunify.outcomes.indicators import Episode, Placement

PROVIDERS = ("A", "B")


def _months(day: date, months: int) -> date:
    return add_months(day, months)


@st.composite
def cases(draw: st.DrawFn) -> tuple[date, date | None, list[Episode], list[Placement]]:
    """A period and an extract whose dates crowd around the period's edges and the 12-month
    follow-up boundaries, where off-by-one mistakes live."""
    period_start = draw(
        st.one_of(
            st.dates(date(2020, 1, 1), date(2023, 12, 31)),
            st.sampled_from([date(2021, 1, 31), date(2023, 3, 1), date(2024, 2, 29)]),
        )
    )

    def near(anchor: date) -> date:
        return anchor + timedelta(days=draw(st.sampled_from([-2, -1, 0, 0, 0, 1, 2])))

    def some_day() -> date:
        anchor = _months(period_start, draw(st.sampled_from([-36, -24, -12, 0, 0, 6, 12, 12, 24])))
        return anchor + timedelta(days=draw(st.one_of(st.integers(-2, 2), st.integers(-400, 400))))

    def length() -> int | None:
        return draw(
            st.one_of(
                st.none(),
                st.integers(0, 9),
                st.sampled_from([365, 366, 730]),
                st.integers(0, 1100),
            )
        )

    episodes: list[Episode] = []
    placements: list[Placement] = []
    for child in range(draw(st.integers(1, 8))):
        child_id = f"c{child}"
        first = some_day()
        years = draw(st.one_of(st.integers(0, 19), st.sampled_from([17, 18])))
        dob = _months(first, -12 * years) - timedelta(days=draw(st.integers(-40, 40)))
        if draw(st.booleans()) and draw(st.booleans()):
            dob = draw(st.sampled_from([date(2004, 2, 29), date(2008, 2, 29)]))
        dob = min(dob, first)
        start: date | None = first
        starts: set[date] = set()
        for _ in range(draw(st.integers(1, 3))):
            if start is None or start in starts:
                break
            starts.add(start)
            days = length()
            end = None if days is None else start + timedelta(days=days)
            if end is not None and draw(st.integers(0, 4)) == 0:
                end = near(_months(start, 12))  # on the 12-month boundary, give or take
            reason = (
                None
                if end is None
                else draw(st.sampled_from((None, *rules.DISCHARGE_REASONS, *["reunification"] * 4)))
            )
            episodes.append(Episode(child_id, dob, start, end, reason))
            limit = (end - start).days if end is not None else 800
            p_start = start
            for _ in range(draw(st.integers(0, 5))):
                setting = draw(st.sampled_from(rules.SETTINGS))
                provider = (
                    draw(st.sampled_from(("", *PROVIDERS)))
                    if setting in rules.NOT_A_PLACEMENT
                    else draw(st.sampled_from(PROVIDERS))
                )
                p_days = draw(st.one_of(st.none(), st.integers(0, 200)))
                p_end = None if p_days is None else p_start + timedelta(days=p_days)
                if end is not None and p_end is not None and p_end > end:
                    p_end = end
                placements.append(Placement(child_id, start, p_start, p_end, setting, provider))
                # the next record starts where this one ended, or anywhere in the episode
                p_start = draw(
                    st.one_of(
                        st.just(p_end or p_start),
                        st.integers(0, limit).map(lambda n, s=start: s + timedelta(days=n)),
                        st.just(min(near(_months(period_start, 12)), end or date.max)),
                    )
                )
                p_start = max(p_start, start)
                if end is not None:
                    p_start = min(p_start, end)
            # the next removal: same day, soon, around 12 months later, or overlapping
            if end is None:
                start = None
            else:
                gap = draw(st.sampled_from([0, 0, 1, 5, -5, 40, None]))
                start = near(_months(end, 12)) if gap is None else end + timedelta(days=gap)
                start = max(start, dob)
    as_of = draw(
        st.one_of(
            st.none(),
            st.builds(lambda n: period_start + timedelta(days=n), st.integers(0, 900)),
        )
    )
    return period_start, as_of, episodes, placements


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=cases())
def test_duckdb_and_pure_rules_agree(case):
    period_start, as_of, episodes, placements = case
    pure = rules.compute(episodes, placements, period_start=period_start, as_of=as_of)
    duck = engine.compute(episodes, placements, period_start=period_start, as_of=as_of)
    assert duck.as_of == pure.as_of
    assert duck.as_dict() == pure.as_dict()
    # The same extract as CSV, checked in SQL (it is valid, so the check must pass it) and
    # computed on the checked tables, the data-as-of date found in SQL when not given.
    with tempfile.TemporaryDirectory() as tmp:
        paths = engine.write_csv_pair(Path(tmp), episodes, placements)
        checked = engine.checked_csv_reports(*paths, period_start=period_start, as_of=as_of)
    assert checked is not None
    assert checked[0].as_of == pure.as_of
    assert checked[0].as_dict() == pure.as_dict()


def test_engines_agree_on_the_hand_built_extract_read_straight_from_csv():
    # compute_csv reads the files with DuckDB itself (no Python parsing on the way).
    data = Path(__file__).parent / "data"
    extract = read_extract(data / "episodes.csv", data / "placements.csv", strict=True)
    for start in rules.trend_starts(date(2024, 1, 1)):
        pure = rules.compute(
            extract.episodes, extract.placements, period_start=start, as_of=date(2024, 12, 31)
        )
        duck = engine.compute_csv(
            data / "episodes.csv",
            data / "placements.csv",
            period_start=start,
            as_of=date(2024, 12, 31),
        )
        assert duck.as_dict() == pure.as_dict()


def test_empty_extract():
    pure = rules.compute([], [], period_start=date(2023, 1, 1))
    duck = engine.compute([], [], period_start=date(2023, 1, 1))
    assert duck.as_dict() == pure.as_dict()
    assert pure.results[rules.PERM12_ENTRIES].value is None


DATA = Path(__file__).parent / "data"
EPISODE_LINES = (DATA / "episodes.csv").read_text().splitlines()
PLACEMENT_LINES = (DATA / "placements.csv").read_text().splitlines()

# (file, line index, new text or None to delete the line; "+" appends a line): mutations of the
# hand-built extract. MALFORMED ones break a rule of extract.py; ODD ones are unusual but valid
# to Python (the SQL check may accept them or send them to Python, never the opposite).
MALFORMED = {
    "empty child": ("e", 1, ",2015-06-01,2023-02-01,2023-10-01,reunification"),
    "30 February": ("e", 1, "E01,2015-02-30,2023-02-01,2023-10-01,reunification"),
    "29 February 2023": ("e", 1, "E01,2015-06-01,2023-02-01,2023-02-29,reunification"),
    "short month": ("e", 1, "E01,2015-06-01,2023-2-01,2023-10-01,reunification"),
    "year 0": ("e", 1, "E01,0000-06-01,2023-02-01,2023-10-01,reunification"),
    "slashes": ("e", 1, "E01,2015/06/01,2023-02-01,2023-10-01,reunification"),
    "end before start": ("e", 1, "E01,2015-06-01,2023-02-01,2023-01-31,reunification"),
    "unknown reason": ("e", 1, "E01,2015-06-01,2023-02-01,2023-10-01,moved_away"),
    "reason, no end": ("e", 1, "E01,2015-06-01,2023-02-01,,reunification"),
    "born after start": ("e", 1, "E01,2023-06-01,2023-02-01,2023-10-01,reunification"),
    "repeated episode": ("e", "+", "E01,2015-06-01,2023-02-01,,"),
    "missing child column": (
        "e",
        0,
        "child,date_of_birth,episode_start,episode_end,discharge_reason",
    ),
    "unknown setting": ("p", 1, "E01,2023-02-01,2023-02-01,2023-06-01,teleporter,F1"),
    "placement ends before it starts": (
        "p",
        1,
        "E01,2023-02-01,2023-02-01,2023-01-01,group_home,F1",
    ),
    "no such episode": ("p", 1, "E01,2023-02-02,2023-02-02,2023-06-01,group_home,F1"),
    "before its episode": ("p", 1, "E01,2023-02-01,2023-01-31,2023-06-01,group_home,F1"),
    "after its episode": ("p", 1, "E01,2023-02-01,2023-10-02,,group_home,F1"),
    "ends after its episode": ("p", 2, "E01,2023-02-01,2023-06-01,2023-10-02,pre_adoptive_home,F1"),
    "home with no provider": ("p", 1, "E01,2023-02-01,2023-02-01,2023-06-01,group_home,"),
    "too few fields": ("p", 1, "E01,2023-02-01,2023-02-01,2023-06-01,group_home"),
}
ODD = {
    "spaces around a child": ("e", 1, " E01 ,2015-06-01,2023-02-01,2023-10-01,reunification"),
    "spaces around a date": ("e", 1, "E01,2015-06-01 ,2023-02-01,2023-10-01,reunification"),
    "ISO week date": ("e", 1, "E01,2015-W22-1,2023-02-01,2023-10-01,reunification"),
    "a comma in a quoted child": ("e", "+", '"Z,1",2015-06-01,2023-02-01,,'),
    "an extra field": ("e", 1, "E01,2015-06-01,2023-02-01,2023-10-01,reunification,x"),
    "blank line": ("e", "+", ""),
    "runaway with no provider": ("p", "+", "E01,2023-02-01,2023-03-01,2023-03-02,runaway,"),
    "same day placement": ("p", "+", "E01,2023-02-01,2023-10-01,2023-10-01,respite,R"),
}


def _write(tmp_path: Path, file: str, at: int | str, text: str | None) -> tuple[Path, Path]:
    lines = {"e": list(EPISODE_LINES), "p": list(PLACEMENT_LINES)}
    if at == "+":
        lines[file].append(text or "")
    else:
        lines[file][int(at)] = text or ""
    paths = tmp_path / "episodes.csv", tmp_path / "placements.csv"
    paths[0].write_text("\n".join(lines["e"]) + "\n")
    paths[1].write_text("\n".join(lines["p"]) + "\n")
    return paths


def _python_finds_a_problem(paths: tuple[Path, Path]) -> bool:
    try:
        return bool(read_extract(*paths).skipped)
    except ExtractRefused:
        return True


@pytest.mark.parametrize("mutation", MALFORMED.values(), ids=list(MALFORMED))
def test_the_sql_check_refuses_every_kind_of_malformed_row(tmp_path, mutation):
    paths = _write(tmp_path, *mutation)
    assert _python_finds_a_problem(paths)
    assert engine.load_checked_csv_pair(duckdb.connect(), *paths) is None
    report = engine.checked_csv_reports(*paths, period_start=date(2023, 1, 1), as_of=None)
    assert report is None


@pytest.mark.parametrize("mutation", ODD.values(), ids=list(ODD))
def test_the_sql_check_passes_only_what_python_passes(tmp_path, mutation):
    paths = _write(tmp_path, *mutation)
    assert not _python_finds_a_problem(paths)
    checked = engine.checked_csv_reports(*paths, period_start=date(2023, 1, 1), as_of=None)
    if checked is not None:  # accepted: then it must count exactly as the rules do
        extract = read_extract(*paths, strict=True)
        pure = rules.compute(extract.episodes, extract.placements, period_start=date(2023, 1, 1))
        assert checked[0].as_dict() == pure.as_dict()


def test_the_sql_check_finds_columns_by_name(tmp_path):
    # Columns in another order, plus one the extract does not use.
    episodes = tmp_path / "episodes.csv"
    rows = [line.split(",") for line in EPISODE_LINES]
    episodes.write_text("\n".join(",".join([r[4], r[2], "note", r[0], r[3], r[1]]) for r in rows))
    checked = engine.checked_csv_reports(
        episodes, DATA / "placements.csv", period_start=date(2023, 1, 1), as_of=date(2024, 12, 31)
    )
    assert checked is not None
    extract = read_extract(DATA / "episodes.csv", DATA / "placements.csv", strict=True)
    pure = rules.compute(
        extract.episodes,
        extract.placements,
        period_start=date(2023, 1, 1),
        as_of=date(2024, 12, 31),
    )
    assert checked[0].as_dict() == pure.as_dict()


def test_the_sql_check_trend_matches_the_rules():
    checked = engine.checked_csv_reports(
        DATA / "episodes.csv", DATA / "placements.csv", period_start=date(2024, 1, 1), as_of=None,
        trend=True,
    )  # fmt: skip
    extract = read_extract(DATA / "episodes.csv", DATA / "placements.csv", strict=True)
    pure = rules.trend(extract.episodes, extract.placements, latest_start=date(2024, 1, 1))
    assert checked is not None
    assert [r.as_dict() for r in checked] == [r.as_dict() for r in pure]
    assert checked[-1].as_of == pure[-1].as_of
