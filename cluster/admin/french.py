"""Django's stock admin messages that glue a model's name into a French sentence.

Django's French writes "Modification de %s" and "Supprimer les %(verbose_name_plural)s
sélectionnés": with a name that starts with a vowel or is feminine, that reads
"Modification de incubation" and "les entreprises sélectionnés". The rest of Django's
French is built around the masculine word "objet" ("L’objet entreprise « X » a été modifié
avec succès"), which agrees with every model's name whatever its gender and number. The
project's catalogue (locale/, which takes precedence over Django's and the admin
packages') gives the messages below that same form. They are listed here so that
makemessages keeps them in the catalogue; nothing calls this list.

The models' own names (``verbose_name``, ``verbose_name_plural``) stay bare nouns, in
the singular and the plural: "entreprise", "entreprises".
"""

from django.utils.translation import gettext_noop

STOCK_ADMIN_MESSAGES = [
    # django.contrib.admin
    gettext_noop("Add %s"),
    gettext_noop("Change %s"),
    gettext_noop("View %s"),
    gettext_noop("Select %s"),
    gettext_noop("Add %(name)s"),
    gettext_noop("Delete selected %(verbose_name_plural)s"),
    gettext_noop("Cannot delete %(name)s"),
    gettext_noop("%(name)s with ID “%(key)s” doesn’t exist. Perhaps it was deleted?"),
    # django-import-export
    gettext_noop("Export selected %(verbose_name_plural)s"),
    # django-simple-history
    gettext_noop("Change history: %s"),
    gettext_noop("View history: %s"),
    gettext_noop("Revert %s"),
    gettext_noop("View %(verbose_name)s"),
    gettext_noop("Revert %(verbose_name)s"),
]
