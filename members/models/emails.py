"""The log of every outgoing email, written by ``members.services.email``."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..fields import SingleLineField


class EmailLogQuerySet(models.QuerySet):
    def failed(self) -> "EmailLogQuerySet":
        """Return the emails that could not be sent: staff see them and may retry."""
        return self.filter(status=EmailLog.Status.FAILED)

    def due(self, now=None) -> "EmailLogQuerySet":
        """Return the emails waiting to be sent whose next try is now or past."""
        now = now or timezone.now()
        return self.filter(status=EmailLog.Status.QUEUED).filter(
            models.Q(next_attempt_at__isnull=True) | models.Q(next_attempt_at__lte=now)
        )


class EmailLog(models.Model):
    """One email Cité sends: what, to whom, and how the sending went.

    ``key``, when given, makes an email go out once (a reminder about one invoice on one
    date, say): a second email with the same key is not even queued.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("waiting to be sent")
        SENT = "sent", _("sent")
        FAILED = "failed", _("failed")

    key = SingleLineField(_("key"), max_length=160, unique=True, null=True, blank=True)
    kind = SingleLineField(_("kind"), max_length=40)
    to = SingleLineField(_("to"), max_length=500)
    subject = SingleLineField(_("subject"), max_length=300)
    body = models.TextField(_("body"))
    html_body = models.TextField(_("HTML body"), blank=True)
    # Extra headers (List-Unsubscribe of a mailing), name: value.
    headers = models.JSONField(_("headers"), default=dict, blank=True)
    status = SingleLineField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    company = models.ForeignKey(
        "members.Company",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="emails",
        verbose_name=_("company"),
    )

    objects = EmailLogQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("email")
        verbose_name_plural = _("emails")
        indexes = [
            models.Index(
                fields=["status"],
                condition=~models.Q(status="sent"),
                name="members_email_not_sent",
            ),
            # The worker's claim: the first waiting email by id, without visiting the
            # ones already sent (a mailing queues thousands at once).
            models.Index(
                fields=["id"],
                condition=models.Q(status="queued"),
                name="members_email_queued",
            ),
        ]

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d} {self.subject}"


class EmailAttachment(models.Model):
    """A file sent with an email (an invoice's PDF), kept so that sending again sends the
    very same document."""

    email = models.ForeignKey(
        EmailLog, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("email")
    )
    filename = SingleLineField(_("file name"), max_length=200)
    mimetype = SingleLineField(_("type"), max_length=100)
    content = models.BinaryField(_("content"))

    class Meta:
        ordering = ["pk"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self):
        return self.filename
