"""Mailings: a message staff write once, in French and English, sent to a segment of the
register, each recipient in their language, with a one-click unsubscribe."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from cluster.segments import segment_choices
from members.fields import SingleLineField
from members.models import EmailLog, localized


class MailingQuerySet(models.QuerySet):
    def published(self) -> "MailingQuerySet":
        """Return the mailings shown in the public archive: sent and marked public."""
        return self.filter(public=True, status=Mailing.Status.SENT)

    def with_delivery_counts(self) -> "MailingQuerySet":
        """Count each mailing's recipients by state, in the same query."""
        status = "recipients__email__status"
        return self.annotate(
            queued_count=models.Count("recipients", filter=models.Q(**{status: "queued"})),
            sent_count=models.Count("recipients", filter=models.Q(**{status: "sent"})),
            failed_count=models.Count("recipients", filter=models.Q(**{status: "failed"})),
            unsubscribed_count=models.Count(
                "recipients", filter=models.Q(recipients__unsubscribed=True)
            ),
        )


class Mailing(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        SCHEDULED = "scheduled", _("scheduled")
        SENT = "sent", _("sent")

    topic = models.ForeignKey(
        "members.Topic",
        on_delete=models.PROTECT,
        related_name="mailings",
        verbose_name=_("topic"),
        help_text=_("Only people who agreed to receive this topic get the mailing."),
    )
    subject_fr = SingleLineField(_("subject (French)"), max_length=200)
    subject_en = SingleLineField(_("subject (English)"), max_length=200, blank=True)
    body_fr = models.TextField(
        _("text (French)"),
        help_text=_("Markdown: **bold**, *italic*, [a link](https://…), lists with “- ”."),
    )
    body_en = models.TextField(
        _("text (English)"), blank=True, help_text=_("Empty: English readers get the French.")
    )
    segment = SingleLineField(_("audience"), max_length=40, choices=segment_choices)
    sector = models.ForeignKey(
        "members.Sector",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("sector"),
        help_text=_("For the audience “Companies in a sector”."),
    )
    city = SingleLineField(
        _("town"),
        max_length=100,
        blank=True,
        help_text=_("For the audience “Companies in a town”."),
    )
    event = models.ForeignKey(
        "cluster.Event",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("event"),
        help_text=_("For the audience “Registrants of an event”: its confirmed registrants."),
    )
    companies = models.ManyToManyField(
        "members.Company",
        blank=True,
        related_name="+",
        verbose_name=_("selected companies"),
        help_text=_("For the audience “A selection of companies”."),
    )
    public = models.BooleanField(
        _("public"), default=False, help_text=_("Shown in the news archive once sent.")
    )
    status = SingleLineField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT, editable=False
    )
    scheduled_for = models.DateTimeField(_("scheduled for"), null=True, blank=True, editable=False)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("written by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    history = HistoricalRecords(m2m_fields=[companies])

    objects = MailingQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("mailing")
        verbose_name_plural = _("mailings")
        permissions = [("send_mailing", _("Can send mailings"))]

    def __str__(self):
        return self.subject_fr

    def get_absolute_url(self):
        return reverse("news-detail", kwargs={"pk": self.pk})

    @property
    def subject(self):
        return localized(self.subject_fr, self.subject_en)

    @property
    def body(self):
        return localized(self.body_fr, self.body_en)

    def subject_in(self, language: str) -> str:
        return (self.subject_en or self.subject_fr) if language == "en" else self.subject_fr

    def body_in(self, language: str) -> str:
        return (self.body_en or self.body_fr) if language == "en" else self.body_fr


class MailingRecipient(models.Model):
    """One person a mailing went to, and how: its email's state, or "unsubscribed" when
    the address had left the topic and was skipped."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        SENT = "sent", _("sent")
        FAILED = "failed", _("failed")
        UNSUBSCRIBED = "unsubscribed", _("unsubscribed")

    mailing = models.ForeignKey(
        Mailing, on_delete=models.CASCADE, related_name="recipients", verbose_name=_("mailing")
    )
    address = models.EmailField(_("email"))
    name = SingleLineField(_("name"), max_length=200, blank=True)
    language = SingleLineField(_("language"), max_length=2, default="fr")
    unsubscribed = models.BooleanField(_("skipped: unsubscribed"), default=False)
    email = models.OneToOneField(
        EmailLog,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="mailing_recipient",
        verbose_name=_("email sent"),
    )

    class Meta:
        ordering = ["mailing", "address"]
        verbose_name = _("mailing recipient")
        verbose_name_plural = _("mailing recipients")
        constraints = [
            models.UniqueConstraint(
                fields=["mailing", "address"], name="cluster_mailing_one_message_per_address"
            )
        ]

    def __str__(self):
        return f"{self.mailing} → {self.address}"

    @property
    def status(self) -> str:
        """Return the state: unsubscribed (skipped, no email), or its email's."""
        if self.unsubscribed or not self.email_id:
            return self.Status.UNSUBSCRIBED
        return self.email.status
