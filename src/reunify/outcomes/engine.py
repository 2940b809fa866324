"""The indicator rules of `indicators.py` in DuckDB SQL, for extracts of millions of episodes.

The rules, readings and exclusion order are exactly those documented in `indicators.py`; only
the counting moves into SQL (standard SQL with window functions, so it can later run on Spark
SQL). The SQL returns one row per child and cohort; `indicators.result` builds the same `Result`
objects, so values are computed from the counts by one piece of code and the two engines agree
to the last digit (tests/test_engines.py holds them to it).

Sources of tables: `compute_csv` reads a clean §11 CSV pair directly; `compute` takes records
(it writes them to a temporary CSV pair, DuckDB's fastest local load without pyarrow);
`compute_relations` runs on tables or views already in a DuckDB connection, e.g. Arrow tables
from the ADBC drivers registered with `con.register(name, table)`. DuckDB 2.0 runs offline with
its built-in extensions only; nothing here needs `INSTALL`.
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

# Episodes as known on $as_of (a later discharge has not happened yet); placements likewise.
KNOWN = f"""
ep AS (
    SELECT child_id, date_of_birth AS dob, episode_start AS s,
           CASE WHEN episode_end <= $as_of THEN episode_end END AS e,
           CASE WHEN episode_end <= $as_of THEN nullif(discharge_reason, '') END AS reason,
           (episode_end <= $as_of AND episode_end - episode_start <= {rules.SHORT_STAY_MAX_DAYS})
               AS short_stay
    FROM {{episodes}} WHERE episode_start <= $as_of
),
pl AS (
    SELECT child_id, episode_start, placement_start, placement_end, setting,
           coalesce(provider_id, '') AS provider_id
    FROM {{placements}} WHERE placement_start <= $as_of
),
entries AS (
    SELECT * FROM (
        SELECT *, row_number() OVER (PARTITION BY child_id ORDER BY s) AS rn
        FROM ep WHERE s >= $period_start AND s < $period_end
    ) WHERE rn = 1
)"""  # noqa: S608 (module constants only; values are bound parameters)

ORDER = "placement_start, coalesce(placement_end, DATE '9999-12-31'), setting, provider_id"
ORDER_DESC = (
    "placement_start DESC, coalesce(placement_end, DATE '9999-12-31') DESC, "
    "setting DESC, provider_id DESC"
)

P1 = f"""
WITH {KNOWN},
last_placement AS (
    SELECT * FROM (
        SELECT pl.*, row_number() OVER (
            PARTITION BY pl.child_id, pl.episode_start ORDER BY {ORDER_DESC}
        ) AS rn
        FROM pl JOIN entries x ON pl.child_id = x.child_id AND pl.episode_start = x.s
    ) WHERE rn = 1
),
cohort AS (
    SELECT x.*,
        CASE WHEN age_on(x.dob, x.s) >= {rules.ADULT_AGE} THEN '{rules.AGE_18_AT_ENTRY}'
             WHEN x.short_stay THEN '{rules.UNDER_8_DAYS}'
             WHEN x.e IS NOT NULL AND x.reason IS NULL THEN '{rules.NO_DISCHARGE_REASON}'
        END AS excluded,
        CASE WHEN x.reason = 'reunification' AND lp.setting = '{rules.TRIAL_HOME_VISIT}'
             THEN least(x.e, CAST(lp.placement_start + {rules.THV_CREDIT_DAYS} AS DATE))
             ELSE x.e
        END AS exit_on
    FROM entries x
    LEFT JOIN last_placement lp ON lp.child_id = x.child_id AND lp.episode_start = x.s
)
SELECT child_id, excluded,
    coalesce(exit_on IS NOT NULL AND reason IN {PERMANENT}
             AND exit_on < plus_months(s, {rules.FOLLOW_UP_MONTHS})
             AND age_on(dob, exit_on) < {rules.ADULT_AGE}, false) AS counted
FROM cohort
"""  # noqa: S608 (module constants only; values are bound parameters)

P2_P3 = f"""
WITH {KNOWN},
open_on_first_day AS (
    SELECT * FROM (
        SELECT *, row_number() OVER (PARTITION BY child_id ORDER BY s) AS rn
        FROM ep WHERE s <= $period_start AND (e IS NULL OR e > $period_start)
    ) WHERE rn = 1
)
SELECT child_id,
    CASE WHEN completed_months(s, $period_start) <= 23 THEN '{rules.PERM12_12_23}'
         ELSE '{rules.PERM12_24PLUS}' END AS cohort,
    CASE WHEN age_on(dob, $period_start) >= {rules.ADULT_AGE} THEN '{rules.AGE_18_ON_FIRST_DAY}'
         WHEN e IS NOT NULL AND reason IS NULL THEN '{rules.NO_DISCHARGE_REASON}'
    END AS excluded,
    coalesce(e IS NOT NULL AND reason IN {PERMANENT} AND e < $period_end
             AND age_on(dob, e) < {rules.ADULT_AGE}, false) AS counted
FROM open_on_first_day
WHERE completed_months(s, $period_start) >= 12
"""  # noqa: S608 (module constants only; values are bound parameters)

REENTRY_SQL = f"""
WITH {KNOWN},
exits AS (
    SELECT * FROM (
        SELECT *, row_number() OVER (PARTITION BY child_id ORDER BY e, s) AS rn
        FROM ep WHERE e >= $period_start AND e < $period_end AND reason IN {REENTRY}
    ) WHERE rn = 1
)
SELECT x.child_id,
    CASE WHEN age_on(x.dob, x.e) >= {rules.ADULT_AGE} THEN '{rules.AGE_18_AT_EXIT}'
         WHEN x.short_stay THEN '{rules.UNDER_8_DAYS}'
         WHEN EXISTS (SELECT 1 FROM ep o WHERE o.child_id = x.child_id
                      AND o.s > x.s AND o.s < x.e) THEN '{rules.REMOVAL_BEFORE_DISCHARGE}'
    END AS excluded,
    EXISTS (SELECT 1 FROM ep o WHERE o.child_id = x.child_id AND o.s <> x.s
            AND o.s >= x.e AND o.s < plus_months(x.e, {rules.FOLLOW_UP_MONTHS})) AS counted
FROM exits x
"""  # noqa: S608 (module constants only; values are bound parameters)

STABILITY = f"""
WITH {KNOWN},
cohort AS (
    SELECT *,
        CASE WHEN age_on(dob, s) >= {rules.ADULT_AGE} THEN '{rules.AGE_18_AT_ENTRY}'
             WHEN short_stay THEN '{rules.UNDER_8_DAYS}'
        END AS excluded
    FROM entries
),
counted AS (
    SELECT pl.child_id, pl.provider_id,
        lag(pl.provider_id) OVER (PARTITION BY pl.child_id ORDER BY {ORDER}) AS previous
    FROM pl JOIN cohort c ON pl.child_id = c.child_id AND pl.episode_start = c.s
    WHERE c.excluded IS NULL AND pl.setting NOT IN {NOT_A_PLACEMENT}
      AND pl.placement_start <= $last_day
),
runs AS (
    SELECT child_id, sum(CASE WHEN previous = provider_id THEN 0 ELSE 1 END) AS runs
    FROM counted GROUP BY child_id
)
SELECT c.child_id, c.excluded,
    CASE WHEN c.excluded IS NULL THEN least(coalesce(c.e, $cap), $cap) - c.s END AS days,
    CAST(greatest(coalesce(r.runs, 0) - 1, 0) AS BIGINT) AS moves
FROM cohort c LEFT JOIN runs r ON r.child_id = c.child_id
"""  # noqa: S608 (module constants only; values are bound parameters)


Row = tuple[Any, ...]


def _tally(key: str, rows: Sequence[Row]) -> Result:
    """Rows of (child_id, exclusion reason or NULL, counted in the numerator)."""
    included = [row for row in rows if row[1] is None]
    return rules.result(
        key,
        numerator=sum(1 for row in included if row[2]),
        denominator=len(included),
        numerator_children=[str(row[0]) for row in included if row[2]],
        denominator_children=[str(row[0]) for row in included],
        excluded={str(row[0]): str(row[1]) for row in rows if row[1] is not None},
    )


def compute_relations(
    con: duckdb.DuckDBPyConnection,
    *,
    episodes: str,
    placements: str,
    period_start: date,
    as_of: date,
) -> Report:
    """The five indicators over two tables or views of `con` with the §11 columns and types
    (`EPISODE_COLUMNS`, `PLACEMENT_COLUMNS`)."""
    period = Period(period_start)
    params = {
        "period_start": period.start,
        "period_end": period.end_exclusive,
        "last_day": period.last_day,
        "as_of": as_of,
        "cap": min(period.end_exclusive, as_of + timedelta(days=1)),
    }
    con.execute(MACROS)

    def run(sql: str) -> list[Row]:
        query = sql.replace("{episodes}", episodes).replace("{placements}", placements)
        used = {k: v for k, v in params.items() if f"${k}" in query}
        return con.execute(query, used).fetchall()

    p1 = _tally(rules.PERM12_ENTRIES, run(P1))
    in_care = run(P2_P3)  # child_id, cohort, excluded, counted
    p2, p3 = (
        _tally(key, [(row[0], row[2], row[3]) for row in in_care if row[1] == key])
        for key in (rules.PERM12_12_23, rules.PERM12_24PLUS)
    )
    reentry = _tally(rules.REENTRY_12M, run(REENTRY_SQL))
    stability = run(STABILITY)  # child_id, excluded, days, moves
    cohort = [row for row in stability if row[1] is None]
    ps = rules.result(
        rules.PLACEMENT_STABILITY,
        numerator=sum(int(row[3]) for row in cohort),
        denominator=sum(int(row[2]) for row in cohort),
        numerator_children=[str(row[0]) for row in cohort if row[3]],
        denominator_children=[str(row[0]) for row in cohort],
        excluded={str(row[0]): str(row[1]) for row in stability if row[1] is not None},
    )
    results = {
        rules.PERM12_ENTRIES: p1,
        rules.PERM12_12_23: p2,
        rules.PERM12_24PLUS: p3,
        rules.REENTRY_12M: reentry,
        rules.PLACEMENT_STABILITY: ps,
    }
    return Report(period=period, as_of=as_of, results=results)


# The §11 columns and types, spelled out (they must match EPISODE_COLUMNS / PLACEMENT_COLUMNS).
READ_EPISODES = (
    "read_csv($path, header = true, dateformat = '%Y-%m-%d', nullstr = '', columns = {"
    "'child_id': 'VARCHAR', 'date_of_birth': 'DATE', 'episode_start': 'DATE', "
    "'episode_end': 'DATE', 'discharge_reason': 'VARCHAR'})"
)
READ_PLACEMENTS = (
    "read_csv($path, header = true, dateformat = '%Y-%m-%d', nullstr = '', columns = {"
    "'child_id': 'VARCHAR', 'episode_start': 'DATE', 'placement_start': 'DATE', "
    "'placement_end': 'DATE', 'setting': 'VARCHAR', 'provider_id': 'VARCHAR'})"
)


def load_csv_pair(
    con: duckdb.DuckDBPyConnection, episodes_csv: Path, placements_csv: Path, *, prefix: str = "x"
) -> tuple[str, str]:
    """Load a clean §11 CSV pair (columns in the §11 order) into two temp tables of `con`;
    returns their names."""
    episodes, placements = f"{prefix}_episodes", f"{prefix}_placements"
    for table, reader, path in (
        (episodes, READ_EPISODES, episodes_csv),
        (placements, READ_PLACEMENTS, placements_csv),
    ):
        sql = f"CREATE OR REPLACE TEMP TABLE {table} AS SELECT * FROM {reader}"  # noqa: S608
        con.execute(sql, {"path": str(path)})
    return episodes, placements


def compute_csv(
    episodes_csv: Path,
    placements_csv: Path,
    *,
    period_start: date,
    as_of: date,
    con: duckdb.DuckDBPyConnection | None = None,
) -> Report:
    """The indicators straight from a clean §11 CSV pair (columns in the §11 order). Use
    `extract.read_extract` first for an extract that may hold malformed rows."""
    con = con or duckdb.connect()
    episodes, placements = load_csv_pair(con, episodes_csv, placements_csv)
    return compute_relations(
        con, episodes=episodes, placements=placements, period_start=period_start, as_of=as_of
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
    return [
        compute_relations(
            con, episodes=tables[0], placements=tables[1], period_start=start, as_of=as_of
        )
        for start in rules.trend_starts(latest_start, periods=periods, step_months=step_months)
    ]
