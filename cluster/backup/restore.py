"""Restore a backup into an empty database and storage, after checking all of it."""

import itertools
import json
from pathlib import Path, PurePosixPath

from django.core.files import File
from django.core.files.storage import default_storage
from django.db import connections
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .common import (
    DATABASE_FILE,
    FORMAT_VERSION,
    MANIFEST,
    MEDIA,
    VENDOR,
    BackupError,
    digest,
    file_digest,
    refuse_atomic_block,
)
from .postgres import (
    client_program,
    count_rows,
    pending_migrations,
    refuse_non_empty_database,
    restore_database,
)


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
    refuse_atomic_block(connection)
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
    refuse_non_empty_database(connection)
    pg_restore = client_program("pg_restore", connection)
    to_write, present = _plan_media(directory, manifest["media"])

    for entry in to_write:
        _restore_media_file(directory, entry)
    restore_database(pg_restore, connection.settings_dict, directory / DATABASE_FILE)
    tables, rows = count_rows(connection)
    return {
        "tables": tables,
        "rows": rows,
        "files": len(to_write),
        "present": len(present),
        "pending_migrations": pending_migrations(connection),
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
    actual = file_digest(path)
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
        return digest(stored)["sha256"]
