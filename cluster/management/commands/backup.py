from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cluster import backup


class Command(BaseCommand):
    help = _(
        "Write a consistent backup of the database and the media files into DIR, which must "
        "not exist yet or be empty: the database first (one snapshot), then the media, then "
        "manifest.json with every file's checksum. Restore it with the restore command."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "directory",
            type=Path,
            metavar="DIR",
            help=_("The directory to write the backup into (created if it does not exist)."),
        )

    def handle(self, *args, directory, **options):
        try:
            manifest = backup.backup_create(directory=directory)
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from exc
        files = len(manifest["media"])
        self.stdout.write(
            ngettext(
                "Backup written to %(directory)s: the %(vendor)s database (%(database_size)s) "
                "and %(files)d media file (%(media_size)s).",
                "Backup written to %(directory)s: the %(vendor)s database (%(database_size)s) "
                "and %(files)d media files (%(media_size)s).",
                files,
            )
            % {
                "directory": directory,
                "vendor": "PostgreSQL",
                "database_size": filesizeformat(manifest["database"]["size"]),
                "files": files,
                "media_size": filesizeformat(sum(entry["size"] for entry in manifest["media"])),
            }
        )
