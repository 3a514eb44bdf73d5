import json
from pathlib import Path

from django.core.exceptions import ObjectDoesNotExist
from django.core.management.base import BaseCommand, CommandError
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.translation import gettext as _

from cluster import services


class Command(BaseCommand):
    help = _(
        "Write as JSON everything held about one student or one contact (GDPR right of "
        "access): the record's fields, its history and, for a student, their placements."
    )

    def add_arguments(self, parser):
        person = parser.add_mutually_exclusive_group(required=True)
        person.add_argument("--student", type=int, metavar="ID", help=_("The student's id."))
        person.add_argument("--contact", type=int, metavar="ID", help=_("The contact's id."))
        parser.add_argument(
            "--output",
            type=Path,
            metavar="FILE",
            help=_("Write to this file instead of the standard output."),
        )

    def handle(self, *args, student=None, contact=None, output=None, **options):
        try:
            subject = services.personal_data_subject(student_id=student, contact_id=contact)
        except ObjectDoesNotExist as exc:
            message = (
                _("There is no student with id %(id)s.")
                if student is not None
                else _("There is no contact with id %(id)s.")
            )
            raise CommandError(
                message % {"id": student if student is not None else contact}
            ) from exc
        if student is not None:
            data = services.personal_data_export(student=subject)
        else:
            data = services.personal_data_export(contact=subject)
        text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
        if output is None:
            self.stdout.write(text)
            return
        output.write_text(text + "\n", encoding="utf-8")
        self.stdout.write(
            _("Personal data of %(kind)s %(id)s written to %(file)s.")
            % {"kind": data["kind"], "id": data["id"], "file": output}
        )
