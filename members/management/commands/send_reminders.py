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
                "%(lapsed)d memberships lapsed, %(grace)d entered their grace period; "
                "%(overdue)d overdue reminders and %(renewal)d renewal notices queued."
            )
            % counts
        )
