from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from cluster.services import events as services


class Command(BaseCommand):
    help = _(
        "Email the confirmed registrants of tomorrow's events a reminder. Each reminder goes "
        "once, however often this runs (daily from cron)."
    )

    def handle(self, *args, **options):
        count = services.registrations_remind()
        self.stdout.write(_("%(count)d reminders queued.") % {"count": count})
