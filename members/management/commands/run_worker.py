"""Run one background worker: Cité's emails and any later slow job.

The database backend's own worker (``db_worker``), after handing it one sweep of the emails
that wait: those a killed worker left behind (its task is gone with it, the email is not).
"""

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from members.services.email import deliver_due_emails_task, enqueue


class Command(BaseCommand):
    help = _("Run one background worker (sends the emails); stop it with Ctrl-C or SIGTERM.")

    def add_arguments(self, parser):
        parser.add_argument(
            "--interval",
            type=float,
            default=1.0,
            help=_("Seconds between two looks at an empty queue."),
        )
        parser.add_argument(
            "--batch",
            action="store_true",
            help=_("Run what waits, then stop."),
        )

    def handle(self, *args, interval, batch, **options):
        enqueue(deliver_due_emails_task)
        call_command(
            "db_worker",
            interval=interval,
            batch=batch,
            reload=False,
            startup_delay=False,
            verbosity=options["verbosity"],
        )
