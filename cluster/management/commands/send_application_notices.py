from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cluster.services import staff_notices


class Command(BaseCommand):
    help = _(
        "Email a notice of each application received in the last day and still to review to "
        "the staff who asked for it. Run it every few minutes from cron; each staff member "
        "gets one notice per application, however often it runs."
    )

    def handle(self, *args, **options):
        count = staff_notices.staff_application_notices_send()
        self.stdout.write(
            ngettext(
                "%(count)d notice of a new application sent.",
                "%(count)d notices of new applications sent.",
                count,
            )
            % {"count": count}
        )
