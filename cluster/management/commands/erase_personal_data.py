from django.core.exceptions import ObjectDoesNotExist
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cluster import services
from cluster.services.erasure import CHANGES

from ._people import PERSON_OPTIONS, add_person_arguments, chosen_person

KIND_LABELS = {
    "student": gettext_lazy("student"),
    "contact": gettext_lazy("contact"),
    "user": gettext_lazy("user"),
    "application": gettext_lazy("applicant"),
    "registration": gettext_lazy("event registrant"),
}


class Command(BaseCommand):
    help = _(
        "Erase what is held about one person, on their request (GDPR right to erasure): a "
        "contact is deleted; a user (a representative), an applicant or a student is "
        "anonymised; every row of their history is anonymised too, and the admin's log no "
        "longer names them. With --email, everyone recorded with that address, and the "
        "invitations and emails sent to it. What the figures count stays. Shows who will be "
        "erased and asks for confirmation first."
    )

    def add_arguments(self, parser):
        add_person_arguments(parser)
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help=_("Say who would be erased, without changing anything."),
        )
        parser.add_argument(
            "--no-input",
            "--noinput",
            action="store_false",
            dest="interactive",
            help=_("Do not ask for confirmation."),
        )

    def handle(self, *args, dry_run=False, interactive=True, **options):
        kind, value = chosen_person(options)
        people = self._people(kind, value)
        self.stdout.write(_("Who will be erased:"))
        for person_kind, pk, label, deleted in people:
            line = _("- %(kind)s %(id)s: %(person)s") % {
                "kind": KIND_LABELS[person_kind],
                "id": pk,
                "person": label,
            }
            self.stdout.write(line + (" " + _("(deleted; its history remains)") if deleted else ""))
        if kind == "email":
            self.stdout.write(
                _("- the invitations and emails sent to %(email)s") % {"email": value}
            )
        if dry_run:
            self.stdout.write(_("Dry run: nothing changed."))
            return
        if interactive and input(_("Type “yes” to erase them: ")).strip().lower() != "yes":
            self.stdout.write(_("Nothing erased."))
            return
        if kind == "email":
            reports, refused = services.personal_data_erase_email(email=value)
        else:
            try:
                reports, refused = [services.personal_data_erase(kind=kind, pk=value)], []
            except services.ErasureRefused as error:
                raise CommandError(str(error)) from error
        for report in reports:
            self.stdout.write(self._said(report))
        for reason in refused:
            self.stderr.write(reason)

    def _people(self, kind, value):
        """Return ``(kind, id, label, deleted)`` of each person to erase."""
        if kind == "email":
            found = services.ids_by_email(value)
            people = [
                (person_kind, pk, *services.describe_person(kind=person_kind, pk=pk))
                for person_kind, ids in found.items()
                for pk in ids
            ]
            if not people and not services.emails_to(value).exists():
                raise CommandError(_("Nothing is held about %(email)s.") % {"email": value})
            return people
        try:
            return [(kind, value, *services.describe_person(kind=kind, pk=value))]
        except ObjectDoesNotExist as exc:
            raise CommandError(PERSON_OPTIONS[kind]["missing"] % {"id": value}) from exc

    def _said(self, report):
        done = ", ".join(f"{CHANGES[key]}: {count}" for key, count in report.changes.items()) or _(
            "nothing left to erase"
        )
        if report.kind == "email":
            return _("Sent to the address: %(done)s.") % {"done": done}
        return _("%(kind)s %(id)s: %(done)s.") % {
            "kind": KIND_LABELS[report.kind].capitalize(),
            "id": report.pk,
            "done": done,
        }
