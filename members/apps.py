from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MembersConfig(AppConfig):
    name = "members"
    verbose_name = _("Members")

    def ready(self):
        from . import caching, kinds, my_space, signals  # noqa: F401 - connects the receivers
        from .models import ClusterIdentity, Company, Contact, Membership, Offer, Sector, Synonym

        # What public pages show: a write to any of these invalidates them.
        caching.watch(ClusterIdentity, Company, Contact, Membership, Offer, Sector, Synonym)
        kinds.register(kinds.MEMBER, lambda queryset: queryset.members())
        my_space.register_tab(key="offers", url_name="members:my-offers", label=_("Offers"))
