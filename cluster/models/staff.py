"""What each staff member chooses to be told: the daily digest of the to-do, and a notice
on each new application."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class StaffPreferencesQuerySet(models.QuerySet):
    def reachable(self) -> "StaffPreferencesQuerySet":
        """Return the preferences of active staff who have an email address."""
        return self.filter(user__is_active=True, user__is_staff=True).exclude(user__email="")


class StaffPreferences(models.Model):
    """One staff member's choices of email; each staff member edits their own."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="staff_preferences",
        verbose_name=_("user"),
    )
    daily_digest = models.BooleanField(
        _("daily digest"),
        default=False,
        help_text=_(
            "Every morning, an email with the to-do counts of the admin's home page, when "
            "there is something to do."
        ),
    )
    application_notice = models.BooleanField(
        _("notice of each new application"),
        default=False,
        help_text=_("An email for each application received on /join/ (staff who review them)."),
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    history = HistoricalRecords()

    objects = StaffPreferencesQuerySet.as_manager()

    class Meta:
        ordering = ["user__username"]
        verbose_name = _("staff preferences")
        verbose_name_plural = _("staff preferences")

    def __str__(self):
        return str(self.user)
