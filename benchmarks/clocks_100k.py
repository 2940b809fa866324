"""Seconds to compute every statutory clock for 100,000 open cases (run by benchmarks/run.py
inside a database that holds the 10,000-case demo agency).

Events are read through the real selector (`clocks.selectors.child_events`) from the demo
agency's open cases, then the set is repeated until it covers 100,000 cases: the per-case shape
(children, episodes, placements, goals) is the demo generator's. Computation runs on both cores
(fork; the work is pure Python), which is how the nightly task would be scaled too. Prints
JSON: compute seconds (2 processes), compute seconds (1 process), fetch seconds per 100k."""

import datetime as dt
import json
import multiprocessing
import time

import django

django.setup()

from reunify.cases.models import FamilyCase  # noqa: E402
from reunify.clocks import profiles, rules, selectors  # noqa: E402

TODAY = dt.date(2026, 11, 1)
TARGET = 100_000
PROFILE = profiles.get("washington")

case_ids = list(FamilyCase.objects.filter(status="open").values_list("id", flat=True))
started = time.perf_counter()
items = []
for start in range(0, len(case_ids), 1000):
    items += selectors.child_events(case_ids[start : start + 1000], TODAY)
fetch = time.perf_counter() - started
repeat = -(-TARGET // len(case_ids))
EVENTS = [item.events for item in items] * repeat
EVENTS = EVENTS[: round(len(EVENTS) * TARGET / (len(case_ids) * repeat))]


def work(bounds):
    lo, hi = bounds
    return sum(len(rules.compute(e, today=TODAY, profile=PROFILE)) for e in EVENTS[lo:hi])


def timed(processes):
    chunks = [(i, min(i + 5000, len(EVENTS))) for i in range(0, len(EVENTS), 5000)]
    started = time.perf_counter()
    if processes == 1:
        count = sum(work(c) for c in chunks)
    else:
        with multiprocessing.get_context("fork").Pool(processes) as pool:
            count = sum(pool.map(work, chunks))
    return time.perf_counter() - started, count


parallel, clocks = timed(2)
single, _ = timed(1)
print(
    json.dumps(
        {
            "parallel": round(parallel, 2),
            "single": round(single, 2),
            "clocks": clocks,
            "episodes": len(EVENTS),
            "fetch_per_100k": round(fetch * TARGET / len(case_ids), 2),
        }
    )
)
