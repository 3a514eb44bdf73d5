"""Benchmark: the staff dashboard with 100,000 companies and ten years of memberships.

Not a test. Usage (from the repository root, after ``make test`` built .venv):

    .venv/bin/python bench/dashboard.py [--companies 100000] [--years 10] [--runs 20]
        [--postgres postgres://postgres@127.0.0.1:5432] [--keep-db]

It creates the database ``cite_bench_dashboard`` (dropped at the end unless --keep-db),
migrates, loads the demo cluster and ``seed_demo --companies N``, then writes one
membership a year for ten years for every company with SQL (``generate_series``: a
million rows in seconds), most active, some lapsed or resigned, and measures the full
dashboard page (``GET /staff/dashboard/?year=…`` through Django's test client, rendering
included) and the figures alone, in process. Target: 150 ms p95 (issue 16).
"""

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATABASE = "cite_bench_dashboard"


def manage(*args, env):
    subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )


MEMBERSHIPS_SQL = """
INSERT INTO members_membership (company_id, plan_id, start, "end", fee, status, status_since,
                                created_at)
SELECT c.id, %(plan)s, make_date(y, 1, 1), make_date(y + 1, 1, 1), 300,
       CASE WHEN (c.id + y) %% 17 = 0 THEN 'lapsed'
            WHEN (c.id + y) %% 29 = 0 THEN 'resigned'
            WHEN y = %(last)s AND c.id %% 7 = 0 THEN 'pending'
            ELSE 'active' END,
       make_date(y, 1, 1), now()
FROM members_company AS c
CROSS JOIN generate_series(%(first)s, %(last)s) AS y
WHERE NOT EXISTS (SELECT 1 FROM members_membership m WHERE m.company_id = c.id)
"""


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--companies", type=int, default=100_000)
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument(
        "--database", default=DATABASE, help="the database to create (one per worktree)"
    )
    parser.add_argument("--keep-db", action="store_true")
    parser.add_argument(
        "--reuse-db", action="store_true", help="measure a database kept by --keep-db"
    )
    options = parser.parse_args()

    database = options.database
    url = f"{options.postgres}/{database}"
    admin = f"{options.postgres}/postgres"
    env = dict(os.environ, DATABASE_URL=url, DJANGO_SETTINGS_MODULE="cluster.settings.dev")
    if not options.reuse_db:
        subprocess.run(["psql", admin, "-qc", f"DROP DATABASE IF EXISTS {database}"], check=True)
        subprocess.run(["psql", admin, "-qc", f"CREATE DATABASE {database}"], check=True)
    try:
        started = time.perf_counter()
        manage("migrate", "--noinput", env=env)
        if not options.reuse_db:
            manage("seed_demo", env=env)
            manage("seed_demo", "--companies", str(options.companies), env=env)
        os.environ.update(DATABASE_URL=url, DJANGO_SETTINGS_MODULE="cluster.settings.dev")
        sys.path.insert(0, str(ROOT))
        import django

        django.setup()
        from django.contrib.auth import get_user_model
        from django.db import connection
        from django.test import Client
        from django.test.utils import CaptureQueriesContext
        from django.utils import timezone

        from cluster import dashboard
        from members.models import Company, Membership, MembershipPlan

        last = timezone.localdate().year
        first = last - options.years + 1
        plan = MembershipPlan.objects.order_by("pk").first()
        with connection.cursor() as cursor:
            cursor.execute(MEMBERSHIPS_SQL, {"plan": plan.pk, "first": first, "last": last})
            cursor.execute("VACUUM ANALYZE")
        print(
            f"data: {Company.objects.count():,} companies, "
            f"{Membership.objects.count():,} memberships ({first}–{last}), "
            f"prepared in {time.perf_counter() - started:.0f} s"
        )

        user, _created = get_user_model().objects.get_or_create(
            username="bench", defaults={"is_staff": True, "is_superuser": True}
        )
        client = Client(HTTP_HOST="localhost")
        client.force_login(user)
        url_path = f"/staff/dashboard/?year={last}"
        assert client.get(url_path).status_code == 200  # warm-up
        with CaptureQueriesContext(connection) as queries:
            client.get(url_path)
        page_ms, figures_ms = [], []
        for _ in range(options.runs):
            begin = time.perf_counter()
            response = client.get(url_path)
            page_ms.append((time.perf_counter() - begin) * 1000)
            assert response.status_code == 200
            begin = time.perf_counter()
            dashboard.dashboard(last)
            figures_ms.append((time.perf_counter() - begin) * 1000)

        def p95(values):
            return statistics.quantiles(values, n=20)[-1]

        print(f"queries per dashboard page: {len(queries.captured_queries)}")
        print(
            f"dashboard page: p50 {statistics.median(page_ms):.0f} ms, "
            f"p95 {p95(page_ms):.0f} ms ({options.runs} runs)"
        )
        print(
            f"figures alone: p50 {statistics.median(figures_ms):.0f} ms, "
            f"p95 {p95(figures_ms):.0f} ms"
        )
    finally:
        if not options.keep_db:
            from django.db import connections

            connections.close_all()
            subprocess.run(["psql", admin, "-qc", f"DROP DATABASE IF EXISTS {database}"])


if __name__ == "__main__":
    main()
