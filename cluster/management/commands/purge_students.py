from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cluster import services


class Command(BaseCommand):
    help = _(
        "Anonymise the students who left or graduated more than CITE_STUDENT_RETENTION_YEARS "
        "years ago: names, email and consents go, their history rows are deleted; programme, "
        "cohort, status and placements stay for the statistics. Running it again changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help=_("Say how many students would be anonymised, without changing anything."),
        )

    def handle(self, *args, dry_run=False, **options):
        years = settings.CITE_STUDENT_RETENTION_YEARS
        if dry_run:
            count = services.students_to_purge().count()
            self.stdout.write(
                ngettext(
                    "%(count)d student would be anonymised (left or graduated more than "
                    "%(years)d years ago). Dry run: nothing changed.",
                    "%(count)d students would be anonymised (left or graduated more than "
                    "%(years)d years ago). Dry run: nothing changed.",
                    count,
                )
                % {"count": count, "years": years}
            )
        else:
            count = services.students_purge()
            self.stdout.write(
                ngettext(
                    "%(count)d student anonymised (left or graduated more than %(years)d "
                    "years ago).",
                    "%(count)d students anonymised (left or graduated more than %(years)d "
                    "years ago).",
                    count,
                )
                % {"count": count, "years": years}
            )
        undated = services.students_without_status_date().count()
        if undated:
            self.stderr.write(
                ngettext(
                    "%(count)d student left or graduated with no date in “status since”: "
                    "they are kept until someone gives one.",
                    "%(count)d students left or graduated with no date in “status since”: "
                    "they are kept until someone gives one.",
                    undated,
                )
                % {"count": undated}
            )
