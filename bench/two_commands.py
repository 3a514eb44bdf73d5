"""Benchmark: the two commands of the README on a fresh clone, as a new user runs them.

Not a test. For each commit given, clone this repository into a temporary folder, then time:

- ``make run`` up to the first page served (creating .venv, installing, starting the
  database, migrating, loading the demo), then stop it;
- ``make run`` again up to the first page (the data kept, nothing loaded twice);
- ``make test``.

Usage (from the repository root, as root for --hide-system-postgres):

    .venv/bin/python bench/two_commands.py [--hide-system-postgres] COMMIT [COMMIT ...]

``--hide-system-postgres`` runs everything in a private mount namespace where the machine's
PostgreSQL socket folder is empty and its client programs are absent, as on a machine with
no PostgreSQL installed. DATABASE_URL is always unset.
"""

import argparse
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
URL = "http://127.0.0.1:8000/"
SYSTEM_POSTGRES_PROGRAMS = ["psql", "pg_dump", "pg_restore", "pg_ctl", "initdb", "postgres"]


def environment():
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "VIRTUAL_ENV"}}
    env["PATH"] = os.pathsep.join(
        part for part in env["PATH"].split(os.pathsep) if ".venv" not in part
    )
    return env


def first_page(clone, log):
    """Start ``make run``; return the seconds until the home page answers 200, then stop."""
    start = time.perf_counter()
    process = subprocess.Popen(
        ["make", "run"],
        cwd=clone,
        env=environment(),
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
        # A background job inherits SIGINT ignored: restore Ctrl-C's default for make run.
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),  # noqa: PLW1509
    )
    try:
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"make run exited with {process.returncode}; see {log.name}")
            try:
                with urllib.request.urlopen(URL, timeout=5) as response:  # noqa: S310
                    if response.status == 200:
                        return time.perf_counter() - start
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            time.sleep(0.2)
    finally:
        # Ctrl-C, as a user stops it: the whole process group gets SIGINT.
        os.killpg(process.pid, signal.SIGINT)
        process.wait(timeout=60)


def timed(command, clone, log):
    start = time.perf_counter()
    result = subprocess.run(
        command, cwd=clone, env=environment(), stdout=log, stderr=subprocess.STDOUT, check=False
    )
    return time.perf_counter() - start, result.returncode


def measure(commit, folder):
    clone = Path(folder) / commit
    subprocess.run(["git", "clone", "--quiet", str(ROOT), str(clone)], check=True)
    subprocess.run(["git", "-C", str(clone), "checkout", "--quiet", commit], check=True)
    with open(Path(folder) / f"{commit}.log", "w") as log:
        fresh = first_page(clone, log)
        again = first_page(clone, log)
        test_seconds, status = timed(["make", "test"], clone, log)
    tail = (Path(folder) / f"{commit}.log").read_text().splitlines()[-3:]
    return fresh, again, test_seconds, status, tail


def hide_system_postgres():
    """Re-run this script in a mount namespace without the machine's PostgreSQL."""
    mounts = ["mount -t tmpfs tmpfs /var/run/postgresql"]
    for program in SYSTEM_POSTGRES_PROGRAMS:
        path = shutil.which(program)
        if path:
            mounts.append(f"mount --bind /dev/null {path}")
    arguments = " ".join(a for a in sys.argv if a != "--hide-system-postgres")
    script = " && ".join([*mounts, f"exec {sys.executable} {arguments}"])
    os.execvp("unshare", ["unshare", "--mount", "--propagation", "private", "sh", "-c", script])  # noqa: S606


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("commits", nargs="+")
    parser.add_argument("--hide-system-postgres", action="store_true")
    options = parser.parse_args()
    if options.hide_system_postgres:
        hide_system_postgres()
    load = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="cite-two-commands-") as folder:
        for commit in options.commits:
            fresh, again, test_seconds, status, tail = measure(commit, folder)
            print(
                f"{commit}: make run to the first page {fresh:.1f} s (fresh clone), "
                f"{again:.1f} s (second run); make test {test_seconds:.1f} s "
                f"(exit {status}: {tail[-1] if tail else ''}); load average at start {load:.2f}"
            )
            subprocess.run(["git", "-C", str(ROOT), "log", "-1", "--format=  %h %s", commit])


if __name__ == "__main__":
    main()
