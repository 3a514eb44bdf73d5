from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MembersConfig(AppConfig):
    name = "members"
    verbose_name = _("Members")

    def ready(self):
        from PIL import Image

        from . import caching, kinds, my_space, signals  # noqa: F401 - connects the receivers
        from .images import MAX_PIXELS
        from .models import ClusterIdentity, Company, Contact, Membership, Offer, Sector, Synonym

        # Every Image.open of the process (Django's ImageField, thumbnails) warns beyond the
        # logo's pixel budget and refuses twice as much, instead of Pillow's 89 Mpx and 179 Mpx.
        Image.MAX_IMAGE_PIXELS = MAX_PIXELS

        # What public pages show: a write to any of these invalidates them.
        caching.watch(ClusterIdentity, Company, Contact, Membership, Offer, Sector, Synonym)
        kinds.register(kinds.MEMBER, lambda queryset: queryset.members())
        my_space.register_tab(key="offers", url_name="members:my-offers", label=_("Offers"))
