"""What backing up and restoring share: the layout of a backup directory and checksums."""

import hashlib

from django.utils.translation import gettext as _

FORMAT_VERSION = 1


MANIFEST = "manifest.json"


MEDIA = "media"


VENDOR = "postgresql"


DATABASE_FILE = "database.pgdump"


CHUNK = 1024 * 1024


class BackupError(Exception):
    """The backup or the restore cannot go on; the message says why."""


def refuse_atomic_block(connection):
    # pg_dump and pg_restore would not see this connection's uncommitted work.
    if connection.in_atomic_block:
        raise BackupError(_("Backups and restores cannot run inside a database transaction."))


def file_digest(path):
    with path.open("rb") as file:
        return digest(file)


def digest(file, *, copy_to=None):
    """Read an open binary file in chunks; return its size and SHA-256, copying it if asked."""
    digest = hashlib.sha256()
    size = 0
    for chunk in iter(lambda: file.read(CHUNK), b""):
        digest.update(chunk)
        size += len(chunk)
        if copy_to is not None:
            copy_to.write(chunk)
    return {"size": size, "sha256": digest.hexdigest()}
