"""The version number of what public pages show."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class PublicDataVersion(models.Model):
    """A counter that every change shown on public pages increments (one row).

    Cached public pages are keyed on it, so an edit is visible at once on every server.
    """

    value = models.PositiveBigIntegerField(_("value"), default=0)

    class Meta:
        verbose_name = _("public data version")
        verbose_name_plural = _("public data versions")

    def __str__(self):
        return str(self.value)
