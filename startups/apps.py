from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StartupsConfig(AppConfig):
    name = "startups"
    verbose_name = _("Incubator and offices")

    def ready(self):
        from members import caching, kinds, my_space

        from .models import Incubation, Lease, Programme

        # Start-ups and alumni are kinds of the directory; company pages name programmes.
        caching.watch(Incubation, Lease, Programme)

        kinds.register(kinds.STARTUP, Incubation.companies_hosted)
        kinds.register(kinds.ALUMNI, Incubation.companies_graduated)
        my_space.register_tab(key="kpis", url_name="startups:my-kpis", label=_("Key figures"))
        my_space.register_tab(key="rent", url_name="startups:my-rent", label=_("Rent"))
