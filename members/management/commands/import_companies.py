import csv
import io
from pathlib import Path

import tablib
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from members.resources import CompanyResource, row_errors

COLUMNS = (
    "name",
    "siret",
    "city",
    "postcode",
    "website",
    "email",
    "phone",
    "sectors",
    "description_fr",
    "description_en",
)


class Command(BaseCommand):
    help = _(
        "Import the register's spreadsheet (UTF-8 CSV with a header row; columns: %(columns)s). "
        "All or nothing: with any bad row nothing is imported and every error is listed as "
        "'row N, column C: message', rows numbered as in a spreadsheet (the header is row 1). "
        "Companies are matched by SIRET, or by name without one, so importing again updates "
        "them. An empty cell never erases a value."
    ) % {"columns": ",".join(COLUMNS)}

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help=_("Path of the CSV file."))
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help=_("Check the file and report what would change, without saving anything."),
        )

    def handle(self, *args, file, dry_run, **options):
        dataset, row_numbers = self.read_dataset(file)
        resource = CompanyResource()
        result = resource.import_data(
            dataset,
            dry_run=dry_run,
            use_transactions=True,
            rollback_on_validation_errors=True,
        )
        problems = row_errors(resource, result, row_numbers=row_numbers)
        if problems:
            for row, column, message in problems:
                where = _("row %(row)s, column %(column)s") % {"row": row, "column": column}
                self.stderr.write(f"{where}: {message}" if row else message)
            raise CommandError(
                _("Nothing was imported: %(count)d error(s) in %(file)s.")
                % {"count": len(problems), "file": file}
            )
        totals = result.totals
        summary = _("%(new)d companies created, %(updated)d updated.") % {
            "new": totals["new"],
            "updated": totals["update"],
        }
        if dry_run:
            summary = _("Dry run, nothing saved: %(summary)s") % {"summary": summary}
        self.stdout.write(self.style.SUCCESS(summary))

    def read_dataset(self, path):
        """Read and check the CSV's shape; the resource checks each value."""
        try:
            raw = path.read_bytes()
        except OSError as exc:
            raise CommandError(
                _("Cannot read %(file)s: %(error)s") % {"file": path, "error": exc.strerror}
            ) from exc
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line = raw[: exc.start].count(b"\n") + 1
            raise CommandError(
                _(
                    "%(file)s is not UTF-8 text (first bad byte on line %(line)d). Save it as "
                    "“CSV UTF-8” and try again."
                )
                % {"file": path, "line": line}
            ) from exc
        if "\x00" in text:
            raise CommandError(
                _("%(file)s contains NUL bytes: it is not a CSV file.") % {"file": path}
            )
        first_line = text.split("\n", 1)[0]
        delimiter = ";" if "," not in first_line and ";" in first_line else ","
        try:
            rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
        except csv.Error as exc:
            raise CommandError(
                _("%(file)s is not valid CSV: %(error)s") % {"file": path, "error": exc}
            ) from exc
        if not rows:
            raise CommandError(_("%(file)s is empty.") % {"file": path})

        headers = [header.strip().lower() for header in rows[0]]
        errors = []
        unknown = [h for h in headers if h not in COLUMNS]
        if unknown:
            errors.append(
                _("row 1: unknown column(s) %(unknown)s; the columns are %(columns)s.")
                % {"unknown": ", ".join(unknown) or "“”", "columns": ",".join(COLUMNS)}
            )
        duplicated = sorted({h for h in headers if headers.count(h) > 1})
        if duplicated:
            errors.append(
                _("row 1: column(s) %(columns)s appear twice.") % {"columns": ", ".join(duplicated)}
            )
        if "name" not in headers:
            errors.append(_("row 1: the column “name” is required."))

        dataset, row_numbers = tablib.Dataset(headers=headers), []
        for number, cells in enumerate(rows[1:], start=2):
            if not any(cell.strip() for cell in cells):
                continue  # blank line
            if len(cells) != len(headers):
                errors.append(
                    _("row %(row)d: %(cells)d cells where the header has %(headers)d.")
                    % {"row": number, "cells": len(cells), "headers": len(headers)}
                )
                continue
            dataset.append(cells)
            row_numbers.append(number)
        if errors:
            for error in errors:
                self.stderr.write(error)
            raise CommandError(
                _("Nothing was imported: %(count)d error(s) in %(file)s.")
                % {"count": len(errors), "file": path}
            )
        return dataset, row_numbers
