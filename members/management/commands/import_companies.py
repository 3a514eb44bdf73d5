from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from members.resources import CompanyResource
from members.spreadsheet import SpreadsheetError, format_for


class Command(BaseCommand):
    help = _(
        "Import the register's spreadsheet: CSV (UTF-8, cells separated by , or ;), XLSX or "
        "TSV, with a header row naming the columns of the admin's export (only “name” is "
        "required). All or nothing: with any bad row nothing is imported and every error is "
        "listed as 'row N, column C: message', rows numbered as in a spreadsheet (the header "
        "is row 1). Companies are matched by SIRET, or by name without one, so importing "
        "again updates them. An empty cell never erases a value."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "file", type=Path, help=_("Path of the file: .csv, .xlsx or .tsv (CSV otherwise).")
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help=_("Check the file and report what would change, without saving anything."),
        )

    def handle(self, *args, file, dry_run, **options):
        """Read the file as the admin's import does, and import it all or not at all."""
        try:
            content = file.read_bytes()
        except OSError as exc:
            raise CommandError(
                _("Cannot read %(file)s: %(error)s") % {"file": file, "error": exc.strerror}
            ) from exc
        try:
            dataset = format_for(file).create_dataset(content)
        except SpreadsheetError as exc:
            raise CommandError(
                _("%(file)s: %(problems)s")
                % {"file": file, "problems": " ".join(str(p) for p in exc.problems)}
            ) from exc
        resource = CompanyResource()
        result = resource.import_data(
            dataset,
            dry_run=dry_run,
            use_transactions=True,
            rollback_on_validation_errors=True,
        )
        if result.problems:
            for problem in result.problems:
                self.stderr.write(str(problem))
            raise CommandError(
                _("Nothing was imported: %(count)d error(s) in %(file)s.")
                % {"count": len(result.problems), "file": file}
            )
        totals = result.totals
        summary = _("%(new)d companies created, %(updated)d updated.") % {
            "new": totals["new"],
            "updated": totals["update"],
        }
        if dry_run:
            summary = _("Dry run, nothing saved: %(summary)s") % {"summary": summary}
        self.stdout.write(self.style.SUCCESS(summary))
