import json
from pathlib import Path

from django.core.exceptions import ObjectDoesNotExist
from django.core.management.base import BaseCommand, CommandError
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.translation import gettext as _

from cluster import services

from ._people import PERSON_OPTIONS, add_person_arguments, chosen_person


class Command(BaseCommand):
    help = _(
        "Write as JSON everything held about one person (GDPR right of access): a student, "
        "a contact, a user (a representative) or an applicant, by id, or everyone recorded "
        "with one email address. The records' fields and their history (a deleted record "
        "is found by its history), and what else names them: placements, representations, "
        "invitations, emails sent, login attempts."
    )

    def add_arguments(self, parser):
        add_person_arguments(parser)
        parser.add_argument(
            "--output",
            type=Path,
            metavar="FILE",
            help=_("Write to this file instead of the standard output."),
        )

    def handle(self, *args, output=None, **options):
        kind, value = chosen_person(options)
        if kind == "email":
            data = services.personal_data_by_email(email=value)
            if not any(data["people"].values()) and not data["emails"] and not data["invitations"]:
                raise CommandError(_("Nothing is held about %(email)s.") % {"email": value})
            subject = value
        else:
            try:
                data = services.personal_data_export(kind=kind, pk=value)
            except ObjectDoesNotExist as exc:
                raise CommandError(PERSON_OPTIONS[kind]["missing"] % {"id": value}) from exc
            subject = f"{kind} {value}"
        text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
        if output is None:
            self.stdout.write(text)
            return
        output.write_text(text + "\n", encoding="utf-8")
        self.stdout.write(
            _("Personal data of %(subject)s written to %(file)s.")
            % {"subject": subject, "file": output}
        )
