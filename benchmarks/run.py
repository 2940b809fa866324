"""`make bench`: run every benchmark and write benchmarks/results.json.

Each figure is {"value": number, "unit": "...", "target": number or null, "note": "..."}.
Benchmarks run against a fresh SQLite database in a temporary directory (set DATABASE_URL to
measure PostgreSQL instead), so they never touch var/. The family-time and contacts benchmark
(5,000,000 rows) always runs on PostgreSQL, in a database it creates and drops on the server in
REUNIFY_BENCH_PG_URL (default postgres://reunify:reunify@127.0.0.1:5432/postgres); without a
server its figures are null, with the reason in the note."""

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


def engine(env: dict[str, str]) -> str:
    return "PostgreSQL" if env.get("DATABASE_URL", "").startswith("postgres") else "SQLite"


def main() -> None:
    figures: dict[str, object] = {}
    with tempfile.TemporaryDirectory(prefix="reunify-bench-") as var:
        env = {
            **os.environ,
            "REUNIFY_VAR_DIR": var,
            "DJANGO_SETTINGS_MODULE": "config.settings.dev",
        }
        figures["demo_data_10k_cases_seconds"] = demo_data_10k(env)
        figures["caseload_page_10k_cases_ms"] = caseload_page(env)
        figures.update(clocks_100k(env))
        figures.update(family_time_5m(env))
        figures.update(service_search(env))
    RESULTS.write_text(json.dumps(figures, indent=2) + "\n")
    for name, figure in figures.items():
        print(
            f"{name}: {figure['value']} {figure['unit']} (target {figure['target']})  {figure['note']}"
        )
    print(f"written to {RESULTS.relative_to(ROOT)} on {platform.node()}", file=sys.stderr)


if __name__ == "__main__":
    main()
