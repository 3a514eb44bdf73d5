"""Benchmark: the directory's search API, the admin's search and the directory page, over
HTTP on loopback, served by gunicorn (2 sync workers) on PostgreSQL.

Not a test. Usage (from the repository root, after ``make test`` built .venv, with
PostgreSQL on 127.0.0.1:5432 accepting the ``postgres`` user without a password, and Redis
on 127.0.0.1:6379, which the production settings require):

    .venv/bin/python bench/directory.py [--companies 100000] [--requests 10] [--duration 10]
                                        [--threads 8] [--explain 3] [--commit HEAD] [--keep-db]

With ``--commit REV`` it measures a clean export of that commit (``git archive`` into a
temporary folder, plus bench/minimal_view.py) rather than the working tree, which may hold
half-finished work; the figures then name the commit.

It creates the database ``cite_bench_directory`` afresh (dropping any old one), migrates
it, loads the demo cluster then ``seed_demo --companies N``, runs ``VACUUM ANALYZE``,
collects the static files (the production settings use the manifest storage) and starts
``gunicorn`` with ``cluster.settings.production`` on a free port of 127.0.0.1. gunicorn
serves ``bench.minimal_view:application``: the project's application plus one minimal
view, the throughput baseline. Then it measures, in one run:

- the API search ``/api/companies/?q=…`` for a fixed mix of 20 queries, run ``--requests``
  times in sequence: once as the first request after an edit (the public data version is
  bumped before each round, as every edit does, so each answer is a cache miss), once
  warm (the cache in its normal state: Redis, shared by the workers, under a key prefix
  of this run's own);
- the same mix through the admin's changelist search, logged in as a staff user, and
  through Django's default admin search (``bench/minimal_view.py``), the baseline;
- the requests per second of the anonymous ``/directory/`` and of the minimal view,
  ``--threads`` clients for ``--duration`` seconds each, three interleaved pairs of runs
  (the ratio is noisy on a shared machine: the per-pair ratios are printed too);
- the SQL queries of a directory page (in this process, with CaptureQueriesContext);
- that an edit is visible at once on the cached directory page, on both workers.

It prints a Markdown table to paste into docs/performance.md, then stops gunicorn and
drops the database (unless ``--keep-db``). Only 127.0.0.1 is ever contacted.
"""

import argparse
import collections
import datetime
import http.client
import io
import json
import os
import platform
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tarfile
import tempfile
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# The project that is measured: the working tree, or an export of --commit (see main()).
APP_ROOT = ROOT
PYTHON = sys.executable
GUNICORN = str(Path(PYTHON).with_name("gunicorn"))
HOST = "127.0.0.1"
DATABASE = "cite_bench_directory"
SERVER_URL = f"postgres://postgres@{HOST}:5432"
DATABASE_URL = f"{SERVER_URL}/{DATABASE}"
# Database 5: apart from the test suite's (1 to 3) and bench/load.py's (4).
REDIS_URL = f"redis://{HOST}:6379/5"
CACHE_KEY_PREFIX = f"bench-directory-{os.getpid()}"
WSGI_APP = "bench.minimal_view:application"
MINIMAL_URL = "/bench/minimal/"
WORKERS = 2

# What visitors type: company names (some with typos), sectors, towns and word forms.
QUERIES = [
    "stravel",
    "alaxone",
    "vroom",
    "canigou",
    "tramontane productions",
    "atelier",
    "studio",
    "réalité virtuelle",
    "jeu video",
    "e-sante",
    "animation 3d",
    "photographie",
    "communication",
    "perpignan",
    "barcelona",
    "montpellier",
    "créations",
    "numerique",
    "interactive",
    "agence web perpignan",
]

TARGET_API_P95_MS = 15.0  # issue 17
TARGET_ADMIN_RATIO = 20.0
TARGET_DEFAULT_ADMIN_RATIO = 40.0  # issue 17, as the other targets below
TARGET_DIRECTORY_P95_MS = 20.0
TARGET_DIRECTORY_Q_P95_MS = 30.0
TARGET_SUGGEST_P95_MS = 10.0
TARGET_THROUGHPUT_SHARE = 0.5

REQUEST_TIMEOUT = 120  # seconds, per HTTP request
MAX_REQUESTS_PER_THREAD = 1_000_000  # a bound on the throughput loops besides the duration
WARM_PASSES = 4  # runs of the mix before the warm measurement, to fill the cache
THROUGHPUT_PAIRS = 3  # interleaved runs of the minimal view and of /directory/
FRESHNESS_CHECKS = 6  # requests after an edit, to reach both workers
SERVER_START_ATTEMPTS = 150
SERVER_START_PAUSE = 0.2  # seconds


STARTED = time.perf_counter()


def log(message):
    print(f"[{time.perf_counter() - STARTED:6.1f} s] {message}", file=sys.stderr, flush=True)


# --- Database and commands ---------------------------------------------------------------


def psql(sql, database="postgres"):
    result = subprocess.run(
        ["psql", f"{SERVER_URL}/{database}", "-qAtc", sql],
        check=True,
        capture_output=True,
        text=True,
        timeout=600,
    )
    return result.stdout.strip()


def drop_database():
    psql(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")


def server_env():
    """The environment the production settings need, for HTTP on loopback."""
    return dict(
        os.environ,
        DJANGO_SETTINGS_MODULE="cluster.settings.production",
        DJANGO_SECRET_KEY="bench-directory-not-a-secret-" + "x" * 40,
        DJANGO_ALLOWED_HOSTS=HOST,
        DATABASE_URL=DATABASE_URL,
        REDIS_URL=REDIS_URL,
        CITE_CACHE_KEY_PREFIX=CACHE_KEY_PREFIX,
        DJANGO_SECURE_SSL_REDIRECT="false",
        DJANGO_SECURE_HSTS_SECONDS="0",
        DJANGO_DEBUG="false",
    )


def manage(*args, timeout=1800):
    """Run a management command; return its wall-clock seconds."""
    start = time.perf_counter()
    subprocess.run(
        [PYTHON, "manage.py", *args],
        cwd=APP_ROOT,
        env=server_env(),
        check=True,
        stdout=subprocess.DEVNULL,
        timeout=timeout,
    )
    return time.perf_counter() - start


def prepare_database(companies, reuse=False):
    if reuse:
        log(f"reusing {DATABASE}: migrate, VACUUM ANALYZE")
        manage("migrate", "--noinput")
        psql("VACUUM ANALYZE", database=DATABASE)
        manage("collectstatic", "--noinput")
        return 0.0
    log(f"creating {DATABASE}")
    drop_database()
    psql(f"CREATE DATABASE {DATABASE}")
    log("migrate")
    manage("migrate", "--noinput")
    log("seed_demo (the demo cluster)")
    manage("seed_demo")
    log(f"seed_demo --companies {companies}")
    seed_seconds = manage("seed_demo", "--companies", str(companies))
    log(f"seeded in {seed_seconds:.1f} s; VACUUM ANALYZE")
    psql("VACUUM ANALYZE", database=DATABASE)
    log("collectstatic (the manifest storage needs it)")
    manage("collectstatic", "--noinput")
    return seed_seconds


def setup_django():
    """Set Django up in this process, on the benchmark database, with the server's settings."""
    os.environ.update(server_env())
    sys.path.insert(0, str(APP_ROOT))
    import django

    django.setup()
    import cluster

    if not Path(cluster.__file__).resolve().is_relative_to(APP_ROOT.resolve()):
        raise SystemExit(f"imported {cluster.__file__}, not the project in {APP_ROOT}")


def create_staff_session():
    """Create a superuser and a logged-in session; return the Cookie header value."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import (
        BACKEND_SESSION_KEY,
        HASH_SESSION_KEY,
        SESSION_KEY,
        get_user_model,
    )

    # A kept database (--reuse-db) has the user already.
    user = get_user_model().objects.filter(username="bench-staff").first()
    if user is None:
        user = get_user_model().objects.create_superuser(
            "bench-staff", "bench-staff@example.org", password=None
        )
    session = import_module(settings.SESSION_ENGINE).SessionStore()
    session[SESSION_KEY] = user._meta.pk.value_to_string(user)
    session[BACKEND_SESSION_KEY] = "members.auth.EmailBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.save()
    # Sent as a plain Cookie header: the Secure flag only stops browsers, over HTTP.
    return f"{settings.SESSION_COOKIE_NAME}={session.session_key}"


def bump_public_version():
    """What every edit does (members.signals): cached public answers become misses."""
    from members.caching import bump_public_version as bump

    bump()


def data_figures():
    from members.models import Company

    return Company.objects.count(), Company.objects.public().count()


# --- HTTP client -------------------------------------------------------------------------


@dataclass
class Reply:
    status: int
    seconds: float
    body: bytes
    cache: str | None


class Client:
    """One HTTP/1.1 client connection to 127.0.0.1, reopened when the server closes it.

    gunicorn's sync workers close the connection after each answer, so each request
    includes a loopback TCP connect, as a proxy in front of gunicorn would make.
    """

    def __init__(self, port, cookie=None):
        self.port = port
        self.headers = {"Accept-Language": "fr-FR,fr;q=0.9,en;q=0.5", "User-Agent": "cite-bench"}
        if cookie:
            self.headers["Cookie"] = cookie
        self.connection = None

    def close(self):
        if self.connection is not None:
            self.connection.close()
            self.connection = None

    def get(self, path):
        for attempt in range(2):  # once more on a stale kept-alive connection
            if self.connection is None:
                self.connection = http.client.HTTPConnection(
                    HOST, self.port, timeout=REQUEST_TIMEOUT
                )
            start = time.perf_counter()
            try:
                self.connection.request("GET", path, headers=self.headers)
                response = self.connection.getresponse()
                body = response.read()
            except (http.client.HTTPException, OSError):
                self.close()
                if attempt:
                    raise
                continue
            seconds = time.perf_counter() - start
            if response.will_close:
                self.close()
            return Reply(response.status, seconds, body, response.getheader("X-Cache"))
        raise AssertionError("unreachable")


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def start_gunicorn(port, error_log):
    command = [
        GUNICORN,
        WSGI_APP,
        "--workers",
        str(WORKERS),
        "--threads",
        "1",
        "--worker-class",
        "sync",
        "--bind",
        f"{HOST}:{port}",
        "--chdir",
        str(APP_ROOT),
        "--error-logfile",
        str(error_log),
        "--timeout",
        str(REQUEST_TIMEOUT),
    ]
    log("starting " + " ".join(command[1:]))
    return subprocess.Popen(command, cwd=APP_ROOT, env=server_env(), stdout=subprocess.DEVNULL)


def wait_until_ready(process, port, error_log):
    client = Client(port)
    for _ in range(SERVER_START_ATTEMPTS):
        if process.poll() is not None:
            raise SystemExit(f"gunicorn exited with {process.returncode}: {tail(error_log)}")
        try:
            if client.get("/healthz").status == 200:
                return
        except OSError:
            pass
        time.sleep(SERVER_START_PAUSE)
    raise SystemExit(f"gunicorn did not answer /healthz: {tail(error_log)}")


def tail(path, lines=20):
    if not path.exists():
        return "(no log)"
    return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])


def stop_gunicorn(process):
    if process is None or process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=30)


# --- Measurements ------------------------------------------------------------------------


def api_url(query):
    return "/api/companies/?" + urllib.parse.urlencode({"q": query})


def admin_url(query):
    return "/admin/members/company/?" + urllib.parse.urlencode({"q": query})


def admin_default_url(query):
    return "/bench/admin-default/?" + urllib.parse.urlencode({"q": query})


def suggest_url(prefix):
    return "/api/companies/suggest?" + urllib.parse.urlencode({"q": prefix})


def directory_url(query=None):
    return "/directory/" + ("?" + urllib.parse.urlencode({"q": query}) if query else "")


@dataclass
class Series:
    """Sequential latencies of a set of URLs, with what the server answered."""

    samples: dict = field(default_factory=lambda: collections.defaultdict(list))
    statuses: collections.Counter = field(default_factory=collections.Counter)
    cache: collections.Counter = field(default_factory=collections.Counter)

    def add(self, url, reply):
        self.samples[url].append(reply.seconds)
        self.statuses[reply.status] += 1
        self.cache[reply.cache or "none"] += 1

    def all_ms(self):
        return [s * 1000 for values in self.samples.values() for s in values]

    def p50(self):
        return statistics.median(self.all_ms())

    def p95(self):
        return percentile(self.all_ms(), 95)

    def errors(self):
        return sum(n for status, n in self.statuses.items() if status != 200)

    def hit_share(self):
        total = sum(self.cache.values())
        return self.cache["hit"] / total if total else 0.0


def percentile(values, pct):
    if not values:
        return float("nan")
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[pct - 1]


def run_mix(client, urls, rounds, before_round=None):
    series = Series()
    for _ in range(rounds):
        if before_round is not None:
            before_round()
        for url in urls:
            series.add(url, client.get(url))
    return series


def warm_up(client, urls, passes=1):
    """Request each URL ``passes`` times; return the statuses of the first pass."""
    first = {}
    for number in range(passes):
        for url in urls:
            reply = client.get(url)
            if number == 0:
                first[url] = reply
    return first


@dataclass
class Throughput:
    path: str
    threads: int
    seconds: float = 0.0
    requests: int = 0
    statuses: collections.Counter = field(default_factory=collections.Counter)
    cache: collections.Counter = field(default_factory=collections.Counter)
    failures: int = 0
    latencies: list = field(default_factory=list)

    @property
    def rps(self):
        return self.requests / self.seconds if self.seconds else 0.0

    def errors(self):
        return self.failures + sum(n for s, n in self.statuses.items() if s != 200)

    def hit_share(self):
        return self.cache["hit"] / self.requests if self.requests else 0.0

    @classmethod
    def combine(cls, runs):
        total = cls(runs[0].path, runs[0].threads)
        for run in runs:
            total.seconds += run.seconds
            total.requests += run.requests
            total.statuses.update(run.statuses)
            total.cache.update(run.cache)
            total.failures += run.failures
            total.latencies.extend(run.latencies)
        return total


def measure_throughput(port, path, threads, duration):
    result = Throughput(path, threads)
    lock = threading.Lock()
    barrier = threading.Barrier(threads + 1)
    finished = []

    def worker():
        client = Client(port)
        statuses, cache, latencies = collections.Counter(), collections.Counter(), []
        failures = 0
        barrier.wait(timeout=60)
        deadline = time.perf_counter() + duration
        for _ in range(MAX_REQUESTS_PER_THREAD):
            if time.perf_counter() >= deadline:
                break
            try:
                reply = client.get(path)
            except (http.client.HTTPException, OSError):
                failures += 1
                continue
            statuses[reply.status] += 1
            cache[reply.cache or "none"] += 1
            latencies.append(reply.seconds * 1000)
        client.close()
        with lock:
            finished.append(time.perf_counter())
            result.statuses.update(statuses)
            result.cache.update(cache)
            result.failures += failures
            result.latencies.extend(latencies)

    pool = [threading.Thread(target=worker, daemon=True) for _ in range(threads)]
    for thread in pool:
        thread.start()
    barrier.wait(timeout=60)
    start = time.perf_counter()
    for thread in pool:
        thread.join(timeout=duration + REQUEST_TIMEOUT + 30)
    result.seconds = (max(finished) if finished else time.perf_counter()) - start
    result.requests = sum(result.statuses.values())
    return result


def count_queries(path):
    """SQL queries of one anonymous request, as a cache miss then as a cache hit."""
    from django.db import connection
    from django.test import Client as DjangoClient
    from django.test.utils import CaptureQueriesContext

    client = DjangoClient(HTTP_HOST=HOST)
    counts = {}
    bump_public_version()
    for state in ("miss", "hit"):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path)
        if response.status_code != 200 or response.get("X-Cache") != state:
            raise SystemExit(
                f"{path}: expected a 200 cache {state}, got {response.status_code} "
                f"{response.get('X-Cache')}"
            )
        counts[state] = len(queries)
    return counts


def check_freshness(port):
    """Edit the first company of /directory/ as the admin does (a save); is it visible?"""
    from django.db.models.functions import Lower

    from members.models import Company

    client = Client(port)
    for _ in range(FRESHNESS_CHECKS):  # cache /directory/ in both workers
        client.get(directory_url())
    company = Company.objects.public().order_by(Lower("trade_name"), "pk").first()
    old_city = company.city
    marker = "Ville-Bench-Edit"
    if marker.encode() in client.get(directory_url()).body:
        raise SystemExit("the freshness marker is already on the page")
    company.city = marker
    company.save()
    try:
        seen = sum(
            marker.encode() in client.get(directory_url()).body for _ in range(FRESHNESS_CHECKS)
        )
    finally:
        company.city = old_city
        company.save()
    return seen, company.trade_name


def explain_slowest(series, count):
    """Time each SQL statement of the slowest API queries, and EXPLAIN ANALYZE the slowest."""
    from django.db import connection
    from django.test import Client as DjangoClient
    from django.test.utils import CaptureQueriesContext

    client = DjangoClient(HTTP_HOST=HOST)
    ranked = sorted(series.samples.items(), key=lambda item: -max(item[1]))[:count]
    lines = []
    for url, _samples in ranked:
        bump_public_version()
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        statements = [(float(q["time"]) * 1000, q["sql"]) for q in queries.captured_queries]
        lines.append(f"### {urllib.parse.unquote(url)}")
        lines.append("")
        for ms, sql in statements:
            lines.append(f"- {ms:.1f} ms: `{sql[:140]}…`")
        ms, sql = max(statements)
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
            plan = "\n".join(row[0] for row in cursor.fetchall())
        lines += ["", "Slowest statement:", "", "```", sql, "```", "", "```", plan, "```", ""]
    return "\n".join(lines)


# --- Report ------------------------------------------------------------------------------


def machine_description():
    cpu = "unknown CPU"
    lscpu = subprocess.run(["lscpu"], capture_output=True, text=True, timeout=30).stdout
    match = re.search(r"^Model name:\s*(.+)$", lscpu, re.MULTILINE)
    if match:
        cpu = match.group(1).strip()
    memory = ""
    meminfo = Path("/proc/meminfo")
    if meminfo.exists():
        match = re.search(r"MemTotal:\s*(\d+) kB", meminfo.read_text())
        if match:
            memory = f", {int(match.group(1)) / 1024**2:.0f} GiB RAM"
    postgres = psql("SHOW server_version").split()[0]
    return (
        f"{os.cpu_count()} CPUs ({cpu}){memory}, {platform.platform(terse=True)}, "
        f"Python {platform.python_version()}, PostgreSQL {postgres} on the same machine"
    )


def git(*args):
    return subprocess.run(
        ["git", *args], cwd=ROOT, capture_output=True, check=True, timeout=120
    ).stdout


def code_version():
    """The commit measured, and whether the working tree had uncommitted changes."""
    try:
        commit = git("log", "-1", "--format=%h %s").decode().strip()
        changed = git("status", "--porcelain", "--untracked-files=no").decode().splitlines()
    except (OSError, subprocess.SubprocessError):
        return "unknown (no git)"
    dirty = f" + uncommitted changes to {len(changed)} tracked files" if changed else ""
    return f"working tree at commit {commit}{dirty}"


def export_commit(revision, folder):
    """Extract ``revision`` into ``folder`` (git archive: the repository is only read),
    with this benchmark's WSGI module; return a description of the commit."""
    commit = git("log", "-1", "--format=%h %s", revision, "--").decode().strip()
    archive = git("archive", "--format=tar", revision)
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(folder, filter="data")
    (folder / "bench").mkdir(exist_ok=True)
    shutil.copy2(Path(__file__).with_name("minimal_view.py"), folder / "bench")
    return f"commit {commit} (clean export of `{revision}`)"


def versions():
    from importlib.metadata import version

    return f"Django {version('Django')}, gunicorn {version('gunicorn')}"


def verdict(ok):
    return "yes" if ok else "**no**"


def ms_pair(series):
    return f"{series.p50():.1f} / {series.p95():.1f} ms"


def cache_note(series):
    return f"{series.hit_share():.0%} cache hits, {series.errors()} non-200"


def throughput_cell(run):
    return (
        f"{run.rps:.0f} req/s ({THROUGHPUT_PAIRS} runs × {run.threads} clients, "
        f"{run.seconds:.1f} s in all, {run.requests:,} requests, latency p50 / p95 "
        f"{percentile(run.latencies, 50):.1f} / {percentile(run.latencies, 95):.1f} ms, "
        f"{run.hit_share():.1%} cache hits, {run.errors()} errors)"
    )


def api_counts(client):
    counts = {}
    for query in QUERIES:
        reply = client.get(api_url(query))
        counts[query] = json.loads(reply.body)["count"] if reply.status == 200 else None
    return counts


def report(figures):
    f = figures
    api_cold, api_warm, admin = f["api_cold"], f["api_warm"], f["admin"]
    directory_tp, minimal_tp = f["directory_tp"], f["minimal_tp"]
    share = directory_tp.rps / minimal_tp.rps if minimal_tp.rps else 0.0
    cold_ratio = admin.p95() / api_cold.p95()
    warm_ratio = admin.p95() / api_warm.p95()
    rows = [
        ("date", f["date"]),
        ("machine", f["machine"]),
        ("command", f"`{f['command']}`"),
        ("code", f["code"]),
        (
            "server",
            f"gunicorn, {WORKERS} sync workers, `cluster.settings.production`, {f['versions']}; "
            "loopback HTTP, client in Python (http.client) on the same machine; "
            f"1-min load average {f['load']:.2f} before the measurements, "
            f"{f['load_after']:.2f} after (its own load included)",
        ),
        (
            "data",
            f"{f['companies']:,} companies ({f['public']:,} public): the demo cluster + "
            f"`seed_demo --companies {f['generated']}` (seeded in {f['seed_seconds']:.1f} s), "
            "then VACUUM ANALYZE",
        ),
        (
            "API search, 1st request after an edit (cache miss), p50 / p95",
            f"{ms_pair(api_cold)} (target p95 ≤ {TARGET_API_P95_MS:.0f} ms: "
            f"{verdict(api_cold.p95() <= TARGET_API_P95_MS)}; {cache_note(api_cold)})",
        ),
        (
            "API search, warm, p50 / p95",
            f"{ms_pair(api_warm)} (target p95 ≤ {TARGET_API_P95_MS:.0f} ms: "
            f"{verdict(api_warm.p95() <= TARGET_API_P95_MS)}; {cache_note(api_warm)})",
        ),
        (
            "admin changelist search (staff), p50 / p95",
            f"{ms_pair(admin)} ({admin.errors()} non-200)",
        ),
        (
            "Django's default admin search (`icontains` over "
            "name, legal name, SIREN, SIRET, town, email; its queries without the template), "
            "p50 / p95",
            f"{ms_pair(f['admin_default'])} ({f['admin_default'].errors()} non-200)",
        ),
        (
            "default admin search p95 / API p95, cache miss",
            f"{f['admin_default'].p95() / api_cold.p95():.1f}× (target ≥ "
            f"{TARGET_DEFAULT_ADMIN_RATIO:.0f}×: "
            f"{verdict(f['admin_default'].p95() / api_cold.p95() >= TARGET_DEFAULT_ADMIN_RATIO)})",
        ),
        (
            "admin p95 / API p95, cache miss",
            f"{cold_ratio:.1f}× (target ≥ {TARGET_ADMIN_RATIO:.0f}×: "
            f"{verdict(cold_ratio >= TARGET_ADMIN_RATIO)})",
        ),
        (
            "admin p95 / API p95, warm",
            f"{warm_ratio:.1f}× (target ≥ {TARGET_ADMIN_RATIO:.0f}×: "
            f"{verdict(warm_ratio >= TARGET_ADMIN_RATIO)})",
        ),
        ("`/directory/` anonymous, throughput", throughput_cell(directory_tp)),
        ("minimal Django view (`SELECT 1`), throughput", throughput_cell(minimal_tp)),
        (
            "`/directory/` / minimal view",
            f"{share:.0%} (target ≥ {TARGET_THROUGHPUT_SHARE:.0%}: "
            f"{verdict(share >= TARGET_THROUGHPUT_SHARE)}; per pair of runs: "
            + ", ".join(f"{x:.0%}" for x in f["tp_shares"])
            + ")",
        ),
        (
            "`/directory/`, 1st request after an edit, p50 / p95",
            f"{ms_pair(f['directory_cold'])} ({f['directory_cold'].errors()} non-200; "
            f"target p95 ≤ {TARGET_DIRECTORY_P95_MS:.0f} ms: "
            f"{verdict(f['directory_cold'].p95() <= TARGET_DIRECTORY_P95_MS)})",
        ),
        (
            "`/directory/?q=studio`, 1st request after an edit, p50 / p95",
            f"{ms_pair(f['studio_cold'])} ({f['studio_cold'].errors()} non-200)",
        ),
        (
            f"`/directory/?q=…`, the {len(QUERIES)} queries, 1st request after an edit, p50 / p95",
            f"{ms_pair(f['directory_q_cold'])} ({f['directory_q_cold'].errors()} non-200; "
            f"target p95 ≤ {TARGET_DIRECTORY_Q_P95_MS:.0f} ms: "
            f"{verdict(f['directory_q_cold'].p95() <= TARGET_DIRECTORY_Q_P95_MS)})",
        ),
        (
            "suggestions `/api/companies/suggest?q=…` (each query less its last 2 letters), "
            "after an edit, p50 / p95",
            (
                f"{ms_pair(f['suggest_cold'])} ({f['suggest_cold'].errors()} non-200; "
                f"target p95 ≤ {TARGET_SUGGEST_P95_MS:.0f} ms: "
                f"{verdict(f['suggest_cold'].p95() <= TARGET_SUGGEST_P95_MS)})"
                if f["suggest_cold"].all_ms()
                else "no such endpoint in this commit"
            ),
        ),
        (
            "SQL queries, `/directory/`",
            f"{f['queries_directory']['miss']} on a cache miss, "
            f"{f['queries_directory']['hit']} on a hit",
        ),
        (
            "SQL queries, `/directory/?q=studio`",
            f"{f['queries_studio']['miss']} on a cache miss, {f['queries_studio']['hit']} on a hit",
        ),
        (
            "an edit is visible at once on cached `/directory/`",
            f"{verdict(f['fresh_seen'] == FRESHNESS_CHECKS)} "
            f"({f['fresh_seen']}/{FRESHNESS_CHECKS} requests after a save showed it)",
        ),
    ]
    lines = ["| figure | value |", "| --- | --- |"]
    lines += [f"| {name} | {value} |" for name, value in rows]
    lines += [
        "",
        f"Per query (ms; {f['rounds']} requests each; API results = `count` of the answer):",
        "",
        "| query | results | API miss p50 | API miss max | API warm p50 | API warm max "
        "| admin p50 | admin max |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for query in QUERIES:
        cells = []
        for series, url in ((api_cold, api_url), (api_warm, api_url), (admin, admin_url)):
            values = [s * 1000 for s in series.samples[url(query)]]
            cells += [f"{statistics.median(values):.1f}", f"{max(values):.1f}"]
        count = f["api_counts"][query]
        lines.append(
            f"| {query} | {'?' if count is None else f'{count:,}'} | " + " | ".join(cells) + " |"
        )
    return "\n".join(lines)


# --- Main --------------------------------------------------------------------------------


def parse_args():
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--companies", type=int, default=100_000, help="generated companies")
    parser.add_argument(
        "--requests",
        type=int,
        default=10,
        metavar="N",
        help="measured requests per query of the mix, per series (default 10)",
    )
    parser.add_argument(
        "--duration", type=float, default=10.0, metavar="S", help="seconds per throughput run"
    )
    parser.add_argument("--threads", type=int, default=8, help="client threads for throughput")
    parser.add_argument(
        "--explain",
        type=int,
        default=0,
        metavar="K",
        help="print the SQL timings and EXPLAIN ANALYZE of the K slowest API queries",
    )
    parser.add_argument(
        "--commit",
        metavar="REV",
        help="measure a clean export of this commit (git archive into a temporary folder) "
        "instead of the working tree, which others may be editing",
    )
    parser.add_argument("--keep-db", action="store_true", help=f"keep {DATABASE} afterwards")
    parser.add_argument(
        "--reuse-db",
        action="store_true",
        help="measure the database a --keep-db run left (migrated, not seeded again; kept)",
    )
    parser.add_argument(
        "--database",
        default=DATABASE,
        help="the database to create and drop (another name keeps two runs apart)",
    )
    options = parser.parse_args()
    if not 1 <= options.companies <= 10_000_000:
        parser.error("--companies must be between 1 and 10,000,000")
    if not 1 <= options.requests <= 1000:
        parser.error("--requests must be between 1 and 1000")
    if not 0.5 <= options.duration <= 600:
        parser.error("--duration must be between 0.5 and 600 seconds")
    if not 1 <= options.threads <= 64:
        parser.error("--threads must be between 1 and 64")
    return options


def command_line(options):
    parts = [".venv/bin/python bench/directory.py", f"--companies {options.companies}"]
    parts += [f"--requests {options.requests}", f"--duration {options.duration:g}"]
    parts.append(f"--threads {options.threads}")
    if options.commit:
        parts.append(f"--commit {options.commit}")
    return " ".join(parts)


def measure(options, port, cookie, figures):
    rounds = options.requests
    api_urls = [api_url(q) for q in QUERIES]
    admin_urls = [admin_url(q) for q in QUERIES]
    client = Client(port)
    figures["load"] = os.getloadavg()[0]

    log("warming up the workers and each API URL once")
    warm_up(client, ["/healthz", directory_url(), MINIMAL_URL], passes=WORKERS * 2)
    first = warm_up(client, api_urls)
    bad = {url: reply.status for url, reply in first.items() if reply.status != 200}
    if bad:
        raise SystemExit(f"the API answered errors: {bad}")

    log(f"API, first request after an edit: {rounds} rounds of {len(QUERIES)} queries")
    figures["api_cold"] = run_mix(client, api_urls, rounds, before_round=bump_public_version)
    log(f"API, warm: {WARM_PASSES} passes to fill the caches, then {rounds} rounds")
    warm_up(client, api_urls, passes=WARM_PASSES)
    figures["api_warm"] = run_mix(client, api_urls, rounds)
    figures["api_counts"] = api_counts(client)

    log(f"directory page, first request after an edit: {rounds} rounds")
    directory = Series()
    studio = Series()
    for _ in range(rounds):
        bump_public_version()
        directory.add(directory_url(), client.get(directory_url()))
        studio.add(directory_url("studio"), client.get(directory_url("studio")))
    figures["directory_cold"], figures["studio_cold"] = directory, studio

    log(f"directory pages with a query and suggestions, after an edit: {rounds} rounds")
    searched, suggested = Series(), Series()
    for _ in range(rounds):
        bump_public_version()
        for query in QUERIES:
            searched.add(directory_url(query), client.get(directory_url(query)))
            prefix = query[: max(4, len(query) - 2)]
            reply = client.get(suggest_url(prefix))
            if reply.status != 404:  # a commit from before the endpoint
                suggested.add(suggest_url(prefix), reply)
    figures["directory_q_cold"], figures["suggest_cold"] = searched, suggested

    staff = Client(port, cookie=cookie)
    log("admin: warming up each URL once")
    first = warm_up(staff, admin_urls)
    bad = {url: reply.status for url, reply in first.items() if reply.status != 200}
    if bad:
        raise SystemExit(f"the admin did not answer 200 (is the session valid?): {bad}")
    log(f"admin changelist search: {rounds} rounds of {len(QUERIES)} queries")
    figures["admin"] = run_mix(staff, admin_urls, rounds)
    default_urls = [admin_default_url(q) for q in QUERIES]
    log(f"Django's default admin search (icontains): {rounds} rounds of {len(QUERIES)} queries")
    figures["admin_default"] = run_mix(client, default_urls, rounds)

    log(
        f"throughput: {THROUGHPUT_PAIRS} × (minimal view, /directory/), "
        f"{options.threads} clients × {options.duration:g} s each"
    )
    warm_up(client, [directory_url(), MINIMAL_URL], passes=WORKERS * 3)
    minimal_runs, directory_runs = [], []
    for _ in range(THROUGHPUT_PAIRS):  # interleaved, so that a noisy moment hits both
        for runs, path in ((minimal_runs, MINIMAL_URL), (directory_runs, directory_url())):
            runs.append(measure_throughput(port, path, options.threads, options.duration))
    figures["minimal_tp"] = Throughput.combine(minimal_runs)
    figures["directory_tp"] = Throughput.combine(directory_runs)
    figures["tp_shares"] = [
        d.rps / m.rps if m.rps else 0.0 for m, d in zip(minimal_runs, directory_runs, strict=True)
    ]

    log("checking that an edit shows at once")
    figures["fresh_seen"], figures["fresh_company"] = check_freshness(port)
    figures["load_after"] = os.getloadavg()[0]
    client.close()
    staff.close()


def main():
    global APP_ROOT, DATABASE, DATABASE_URL
    options = parse_args()
    DATABASE = options.database
    DATABASE_URL = f"{SERVER_URL}/{DATABASE}"
    started = datetime.datetime.now().astimezone()
    figures = {
        "date": started.strftime("%Y-%m-%d"),
        "command": command_line(options),
        "rounds": options.requests,
        "generated": options.companies,
    }
    figures["machine"] = machine_description()
    gunicorn = None
    django_ready = False
    explained = ""
    with tempfile.TemporaryDirectory(prefix="cite-bench-") as folder:
        error_log = Path(folder) / "gunicorn.log"
        if options.commit:
            APP_ROOT = Path(folder) / "src"
            figures["code"] = export_commit(options.commit, APP_ROOT)
            log(f"measuring {figures['code']} in {APP_ROOT}")
        else:
            figures["code"] = code_version()
        try:
            figures["seed_seconds"] = prepare_database(options.companies, options.reuse_db)
            setup_django()
            django_ready = True
            figures["versions"] = versions()
            figures["companies"], figures["public"] = data_figures()
            cookie = create_staff_session()
            log("counting the SQL queries of directory pages (in this process)")
            figures["queries_directory"] = count_queries(directory_url())
            figures["queries_studio"] = count_queries(directory_url("studio"))
            port = free_port()
            gunicorn = start_gunicorn(port, error_log)
            wait_until_ready(gunicorn, port, error_log)
            measure(options, port, cookie, figures)
            if options.explain:
                explained = explain_slowest(figures["api_cold"], options.explain)
        finally:
            stop_gunicorn(gunicorn)
            if error_log.exists():
                errors = [
                    line
                    for line in error_log.read_text(errors="replace").splitlines()
                    if "[ERROR]" in line or "Traceback" in line
                ]
                if errors:
                    log(f"gunicorn logged {len(errors)} errors; first: {errors[0]}")
            if django_ready:
                from django.db import connections

                connections.close_all()
            if options.keep_db or options.reuse_db:
                log(f"kept the database {DATABASE_URL}")
            else:
                log(f"dropping {DATABASE}")
                drop_database()
    print()
    print(f"## Directory search and pages ({figures['date']})")
    print()
    print(report(figures))
    if explained:
        print()
        print(f"## The {options.explain} slowest API queries (cache miss)")
        print()
        print(explained)
    log(f"done in {(datetime.datetime.now().astimezone() - started).total_seconds():.0f} s")


if __name__ == "__main__":
    main()
