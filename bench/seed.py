"""Benchmark: time ``seed_demo --companies N`` on a PostgreSQL server.

Not a test. Usage (from the repository root, after ``make test`` built .venv):

    .venv/bin/python bench/seed.py [--companies 100000] [--postgres postgres://postgres@127.0.0.1:5432]

The database is created empty and migrated first; only the seeding is timed.
"""

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable


def manage(*args, database_url):
    env = dict(os.environ, DATABASE_URL=database_url, DJANGO_SETTINGS_MODULE="cluster.settings.dev")
    subprocess.run(
        [PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL
    )


def time_seed(database_url, companies):
    manage("migrate", "--noinput", database_url=database_url)
    start = time.perf_counter()
    manage("seed_demo", "--companies", str(companies), database_url=database_url)
    return time.perf_counter() - start


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--companies", type=int, default=100_000)
    parser.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5432")
    options = parser.parse_args()

    admin_url = f"{options.postgres}/postgres"
    database = "cite_bench_seed"
    subprocess.run(["psql", admin_url, "-qc", f"DROP DATABASE IF EXISTS {database}"], check=True)
    subprocess.run(["psql", admin_url, "-qc", f"CREATE DATABASE {database}"], check=True)
    try:
        seconds = time_seed(f"{options.postgres}/{database}", options.companies)
        print(f"postgresql: {options.companies} companies in {seconds:.1f} s")
    finally:
        subprocess.run(
            ["psql", admin_url, "-qc", f"DROP DATABASE IF EXISTS {database}"], check=True
        )


if __name__ == "__main__":
    main()
