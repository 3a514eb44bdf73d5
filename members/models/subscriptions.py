"""What people agreed to receive: mailing topics, and each address's consent to each one.

A contact or a representative receives a mailing about a topic only when a subscription
records their consent to it. Unsubscribing keeps the row, marked unsubscribed: it is the
suppression that later mailings respect, whatever segment staff choose. Service emails
(invoices, reminders, invitations) are not mailings and never look here.
"""

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from ..fields import SingleLineField
from .common import localized


class Topic(models.Model):
    """What a mailing is about (news, events, job offers): people subscribe per topic."""

    slug = models.SlugField(_("slug"), max_length=40, unique=True)
    name_fr = SingleLineField(_("name (French)"), max_length=80)
    name_en = SingleLineField(_("name (English)"), max_length=80, blank=True)
    description_fr = SingleLineField(_("description (French)"), max_length=200, blank=True)
    description_en = SingleLineField(_("description (English)"), max_length=200, blank=True)

    class Meta:
        ordering = ["name_fr"]
        verbose_name = _("mailing topic")
        verbose_name_plural = _("mailing topics")

    def __str__(self):
        return self.name

    @property
    def name(self):
        return localized(self.name_fr, self.name_en)

    @property
    def description(self):
        return localized(self.description_fr, self.description_en)


class SubscriptionQuerySet(models.QuerySet):
    def for_address(self, address: str) -> "SubscriptionQuerySet":
        return self.filter(email=address.strip().lower())

    def consenting(self) -> "SubscriptionQuerySet":
        """Return the subscriptions that allow mailings: consented, not unsubscribed."""
        return self.filter(unsubscribed_at__isnull=True)


class Subscription(models.Model):
    """One address's consent to one topic, or its refusal once it unsubscribed."""

    class Source(models.TextChoices):
        STAFF = "staff", _("recorded by staff")
        SELF = "self", _("chosen by the person")
        LINK = "link", _("unsubscribe link")

    class Language(models.TextChoices):
        FRENCH = "fr", _("French")
        ENGLISH = "en", _("English")

    email = models.EmailField(_("email"))
    topic = models.ForeignKey(
        Topic, on_delete=models.CASCADE, related_name="subscriptions", verbose_name=_("topic")
    )
    language = SingleLineField(
        _("language"), max_length=2, choices=Language.choices, default=Language.FRENCH
    )
    source = SingleLineField(_("source"), max_length=10, choices=Source.choices)
    consented_at = models.DateTimeField(_("consented"), null=True, blank=True)
    unsubscribed_at = models.DateTimeField(_("unsubscribed"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )

    objects = SubscriptionQuerySet.as_manager()

    class Meta:
        ordering = ["email", "topic"]
        verbose_name = _("subscription")
        verbose_name_plural = _("subscriptions")
        constraints = [
            models.UniqueConstraint(
                fields=["email", "topic"],
                name="members_subscription_once_per_topic",
                violation_error_message=_("This address already has a subscription to it."),
            ),
            models.CheckConstraint(
                condition=models.Q(email=Lower("email")), name="members_subscription_lower_email"
            ),
        ]

    def __str__(self):
        return f"{self.email} · {self.topic}"

    def clean(self):
        self.email = (self.email or "").strip().lower()
