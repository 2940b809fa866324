"""Community service search on a 50,000-service directory (run by benchmarks/run.py).

For each engine, in a database of its own: SQLite in a temporary directory, and PostgreSQL (a
database `reunify_bench_search_<pid>` created on the server in REUNIFY_BENCH_PG_URL, default
postgres://reunify:reunify@127.0.0.1:5432/postgres, and dropped afterwards; skipped with the
reason when the server cannot be reached). Each run migrates, then bulk-inserts a synthetic
directory for one agency: 5,000 organizations, 50,000 services each at its own location (60% in
ten towns, the rest spread over a 250 x 350 mile region), one to three need categories and one
to three languages per service, a phone and a schedule each. There are no history rows (the
pages measured read none).

Then 30 varied searches (need + language + 25 miles near a town, accepting new clients only,
free or sliding scale, words, a whole-region search by name, later pages, and two searches by
distance without a limit) are timed twice each after a warm-up: through
`selectors.service_search` (the hits materialised) and through the search page
(services:search, Django test Client, signed in as the agency administrator). Progress goes to
stderr; the last line of stdout is JSON with, per engine, the p95 and median milliseconds and
the row counts, or {"error": "..."}.

    .venv/bin/python benchmarks/service_search.py            # both engines
    .venv/bin/python benchmarks/service_search.py --engine sqlite
"""

from __future__ import annotations

import argparse
import json
import os
import random
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
SERVER_URL = os.environ.get(
    "REUNIFY_BENCH_PG_URL", "postgres://reunify:reunify@127.0.0.1:5432/postgres"
)
AGENCY = "Benchmark County (synthetic)"
SERVICES = 50_000
ORGANIZATIONS = 5_000
REPEATS = 2
TOWNS = [  # (latitude, longitude) of ten invented towns in the region
    (47.25, -122.44),
    (47.61, -122.33),
    (47.04, -122.90),
    (46.60, -120.51),
    (47.66, -117.43),
    (48.75, -122.48),
    (46.28, -119.28),
    (47.98, -122.20),
    (46.73, -117.18),
    (45.64, -122.66),
]
REGION = ((45.6, 49.0), (-124.4, -117.1))
CATEGORIES = [
    "substance_use",
    "parenting",
    "housing",
    "mental_health",
    "domestic_violence",
    "concrete_supports",
    "employment",
    "legal_aid",
    "health_care",
    "child_care",
    "education",
]
LANGUAGES = ["en"] * 6 + ["es"] * 3 + ["vi", "zh", "ru", "so", "ko"]
STARTED = time.perf_counter()


def log(message: str) -> None:
    print(
        f"[service_search {time.perf_counter() - STARTED:4.0f} s] {message}",
        file=sys.stderr,
        flush=True,
    )


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    rank = max(0, min(len(ordered) - 1, round(p / 100 * len(ordered) + 0.5) - 1))
    return ordered[rank]


# ---- inside one engine's process ---------------------------------------------------------------


def django_setup(database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.dev"
    os.environ["REUNIFY_DEBUG"] = "0"  # no query log, production-like templates
    os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))  # keeps var/ untouched
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def load() -> dict[str, Any]:
    """Migrate and bulk-insert the directory; the agency, its admin, and row counts."""
    from django.core.management import call_command
    from django.db import connection, transaction

    from reunify.accounts.models import Agency, Role, User
    from reunify.services.models import (
        Location,
        Organization,
        Phone,
        Schedule,
        Service,
        ServiceAtLocation,
        ServiceCategory,
        ServiceLanguage,
        search_text,
    )

    log("migrate")
    call_command("migrate", "--noinput", verbosity=0)
    existing = Agency.objects.filter(name=AGENCY).first()
    if existing is not None:  # --child on a database loaded before: measure it again
        return {
            "agency": existing,
            "admin": User.objects.get(username="bench-admin"),
            "counts": {"services": Service.objects.filter(agency=existing).count()},
        }
    started = time.perf_counter()
    rng = random.Random(20261122)  # noqa: S311 - synthetic data
    agency = Agency.objects.create(name=AGENCY)
    admin = User.objects.create(
        username="bench-admin", agency=agency, role=Role.AGENCY_ADMIN, first_name="Bench"
    )
    batch = 5000
    with transaction.atomic():
        log(f"{ORGANIZATIONS:,} organizations")
        organizations = Organization.objects.bulk_create(
            (
                Organization(agency=agency, hsds_id=f"org-{n}", name=f"Organization {n}")
                for n in range(ORGANIZATIONS)
            ),
            batch_size=batch,
        )
        log(f"{SERVICES:,} locations and services")
        locations, services = [], []
        for n in range(SERVICES):
            if rng.random() < 0.6:
                town = rng.choice(TOWNS)
                lat, lon = rng.gauss(town[0], 0.12), rng.gauss(town[1], 0.15)
            else:
                lat, lon = rng.uniform(*REGION[0]), rng.uniform(*REGION[1])
            organization = organizations[n % ORGANIZATIONS]
            locations.append(
                Location(
                    agency=agency,
                    hsds_id=f"loc-{n}",
                    organization=organization,
                    name=f"Office {n}",
                    address_1=f"{rng.randint(1, 9999)} Main St",
                    city="Town",
                    state="WA",
                    postal_code=f"98{rng.randint(0, 999):03}",
                    latitude=Decimal(f"{lat:.6f}"),
                    longitude=Decimal(f"{lon:.6f}"),
                )
            )
            roll = rng.random()
            name = (
                f"{rng.choice(['Family', 'Community', 'County', 'Northside'])} "
                f"{rng.choice(['Housing', 'Recovery', 'Parenting', 'Health', 'Legal', 'Food'])} "
                f"Service {n}"
            )
            description = "A synthetic service for the search benchmark."
            services.append(
                Service(
                    agency=agency,
                    hsds_id=f"svc-{n}",
                    organization=organization,
                    name=name,
                    description=description,
                    search_text=search_text(name, organization.name, description),
                    status="active" if roll < 0.95 else "inactive",
                    accepting_new_clients=rng.random() < 0.8,
                    cost=rng.choice(["free", "free", "sliding_scale", "fee", ""]),
                    fees_description="See website.",
                )
            )
        Location.objects.bulk_create(locations, batch_size=batch)
        Service.objects.bulk_create(services, batch_size=batch)
        log("links, categories, languages, phones, schedules")
        ServiceAtLocation.objects.bulk_create(
            (
                ServiceAtLocation(agency=agency, hsds_id=f"sal-{n}", service=s, location=loc)
                for n, (s, loc) in enumerate(zip(services, locations, strict=True))
            ),
            batch_size=batch,
        )
        ServiceCategory.objects.bulk_create(
            (
                ServiceCategory(service=s, category=c)
                for s in services
                for c in rng.sample(CATEGORIES, rng.choice([1, 1, 2, 3]))
            ),
            batch_size=batch,
        )
        ServiceLanguage.objects.bulk_create(
            (
                ServiceLanguage(service=s, code=c)
                for s in services
                for c in {"en", *rng.sample(LANGUAGES, rng.choice([0, 1, 2]))}
            ),
            batch_size=batch,
        )
        Phone.objects.bulk_create(
            (
                Phone(agency=agency, hsds_id=f"ph-{n}", service=s, number=f"555-01{n % 100:02}")
                for n, s in enumerate(services)
            ),
            batch_size=batch,
        )
        Schedule.objects.bulk_create(
            (
                Schedule(agency=agency, hsds_id=f"sc-{n}", service=s, byday="MO,TU,WE,TH,FR")
                for n, s in enumerate(services)
            ),
            batch_size=batch,
        )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    counts = {
        "services": Service.objects.count(),
        "categories": ServiceCategory.objects.count(),
        "languages": ServiceLanguage.objects.count(),
        "load_seconds": round(time.perf_counter() - started, 1),
    }
    log(f"loaded {counts}")
    return {"agency": agency, "admin": admin, "counts": counts}


def searches() -> list[dict[str, Any]]:
    """30 searches an agency's staff would make."""
    rng = random.Random(7)  # noqa: S311 - synthetic data
    result: list[dict[str, Any]] = []
    for n in range(12):  # the common one: a need and a language near the family, 25 miles
        town = TOWNS[n % len(TOWNS)]
        result.append(
            {
                "category": CATEGORIES[n % len(CATEGORIES)],
                "language": "es" if n % 3 else "en",
                "near": (town[0] + rng.uniform(-0.05, 0.05), town[1] + rng.uniform(-0.05, 0.05)),
                "within_miles": 25,
            }
        )
    for n in range(4):  # accepting new clients only, 10 and 50 miles
        result.append(
            {
                "category": CATEGORIES[(n * 3) % len(CATEGORIES)],
                "near": TOWNS[(n * 2) % len(TOWNS)],
                "within_miles": 10 if n % 2 else 50,
                "accepting_only": True,
            }
        )
    for n in range(4):  # free or sliding scale, any language, in the open country
        result.append(
            {
                "category": CATEGORIES[(n * 5) % len(CATEGORIES)],
                "near": (rng.uniform(*REGION[0]), rng.uniform(*REGION[1])),
                "within_miles": 25,
                "cost": ["free", "sliding_scale"],
            }
        )
    for word in ("housing", "recovery"):  # words
        result.append({"text": word, "near": TOWNS[0], "within_miles": 25})
    result.append({"category": "housing"})  # the whole region, by name
    result.append({"language": "vi"})
    result.append({})  # the page as first opened
    result.append({"category": "parenting", "language": "es", "page": 3})
    result.append({"category": "legal_aid", "near": TOWNS[1], "within_miles": 50, "page": 2})
    result.append({"near": TOWNS[4], "within_miles": 5})
    for town in (TOWNS[0], TOWNS[5]):  # by distance, no limit: every service in the directory
        result.append({"category": "mental_health", "near": town})
    assert len(result) == 30
    return result


def query_string(search: dict[str, Any]) -> str:
    params: dict[str, Any] = {}
    for key in ("category", "language", "page"):
        if key in search:
            params[key] = search[key]
    if "near" in search:
        params["place"] = f"{search['near'][0]:.5f}, {search['near'][1]:.5f}"
        params["within_miles"] = search.get("within_miles") or ""
    if search.get("accepting_only"):
        params["accepting"] = "on"
    if search.get("cost"):
        params["cost"] = "low"
    if search.get("text"):
        params["q"] = search["text"]
    return urlencode(params)


def measure(loaded: dict[str, Any]) -> dict[str, Any]:
    from django.test import Client

    from reunify.services import selectors

    agency = loaded["agency"]
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(loaded["admin"])
    plan = searches()

    def run_selector(search: dict[str, Any]) -> int:
        results = selectors.service_search(agency, **search)
        return len(results.hits) + results.total

    def run_page(search: dict[str, Any]) -> None:
        response = client.get(f"/services/?{query_string(search)}")
        assert response.status_code == 200, (response.status_code, search)

    for search in plan[:5]:  # warm caches and templates
        run_selector(search)
        run_page(search)
    selector_ms: list[float] = []
    page_ms: list[float] = []
    slowest: list[tuple[float, str]] = []
    found = []
    for _round in range(REPEATS):
        for search in plan:
            started = time.perf_counter()
            found.append(run_selector(search))
            selector_ms.append((time.perf_counter() - started) * 1000)
            started = time.perf_counter()
            run_page(search)
            elapsed = (time.perf_counter() - started) * 1000
            page_ms.append(elapsed)
            slowest.append((elapsed, query_string(search)))
    slowest.sort(reverse=True)
    for elapsed, query in slowest[:3]:
        log(f"slowest page {elapsed:.0f} ms: ?{query}")
    return {
        **loaded["counts"],
        "searches": len(plan),
        "repeats": REPEATS,
        "page_p95_ms": round(percentile(page_ms, 95), 1),
        "page_median_ms": round(statistics.median(page_ms), 1),
        "page_max_ms": round(max(page_ms), 1),
        "selector_p95_ms": round(percentile(selector_ms, 95), 1),
        "selector_median_ms": round(statistics.median(selector_ms), 1),
        "empty_results": sum(1 for f in found if f == 0),
    }


def child(database_url: str) -> None:
    django_setup(database_url)
    print(json.dumps(measure(load())))


# ---- the parent: one process per engine ---------------------------------------------------------


def run_child(database_url: str, label: str) -> dict[str, Any]:
    log(f"{label}: starting")
    process = subprocess.run(
        [sys.executable, __file__, "--child", database_url],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
        check=False,
    )
    lines = process.stdout.strip().splitlines()
    try:
        result: dict[str, Any] = json.loads(lines[-1])
    except (IndexError, json.JSONDecodeError):
        return {"error": f"{label} run failed (exit {process.returncode})"}
    if process.returncode != 0:
        return {"error": f"{label} run failed (exit {process.returncode})"}
    log(f"{label}: {result}")
    return result


def with_database(url: str, name: str) -> str:
    return urlunsplit(urlsplit(url)._replace(path=f"/{name}"))


def sqlite_run() -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="reunify-bench-search-") as folder:
        return run_child(f"sqlite:///{folder}/bench.sqlite3", "SQLite")


def postgres_run() -> dict[str, Any]:
    try:
        import psycopg
        from psycopg import sql
    except ImportError:
        return {"error": "psycopg is not installed"}
    parts = urlsplit(SERVER_URL)
    host = f"{parts.hostname}:{parts.port or 5432}"
    try:
        server = psycopg.connect(SERVER_URL, autocommit=True, connect_timeout=5)
    except psycopg.Error as error:
        reason = (str(error).strip().splitlines() or [type(error).__name__])[0]
        log(f"PostgreSQL not available at {host}: {reason}")
        return {"error": f"PostgreSQL not available at {host} ({reason})"}
    name = f"reunify_bench_search_{os.getpid()}"
    try:
        server.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        return run_child(with_database(SERVER_URL, name), "PostgreSQL")
    finally:
        log(f"dropping {name}")
        server.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
        server.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--engine", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--child", metavar="DATABASE_URL", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child)
        return
    result: dict[str, Any] = {}
    if args.engine in ("sqlite", "both"):
        result["sqlite"] = sqlite_run()
    if args.engine in ("postgresql", "both"):
        result["postgresql"] = postgres_run()
    print(json.dumps(result))


if __name__ == "__main__":
    main()
