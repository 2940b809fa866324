"""The indicator rules of `indicators.py` in DuckDB SQL, for extracts of millions of episodes.

The rules, readings and exclusion order are exactly those documented in `indicators.py`; the
counting moves into SQL. One statement computes all five indicators (CTEs, GROUP BY, one window
function and DuckDB's `arg_max`, `list` and `MATERIALIZED`; a Spark SQL port would swap those
for `max_by`, `collect_list` and caching) and returns, per indicator, the counts and the sorted
child lists; `indicators.result` builds the same `Result` objects from them, so values are
computed from the counts by one piece of code and the two engines agree to the last digit
(tests/test_engines.py holds them to it). docs/outcomes.md "Performance" has the figures.

Sources of tables: `compute_csv` reads a clean §11 CSV pair directly (columns in §11 order);
`load_checked_csv_pair` loads a pair by header name and checks every rule of `extract.py` in SQL,
and `checked_csv_reports` computes from it when it is clean (what the command does); `compute`
takes records (it writes them to a temporary CSV pair, DuckDB's fastest local load without
pyarrow); `compute_relations` runs on tables or views already in a DuckDB connection, e.g. Arrow
tables from the ADBC drivers registered with `con.register(name, table)`. DuckDB 2.0 runs
offline with its built-in extensions only; nothing here needs `INSTALL`.
"""

from __future__ import annotations

import csv
import tempfile
from collections.abc import Sequence
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import duckdb

from reunify.outcomes import indicators as rules
from reunify.outcomes.extract import EPISODE_FIELDS, PLACEMENT_FIELDS
from reunify.outcomes.indicators import Episode, Period, Placement, Report, Result

EPISODE_COLUMNS = {
    "child_id": "VARCHAR",
    "date_of_birth": "DATE",
    "episode_start": "DATE",
    "episode_end": "DATE",
    "discharge_reason": "VARCHAR",
}
PLACEMENT_COLUMNS = {
    "child_id": "VARCHAR",
    "episode_start": "DATE",
    "placement_start": "DATE",
    "placement_end": "DATE",
    "setting": "VARCHAR",
    "provider_id": "VARCHAR",
}


def _in(values: frozenset[str]) -> str:
    return "(" + ", ".join(f"'{v}'" for v in sorted(values)) + ")"


PERMANENT = _in(rules.PERMANENCY_EXITS)
REENTRY = _in(rules.REENTRY_EXITS)
NOT_A_PLACEMENT = _in(rules.NOT_A_PLACEMENT)

# Completed months from a to b (a <= b): the largest m with a + m months <= b, months clamping
# to the month's end exactly as clocks.dates.add_months does.
MACROS = """
CREATE OR REPLACE TEMP MACRO completed_months(a, b) AS (
    (year(b) - year(a)) * 12 + month(b) - month(a)
    - CASE WHEN least(day(a), day(last_day(b))) > day(b) THEN 1 ELSE 0 END
);
CREATE OR REPLACE TEMP MACRO age_on(dob, d) AS (completed_months(dob, d) // 12);
CREATE OR REPLACE TEMP MACRO plus_months(d, m) AS (CAST(d + to_months(m) AS DATE));
"""

# One statement computes all five indicators: the episodes and the placements are read once
# (from a table, a view, or straight from `read_csv`), the common cohorts are CTEs materialized
# once, and each indicator is folded into its counts and sorted child lists in SQL, so no
# per-child row travels to Python. "First per child" is a GROUP BY and a join, the last placement
# an arg_max, which DuckDB runs much faster than window functions over string keys; the one
# window left orders each child's placements to merge returns to the same home.
INDICATORS = f"""
WITH
-- Episodes as known on $as_of: a later discharge has not happened yet.
ep AS MATERIALIZED (
    SELECT child_id, date_of_birth AS dob, episode_start AS s,
           CASE WHEN episode_end <= $as_of THEN episode_end END AS e,
           CASE WHEN episode_end <= $as_of THEN nullif(discharge_reason, '') END AS reason,
           coalesce(episode_end <= $as_of
                    AND episode_end - episode_start <= {rules.SHORT_STAY_MAX_DAYS}, false)
               AS short_stay
    FROM {{episodes}} WHERE episode_start <= $as_of
),
-- Per child, in one pass: the start of the first episode starting in the period (P1 and
-- placement stability), of the earliest episode open on its first day (P2 / P3), the discharge
-- and start of the first qualifying exit in it (re-entry; ties: the earlier removal), and how
-- many episodes the child has.
firsts AS (
    SELECT child_id,
        min(s) FILTER (WHERE s >= $period_start AND s < $period_end) AS entry_s,
        min(s) FILTER (WHERE s <= $period_start AND (e IS NULL OR e > $period_start))
            AS open_s,
        min(struct_pack(e := e, s := s)) FILTER (
            WHERE e >= $period_start AND e < $period_end AND reason IN {REENTRY}
        ) AS exit_key,
        count(*) AS episodes
    FROM ep GROUP BY child_id
),
-- Those episodes, marked with the cohorts they are in.
cohorts AS MATERIALIZED (
    SELECT ep.*, f.episodes,
        coalesce(ep.s = f.entry_s, false) AS is_entry,
        coalesce(ep.s = f.open_s, false) AS is_open,
        coalesce(ep.s = f.exit_key.s, false) AS is_exit
    FROM ep JOIN firsts f USING (child_id)
    WHERE ep.s = f.entry_s OR ep.s = f.open_s OR ep.s = f.exit_key.s
),
entries AS (SELECT * FROM cohorts WHERE is_entry),
-- The placements of those episodes known on $as_of.
pl AS MATERIALIZED (
    SELECT p.child_id, p.placement_start,
           coalesce(p.placement_end, DATE '9999-12-31') AS end_key, p.setting,
           coalesce(p.provider_id, '') AS provider_id
    FROM {{placements}} p JOIN entries x ON p.child_id = x.child_id AND p.episode_start = x.s
    WHERE p.placement_start <= $as_of
      AND p.episode_start >= $period_start AND p.episode_start < $period_end
),
-- P1: the last placement (latest start; ties by end, open last, setting, provider) of the
-- episodes discharged to reunification, the only ones whose exit a trial home visit adjusts.
last_placement AS (
    SELECT child_id, max(placement_start) AS start,
           arg_max(setting, struct_pack(a := placement_start, b := end_key, c := setting,
                                        d := provider_id)) AS setting
    FROM pl WHERE child_id IN (SELECT child_id FROM entries WHERE reason = 'reunification')
    GROUP BY child_id
),
p1_exit AS (
    SELECT x.*,
        CASE WHEN x.reason = 'reunification' AND lp.setting = '{rules.TRIAL_HOME_VISIT}'
             THEN least(x.e, CAST(lp.start + {rules.THV_CREDIT_DAYS} AS DATE))
             ELSE x.e
        END AS exit_on
    FROM entries x LEFT JOIN last_placement lp USING (child_id)
),
p1 AS (
    SELECT child_id,
        CASE WHEN age_on(dob, s) >= {rules.ADULT_AGE} THEN '{rules.AGE_18_AT_ENTRY}'
             WHEN short_stay THEN '{rules.UNDER_8_DAYS}'
             WHEN e IS NOT NULL AND reason IS NULL THEN '{rules.NO_DISCHARGE_REASON}'
        END AS excluded,
        coalesce(exit_on IS NOT NULL AND reason IN {PERMANENT}
                 AND exit_on < plus_months(s, {rules.FOLLOW_UP_MONTHS})
                 AND age_on(dob, exit_on) < {rules.ADULT_AGE}, false) AS counted
    FROM p1_exit
),
-- P2 / P3: each child's (earliest) episode open on the first day, 12+ completed months.
p23 AS (
    SELECT child_id,
        CASE WHEN completed_months(s, $period_start) <= 23 THEN '{rules.PERM12_12_23}'
             ELSE '{rules.PERM12_24PLUS}' END AS cohort,
        CASE WHEN age_on(dob, $period_start) >= {rules.ADULT_AGE}
                 THEN '{rules.AGE_18_ON_FIRST_DAY}'
             WHEN e IS NOT NULL AND reason IS NULL THEN '{rules.NO_DISCHARGE_REASON}'
        END AS excluded,
        coalesce(e IS NOT NULL AND reason IN {PERMANENT} AND e < $period_end
                 AND age_on(dob, e) < {rules.ADULT_AGE}, false) AS counted
    FROM cohorts WHERE is_open AND completed_months(s, $period_start) >= 12
),
-- Re-entry: the exit episode, and the child's other removals (only children with several).
exits AS (SELECT * FROM cohorts WHERE is_exit),
other_removals AS (
    SELECT x.child_id,
        bool_or(o.s > x.s AND o.s < x.e) AS overlapping,
        bool_or(o.s >= x.e AND o.s < plus_months(x.e, {rules.FOLLOW_UP_MONTHS})) AS returned
    FROM exits x JOIN ep o ON o.child_id = x.child_id AND o.s <> x.s
    WHERE x.episodes > 1
    GROUP BY x.child_id
),
reentry AS (
    SELECT x.child_id,
        CASE WHEN age_on(x.dob, x.e) >= {rules.ADULT_AGE} THEN '{rules.AGE_18_AT_EXIT}'
             WHEN x.short_stay THEN '{rules.UNDER_8_DAYS}'
             WHEN coalesce(r.overlapping, false) THEN '{rules.REMOVAL_BEFORE_DISCHARGE}'
        END AS excluded,
        coalesce(r.returned, false) AS counted
    FROM exits x LEFT JOIN other_removals r USING (child_id)
),
-- Placement stability: the P1 child and episode; moves among the placements up to the last
-- day, trial home visits, runaway and respite dropped, returns to the same home merged.
-- Runs of the same home need the records in order only for a child with three or more
-- records in more than one home: otherwise runs = 1 (one home) or the number of records.
counted_placements AS (
    SELECT * FROM pl WHERE setting NOT IN {NOT_A_PLACEMENT} AND placement_start <= $last_day
),
homes AS (
    SELECT child_id, count(*) AS records, min(provider_id) = max(provider_id) AS one_home
    FROM counted_placements GROUP BY child_id
),
in_order AS (
    SELECT child_id, provider_id,
        lag(provider_id) OVER (
            PARTITION BY child_id ORDER BY placement_start, end_key, setting, provider_id
        ) AS previous
    FROM counted_placements
    WHERE child_id IN (SELECT child_id FROM homes WHERE records >= 3 AND NOT one_home)
),
runs AS (
    SELECT child_id, CASE WHEN one_home THEN 1 ELSE records END AS runs
    FROM homes WHERE records < 3 OR one_home
    UNION ALL
    SELECT child_id, count(*) FILTER (WHERE previous IS DISTINCT FROM provider_id)
    FROM in_order GROUP BY child_id
),
stability AS (
    SELECT x.child_id,
        CASE WHEN age_on(x.dob, x.s) >= {rules.ADULT_AGE} THEN '{rules.AGE_18_AT_ENTRY}'
             WHEN x.short_stay THEN '{rules.UNDER_8_DAYS}'
        END AS excluded,
        least(coalesce(x.e, $cap), $cap) - x.s AS days,
        CAST(greatest(coalesce(r.runs, 0) - 1, 0) AS BIGINT) AS moves
    FROM entries x LEFT JOIN runs r USING (child_id)
)
{{tallies}}
"""  # noqa: S608 (module constants only; values are bound parameters)

# Folds the per-child rows (child_id, excluded or NULL, counted) of one indicator into one row:
# key, numerator, denominator and the sorted child lists (DuckDB's default collation is binary,
# so it sorts by code point as Python does).
TALLY = """
SELECT {key} AS key,
    count(*) FILTER (WHERE excluded IS NULL AND {counted}) AS numerator,
    {denominator} AS denominator,
    coalesce(list(child_id ORDER BY child_id)
             FILTER (WHERE excluded IS NULL AND {counted}), []) AS numerator_children,
    coalesce(list(child_id ORDER BY child_id) FILTER (WHERE excluded IS NULL), [])
        AS denominator_children,
    coalesce(list(child_id ORDER BY child_id) FILTER (WHERE excluded IS NOT NULL), [])
        AS excluded_children,
    coalesce(list(excluded ORDER BY child_id) FILTER (WHERE excluded IS NOT NULL), [])
        AS exclusions
FROM {rows} {group_by}"""
TALLIES = "\nUNION ALL".join(
    TALLY.format(key=key, counted=counted, denominator=denominator, rows=rows, group_by=group_by)
    for key, counted, denominator, rows, group_by in (
        (f"'{rules.PERM12_ENTRIES}'", "counted", "count(*) FILTER (WHERE excluded IS NULL)",
         "p1", ""),
        ("cohort", "counted", "count(*) FILTER (WHERE excluded IS NULL)", "p23",
         "GROUP BY cohort"),
        (f"'{rules.REENTRY_12M}'", "counted", "count(*) FILTER (WHERE excluded IS NULL)",
         "reentry", ""),
        # Placement stability: numerator = moves, denominator = days, numerator children = the
        # children with at least one move.
        (f"'{rules.PLACEMENT_STABILITY}'", "moves > 0",
         "coalesce(sum(days) FILTER (WHERE excluded IS NULL), 0)", "stability", ""),
    )
).replace(
    "count(*) FILTER (WHERE excluded IS NULL AND moves > 0) AS numerator",
    "coalesce(sum(moves) FILTER (WHERE excluded IS NULL), 0) AS numerator",
)  # fmt: skip


Row = tuple[Any, ...]
EMPTY: Row = (0, 0, [], [], [], [])


def _result(key: str, row: Row) -> Result:
    """A tally row without its key: numerator, denominator, the child lists."""
    numerator, denominator, numerator_children, denominator_children, children, reasons = row
    return rules.result(
        key,
        numerator=int(numerator),
        denominator=int(denominator),
        numerator_children=numerator_children,
        denominator_children=denominator_children,
        excluded=dict(zip(children, reasons, strict=True)),
    )


def compute_relations(
    con: duckdb.DuckDBPyConnection,
    *,
    episodes: str,
    placements: str,
    period_start: date,
    as_of: date,
    parameters: dict[str, object] | None = None,
) -> Report:
    """The five indicators over two relations of `con` with the §11 columns and types
    (`EPISODE_COLUMNS`, `PLACEMENT_COLUMNS`): table or view names, or table functions such as
    `READ_EPISODES` whose own parameters are given in `parameters`."""
    period = Period(period_start)
    params: dict[str, object] = {
        "period_start": period.start,
        "period_end": period.end_exclusive,
        "last_day": period.last_day,
        "as_of": as_of,
        "cap": min(period.end_exclusive, as_of + timedelta(days=1)),
        **(parameters or {}),
    }
    con.execute(MACROS)
    query = (
        INDICATORS.replace("{episodes}", episodes)
        .replace("{placements}", placements)
        .replace("{tallies}", TALLIES)
    )
    rows = {row[0]: row[1:] for row in con.execute(query, params).fetchall()}
    results = {key: _result(key, rows.get(key, EMPTY)) for key in rules.KEYS}
    return Report(period=period, as_of=as_of, results=results)


# The §11 columns and types, spelled out (they must match EPISODE_COLUMNS / PLACEMENT_COLUMNS),
# and the CSV dialect the extract uses (RFC 4180, as Python's csv module writes it): without
# sniffing, and with DuckDB's own ISO date parser, reading is about a quarter faster.
READ_EPISODES = (
    "read_csv($episodes_path, header = true, auto_detect = false, delim = ',', quote = '\"', "
    "escape = '\"', nullstr = '', columns = {"
    "'child_id': 'VARCHAR', 'date_of_birth': 'DATE', 'episode_start': 'DATE', "
    "'episode_end': 'DATE', 'discharge_reason': 'VARCHAR'})"
)
READ_PLACEMENTS = (
    "read_csv($placements_path, header = true, auto_detect = false, delim = ',', quote = '\"', "
    "escape = '\"', nullstr = '', columns = {"
    "'child_id': 'VARCHAR', 'episode_start': 'DATE', 'placement_start': 'DATE', "
    "'placement_end': 'DATE', 'setting': 'VARCHAR', 'provider_id': 'VARCHAR'})"
)


def load_csv_pair(
    con: duckdb.DuckDBPyConnection, episodes_csv: Path, placements_csv: Path, *, prefix: str = "x"
) -> tuple[str, str]:
    """Load a clean §11 CSV pair (columns in the §11 order) into two temp tables of `con`;
    returns their names."""
    episodes, placements = f"{prefix}_episodes", f"{prefix}_placements"
    for table, reader, name, path in (
        (episodes, READ_EPISODES, "episodes_path", episodes_csv),
        (placements, READ_PLACEMENTS, "placements_path", placements_csv),
    ):
        sql = f"CREATE OR REPLACE TEMP TABLE {table} AS SELECT * FROM {reader}"  # noqa: S608
        con.execute(sql, {name: str(path)})
    return episodes, placements


# Checking an extract in SQL: every rule of `extract.read_extract`, so that a large extract with
# no malformed row skips the row-by-row Python pass. The check is conservative: it may call a
# row malformed that Python would accept (a date not written as canonical YYYY-MM-DD, a value
# with spaces around it, a row of the wrong width), and the caller then falls back to
# `read_extract`, which names each problem by file, line and field; it never passes a row that
# Python would refuse (tests/test_engines.py mutates extracts to hold it to that).
EDGE_SPACE = r"^[\t-\r\x{1c}-\x{20}\x{85}\pZ]|[\t-\r\x{1c}-\x{20}\x{85}\pZ]$"


def _read_text(path: str, header: list[str], wanted: Sequence[str]) -> str:
    """read_csv of every column as text, selecting `wanted` by header name ('' for empty)."""
    columns = ", ".join(f"'c{i}': 'VARCHAR'" for i in range(len(header)))
    picks = ", ".join(f"coalesce(c{header.index(name)}, '') AS {name}" for name in wanted)
    return (
        f"SELECT {picks} FROM read_csv({path}, header = true, auto_detect = false, "  # noqa: S608
        f"delim = ',', quote = '\"', escape = '\"', columns = {{{columns}}})"
    )


def _date_text(column: str, *, required: bool) -> str:
    """SQL: the text is a canonical ISO date (or, when not required, empty)."""
    canonical = f"coalesce(CAST(TRY_CAST({column} AS DATE) AS VARCHAR) = {column}, false)"
    return canonical if required else f"({column} = '' OR {canonical})"


def _header(path: Path) -> list[str] | None:
    """The header record as Python's csv module reads it, if the file can be read."""
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            return next(csv.reader(handle), None)
    except (OSError, UnicodeDecodeError, csv.Error):
        return None


def load_checked_csv_pair(
    con: duckdb.DuckDBPyConnection, episodes_csv: Path, placements_csv: Path, *, prefix: str = "x"
) -> tuple[str, str] | None:
    """Load a §11 CSV pair (columns found by header name, as `extract.read_extract` does) into
    two typed temp tables of `con` and check every row in SQL. Returns the table names when no
    row is malformed; None when some row is or may be (then use `extract.read_extract`)."""
    episodes_header, placements_header = _header(episodes_csv), _header(placements_csv)
    if episodes_header is None or placements_header is None:
        return None
    for header, fields in (
        (episodes_header, EPISODE_FIELDS),
        (placements_header, PLACEMENT_FIELDS),
    ):
        if len(set(header)) != len(header) or set(fields) - set(header):
            return None
    episodes, placements = f"{prefix}_episodes", f"{prefix}_placements"
    reasons = _in(frozenset(rules.DISCHARGE_REASONS))
    settings = _in(frozenset(rules.SETTINGS))
    episodes_sql = f"""
        CREATE OR REPLACE TEMP TABLE {episodes} AS
        SELECT child_id, TRY_CAST(date_of_birth AS DATE) AS date_of_birth,
               TRY_CAST(episode_start AS DATE) AS episode_start,
               TRY_CAST(nullif(episode_end, '') AS DATE) AS episode_end,
               nullif(discharge_reason, '') AS discharge_reason,
               NOT (child_id <> '' AND NOT regexp_matches(child_id, '{EDGE_SPACE}')
                    AND {_date_text("date_of_birth", required=True)}
                    AND {_date_text("episode_start", required=True)}
                    AND {_date_text("episode_end", required=False)}
                    AND (discharge_reason = '' OR discharge_reason IN {reasons})
                    -- canonical ISO dates order as text as they do as dates
                    AND date_of_birth <= episode_start
                    AND (episode_end = '' OR episode_end >= episode_start)
                    AND (episode_end <> '' OR discharge_reason = '')) AS malformed
        FROM ({_read_text("$episodes_path", episodes_header, EPISODE_FIELDS)})
    """  # noqa: S608 (names and constants only; values are bound parameters)
    placements_sql = f"""
        CREATE OR REPLACE TEMP TABLE {placements} AS
        SELECT p.child_id, p.episode_start, p.placement_start, p.placement_end, p.setting,
               p.provider_id,
               NOT (p.child_id <> '' AND NOT regexp_matches(p.child_id, '{EDGE_SPACE}')
                    AND {_date_text("p.episode_start_text", required=True)}
                    AND {_date_text("p.placement_start_text", required=True)}
                    AND {_date_text("p.placement_end_text", required=False)}
                    AND p.setting IN {settings}
                    AND (p.provider_id = ''
                         OR NOT regexp_matches(p.provider_id, '{EDGE_SPACE}'))
                    AND (p.provider_id <> '' OR p.setting IN {NOT_A_PLACEMENT})
                    AND (p.placement_end IS NULL OR p.placement_end >= p.placement_start)
                    AND e.child_id IS NOT NULL
                    AND p.placement_start >= e.episode_start
                    AND (e.episode_end IS NULL OR p.placement_start <= e.episode_end)
                    AND (e.episode_end IS NULL OR p.placement_end IS NULL
                         OR p.placement_end <= e.episode_end)) AS malformed
        FROM (
            SELECT child_id, setting, provider_id,
                   episode_start AS episode_start_text,
                   placement_start AS placement_start_text,
                   placement_end AS placement_end_text,
                   TRY_CAST(episode_start AS DATE) AS episode_start,
                   TRY_CAST(placement_start AS DATE) AS placement_start,
                   TRY_CAST(nullif(placement_end, '') AS DATE) AS placement_end
            FROM ({_read_text("$placements_path", placements_header, PLACEMENT_FIELDS)})
        ) p
        LEFT JOIN {episodes} e
          ON e.child_id = p.child_id AND e.episode_start = p.episode_start
    """  # noqa: S608 (names and constants only; values are bound parameters)
    try:
        con.execute(episodes_sql, {"episodes_path": str(episodes_csv)})
        bad = con.execute(
            f"SELECT count(*) FILTER (WHERE malformed) FROM {episodes}"  # noqa: S608
        ).fetchone()
        repeated = con.execute(
            f"SELECT count(*) FROM (SELECT 1 FROM {episodes} "  # noqa: S608
            "GROUP BY child_id, episode_start HAVING count(*) > 1)"
        ).fetchone()
        if bad != (0,) or repeated != (0,):
            return None
        con.execute(placements_sql, {"placements_path": str(placements_csv)})
        bad = con.execute(
            f"SELECT count(*) FILTER (WHERE malformed) FROM {placements}"  # noqa: S608
        ).fetchone()
    except duckdb.Error:  # not UTF-8, a row of the wrong width, broken quoting...
        return None
    return (episodes, placements) if bad == (0,) else None


def latest_date(con: duckdb.DuckDBPyConnection, *, episodes: str, placements: str) -> date | None:
    """`indicators.default_as_of` in SQL: the latest date the extract mentions."""
    row = con.execute(
        f"SELECT greatest((SELECT max(greatest(episode_start, coalesce(episode_end, "  # noqa: S608
        f"episode_start))) FROM {episodes}), (SELECT max(greatest(placement_start, "
        f"coalesce(placement_end, placement_start))) FROM {placements}))"
    ).fetchone()
    return None if row is None else row[0]


def trend_relations(
    con: duckdb.DuckDBPyConnection,
    *,
    episodes: str,
    placements: str,
    latest_start: date,
    as_of: date,
    periods: int = rules.TREND_PERIODS,
    step_months: int = rules.TREND_STEP_MONTHS,
) -> list[Report]:
    """`indicators.trend` over two relations of `con` (see `compute_relations`)."""
    return [
        compute_relations(
            con, episodes=episodes, placements=placements, period_start=start, as_of=as_of
        )
        for start in rules.trend_starts(latest_start, periods=periods, step_months=step_months)
    ]


def checked_csv_reports(
    episodes_csv: Path,
    placements_csv: Path,
    *,
    period_start: date,
    as_of: date | None,
    trend: bool = False,
) -> list[Report] | None:
    """The indicators for one period (or, with `trend`, the trend ending with it) from a §11
    CSV pair that `load_checked_csv_pair` finds clean; None when it does not (then read it with
    `extract.read_extract`). Without `as_of`, as `indicators.compute` does."""
    con = duckdb.connect()
    tables = load_checked_csv_pair(con, episodes_csv, placements_csv)
    if tables is None:
        return None
    episodes, placements = tables
    if as_of is None:
        latest = latest_date(con, episodes=episodes, placements=placements)
        as_of = latest or Period(period_start).last_day
    if trend:
        return trend_relations(
            con, episodes=episodes, placements=placements, latest_start=period_start, as_of=as_of
        )
    return [
        compute_relations(
            con, episodes=episodes, placements=placements, period_start=period_start, as_of=as_of
        )
    ]


def compute_csv(
    episodes_csv: Path,
    placements_csv: Path,
    *,
    period_start: date,
    as_of: date,
    con: duckdb.DuckDBPyConnection | None = None,
) -> Report:
    """The indicators straight from a clean §11 CSV pair (columns in the §11 order), each file
    read once by the one statement. Use `extract.read_extract` (or `extract.check_csv_pair`)
    first for an extract that may hold malformed rows."""
    return compute_relations(
        con or duckdb.connect(),
        episodes=READ_EPISODES,
        placements=READ_PLACEMENTS,
        period_start=period_start,
        as_of=as_of,
        parameters={"episodes_path": str(episodes_csv), "placements_path": str(placements_csv)},
    )


def write_csv_pair(
    directory: Path, episodes: Sequence[Episode], placements: Sequence[Placement]
) -> tuple[Path, Path]:
    """Write records as a §11 CSV pair in `directory`; returns the two paths."""
    episodes_csv, placements_csv = directory / "episodes.csv", directory / "placements.csv"
    with episodes_csv.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(EPISODE_COLUMNS)
        for e in episodes:
            writer.writerow([e.child_id, e.date_of_birth, e.start, e.end or "", e.reason or ""])
    with placements_csv.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(PLACEMENT_COLUMNS)
        for p in placements:
            writer.writerow(
                [p.child_id, p.episode_start, p.start, p.end or "", p.setting, p.provider_id]
            )
    return episodes_csv, placements_csv


def compute(
    episodes: Sequence[Episode],
    placements: Sequence[Placement],
    *,
    period_start: date,
    as_of: date | None = None,
) -> Report:
    """Same signature and result as `indicators.compute`, counted by DuckDB."""
    if as_of is None:
        as_of = rules.default_as_of(episodes, placements) or Period(period_start).last_day
    with tempfile.TemporaryDirectory(prefix="reunify-indicators-") as tmp:
        episodes_csv, placements_csv = write_csv_pair(Path(tmp), episodes, placements)
        return compute_csv(episodes_csv, placements_csv, period_start=period_start, as_of=as_of)


def trend(
    episodes: Sequence[Episode],
    placements: Sequence[Placement],
    *,
    latest_start: date,
    as_of: date | None = None,
    periods: int = rules.TREND_PERIODS,
    step_months: int = rules.TREND_STEP_MONTHS,
) -> list[Report]:
    """`indicators.trend` counted by DuckDB: the data are loaded once for all periods."""
    if as_of is None:
        as_of = rules.default_as_of(episodes, placements) or Period(latest_start).last_day
    con = duckdb.connect()
    with tempfile.TemporaryDirectory(prefix="reunify-indicators-") as tmp:
        episodes_csv, placements_csv = write_csv_pair(Path(tmp), episodes, placements)
        tables = load_csv_pair(con, episodes_csv, placements_csv)
    return trend_relations(
        con,
        episodes=tables[0],
        placements=tables[1],
        latest_start=latest_start,
        as_of=as_of,
        periods=periods,
        step_months=step_months,
    )
