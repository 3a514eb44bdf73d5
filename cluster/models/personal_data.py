"""The record of each erasure of a person's data: what kind of person, which record, why
and when, and what was changed, never who the person was."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from members.fields import SingleLineField


class Erasure(models.Model):
    """One person's data erased: on their request, or at the end of a retention period.

    It proves that the erasure was done (GDPR, article 5(2)) and keeps the retention jobs
    from picking the same record twice. It holds ids and counts, nothing identifying.
    """

    class Kind(models.TextChoices):
        CONTACT = "contact", _("contact")
        USER = "user", _("user (representative)")
        APPLICATION = "application", _("applicant")
        STUDENT = "student", _("student")
        REGISTRATION = "registration", _("event registrant")

    class Reason(models.TextChoices):
        REQUEST = "request", _("at the person's request")
        RETENTION = "retention", _("retention period over")

    kind = SingleLineField(_("kind"), max_length=12, choices=Kind.choices)
    object_id = models.PositiveIntegerField(_("record id"))
    reason = SingleLineField(_("reason"), max_length=10, choices=Reason.choices)
    erased_at = models.DateTimeField(_("erased"), auto_now_add=True)
    erased_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("erased by"),
    )
    changes = models.JSONField(
        _("what was changed"),
        default=dict,
        help_text=_("How many rows of each kind were anonymised or deleted."),
    )

    class Meta:
        ordering = ["-erased_at", "-pk"]
        verbose_name = _("erasure")
        verbose_name_plural = _("erasures")
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id"], name="cluster_erasure_once")
        ]

    def __str__(self):
        return f"{self.get_kind_display()} #{self.object_id}"
