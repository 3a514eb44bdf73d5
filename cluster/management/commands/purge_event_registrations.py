from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from cluster.services import events as services


class Command(BaseCommand):
    help = _(
        "Anonymise the registrations of events over for more than CITE_EVENT_RETENTION_DAYS "
        "days: name, email and who registered them go, with their history; status, category, "
        "company and check-in stay for the figures. Running it again changes nothing."
    )

    def handle(self, *args, **options):
        count = services.registrations_anonymise()
        self.stdout.write(_("%(count)d registrations anonymised.") % {"count": count})
