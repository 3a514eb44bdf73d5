"""The admin site's titles, and the cluster app's admin, one module per concern."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from members.auth import AdminLoginForm

from . import events, french, mailings, personal_data, school

admin.site.site_title = _("Cité administration")
admin.site.index_title = _("The cluster's register")
# Staff log in by email address too, case ignored (members.auth).
admin.site.login_form = AdminLoginForm

__all__ = ["events", "french", "mailings", "personal_data", "school"]
