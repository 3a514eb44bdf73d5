"""The admin site's titles, and the cluster app's admin, one module per concern."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from . import events, personal_data, school

admin.site.site_title = _("Cité administration")
admin.site.index_title = _("The cluster's register")

__all__ = ["events", "personal_data", "school"]
