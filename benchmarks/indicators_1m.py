"""The five CFSR indicators on 1,000,000 episodes (issue 8, "Performance"; run by benchmarks/run.py).

1. Generates a §11 extract of 1,000,000 removal episodes (and their placements) with the demo
   agency's timeline generator, `reunify.cases.demo_timeline`: families of one to five children
   removed together, each child's episode and placements drawn as the demo draws them, a second
   episode after a re-entry. Homes come from a pool of providers sized as the demo sizes it (one
   per two families, foster families, pre-adoptive homes, group homes and institutions in the
   demo's proportions) plus a kin home for 36% of families (the demo's 80% of families with
   relatives x 45%). Rows are written straight to CSV; generation is not timed in the figure.
2. Times the DuckDB engine (`outcomes.engine.compute_csv`): reading the CSV pair and computing
   all five indicators for one period with every per-child list, as `Report` objects.
3. Times `benchmarks/pandas_indicators.py`, a straightforward pandas implementation of the same
   rules written for the benchmark, in the same process on the same files, and checks that both
   give identical numerators, denominators, child lists and exclusions.
4. For information, times both again on data already in memory (DuckDB temp tables, pandas
   DataFrames): the computation without reading the CSV files; and the path the command takes,
   `engine.checked_csv_reports`, which first checks every row against the rules of
   `outcomes/extract.py` in SQL (reading columns by name, as text) and then computes.

The last line of stdout is JSON with the figures. Options: --episodes N (default 1,000,000),
--keep DIR (write the extract to DIR and keep it), --repeat N (best of N timed runs each).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import random
import sys
import tempfile
import time
from pathlib import Path

import duckdb

sys.path.insert(0, str(Path(__file__).resolve().parent))

import pandas_indicators

from reunify.cases import demo_timeline
from reunify.outcomes import engine
from reunify.outcomes import indicators as rules

AS_OF = dt.date(2026, 11, 1)
PERIOD_START = dt.date(2025, 10, 1)  # the last full 12 months before the as-of date
SEED = 20261122
# The demo's non-relative homes (cases/demo.py `_providers`): kind weights and their settings.
HOME_SETTINGS = {
    "foster_family_nonrelative": 62,
    "pre_adoptive_home": 12,
    "group_home": 5,
    "institution": 3,
}
KIN_SHARE = 0.8 * 0.45  # families with relatives x kin home found (cases/demo.py `_family`)


def generate(directory: Path, episodes_wanted: int, seed: int = SEED) -> dict[str, int]:
    """Write episodes.csv and placements.csv for about `episodes_wanted` episodes (whole
    families; the last family is cut at the target)."""
    rng = random.Random(seed)  # noqa: S311 (synthetic data, seeded)
    families = episodes_wanted // 2  # about two episodes per family (see the log line)
    kinds = rng.choices(
        list(HOME_SETTINGS), weights=list(HOME_SETTINGS.values()), k=max(12, families // 2)
    )
    pool = [(f"P{i:07d}", setting) for i, setting in enumerate(kinds)]

    def pick_home() -> tuple[str, str]:
        return rng.choice(pool)

    episodes = placements = children = family = 0
    with (
        (directory / "episodes.csv").open("w", encoding="utf-8") as ep_out,
        (directory / "placements.csv").open("w", encoding="utf-8") as pl_out,
    ):
        ep_out.write(",".join(engine.EPISODE_COLUMNS) + "\n")
        pl_out.write(",".join(engine.PLACEMENT_COLUMNS) + "\n")
        ep_lines: list[str] = []
        pl_lines: list[str] = []
        while episodes < episodes_wanted:
            family += 1
            opened_on = demo_timeline.case_opened_on(rng, AS_OF)
            mother_age = rng.randint(19, 44)
            count = demo_timeline.child_count(rng)
            kin = (f"K{family:07d}", "foster_family_relative") if rng.random() < KIN_SHARE else None
            removed = demo_timeline.removed_on(rng, opened_on, AS_OF)
            ends = demo_timeline.outcome(rng)
            shared = kin or pick_home()
            for _ in range(count):
                if episodes >= episodes_wanted:
                    break
                age = demo_timeline.child_age(rng, mother_age)
                born = min(
                    demo_timeline.birth_date(rng, age=age, as_of=AS_OF),
                    opened_on - dt.timedelta(days=20),
                )
                if count > 1 and rng.random() < demo_timeline.STAYS_HOME_SHARE:
                    continue
                first = shared if rng.random() < demo_timeline.SHARED_HOME_SHARE else pick_home()
                children += 1
                child = f"C{children:07d}"
                dob = born.isoformat()
                for timeline in demo_timeline.child_episodes(
                    rng,
                    removed=removed,
                    as_of=AS_OF,
                    ends=ends,
                    born=born,
                    first_home=first,
                    pick_home=pick_home,
                )[: episodes_wanted - episodes]:
                    start = timeline.removed_on.isoformat()
                    end = timeline.discharged_on
                    ep_lines.append(
                        f"{child},{dob},{start},{end or ''},{timeline.discharge_reason or ''}\n"
                    )
                    episodes += 1
                    for stay in timeline.stays:
                        pl_lines.append(
                            f"{child},{start},{stay.start},{stay.end or ''},{stay.setting},"
                            f"{stay.home or ''}\n"
                        )
                    placements += len(timeline.stays)
            if len(pl_lines) > 100_000:
                ep_out.writelines(ep_lines)
                pl_out.writelines(pl_lines)
                ep_lines, pl_lines = [], []
        ep_out.writelines(ep_lines)
        pl_out.writelines(pl_lines)
    return {
        "episodes": episodes,
        "placements": placements,
        "children": children,
        "families": family,
    }


def timed(function, repeat: int):  # type: ignore[no-untyped-def]
    best, result = float("inf"), None
    for _ in range(repeat):
        started = time.perf_counter()
        result = function()
        best = min(best, time.perf_counter() - started)
    return best, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--episodes", type=int, default=1_000_000)
    parser.add_argument("--keep", type=Path, help="write the extract here and keep it")
    parser.add_argument("--repeat", type=int, default=1, help="best of N timed runs")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="reunify-indicators-1m-") as tmp:
        directory = args.keep or Path(tmp)
        directory.mkdir(parents=True, exist_ok=True)
        episodes_csv, placements_csv = directory / "episodes.csv", directory / "placements.csv"
        started = time.perf_counter()
        shape = generate(directory, args.episodes)
        generation = time.perf_counter() - started
        print(f"generated {shape} in {generation:.1f} s", file=sys.stderr)

        def duck() -> rules.Report:
            return engine.compute_csv(
                episodes_csv, placements_csv, period_start=PERIOD_START, as_of=AS_OF
            )

        def pandas() -> rules.Report:
            return pandas_indicators.compute_csv(
                episodes_csv, placements_csv, period_start=PERIOD_START, as_of=AS_OF
            )

        load_average = round(os.getloadavg()[0], 2) if platform.system() != "Windows" else None
        duck_seconds, duck_report = timed(duck, args.repeat)
        print(f"duckdb: {duck_seconds:.2f} s", file=sys.stderr)
        pandas_seconds, pandas_report = timed(pandas, args.repeat)
        print(f"pandas: {pandas_seconds:.2f} s", file=sys.stderr)
        identical = duck_report.as_dict() == pandas_report.as_dict()

        con = duckdb.connect()
        tables = engine.load_csv_pair(con, episodes_csv, placements_csv)
        duck_compute, _ = timed(
            lambda: engine.compute_relations(
                con,
                episodes=tables[0],
                placements=tables[1],
                period_start=PERIOD_START,
                as_of=AS_OF,
            ),
            args.repeat,
        )
        frames = pandas_indicators.read(episodes_csv, placements_csv)
        pandas_compute, _ = timed(
            lambda: pandas_indicators.compute_frames(
                *frames, period_start=PERIOD_START, as_of=AS_OF
            ),
            args.repeat,
        )
        print(
            f"in memory: duckdb {duck_compute:.2f} s, pandas {pandas_compute:.2f} s",
            file=sys.stderr,
        )
        checked_seconds, checked = timed(
            lambda: engine.checked_csv_reports(
                episodes_csv, placements_csv, period_start=PERIOD_START, as_of=AS_OF
            ),
            args.repeat,
        )
        identical = (
            identical and checked is not None and checked[0].as_dict() == duck_report.as_dict()
        )
        print(f"checked in SQL, then computed: {checked_seconds:.2f} s", file=sys.stderr)
        results = duck_report.results
        print(
            json.dumps(
                {
                    **shape,
                    "generation_seconds": round(generation, 1),
                    "period_start": PERIOD_START.isoformat(),
                    "as_of": AS_OF.isoformat(),
                    "duckdb_seconds": round(duck_seconds, 2),
                    "pandas_seconds": round(pandas_seconds, 2),
                    "speedup": round(pandas_seconds / duck_seconds, 1),
                    "duckdb_compute_seconds": round(duck_compute, 2),
                    "pandas_compute_seconds": round(pandas_compute, 2),
                    "compute_speedup": round(pandas_compute / duck_compute, 1),
                    "checked_seconds": round(checked_seconds, 2),
                    "load_average": load_average,
                    "identical": identical,
                    "denominators": {key: results[key].denominator for key in rules.KEYS},
                    "numerators": {key: results[key].numerator for key in rules.KEYS},
                    "excluded": {key: len(results[key].excluded) for key in rules.KEYS},
                    "cores": os.cpu_count(),
                    "repeat": args.repeat,
                }
            )
        )
        if not identical:
            sys.exit("the DuckDB engine and the pandas implementation disagree")


if __name__ == "__main__":
    main()
