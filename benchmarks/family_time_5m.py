"""Family time and caseworker contacts at scale, on PostgreSQL (run by benchmarks/run.py).

Creates a throwaway database `reunify_bench_<pid>` on the server in REUNIFY_BENCH_PG_URL
(default postgres://reunify:reunify@127.0.0.1:5432/postgres), migrates it, loads the demo agency
(`demo-data --cases 10000 --seed 1 --as-of 2026-11-01`), then brings family-time sessions plus
caseworker contacts to 5,000,000 rows with server-side INSERT ... SELECT:

- sessions: every plan's history from its start to the demo's own four weeks of sessions, on the
  plan's weekdays; plans with the parents also on each other weekday with probability 0.4 (3 to
  5 a week, so a child in care for two to three years has several hundred); 80% held, 12%
  cancelled, 8% no-shows, as the demo generator does;
- contacts: every child's months in care (every removal episode, up to the day before the as-of
  date), with visits to the child, calls, and contacts with the mother, the father and the
  resource parents; a random sample of them tops the total up to exactly 5,000,000.

The synthetic rows have no history (simple-history) rows and no contact purposes; the pages
measured read neither. Then VACUUM ANALYZE, and with the clock at the as-of date:

- the unit compliance page (contacts:unit-compliance) for October 2026, signed in as the
  supervisor of the unit with the most children in care: 2 warm-ups, 15 timed renders;
- the child's family-time page (family_time:child) for the 50 removal episodes with the most
  sessions, each rendered twice, signed in as the case's worker.

Progress, and the slowest queries of each page with EXPLAIN ANALYZE, go to stderr. The last line
of stdout is JSON: the timings and row counts, or {"error": "..."} when PostgreSQL cannot be
reached (run.py then records null figures). The database is dropped at the end unless --keep;
--database NAME measures an already loaded database instead (nothing is created or dropped).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import secrets
import statistics
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any
from urllib.parse import urlsplit, urlunsplit
from zoneinfo import ZoneInfo

import psycopg
from psycopg import sql

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SERVER_URL = os.environ.get(
    "REUNIFY_BENCH_PG_URL", "postgres://reunify:reunify@127.0.0.1:5432/postgres"
)
AS_OF = dt.date(2026, 11, 1)
CASES = 10_000
TOTAL_ROWS = 5_000_000
MONTH = (dt.date(2026, 10, 1), dt.date(2026, 10, 31))
CHILDREN = 50
COMPLIANCE_RENDERS = 15
DEMO_WINDOW_DAYS = 28  # the demo records the last four weeks of sessions itself (cases/demo.py)

# One row per plan and session day, from the plan's start (to its end, if it ended) up to the
# demo's own window: the plan's weekdays and, for plans with the parents, each other weekday with
# probability 0.4 (3 to 5 sessions a week early in care, where the demo's plans have 2).
# `hashint8` gives repeatable pseudo-random numbers, so there is no seed to carry.
SESSION_DAYS = """
SELECT
    p.id AS plan_id,
    p.kind,
    (d.day::date + p.start_time) AT TIME ZONE %(zone)s AS starts_at,
    greatest(p.duration_minutes, 30) AS minutes,
    c.worker_id,
    r.h,
    mod(r.h, 100) AS roll
FROM family_time_familytimeplan p
JOIN cases_removalepisode e ON e.id = p.episode_id
JOIN cases_familycase c ON c.id = e.case_id
CROSS JOIN LATERAL generate_series(
    p.effective_from::timestamp,
    least(%(window_start)s::date - 1, p.effective_to)::timestamp,
    interval '1 day'
) AS d(day)
CROSS JOIN LATERAL (
    SELECT abs(hashint8(p.id * 100000 + (d.day::date - DATE '2000-01-01'))::bigint) AS h
) r
WHERE (extract(isodow FROM d.day)::int - 1)::text = ANY (string_to_array(p.weekdays, ','))
   OR (p.kind = 'parent'
       AND mod(abs(hashint8(p.id * 10 + extract(isodow FROM d.day)::bigint)), 10) < 4)
"""
SESSIONS_COUNT_SQL = f"SELECT count(*) FROM ({SESSION_DAYS}) s"  # noqa: S608 - constant SQL
# The sessions of those days, inserted in time order as a real agency's would have been; 80%
# held, 12% cancelled, 8% no-shows (the demo generator's mix), a rare safety incident.
SESSIONS_SQL = f"""
INSERT INTO family_time_familytimesession (
    version, plan_id, starts_at, ends_at, status, cancelled_by, cancel_reason, attendees,
    actual_minutes, observations, quality, safety_incident, safety_note, recorded_by_id
)
SELECT
    1,
    s.plan_id,
    s.starts_at,
    s.starts_at + make_interval(mins => s.minutes),
    CASE WHEN s.roll < 80 THEN 'held' WHEN s.roll < 92 THEN 'cancelled' ELSE 'no_show' END,
    CASE WHEN s.roll >= 80 AND s.roll < 92
        THEN (ARRAY['parent', 'agency', 'resource_family', 'provider'])[1 + mod(s.h / 100, 4)]
        ELSE '' END,
    CASE WHEN s.roll >= 80 AND s.roll < 92
        THEN (ARRAY['Transportation fell through', 'Child was ill', 'Staff unavailable'])[
            1 + mod(s.h / 400, 3)]
        ELSE '' END,
    CASE WHEN s.roll >= 80 THEN ''
        WHEN s.kind = 'parent' THEN 'Parent and child'
        WHEN s.kind = 'sibling' THEN 'Brothers and sisters'
        ELSE 'Relatives and child' END,
    CASE WHEN s.roll < 80 THEN s.minutes - mod(s.h / 1200, 3) * 10 END,
    CASE WHEN s.roll < 80 AND s.kind <> 'parent'
        THEN 'The children played together and planned the next visit.'
        WHEN s.roll < 80
        THEN (ARRAY[
            'Arrived on time; played a board game together and talked about school.',
            'Parent brought a snack; child was happy to see the parent, some tears at parting.',
            'Worked on homework together; parent used the redirection practised in class.',
            'Quiet visit; parent seemed tired but stayed engaged for the whole hour.'
        ])[1 + mod(s.h / 3600, 4)]
        ELSE '' END,
    CASE WHEN s.roll < 80 THEN (ARRAY[2, 3, 3, 4])[1 + mod(s.h / 14400, 4)] END,
    s.roll < 80 AND mod(s.h / 57600, 500) = 0,
    CASE WHEN s.roll < 80 AND mod(s.h / 57600, 500) = 0
        THEN 'Raised voices at the end of the visit; the monitor stepped in.'
        ELSE '' END,
    s.worker_id
FROM ({SESSION_DAYS}) s
ORDER BY s.starts_at
"""  # noqa: S608 - built from constants

# Candidate contacts: per removal episode and month in care, the slots below (who was seen, face
# to face, in the child's residence, with what probability), then a random sample of exactly the
# number of rows still missing, inserted in date order.
CONTACTS_SQL = """
WITH eps AS (
    SELECT
        e.id, e.case_id, e.child_id, c.worker_id, e.removed_on,
        least(coalesce(e.discharged_on, %(as_of)s::date), %(as_of)s::date - 1) AS last_day,
        (SELECT cp.person_id FROM cases_caseparticipant cp
            JOIN people_person pp ON pp.id = cp.person_id
            WHERE cp.case_id = e.case_id AND cp.role = 'parent' AND pp.sex = 'female'
            ORDER BY cp.id LIMIT 1) AS mother_id,
        (SELECT cp.person_id FROM cases_caseparticipant cp
            JOIN people_person pp ON pp.id = cp.person_id
            WHERE cp.case_id = e.case_id AND cp.role = 'parent' AND pp.sex = 'male'
            ORDER BY cp.id LIMIT 1) AS father_id
    FROM cases_removalepisode e
    JOIN cases_familycase c ON c.id = e.case_id
    WHERE e.removed_on < %(as_of)s::date
),
slots (n, seen, face_to_face, in_residence, percent, note) AS (
    VALUES
        (1, 'child', true, 85, 97, 'Monthly visit; talked about school and the placement.'),
        (2, 'child', true, 60, 60, 'Second visit this month.'),
        (3, 'child', false, 0, 70, 'Phone call with the child.'),
        (4, 'mother', true, 0, 85, 'Met to review case plan services.'),
        (5, 'mother', false, 0, 80, 'Phone call about visits and services.'),
        (6, 'father', true, 0, 75, 'Met to review case plan services.'),
        (7, 'father', false, 0, 70, 'Phone call about visits and services.'),
        (8, 'resource_parents', true, 100, 90, 'Home visit with the resource parents.'),
        (9, 'resource_parents', false, 0, 60, 'Phone call with the resource parents.'),
        (10, 'child', true, 0, 40, 'Saw the child at school.')
),
candidates AS (
    SELECT
        eps.case_id, eps.child_id, eps.worker_id, slots.seen, slots.face_to_face, slots.note,
        CASE slots.seen WHEN 'mother' THEN eps.mother_id WHEN 'father' THEN eps.father_id END
            AS person_id,
        m.month::date + mod(r.h / 100, 28)::int AS occurred_on,
        slots.in_residence > mod(r.h / 2800, 100) AS in_residence,
        mod(r.h / 280000, 6) * 15 + 15 AS minutes,
        r.h
    FROM eps
    CROSS JOIN LATERAL generate_series(
        eps.removed_on::timestamp, eps.last_day::timestamp, interval '1 month'
    ) AS m(month)
    CROSS JOIN slots
    CROSS JOIN LATERAL (
        SELECT abs(hashint8(
            (eps.id * 1000 + (m.month::date - eps.removed_on) / 28) * 10 + slots.n
        )::bigint) AS h
    ) r
    WHERE mod(r.h, 100) < slots.percent
      AND m.month::date + mod(r.h / 100, 28)::int <= eps.last_day
      AND (slots.seen NOT IN ('mother', 'father')
           OR CASE slots.seen WHEN 'mother' THEN eps.mother_id ELSE eps.father_id END
              IS NOT NULL)
)
INSERT INTO contacts_caseworkercontact (
    case_id, child_id, seen, person_id, occurred_on, face_to_face, in_child_residence,
    location_reason, private_conversation, duration_minutes, note, worker_id
)
SELECT
    t.case_id, t.child_id, t.seen, t.person_id, t.occurred_on, t.face_to_face,
    t.in_residence,
    CASE WHEN t.in_residence THEN '' WHEN t.face_to_face THEN 'Met at school'
        ELSE 'By phone' END,
    CASE WHEN t.seen = 'child' AND t.face_to_face THEN mod(t.h, 5) > 0 END,
    t.minutes,
    t.note,
    t.worker_id
FROM (SELECT * FROM candidates ORDER BY hashint8(h), h LIMIT %(limit)s) t
ORDER BY t.occurred_on, t.child_id
"""


STARTED = time.perf_counter()


def log(message: str) -> None:
    elapsed = time.perf_counter() - STARTED
    print(f"[family_time_5m {elapsed:4.0f} s] {message}", file=sys.stderr, flush=True)


def with_database(url: str, name: str) -> str:
    return urlunsplit(urlsplit(url)._replace(path=f"/{name}"))


def django_setup(database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    os.environ["REUNIFY_DEBUG"] = "0"  # DEBUG off: no query log, production-like templates
    os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))  # keeps var/ untouched
    sys.path.insert(0, ROOT)
    import django

    django.setup()


def _execute(database_url: str, query: str, params: dict[str, Any]) -> int:
    with psycopg.connect(database_url, autocommit=True) as conn:
        conn.execute("SET work_mem = '256MB'")
        return conn.execute(query, params).rowcount


def load(database_url: str) -> float:
    """Migrate, load the demo agency, add the bulk rows; the seconds it all took."""
    from django.conf import settings
    from django.core.management import call_command

    started = time.perf_counter()
    log("migrate")
    call_command("migrate", "--noinput", verbosity=0)
    log(f"demo-data --cases {CASES} --seed 1 --as-of {AS_OF}")
    demo_started = time.perf_counter()
    call_command("demo-data", cases=CASES, seed=1, as_of=AS_OF, stdout=sys.stderr)
    demo = time.perf_counter() - demo_started
    bulk_started = time.perf_counter()
    days = {
        "zone": settings.REUNIFY_AGENCY_TIME_ZONE,
        "window_start": AS_OF - dt.timedelta(days=DEMO_WINDOW_DAYS),
    }
    with psycopg.connect(database_url, autocommit=True) as conn:
        planned = conn.execute(SESSIONS_COUNT_SQL, days).fetchone()[0]
        existing = conn.execute(
            "SELECT (SELECT count(*) FROM family_time_familytimesession)"
            " + (SELECT count(*) FROM contacts_caseworkercontact)"
        ).fetchone()[0]
    missing = max(0, TOTAL_ROWS - existing - planned)
    # Two tables, two cores: the inserts run side by side, each on its own connection.
    log(f"inserting {planned:,} family-time sessions and {missing:,} caseworker contacts")
    with ThreadPoolExecutor(max_workers=2) as pool:
        sessions = pool.submit(_execute, database_url, SESSIONS_SQL, days)
        contacts = pool.submit(
            _execute, database_url, CONTACTS_SQL, {"as_of": AS_OF, "limit": missing}
        )
        log(f"  {sessions.result():,} sessions and {contacts.result():,} contacts inserted")
    log("VACUUM ANALYZE")
    with psycopg.connect(database_url, autocommit=True) as conn:
        conn.execute("VACUUM (ANALYZE) family_time_familytimesession")
        conn.execute("VACUUM (ANALYZE) contacts_caseworkercontact")
        conn.execute("ANALYZE")
    bulk = time.perf_counter() - bulk_started
    total = time.perf_counter() - started
    log(
        f"loaded in {total:.0f} s: demo-data {demo:.0f} s, bulk rows and VACUUM ANALYZE {bulk:.0f} s"
    )
    return total


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def explain_slowest(label: str, render: Any, top: int = 3) -> None:
    """One more render with the queries captured: the slowest, each with EXPLAIN ANALYZE."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        render()
    queries = sorted(captured.captured_queries, key=lambda q: float(q["time"]), reverse=True)
    total = sum(float(q["time"]) for q in queries) * 1000
    log(f"{label}: {len(queries)} queries, {total:.0f} ms in the database; slowest:")
    with connection.cursor() as cursor:
        for query in queries[:top]:
            text = query["sql"]
            print(f"--- {float(query['time']) * 1000:.1f} ms: {text[:600]}", file=sys.stderr)
            if text.lstrip().upper().startswith("SELECT"):
                cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {text}")
                for (line,) in cursor.fetchall():
                    print(f"    {line}", file=sys.stderr)


def measure() -> dict[str, Any]:
    import time_machine
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from reunify.accounts.models import Role, User

    start, end = MONTH
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM family_time_familytimesession")
        sessions = cursor.fetchone()[0]
        cursor.execute("SELECT count(*) FROM contacts_caseworkercontact")
        contacts = cursor.fetchone()[0]
        cursor.execute(
            """
            SELECT c.unit_id, count(*) FROM cases_removalepisode e
            JOIN cases_familycase c ON c.id = e.case_id
            WHERE e.removed_on <= %s AND (e.discharged_on IS NULL OR e.discharged_on > %s)
            GROUP BY c.unit_id ORDER BY count(*) DESC, c.unit_id LIMIT 1
            """,
            [end, start],
        )
        unit_id, children_in_unit = cursor.fetchone()
        cursor.execute(
            """
            SELECT p.episode_id, c.worker_id, count(*) FROM family_time_familytimesession s
            JOIN family_time_familytimeplan p ON p.id = s.plan_id
            JOIN cases_removalepisode e ON e.id = p.episode_id
            JOIN cases_familycase c ON c.id = e.case_id
            GROUP BY p.episode_id, c.worker_id ORDER BY count(*) DESC, p.episode_id LIMIT %s
            """,
            [CHILDREN],
        )
        children = cursor.fetchall()
    log(f"{sessions:,} sessions, {contacts:,} contacts")

    supervisor = User.objects.filter(role=Role.SUPERVISOR, unit_id=unit_id).earliest("id")
    compliance_client = Client(HTTP_HOST="127.0.0.1")
    compliance_client.force_login(supervisor)
    compliance_url = reverse("contacts:unit-compliance", args=[unit_id])
    period = {"start": start.isoformat(), "end": end.isoformat()}
    clients: dict[int, Client] = {}
    for _, worker_id, _ in children:
        if worker_id not in clients:
            clients[worker_id] = Client(HTTP_HOST="127.0.0.1")
            clients[worker_id].force_login(User.objects.get(pk=worker_id))

    def render_compliance() -> None:
        response = compliance_client.get(compliance_url, period)
        assert response.status_code == 200, response.status_code

    def render_child(episode_id: int, worker_id: int) -> None:
        response = clients[worker_id].get(reverse("family_time:child", args=[episode_id]))
        assert response.status_code == 200, response.status_code

    # The clock at noon on the as-of date where the agency is, so "upcoming" and "this month"
    # mean what they meant when the data was generated.
    noon = dt.datetime.combine(
        AS_OF, dt.time(12), tzinfo=ZoneInfo(settings.REUNIFY_AGENCY_TIME_ZONE)
    )
    with time_machine.travel(noon, tick=True):
        log(f"unit compliance, {start:%B %Y}, unit {unit_id} ({children_in_unit} children)")
        for _ in range(2):
            render_compliance()
        compliance_ms = []
        for _ in range(COMPLIANCE_RENDERS):
            started = time.perf_counter()
            render_compliance()
            compliance_ms.append((time.perf_counter() - started) * 1000)

        log(
            f"family-time pages of {len(children)} children "
            f"({children[-1][2]} to {children[0][2]} sessions each), twice each"
        )
        for episode_id, worker_id, _ in children[:2]:
            render_child(episode_id, worker_id)
        child_ms = []
        slowest = (0.0, children[0])
        for _ in range(2):
            for child in children:
                started = time.perf_counter()
                render_child(child[0], child[1])
                elapsed = (time.perf_counter() - started) * 1000
                child_ms.append(elapsed)
                slowest = max(slowest, (elapsed, child))

        explain_slowest("unit compliance page", render_compliance)
        episode_id, worker_id, count = slowest[1]
        explain_slowest(
            f"family-time page of episode {episode_id} ({count} sessions)",
            lambda: render_child(episode_id, worker_id),
        )
    result = {
        "sessions": sessions,
        "contacts": contacts,
        "unit_children": children_in_unit,
        "unit_compliance_median_ms": round(statistics.median(compliance_ms), 1),
        "unit_compliance_p95_ms": round(percentile(compliance_ms, 95), 1),
        "children": len(children),
        "child_sessions_max": children[0][2],
        "child_sessions_min": children[-1][2],
        "child_median_ms": round(statistics.median(child_ms), 1),
        "child_p95_ms": round(percentile(child_ms, 95), 1),
    }
    log(json.dumps(result))
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", action="store_true", help="do not drop the database at the end")
    parser.add_argument("--database", help="measure this already loaded database (no load)")
    args = parser.parse_args()

    name = args.database or f"reunify_bench_{os.getpid()}"
    host = f"{urlsplit(SERVER_URL).hostname}:{urlsplit(SERVER_URL).port or 5432}"
    try:
        server = psycopg.connect(SERVER_URL, autocommit=True, connect_timeout=5)
    except psycopg.Error as error:
        reason = (str(error).strip().splitlines() or [type(error).__name__])[0]
        log(f"PostgreSQL not available at {host}: {reason}")
        print(json.dumps({"error": f"PostgreSQL not available at {host} ({reason})"}))
        return
    database_url = with_database(SERVER_URL, name)
    try:
        if not args.database:
            server.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        log(f"database {name} on {host}")
        django_setup(database_url)
        load_seconds = None if args.database else round(load(database_url), 1)
        result = {**measure(), "load_seconds": load_seconds}
    finally:
        if not (args.database or args.keep):
            from django.db import connections

            connections.close_all()
            log(f"dropping {name}")
            server.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )
        server.close()
    print(json.dumps(result))


if __name__ == "__main__":
    main()
