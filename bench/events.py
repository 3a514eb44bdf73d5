"""Benchmark: /events/, an event's page, /api/events/ and /events.ics on a cache miss, with
5,000 events and 200,000 registrations, on PostgreSQL.

Not a test. Usage (from the repository root, PostgreSQL on 127.0.0.1:5432 accepting the
``postgres`` user without a password):

    .venv/bin/python bench/events.py [--events 5000] [--registrations 200000] [--rounds 20]
                                     [--keep-db]

It creates the database ``cite_bench_events`` afresh, migrates it, inserts the events and
registrations in bulk (SQL, no history rows), runs ``VACUUM ANALYZE``, then requests each
page ``--rounds`` times through Django's full stack in this process (the test client, the
development settings, the local-memory cache), bumping the public data version before each
request, as every edit does, so that each answer is a cache miss. It prints a Markdown
table of p50 / p95 latencies and SQL queries to paste into docs/performance.md, then drops
the database (unless ``--keep-db``). Only 127.0.0.1 is contacted.
"""

import argparse
import datetime
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATABASE = "cite_bench_events"
SERVER_URL = "postgres://postgres@127.0.0.1:5432"


def psql(sql, database="postgres"):
    subprocess.run(
        ["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", database, "-q", "-c", sql],
        check=True,
    )


FILL = """
INSERT INTO cluster_event (slug, title_fr, title_en, description_fr, description_en, kind,
    audience, starts_at, ends_at, address, online_url, capacity, fee_member, fee_non_member,
    status, image, created_at, reason, reviewed_at)
SELECT 'event-' || n, 'Événement ' || n, 'Event ' || n, 'Description ' || n, '',
    (ARRAY['workshop','meetup','job_dating','conference','training','open_day','visit'])[1 + n % 7],
    (ARRAY['public','members','startups','students','partners'])[1 + n % 5],
    now() + ((n - EVENTS / 2) || ' hours')::interval * 3,
    now() + ((n - EVENTS / 2) || ' hours')::interval * 3 + interval '2 hours',
    'Le Soler', '', 60, 0, 0, 'published', '', now(), '', NULL
FROM generate_series(1, EVENTS) AS n;
INSERT INTO cluster_registration (event_id, name, email, organisation, category, status,
    ticket_code, walk_in, checked_in_at, created_at, consent_at)
SELECT e.id, 'Personne ' || r, 'p' || r || '@bench.example', '',
    (ARRAY['member','startup','student','public','partner'])[1 + r % 5],
    CASE WHEN r % 50 < 40 THEN 'confirmed' WHEN r % 50 < 45 THEN 'waiting' ELSE 'cancelled' END,
    upper(md5(r::text)), false, NULL, now(), now()
FROM generate_series(1, REGISTRATIONS) AS r
JOIN cluster_event e ON e.slug = 'event-' || (1 + r % EVENTS);
"""


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=5000)
    parser.add_argument("--registrations", type=int, default=200_000)
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--keep-db", action="store_true")
    args = parser.parse_args()
    os.environ["DATABASE_URL"] = f"{SERVER_URL}/{DATABASE}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cluster.settings.dev")
    sys.path.insert(0, str(ROOT))
    psql(f"DROP DATABASE IF EXISTS {DATABASE}")
    psql(f"CREATE DATABASE {DATABASE}")
    try:
        run(args)
    finally:
        if not args.keep_db:
            from django.db import connections

            connections.close_all()
            psql(f"DROP DATABASE IF EXISTS {DATABASE}")


def run(args):
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from members.caching import bump_public_version

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    fill = FILL.replace("REGISTRATIONS", str(args.registrations)).replace(
        "EVENTS", str(args.events)
    )
    with connection.cursor() as cursor:
        cursor.execute(fill)
    fill_seconds = time.perf_counter() - started
    psql("VACUUM ANALYZE", DATABASE)
    client = Client(HTTP_HOST="127.0.0.1")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT slug FROM cluster_event WHERE starts_at > now() ORDER BY starts_at LIMIT 1"
        )
        slug = cursor.fetchone()[0]
    pages = [
        "/events/",
        "/events/?when=past&page=10",
        "/events/?kind=workshop&audience=public",
        f"/events/{slug}/",
        "/api/events/",
        "/events.ics",
    ]
    rows = []
    for path in pages:
        timings, queries = [], 0
        for _ in range(args.rounds):
            bump_public_version()
            with CaptureQueriesContext(connection) as captured:
                start = time.perf_counter()
                response = client.get(path)
                timings.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200, (path, response.status_code)
            queries = len(captured.captured_queries)
        timings.sort()
        p95 = timings[max(0, int(len(timings) * 0.95) - 1)]
        rows.append((path, statistics.median(timings), p95, queries))
    print(f"\nDate: {datetime.date.today()}, {platform.node()}, Python {platform.python_version()}")
    print(
        f"Data: {args.events} events, {args.registrations} registrations (filled in "
        f"{fill_seconds:.1f} s); {args.rounds} cache misses per page\n"
    )
    print("| page | p50 (ms) | p95 (ms) | SQL queries |\n| --- | ---: | ---: | ---: |")
    for path, p50, p95, queries in rows:
        print(f"| `{path}` | {p50:.1f} | {p95:.1f} | {queries} |")


if __name__ == "__main__":
    main()
