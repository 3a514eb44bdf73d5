from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cluster import services


class Command(BaseCommand):
    help = _(
        "Anonymise the applications decided longer ago than their retention period: "
        "rejected ones after CITE_APPLICATION_RETENTION_DAYS days (the applicant and the "
        "company), approved ones after CITE_APPROVED_APPLICATION_RETENTION_DAYS days (the "
        "applicant; the company is in the register). Their status, plan, city and dates "
        "stay for the figures. Running it again changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help=_("Say how many applications would be anonymised, without changing anything."),
        )

    def handle(self, *args, dry_run=False, **options):
        days = {
            "rejected": settings.CITE_APPLICATION_RETENTION_DAYS,
            "approved": settings.CITE_APPROVED_APPLICATION_RETENTION_DAYS,
        }
        if dry_run:
            count = services.applications_to_purge().count()
            message = ngettext(
                "%(count)d application would be anonymised (rejected more than %(rejected)d "
                "days ago, or approved more than %(approved)d days ago). Dry run: nothing "
                "changed.",
                "%(count)d applications would be anonymised (rejected more than %(rejected)d "
                "days ago, or approved more than %(approved)d days ago). Dry run: nothing "
                "changed.",
                count,
            )
        else:
            count = services.applications_purge()
            message = ngettext(
                "%(count)d application anonymised (rejected more than %(rejected)d days ago, "
                "or approved more than %(approved)d days ago).",
                "%(count)d applications anonymised (rejected more than %(rejected)d days ago, "
                "or approved more than %(approved)d days ago).",
                count,
            )
        self.stdout.write(message % {"count": count, **days})
