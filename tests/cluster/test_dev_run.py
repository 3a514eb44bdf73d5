"""`make run` serves with one worker beside the server: when one stops, so does the other."""

import sys
import time

from cluster.dev import _run_together


def test_when_the_server_stops_its_worker_stops_too(tmp_path):
    marker = tmp_path / "worker-alive"
    worker = [
        sys.executable,
        "-c",
        f"import pathlib, time; pathlib.Path({str(marker)!r}).touch(); time.sleep(60)",
    ]
    server = [sys.executable, "-c", "import time; time.sleep(1.5)"]
    started = time.monotonic()
    assert _run_together(server, worker, environment=None) == 0
    assert marker.exists()  # the worker did run beside the server
    assert time.monotonic() - started < 20  # and was stopped, not waited for


def test_when_the_worker_fails_the_server_stops_and_the_failure_shows():
    server = [sys.executable, "-c", "import time; time.sleep(60)"]
    worker = [sys.executable, "-c", "raise SystemExit(3)"]
    started = time.monotonic()
    assert _run_together(server, worker, environment=None) == 3
    assert time.monotonic() - started < 20
