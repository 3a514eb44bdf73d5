from django.contrib import admin
from django.utils.translation import gettext_lazy as _

admin.site.site_header = _("Cité · Pôle Action Média")
admin.site.site_title = _("Cité administration")
admin.site.index_title = _("The cluster's register")
