"""Media storage on the local disk, where a file appears whole or not at all."""

import contextlib
import os
import secrets

from django.core.files import storage


class FileSystemStorage(storage.FileSystemStorage):
    """Django's FileSystemStorage, writing to a hidden partial file first.

    When the disk fills up or fails part-way through, Django's own storage leaves the
    truncated file under its final name, where a thumbnail or a page would then use it.
    Here the content goes to a partial file that is linked to the final name only once
    complete, and removed whatever happens.
    """

    def _save(self, name, content):
        partial = f"{name}.{secrets.token_hex(8)}.part"
        try:
            partial = super()._save(partial, content)
            while True:
                try:
                    os.link(self.path(partial), self.path(name))
                except FileExistsError:
                    name = self.get_available_name(name)
                else:
                    return name
        finally:
            with contextlib.suppress(FileNotFoundError):
                os.remove(self.path(partial))
