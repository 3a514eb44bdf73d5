from datetime import date
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from members.services.fec import fec_export, fec_filename, fiscal_year


def _day(value):
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(_("%(value)s is not a date (YYYY-MM-DD).") % {"value": value}) from exc


class Command(BaseCommand):
    help = _(
        "Write the accounting entries file (FEC, article A47 A-1 of the LPF) of a fiscal "
        "year or a date range, from the invoices, credit notes and payments, into a folder, "
        "named <SIREN>FEC<closing date>.txt."
    )

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, help=_("The fiscal year starting in YEAR."))
        parser.add_argument("--start", help=_("First day of the period (YYYY-MM-DD)."))
        parser.add_argument("--end", help=_("Last day of the period, included (YYYY-MM-DD)."))
        parser.add_argument(
            "--output", type=Path, default=Path("."), help=_("Folder to write the file in.")
        )

    def handle(self, *args, year, start, end, output, **options):
        if year and (start or end):
            raise CommandError(_("Give either --year or --start and --end, not both."))
        if year:
            first, last = fiscal_year(year)
        elif start and end:
            first, last = _day(start), _day(end)
        else:
            raise CommandError(_("Give --year, or --start and --end."))
        if last < first:
            raise CommandError(_("The period ends before it starts."))
        if not output.is_dir():
            raise CommandError(_("%(folder)s is not a folder.") % {"folder": output})
        path = output / fec_filename(last)
        path.write_bytes(fec_export(first, last))
        self.stdout.write(str(path))
