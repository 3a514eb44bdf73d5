from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.translation import gettext as _

from members import search
from members.models import Company


class Command(BaseCommand):
    help = _(
        "Recompute every company's search index, then make the search vocabulary exactly "
        "the indexed words, each with its count of public companies. Every write keeps "
        "them current; run it after changing the analyzer, or weekly from cron to drop "
        "the words no company uses any more."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--vocabulary-only",
            action="store_true",
            help=_("Only rebuild the vocabulary (a few seconds at 100,000 companies)."),
        )

    def handle(self, *args, vocabulary_only=False, **options):
        with transaction.atomic():
            # First: the companies' writers wait for this rebuild, which locks them all.
            search.hold_writers()
            if not vocabulary_only:
                search.index_companies(Company.objects.values_list("pk", flat=True))
            search.rebuild_vocabulary()
            search.recount_words()
        self.stdout.write(_("Search index and vocabulary rebuilt."))
