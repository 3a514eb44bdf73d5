"""The log of outgoing emails."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class EmailLog(models.Model):
    """Every email the dues machinery sends. ``key`` makes each reminder go out once."""

    key = models.CharField(_("key"), max_length=120, unique=True)
    kind = models.CharField(_("kind"), max_length=40)
    to = models.CharField(_("to"), max_length=500)
    subject = models.CharField(_("subject"), max_length=300)
    body = models.TextField(_("body"))
    sent_at = models.DateTimeField(_("sent"), auto_now_add=True)
    company = models.ForeignKey(
        "members.Company",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="emails",
        verbose_name=_("company"),
    )

    class Meta:
        ordering = ["-sent_at"]
        verbose_name = _("email sent")
        verbose_name_plural = _("emails sent")

    def __str__(self):
        return f"{self.sent_at:%Y-%m-%d} {self.subject}"
