from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from members import services


class Command(BaseCommand):
    help = _(
        "Send renewal notices and overdue reminders, and move unpaid memberships to grace "
        "then lapsed. Run it daily from cron; running it twice sends nothing twice."
    )

    def handle(self, *args, **options):
        counts = services.reminders_send()
        self.stdout.write(
            _(
                "%(renewal)d renewal notices, %(overdue)d overdue reminders sent; "
                "%(grace)d memberships in grace, %(lapsed)d lapsed."
            )
            % counts
        )
