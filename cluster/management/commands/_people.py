"""The options that name one person, shared by export_personal_data and
erase_personal_data: a record's id of one kind, or an email address."""

from django.utils.translation import gettext_lazy as _

PERSON_OPTIONS = {
    "student": {
        "help": _("The student's id."),
        "missing": _("There is no student with id %(id)s."),
    },
    "contact": {
        "help": _("The contact's id (a deleted contact is found by its history)."),
        "missing": _("There is no contact with id %(id)s."),
    },
    "user": {
        "help": _("The user's id: a company's representative."),
        "missing": _("There is no user with id %(id)s."),
    },
    "application": {
        "help": _("The application's id: its contact, the applicant."),
        "missing": _("There is no application with id %(id)s."),
    },
    "registration": {
        "help": _("The id of a registration to an event."),
        "missing": _("There is no registration with id %(id)s."),
    },
}


def add_person_arguments(parser):
    person = parser.add_mutually_exclusive_group(required=True)
    for kind, texts in PERSON_OPTIONS.items():
        person.add_argument(f"--{kind}", type=int, metavar="ID", help=texts["help"])
    person.add_argument(
        "--email",
        metavar="ADDRESS",
        help=_("Everyone recorded with this email address (any case), and what was sent to it."),
    )


def chosen_person(options):
    """Return ``(kind, id)``, or ``("email", address)``."""
    for kind in (*PERSON_OPTIONS, "email"):
        if options.get(kind) is not None:
            return kind, options[kind]
    raise ValueError("add_person_arguments makes one option required")
