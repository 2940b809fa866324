"""`make bench`: run every benchmark and write benchmarks/results.json.

Each figure is {"value": number, "unit": "...", "target": number or null, "note": "..."}.
Benchmarks run against a fresh SQLite database in a temporary directory (set DATABASE_URL to
measure PostgreSQL instead), so they never touch var/. The family-time and contacts benchmark
(5,000,000 rows) always runs on PostgreSQL, in a database it creates and drops on the server in
REUNIFY_BENCH_PG_URL (default postgres://reunify:reunify@127.0.0.1:5432/postgres); without a
server its figures are null, with the reason in the note.

`python benchmarks/run.py NAME ...` (or `make bench BENCH="NAME ..."`) runs only the named
benchmarks (`demo`, `caseload`, `clocks`, `family_time`, `service_search`, `indicators`) and
updates just their figures in results.json, keeping the others."""

from __future__ import annotations

import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results.json"


def reunify(*args: str, env: dict[str, str]) -> str:
    result = subprocess.run(
        [str(ROOT / ".venv" / "bin" / "reunify"), *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout


def demo_data_10k(env: dict[str, str]) -> dict[str, object]:
    reunify("migrate", "--noinput", "-v", "0", env=env)
    started = time.perf_counter()
    reunify("demo-data", "--cases", "10000", "--seed", "1", "--as-of", "2026-11-01", env=env)
    elapsed = time.perf_counter() - started
    return {
        "value": round(elapsed, 1),
        "unit": "s",
        "target": 120,
        "note": f"reunify demo-data --cases 10000 on {engine(env)}, {os.cpu_count()} cores, including process start",
    }


def caseload_page(env: dict[str, str]) -> dict[str, object]:
    """Median time to render a supervisor's unit caseload page over the 10k-case demo data."""
    out = subprocess.run(
        [str(ROOT / ".venv" / "bin" / "python"), str(ROOT / "benchmarks" / "caseload_page.py")],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return {
        "value": float(out.strip().splitlines()[-1]),
        "unit": "ms",
        "target": None,
        "note": f"median of 15 renders of a supervisor's caseload page (10,000-case agency, {engine(env)})",
    }


def clocks_100k(env: dict[str, str]) -> dict[str, dict[str, object]]:
    out = subprocess.run(
        [str(ROOT / ".venv" / "bin" / "python"), str(ROOT / "benchmarks" / "clocks_100k.py")],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    result = json.loads(out.strip().splitlines()[-1])
    shape = f"{result['episodes']:,} child episodes, {result['clocks']:,} clocks"
    return {
        "clocks_100k_cases_seconds": {
            "value": result["parallel"],
            "unit": "s",
            "target": 10,
            "note": f"every clock for 100,000 open cases on 2 processes ({shape}); demo-generator shapes",
        },
        "clocks_100k_cases_single_process_seconds": {
            "value": result["single"],
            "unit": "s",
            "target": None,
            "note": "the same computation on one process",
        },
        "clocks_100k_cases_fetch_seconds": {
            "value": result["fetch_per_100k"],
            "unit": "s",
            "target": None,
            "note": "reading the events for 100,000 cases through clocks.selectors, in batches of 1,000",
        },
    }


def family_time_5m(env: dict[str, str]) -> dict[str, dict[str, object]]:
    """Always on PostgreSQL, in a database of its own (see benchmarks/family_time_5m.py); null
    figures with the reason when PostgreSQL is not there or the benchmark fails."""
    figures: dict[str, dict[str, object]] = {
        "unit_compliance_month_ms": {
            "value": None,
            "unit": "ms",
            "target": 1000,
            "note": "unit compliance page for one month, 5,000,000 family-time sessions and contacts",
        },
        "child_family_time_page_ms_p95": {
            "value": None,
            "unit": "ms",
            "target": 300,
            "note": "a child's family-time page, 5,000,000 family-time sessions and contacts",
        },
    }
    process = subprocess.run(
        [str(ROOT / ".venv" / "bin" / "python"), str(ROOT / "benchmarks" / "family_time_5m.py")],
        cwd=ROOT,
        env={k: v for k, v in env.items() if k != "DATABASE_URL"},
        stdout=subprocess.PIPE,  # progress and EXPLAIN output go straight to the terminal
        text=True,
        check=False,
    )
    lines = process.stdout.strip().splitlines()
    try:
        result = json.loads(lines[-1])
    except (IndexError, json.JSONDecodeError):
        result = {"error": f"benchmarks/family_time_5m.py failed (exit {process.returncode})"}
    if process.returncode != 0 and "error" not in result:
        result = {"error": f"benchmarks/family_time_5m.py failed (exit {process.returncode})"}
    if "error" in result:
        for figure in figures.values():
            figure["note"] = f"not measured: {result['error']}"
        return figures
    rows = (
        f"{result['sessions']:,} sessions + {result['contacts']:,} contacts on PostgreSQL, "
        f"10,000-case demo agency, loaded in {result['load_seconds']} s"
    )
    figures["unit_compliance_month_ms"].update(
        value=result["unit_compliance_median_ms"],
        note=(
            f"median of 15 renders (p95 {result['unit_compliance_p95_ms']} ms) of a supervisor's "
            f"unit compliance page for October 2026, largest unit ({result['unit_children']} "
            f"children in care); {rows}"
        ),
    )
    figures["child_family_time_page_ms_p95"].update(
        value=result["child_p95_ms"],
        note=(
            f"p95 of 2 renders each of the {result['children']} children with the most sessions "
            f"({result['child_sessions_min']:,}-{result['child_sessions_max']:,}), signed in as "
            f"their caseworker (median {result['child_median_ms']} ms); {rows}"
        ),
    )
    return figures


SERVICE_SEARCH_NOTE = (
    "30 varied searches x 2 on a 50,000-service synthetic directory (need, language, "
    "5-50 miles, cost, accepting, words, by name, by distance without limit)"
)


def service_search(env: dict[str, str]) -> dict[str, dict[str, object]]:
    """Service directory search on 50,000 services, on SQLite and (if reachable) PostgreSQL, each
    in a database of its own (see benchmarks/service_search.py). The figure is the slower
    engine's p95 page time; both are in the note."""
    figure: dict[str, object] = {"value": None, "unit": "ms", "target": 300, "note": ""}
    process = subprocess.run(
        [str(ROOT / ".venv" / "bin" / "python"), str(ROOT / "benchmarks" / "service_search.py")],
        cwd=ROOT,
        env={k: v for k, v in env.items() if k != "DATABASE_URL"},
        stdout=subprocess.PIPE,  # progress goes straight to the terminal
        text=True,
        check=False,
    )
    try:
        result = json.loads(process.stdout.strip().splitlines()[-1])
    except (IndexError, json.JSONDecodeError):
        figure["note"] = (
            f"not measured: benchmarks/service_search.py failed (exit {process.returncode})"
        )
        return {"service_search_ms_p95": figure}
    measured = {name: r for name, r in result.items() if "error" not in r}
    parts = [
        f"{name}: p95 {r['page_p95_ms']} ms, median {r['page_median_ms']} ms "
        f"(selector alone p95 {r['selector_p95_ms']} ms)"
        if "error" not in r
        else f"{name}: not measured ({r['error']})"
        for name, r in result.items()
    ]
    if measured:
        figure["value"] = max(r["page_p95_ms"] for r in measured.values())
    figure["note"] = f"search page (services:search), {SERVICE_SEARCH_NOTE}; " + "; ".join(parts)
    return {"service_search_ms_p95": figure}


def indicators_1m(env: dict[str, str]) -> dict[str, dict[str, object]]:
    """The five CFSR indicators on a 1,000,000-episode extract drawn by the demo's timeline
    generator, DuckDB against pandas (see benchmarks/indicators_1m.py); no database."""
    figures: dict[str, dict[str, object]] = {
        "indicators_1m_episodes_seconds": {"value": None, "unit": "s", "target": 10, "note": ""},
        "indicators_speedup_vs_pandas": {"value": None, "unit": "x", "target": 10, "note": ""},
    }
    process = subprocess.run(
        [
            str(ROOT / ".venv" / "bin" / "python"),
            str(ROOT / "benchmarks" / "indicators_1m.py"),
            "--repeat",
            "3",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,  # progress goes straight to the terminal
        text=True,
        check=False,
    )
    try:
        result = json.loads(process.stdout.strip().splitlines()[-1])
    except (IndexError, json.JSONDecodeError):
        result = {}
    if process.returncode != 0 or not result.get("identical"):
        for figure in figures.values():
            figure["note"] = (
                "not measured: benchmarks/indicators_1m.py failed or the two implementations "
                f"disagreed (exit {process.returncode})"
            )
        return figures
    shape = (
        f"{result['episodes']:,} episodes, {result['placements']:,} placements, "
        f"{result['children']:,} children (demo timeline generator), period from "
        f"{result['period_start']}, as of {result['as_of']}, {result['cores']} cores, "
        f"load average {result['load_average']} at the start"
    )
    figures["indicators_1m_episodes_seconds"].update(
        value=result["duckdb_seconds"],
        note=(
            "wall time of the DuckDB engine (engine.compute_csv): reading the CSV pair and all "
            f"five indicators with their child lists, best of {result['repeat']}; {shape}"
        ),
    )
    figures["indicators_speedup_vs_pandas"].update(
        value=result["speedup"],
        note=(
            f"pandas (benchmarks/pandas_indicators.py: read_csv, then groupby/merge) took "
            f"{result['pandas_seconds']} s in the same process, {result['pandas_compute_seconds']}"
            f" s of it after reading (DuckDB on tables already loaded: "
            f"{result['duckdb_compute_seconds']} s, {result['compute_speedup']}x; the command's "
            f"path, every row checked in SQL then computed: {result['checked_seconds']} s); "
            "identical numerators, denominators, child lists and exclusions"
        ),
    )
    return figures


BENCHMARKS = {
    "demo": lambda env: {"demo_data_10k_cases_seconds": demo_data_10k(env)},
    "caseload": lambda env: {"caseload_page_10k_cases_ms": caseload_page(env)},
    "clocks": clocks_100k,
    "family_time": family_time_5m,
    "service_search": service_search,
    "indicators": indicators_1m,
}
NEEDS_DEMO_DATABASE = ("caseload", "clocks")  # they read the database `demo` fills


def engine(env: dict[str, str]) -> str:
    return "PostgreSQL" if env.get("DATABASE_URL", "").startswith("postgres") else "SQLite"


def main() -> None:
    names = sys.argv[1:] or list(BENCHMARKS)
    unknown = [name for name in names if name not in BENCHMARKS]
    if unknown:
        sys.exit(f"unknown benchmark {', '.join(unknown)}; choose from {', '.join(BENCHMARKS)}")
    if any(name in NEEDS_DEMO_DATABASE for name in names) and "demo" not in names:
        names.insert(0, "demo")
    figures: dict[str, dict[str, object]] = {}
    with tempfile.TemporaryDirectory(prefix="reunify-bench-") as var:
        env = {
            **os.environ,
            "REUNIFY_VAR_DIR": var,
            "DJANGO_SETTINGS_MODULE": "config.settings.dev",
        }
        for name in [n for n in BENCHMARKS if n in names]:
            figures.update(BENCHMARKS[name](env))
    kept = json.loads(RESULTS.read_text()) if sys.argv[1:] and RESULTS.exists() else {}
    RESULTS.write_text(json.dumps(kept | figures, indent=2) + "\n")
    for name, figure in figures.items():
        print(
            f"{name}: {figure['value']} {figure['unit']} (target {figure['target']})  {figure['note']}"
        )
    print(f"written to {RESULTS.relative_to(ROOT)} on {platform.node()}", file=sys.stderr)


if __name__ == "__main__":
    main()
