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

from .common import BackupError
from .create import backup_create
from .restore import backup_restore

__all__ = ["BackupError", "backup_create", "backup_restore"]
