"""Load test: 64 concurrent connections for 60 s against gunicorn, PostgreSQL and Redis, on
the public pages, over loopback. Optionally with a fault in the middle of the run.

Not a test. Usage (from the repository root, after ``make test`` built .venv, with
PostgreSQL on 127.0.0.1:5432 accepting the ``postgres`` user without a password and Redis
on 127.0.0.1:6379):

    .venv/bin/python bench/load.py [--connections 64] [--duration 60] [--workers 5]
                                   [--fault postgres|redis] [--fault-at 20] [--keep-db]

It creates the database ``cite_bench_load`` afresh, migrates it, loads the demo cluster
(``seed_demo``: 96 companies, their offers, start-ups and offices), collects the static
files and starts gunicorn with ``gunicorn.conf.py`` and the production settings, the cache
and sessions in Redis (database 4, a key prefix of its own). Then ``--connections`` client
threads each send one request after another, for ``--duration`` seconds, drawn from a
fixed mix: the directory (plain, searched, filtered), company pages, the API (lists,
searches, details) and ``/offers/``. Every answer other than 200 counts as an error, and
so does every connection or read failure.

It prints the requests per second, the latency percentiles, the errors per kind and second
and the resident memory of each gunicorn worker after the run, as Markdown for
docs/performance.md.

``--fault postgres`` restarts PostgreSQL (``pg_ctlcluster … restart``) ``--fault-at``
seconds into the run; ``--fault redis`` shuts Redis down then, and starts it again 15 s
later. The timeline shows the errors each second: the app must recover by itself, with no
restart of gunicorn. These two stop shared services: run them on a machine where nothing
else uses PostgreSQL or Redis at the time.

The run is bounded: each request has a 30 s timeout, the threads stop at the deadline, and
gunicorn is stopped and the database dropped (unless ``--keep-db``) whatever happens.
"""

import argparse
import collections
import datetime
import http.client
import os
import random
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.directory import (  # noqa: E402
    HOST,
    SERVER_URL,
    code_version,
    free_port,
    log,
    machine_description,
    percentile,
    psql,
    stop_gunicorn,
    tail,
)

PYTHON = sys.executable
GUNICORN = str(Path(PYTHON).with_name("gunicorn"))
DATABASE = "cite_bench_load"
DATABASE_URL = f"{SERVER_URL}/{DATABASE}"
REDIS_URL = f"redis://{HOST}:6379/4"
REQUEST_TIMEOUT = 30  # seconds
REDIS_DOWN_SECONDS = 15
TARGET_WORKER_MB = 150
QUERIES = ["vroom", "stravel", "animation", "perpignan", "réalité virtuelle", "jeu", "web"]


def server_env():
    return dict(
        {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_ALLOW")},
        DJANGO_SETTINGS_MODULE="cluster.settings.production",
        DJANGO_SECRET_KEY="bench-load-not-a-secret-" + "x" * 40,
        DJANGO_ALLOWED_HOSTS=HOST,
        DATABASE_URL=DATABASE_URL,
        REDIS_URL=REDIS_URL,
        CITE_CACHE_KEY_PREFIX=f"bench-load-{uuid.uuid4().hex[:8]}",
        DJANGO_SECURE_SSL_REDIRECT="false",
        DJANGO_SECURE_HSTS_SECONDS="0",
        GUNICORN_ACCESS_LOG="",
        # No recycling of workers: the memory measured after the run is what 60 s of load
        # leaves in one worker (in production, max_requests bounds it further).
        GUNICORN_MAX_REQUESTS="0",
    )


def manage(*args):
    subprocess.run(
        [PYTHON, "manage.py", *args],
        cwd=ROOT,
        env=server_env(),
        check=True,
        stdout=subprocess.DEVNULL,
        timeout=1800,
    )


def prepare_database():
    log(f"creating {DATABASE}, migrate, seed_demo, collectstatic")
    psql(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")
    psql(f"CREATE DATABASE {DATABASE}")
    manage("migrate", "--noinput")
    manage("seed_demo")
    psql("VACUUM ANALYZE", database=DATABASE)
    manage("collectstatic", "--noinput")


def url_mix():
    """The public URLs visitors ask for, with the slugs of the seeded companies."""
    slugs = psql(
        "SELECT slug FROM members_company WHERE published ORDER BY slug", database=DATABASE
    ).split()
    sectors = psql("SELECT slug FROM members_sector ORDER BY slug", database=DATABASE).split()
    mix = [("directory", "/directory/"), ("offers", "/offers/"), ("api", "/api/companies/")]
    mix += [("company", f"/directory/{slug}/") for slug in slugs]
    mix += [("api", f"/api/companies/{slug}/") for slug in slugs[:20]]
    for query in QUERIES:
        encoded = urllib.parse.urlencode({"q": query})
        mix += [("directory", f"/directory/?{encoded}"), ("api", f"/api/companies/?{encoded}")]
    mix += [("directory", f"/directory/?sector={sector}") for sector in sectors]
    mix += [("offers", "/offers/?kind=internship"), ("api", "/api/offers/")]
    return mix


def get(port, path):
    """One request on a new connection, as gunicorn's sync workers close each one."""
    connection = http.client.HTTPConnection(HOST, port, timeout=REQUEST_TIMEOUT)
    try:
        connection.request("GET", path, headers={"Accept-Language": "fr", "User-Agent": "load"})
        response = connection.getresponse()
        response.read()
        return response.status
    finally:
        connection.close()


class Recorder:
    """Latencies and errors, per URL kind and per second of the run."""

    def __init__(self, started):
        self.started = started
        self.lock = threading.Lock()
        self.latencies = collections.defaultdict(list)
        self.errors = collections.Counter()
        self.per_second = collections.defaultdict(lambda: [0, 0])  # second -> [ok, errors]

    def add(self, kind, seconds, outcome):
        second = int(time.perf_counter() - self.started)
        with self.lock:
            if outcome == 200:
                self.latencies[kind].append(seconds)
                self.per_second[second][0] += 1
            else:
                self.errors[f"{kind}: {outcome}"] += 1
                self.per_second[second][1] += 1


def client_thread(port, mix, deadline, recorder, seed):
    chooser = random.Random(seed)
    while time.perf_counter() < deadline:
        kind, path = chooser.choice(mix)
        start = time.perf_counter()
        try:
            outcome = get(port, path)
        except (OSError, http.client.HTTPException) as error:
            outcome = type(error).__name__
        recorder.add(kind, time.perf_counter() - start, outcome)


def postgres_cluster():
    version = sorted(os.listdir("/etc/postgresql"))[-1]
    return ["pg_ctlcluster", "--skip-systemctl-redirect", version, "main"]


def inject(fault, log_lines):
    """Run the fault; return what was done, with timings, for the report."""
    start = time.perf_counter()
    if fault == "postgres":
        subprocess.run([*postgres_cluster(), "restart"], check=True, timeout=120)
        log_lines.append(f"PostgreSQL restarted in {time.perf_counter() - start:.1f} s")
    elif fault == "redis":
        subprocess.run(["redis-cli", "-h", HOST, "shutdown", "nosave"], check=False, timeout=30)
        log_lines.append("Redis shut down")
        time.sleep(REDIS_DOWN_SECONDS)
        subprocess.run(
            [
                "redis-server",
                "--daemonize",
                "yes",
                "--bind",
                "127.0.0.1",
                "-::1",
                "--port",
                "6379",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                "/var/lib/redis",
                "--logfile",
                "/var/log/redis/ci.log",
            ],
            check=True,
            timeout=30,
        )
        log_lines.append(f"Redis started again after {REDIS_DOWN_SECONDS} s")


def worker_memory(master_pid):
    """Resident memory (MB) of each gunicorn worker, from /proc."""
    children = subprocess.run(
        ["pgrep", "-P", str(master_pid)], capture_output=True, text=True, check=False
    ).stdout.split()
    memory = {}
    for pid in children:
        status = Path(f"/proc/{pid}/status").read_text()
        line = next(line for line in status.splitlines() if line.startswith("VmRSS:"))
        memory[int(pid)] = int(line.split()[1]) / 1024
    return memory


def run(options, port):
    mix = url_mix()
    log(f"{len(mix)} URLs in the mix; warming up (each URL once)")
    for _, path in mix:
        get(port, path)
    started = time.perf_counter()
    deadline = started + options.duration
    recorder = Recorder(started)
    threads = [
        threading.Thread(target=client_thread, args=(port, mix, deadline, recorder, n), daemon=True)
        for n in range(options.connections)
    ]
    fault_log = []
    log(f"{options.connections} connections for {options.duration} s")
    for thread in threads:
        thread.start()
    if options.fault:
        time.sleep(options.fault_at)
        log(f"fault: {options.fault}")
        inject(options.fault, fault_log)
    for thread in threads:
        thread.join(timeout=options.duration + REQUEST_TIMEOUT + 5)
    elapsed = time.perf_counter() - started
    return recorder, elapsed, fault_log


def met(ok):
    return "yes" if ok else "**no**"


def report(options, recorder, elapsed, memory, fault_log):
    largest = max(memory.values())
    everything = [s for values in recorder.latencies.values() for s in values]
    ok, errors = len(everything), sum(recorder.errors.values())
    lines = [
        f"### Load, {datetime.date.today().isoformat()}"
        + (f", with a fault: {options.fault}" if options.fault else ""),
        "",
        f"- Machine: {machine_description()}",
        f"- Code: {code_version()}",
        f"- Command: `.venv/bin/python bench/load.py {' '.join(sys.argv[1:])}`".rstrip(),
        f"- gunicorn: {options.workers} sync workers (gunicorn.conf.py), production settings, "
        "cache and sessions in Redis; clients: Python threads on the same machine",
        "",
        "| Figure | Result | Target | Met? |",
        "|---|---|---|---|",
        f"| Requests | {ok + errors:,} in {elapsed:.1f} s, "
        f"{(ok + errors) / elapsed:,.0f} req/s | | |",
        f"| Errors | {errors} | 0 | {met(errors == 0)} |",
        f"| Latency p50 / p95 / p99 | {percentile(everything, 50) * 1000:.0f} / "
        f"{percentile(everything, 95) * 1000:.0f} / {percentile(everything, 99) * 1000:.0f} ms"
        " | | |",
        f"| Largest worker RSS after the run | {largest:.0f} MB "
        f"({', '.join(f'{mb:.0f}' for mb in sorted(memory.values()))}) | "
        f"< {TARGET_WORKER_MB} MB | {met(largest < TARGET_WORKER_MB)} |",
        "",
        "| URL kind | Requests | p50 | p95 |",
        "|---|---|---|---|",
    ]
    for kind, values in sorted(recorder.latencies.items()):
        lines.append(
            f"| {kind} | {len(values):,} | {statistics.median(values) * 1000:.0f} ms | "
            f"{percentile(values, 95) * 1000:.0f} ms |"
        )
    if recorder.errors:
        lines += ["", "Errors: " + ", ".join(f"{k} × {n}" for k, n in recorder.errors.items())]
    if options.fault:
        lines += ["", "Fault: " + "; ".join(fault_log) + ". Answers per second (ok / errors):", ""]
        seconds = sorted(recorder.per_second)
        lines.append(
            " ".join(
                f"{s}s:{recorder.per_second[s][0]}/{recorder.per_second[s][1]}" for s in seconds
            )
        )
        failing = [s for s in seconds if recorder.per_second[s][1]]
        if failing:
            recovered = all(not recorder.per_second[s][1] for s in seconds if s > failing[-1])
            lines.append(
                f"\nErrors from second {failing[0]} to {failing[-1]}; "
                + (
                    "no error after that, gunicorn never restarted."
                    if recovered
                    else "NOT recovered."
                )
            )
        else:
            lines.append("\nNo error at any second.")
    print("\n".join(lines))
    return errors


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--duration", type=int, default=60, help="seconds")
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1)
    parser.add_argument("--fault", choices=["postgres", "redis"])
    parser.add_argument("--fault-at", type=int, default=20, help="seconds into the run")
    parser.add_argument("--keep-db", action="store_true")
    options = parser.parse_args()
    if options.fault and options.fault_at >= options.duration:
        parser.error("--fault-at must fall within --duration")
    return options


def main():
    options = parse_args()
    prepare_database()
    port = free_port()
    error_log = ROOT / "var" / "bench-load-gunicorn.log"
    error_log.parent.mkdir(exist_ok=True)
    error_log.unlink(missing_ok=True)
    environment = dict(
        server_env(), GUNICORN_BIND=f"{HOST}:{port}", GUNICORN_WORKERS=str(options.workers)
    )
    command = [GUNICORN, "-c", "gunicorn.conf.py", "--error-logfile", str(error_log)]
    process = subprocess.Popen([*command, "cluster.wsgi:application"], cwd=ROOT, env=environment)
    try:
        for _ in range(150):
            try:
                if get(port, "/healthz") == 200:
                    break
            except OSError:
                time.sleep(0.2)
        else:
            raise SystemExit(f"gunicorn did not start: {tail(error_log)}")
        recorder, elapsed, fault_log = run(options, port)
        memory = worker_memory(process.pid)
        errors = report(options, recorder, elapsed, memory, fault_log)
    finally:
        stop_gunicorn(process)
        if not options.keep_db:
            psql(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")
    if errors and not options.fault:
        print(f"\nLast lines of the gunicorn log:\n{tail(error_log)}", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
