from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ClusterConfig(AppConfig):
    name = "cluster"
    verbose_name = _("Cluster")

    def ready(self):
        from members import caching, my_space

        from .models import Event, Registration

        # The agenda shows events and their remaining seats: any write is news.
        caching.watch(Event, Registration)
        my_space.register_tab(key="events", url_name="events:my-events", label=_("Events"))

        from django.contrib import admin

        from .admin.lookups import use_checked_change_lists

        # The admin modules are loaded (django.contrib.admin comes first in INSTALLED_APPS
        # and autodiscovers them): every change list checks its lookups from now on.
        use_checked_change_lists(admin.site)
