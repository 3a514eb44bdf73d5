"""Issue the rent invoices of a month: ``manage.py issue_rent_invoices --period 2027-01``."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from startups.billing_periods import parse_month
from startups.services.rent import rent_invoices_issue


class Command(BaseCommand):
    help = "Issue the rent invoices of a month (run it again safely: nothing is issued twice)."

    def add_arguments(self, parser):
        parser.add_argument("--period", required=True, help="The month, as YYYY-MM.")

    def handle(self, *args, period, **options):
        try:
            month = parse_month(period)
            invoices, refused = rent_invoices_issue(month=month)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        for invoice in invoices:
            self.stdout.write(f"{invoice.number}\t{invoice.buyer_name}\t{invoice.amount_incl_tax}")
        for lease, reason in refused:
            self.stdout.write(
                _("Not invoiced: %(lease)s: %(reason)s") % {"lease": lease, "reason": reason}
            )
        self.stdout.write(
            _("%(count)d rent invoices issued for %(period)s.")
            % {"count": len(invoices), "period": period}
        )
