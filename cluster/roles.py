"""Staff roles: the default groups and the permissions each one needs.

A staff member gets a role by being put in its group (admin: Authentication › Users, the
user's "Groups"). The migrations create the groups with exactly these permissions; when a
role changes here, or a new model needs a role's permissions, add a migration that runs
``roles_sync_migration`` again (as ``cluster/migrations/0006_erasures.py`` does). A group's
permissions edited by hand are replaced by the next such migration.

Group names are stored data, in the site's language, and the same in every language.
"""

from itertools import product

from django.contrib.auth.management import create_permissions

ALL = ("add", "change", "delete", "view")
NO_DELETE = ("add", "change", "view")


def _perms(app_label, models, actions):
    """Return ``app_label.action_model`` for every model and action."""
    return {f"{app_label}.{action}_{model}" for model, action in product(models, actions)}


MEMBERS_MODELS = (
    "application",
    "bankstatement",
    "clusteridentity",
    "company",
    "contact",
    "directdebit",
    "directdebitfile",
    "emaillog",
    "invitation",
    "invoice",
    "mandate",
    "membership",
    "membershipplan",
    "offer",
    "payment",
    "profilerevision",
    "representative",
    "sector",
    "statementline",
    "subscription",
    "topic",
    "synonym",
)
STARTUPS_MODELS = (
    "building",
    "incubation",
    "kpisnapshot",
    "lease",
    "milestone",
    "office",
    "rentindex",
)
# Issued by the rent run, never typed in: read only, for every role that sees rent.
RENT_RECORDS = {"startups.view_rentinvoice", "startups.view_rentrevision"}
SCHOOL_MODELS = ("placement", "programme", "student")
# Writing and sending mailings: the mailings and their per-recipient log, the topics and
# who consented to them.
MAILING_PERMISSIONS = (
    _perms("cluster", ("mailing",), NO_DELETE)
    | {"cluster.delete_mailing", "cluster.send_mailing", "cluster.view_mailingrecipient"}
    | _perms("members", ("topic", "subscription"), ALL)
)
EVENTS_MODELS = ("event", "registration")

MANAGEMENT = "Direction"
ACCOUNTING = "Comptabilité"
INCUBATOR = "Incubateur"
SCHOOL = "École"
COMMUNICATION = "Communication"

ROLES = {
    # Everything staff do, including the dashboard, students and applications; users only
    # read (to pick a representative), never changed: changing a user can make a superuser.
    MANAGEMENT: (
        _perms("members", MEMBERS_MODELS, ALL)
        | _perms("startups", (*STARTUPS_MODELS, "programme"), ALL)
        | _perms("cluster", SCHOOL_MODELS, ALL)
        | RENT_RECORDS
        | _perms("cluster", EVENTS_MODELS, ALL)
        | {"cluster.view_dashboard", "cluster.view_erasure", "auth.view_user"}
        | MAILING_PERMISSIONS
    ),
    # Dues and rent: plans, memberships, invoices, payments, the emails that carry them,
    # the dues tools, the rent run (from the rent indexes' page; the leases stay the
    # incubator's) and the rent indexes, and the dashboard's members and money figures.
    # Companies and contacts only read (who is billed), never a student.
    ACCOUNTING: (
        _perms("members", ("membershipplan",), ALL)
        | _perms("members", ("membership", "invoice", "payment"), NO_DELETE)
        # SEPA direct debit: mandates, the files built for the bank and their debits.
        | _perms("members", ("mandate", "directdebitfile", "directdebit"), NO_DELETE)
        # Bank statements: uploaded, then their lines' matches confirmed.
        | _perms("members", ("bankstatement", "statementline"), NO_DELETE)
        | _perms("startups", ("rentindex",), NO_DELETE)
        | RENT_RECORDS
        | {
            "members.view_emaillog",
            "members.view_company",
            "members.view_contact",
            "members.view_clusteridentity",
            "members.change_clusteridentity",
            "cluster.view_dashboard",
        }
    ),
    # The incubator and its offices, and the companies they concern (read).
    INCUBATOR: (
        _perms("startups", (*STARTUPS_MODELS, "programme"), ALL)
        | RENT_RECORDS
        | {"members.view_company", "cluster.view_dashboard"}
    ),
    # The school: programmes, students, placements; companies and offers read (a placement
    # names them). Never an invoice.
    SCHOOL: (
        _perms("cluster", SCHOOL_MODELS, ALL)
        | {"members.view_company", "members.view_offer", "cluster.view_dashboard"}
    ),
    # The public face: companies, sectors, contacts, the search's synonyms, offers and their
    # moderation, profile changes, the events and their registrations; representatives and
    # invitations read; mailings, written and sent.
    COMMUNICATION: (
        _perms("members", ("company",), NO_DELETE)
        | _perms("cluster", EVENTS_MODELS, ALL)
        | _perms("members", ("sector", "contact", "synonym"), ALL)
        | _perms("members", ("offer",), ("change", "delete", "view"))
        | _perms("members", ("profilerevision",), ("change", "view"))
        | {"members.view_representative", "members.view_invitation"}
        | MAILING_PERMISSIONS
    ),
}


def roles_sync(*, group_model, permission_model) -> list[str]:
    """Give each role's group exactly its permissions, creating the group if needed.

    Takes the models as arguments so that a migration can pass its historical ones.
    Return the permissions that do not exist (yet): a migration that runs before the
    model of one is created skips it, and the migration that creates the model syncs the
    roles again. A test checks that none is missing in the end.
    """
    wanted = set().union(*ROLES.values())
    existing = {
        f"{app_label}.{codename}": pk
        for pk, app_label, codename in permission_model.objects.values_list(
            "pk", "content_type__app_label", "codename"
        )
    }
    for name, labels in ROLES.items():
        group, _created = group_model.objects.get_or_create(name=name)
        group.permissions.set([existing[label] for label in labels if label in existing])
    return sorted(wanted - set(existing))


def roles_sync_migration(apps, schema_editor):
    """Sync the roles from a migration (``RunPython``), with its historical models."""
    # Django creates permissions after the last migration; the roles need them now, on a
    # new database as on an old one.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    roles_sync(
        group_model=apps.get_model("auth", "Group"),
        permission_model=apps.get_model("auth", "Permission"),
    )
