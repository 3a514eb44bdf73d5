"""Benchmark: the directory's search before and after a change, interleaved, in the process.

Not a test. Usage (from the repository root, with a database that ``bench/directory.py
--keep-db`` left, and Redis on 127.0.0.1:6379, which the production settings require):

    .venv/bin/python bench/search_ab.py BEFORE AFTER [--database cite_b17] [--rounds 2]
                                        [--requests 5]

A shared machine drifts: the same cached answers took 2.8 ms in one run of
``bench/directory.py`` and 4.4 ms in the next. So this script measures two commits (clean
exports, ``git archive``) in alternation, ``--rounds`` times each, in fresh processes on the
same database: each process serves the 20 queries of ``bench/directory.py`` through
Django's whole stack (the test client, ``cluster.settings.production``), as the API, as
the directory page and as suggestions (each query less its last 2 letters), plus the
directory without a search (as many times as the mix has queries), every request
a cache miss (the public version is bumped before each), ``--requests`` times per query.
The database must be migrated for both commits (the later one's migrations, when the
earlier code still runs on them). It prints a Markdown table of p50 and p95 per kind, and
the p50 of each query.
"""

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import directory  # noqa: E402 - bench/directory.py, beside this file

# What the child process runs, in the export of one commit: serve the mix, print JSON.
CHILD = """
import json, os, sys, time, urllib.parse
import django
django.setup()
from django.test import Client
from members.caching import bump_public_version
queries, requests = json.loads(sys.argv[1]), int(sys.argv[2])
kinds = {
    "api": lambda q: "/api/companies/?" + urllib.parse.urlencode({"q": q}),
    "page": lambda q: "/directory/?" + urllib.parse.urlencode({"q": q}),
    "suggest": lambda q: "/api/companies/suggest?" + urllib.parse.urlencode({"q": q[:-2]}),
    # The directory without a search: the same page for each query of the mix.
    "directory": lambda q: "/directory/",
}
client = Client(HTTP_HOST="127.0.0.1")
found = {}
for kind, url in kinds.items():
    for query in queries:  # the first request of each URL warms the process
        bump_public_version()
        client.get(url(query))
    samples = {query: [] for query in queries}
    for _ in range(requests):
        for query in queries:
            bump_public_version()
            start = time.perf_counter()
            response = client.get(url(query))
            samples[query].append((time.perf_counter() - start) * 1000)
            if response.status_code != 200:
                raise SystemExit(f"{url(query)} answered {response.status_code}")
    found[kind] = samples
print(json.dumps(found))
"""


def measure(folder, requests):
    env = directory.server_env()
    result = subprocess.run(
        [directory.PYTHON, "-c", CHILD, json.dumps(directory.QUERIES), str(requests)],
        cwd=folder,
        env=env,
        check=True,
        capture_output=True,
        text=True,
        timeout=1800,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def merge(into, found):
    for kind, samples in found.items():
        for query, values in samples.items():
            into.setdefault(kind, {}).setdefault(query, []).extend(values)


def table(labels, results):
    kinds = list(results[0])
    lines = [
        f"| kind | {labels[0]} p50 / p95 | {labels[1]} p50 / p95 | ratio p50 / p95 |",
        "| --- | ---: | ---: | ---: |",
    ]
    for kind in kinds:
        cells = []
        for found in results:
            values = [value for samples in found[kind].values() for value in samples]
            cells.append((directory.percentile(values, 50), directory.percentile(values, 95)))
        (b50, b95), (a50, a95) = cells
        lines.append(
            f"| {kind} | {b50:.1f} / {b95:.1f} ms | {a50:.1f} / {a95:.1f} ms | "
            f"{b50 / a50:.2f}× / {b95 / a95:.2f}× |"
        )
    names = " / ".join(kinds)
    lines += [
        "",
        f"| query | {' | '.join(f'{label}: {names} p50' for label in labels)} |",
    ]
    lines.append("| --- | ---: | ---: |")
    for query in directory.QUERIES:
        cells = [
            " / ".join(f"{directory.percentile(found[kind][query], 50):.1f}" for kind in kinds)
            for found in results
        ]
        lines.append(f"| {query} | {cells[0]} ms | {cells[1]} ms |")
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("before", help="the commit before the change")
    parser.add_argument("after", help="the commit after the change")
    parser.add_argument("--database", default="cite_b17", help="a database --keep-db left")
    parser.add_argument("--rounds", type=int, default=2, help="alternations (default 2)")
    parser.add_argument("--requests", type=int, default=5, help="per query, kind and round")
    args = parser.parse_args()
    directory.DATABASE_URL = f"{directory.SERVER_URL}/{args.database}"
    labels = [args.before, args.after]
    results = [{}, {}]
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="cite-search-ab-") as tmp:
        folders, described = [], []
        for index, revision in enumerate(labels):
            folder = Path(tmp) / str(index)
            folder.mkdir()
            described.append(directory.export_commit(revision, folder))
            subprocess.run(
                [directory.PYTHON, "manage.py", "collectstatic", "--noinput"],
                cwd=folder,
                env=directory.server_env(),
                check=True,
                stdout=subprocess.DEVNULL,
            )
            folders.append(folder)
        for round_number in range(1, args.rounds + 1):
            for index, folder in enumerate(folders):
                directory.log(f"round {round_number}: {labels[index]}")
                merge(results[index], measure(folder, args.requests))
    print(
        f"\n{described[0]} against {described[1]}, {args.rounds} rounds of "
        f"{args.requests} requests per query and kind, "
        f"{time.perf_counter() - started:.0f} s\n"
    )
    print(table(labels, results))


if __name__ == "__main__":
    main()
