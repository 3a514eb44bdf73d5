"""Write a backup: the database first, then every media file, then the manifest."""

import json
import os
import posixpath
import shutil
import tempfile
from pathlib import Path, PurePosixPath

from django.core.files.storage import default_storage
from django.db import connections
from django.utils import timezone
from django.utils.translation import gettext as _

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
from .postgres import client_program, dump_database, latest_migrations


def backup_create(*, directory, using="default"):
    """Write a backup of the database, then of the media files, into ``directory``.

    ``directory`` must not exist yet or be empty. Return the manifest written.
    """
    connection = connections[using]
    directory = Path(directory).absolute()
    _check_backup_target(directory)
    refuse_atomic_block(connection)
    pg_dump = client_program("pg_dump", connection)
    directory.parent.mkdir(parents=True, exist_ok=True)
    # mkdtemp makes the directory readable by its owner only: a backup holds personal data
    # and password hashes.
    partial = Path(tempfile.mkdtemp(prefix=f".{directory.name}.partial-", dir=directory.parent))
    try:
        migrations = latest_migrations(connection)
        dump_database(pg_dump, connection.settings_dict, partial / DATABASE_FILE)
        # Media after the database: see the module's docstring.
        media = _copy_media(partial / MEDIA)
        manifest = {
            "format": FORMAT_VERSION,
            "created_at": timezone.now().isoformat(),
            "vendor": VENDOR,
            "database": {"file": DATABASE_FILE, **file_digest(partial / DATABASE_FILE)},
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


def _copy_media(root):
    """Copy every file of the default storage under ``root``; return their manifest entries."""
    entries = []
    for name in _storage_files():
        target = root.joinpath(*PurePosixPath(name).parts)
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            with default_storage.open(name, "rb") as source, target.open("wb") as copy:
                checksum = digest(source, copy_to=copy)
        except FileNotFoundError:
            # Deleted since it was listed (a replaced logo, an upload's partial file).
            continue
        except OSError as exc:
            raise BackupError(
                _("Could not copy the media file %(path)s: %(error)s")
                % {"path": name, "error": exc.strerror or exc}
            ) from exc
        entries.append({"path": name, **checksum})
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
