from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cluster import backup


class Command(BaseCommand):
    help = _(
        "Restore a backup made by the backup command from DIR into the configured database, "
        "which must be empty (freshly created, before any migrate), and into the media "
        "storage. Every file is checked against the backup's manifest first."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "directory", type=Path, metavar="DIR", help=_("The backup directory to restore.")
        )

    def handle(self, *args, directory, **options):
        try:
            summary = backup.backup_restore(directory=directory)
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(_("Database restored: %(tables)d tables, %(rows)d rows.") % summary)
        self.stdout.write(
            ngettext(
                "Media restored: %(files)d file written, %(present)d already present and "
                "identical.",
                "Media restored: %(files)d files written, %(present)d already present and "
                "identical.",
                summary["files"],
            )
            % summary
        )
        if summary["pending_migrations"]:
            self.stdout.write(
                self.style.WARNING(
                    ngettext(
                        "The code has %(pending_migrations)d migration the backup had not "
                        "applied: run “manage.py migrate” now.",
                        "The code has %(pending_migrations)d migrations the backup had not "
                        "applied: run “manage.py migrate” now.",
                        summary["pending_migrations"],
                    )
                    % summary
                )
            )
