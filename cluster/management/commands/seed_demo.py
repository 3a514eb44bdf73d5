from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from cluster import demo as cluster_demo
from cluster import demo_events
from members import demo as members_demo
from startups import demo as startups_demo
from startups import demo_rent as startups_demo_rent

DEMO_STAFF_USERNAME = "staff"
DEMO_STAFF_PASSWORD = "cite-demo-2026"  # noqa: S105 - a printed demo login, DEBUG only


class Command(BaseCommand):
    help = _(
        "Load the demo cluster of the article (idempotent: running it again adds nothing). "
        "With --companies N, add N generated companies in bulk, for benchmarks."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--companies",
            type=int,
            metavar="N",
            help=_("Add N generated companies in bulk instead of the demo cluster."),
        )
        parser.add_argument(
            "--staff",
            action="store_true",
            help=_("Also create a demo staff account and print its login (DEBUG only)."),
        )

    def handle(self, *args, companies=None, staff=False, **options):
        if staff and not settings.DEBUG:
            raise CommandError(_("The demo staff account is only created with DEBUG on."))
        if companies is not None:
            if companies < 1:
                raise CommandError(_("--companies takes a number of at least 1."))
            added = members_demo.bulk_generate_companies(companies)
            self.stdout.write(_("%(count)d generated companies added.") % {"count": added})
        else:
            members_demo.seed_identity()
            added = members_demo.seed_cluster()
            members_demo.seed_dues()
            members_demo.seed_direct_debits()
            members_demo.seed_offers()
            startups_demo.seed_incubator()
            startups_demo_rent.seed_rent()
            school = cluster_demo.seed_school()
            events = demo_events.seed_events()
            if added:
                self.stdout.write(
                    _("Demo cluster loaded: %(count)d companies added.") % {"count": added}
                )
            else:
                self.stdout.write(_("Demo cluster already loaded: nothing added."))
            if school["students"]:
                self.stdout.write(
                    _("Demo school loaded: %(students)d students and %(placements)d placements.")
                    % school
                )
            if events:
                self.stdout.write(_("Demo agenda loaded: %(count)d events.") % {"count": events})
        if staff:
            self.ensure_demo_staff()

    def ensure_demo_staff(self):
        user_model = get_user_model()
        user, created = user_model.objects.get_or_create(
            username=DEMO_STAFF_USERNAME,
            defaults={"is_staff": True, "is_superuser": True, "email": "staff@example.org"},
        )
        if created:
            user.set_password(DEMO_STAFF_PASSWORD)
            user.save()
        self.stdout.write(
            self.style.SUCCESS(
                _("Demo staff login: %(username)s / %(password)s at http://127.0.0.1:8000/admin/")
                % {"username": DEMO_STAFF_USERNAME, "password": DEMO_STAFF_PASSWORD}
            )
        )
