from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from cluster.services import staff_notices


class Command(BaseCommand):
    help = _(
        "Email today's to-do (applications, moderation, overdue invoices, leases ending, "
        "failed emails) to each staff member who asked for the daily digest. Run it once a "
        "day from cron; running it again the same day sends nothing twice."
    )

    def handle(self, *args, **options):
        result = staff_notices.staff_digest_send()
        self.stdout.write(
            _(
                "Daily digest: %(sent)d sent, %(nothing)d with nothing to do, "
                "%(already)d already sent today."
            )
            % {
                "sent": result["sent"],
                "nothing": result["nothing_to_do"],
                "already": result["already_sent"],
            }
        )
