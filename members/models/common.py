"""What several concerns of the app share: money amounts and their validators, the record
of a staff review, and how one concern's QuerySet reaches another's model."""

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Value
from django.db.models.functions import Coalesce, NullIf
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class Reviewed(models.Model):
    """What staff record when they review something submitted to them (a profile change,
    an offer, an application): who, when and, for a rejection, why."""

    reason = models.TextField(_("reason for rejection"), blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)

    class Meta:
        abstract = True

    def record_review(self, status, *, reviewer, reason=""):
        """Record the outcome of a review: the new status, who, when and why (not saved)."""
        self.status = status
        self.reason = reason
        self.reviewed_by = reviewer
        self.reviewed_at = timezone.now()


MONEY = {"max_digits": 10, "decimal_places": 2}


def validate_not_negative(value):
    if value < 0:
        raise ValidationError(_("The amount cannot be negative."), code="negative")


def validate_positive(value):
    if value <= 0:
        raise ValidationError(_("The amount must be more than zero."), code="not_positive")


def app_model(name):
    """Return this app's model ``name``.

    A QuerySet that crosses concerns (a company's memberships, an offer's company) looks the
    other model up here rather than importing it, so that no two model modules import each
    other.
    """
    return apps.get_model("members", name)


def postal_address(street, postcode, city, country, country_label):
    """Return a postal address on one line, as invoices print it; the country only when it
    is not France."""
    parts = [street, f"{postcode} {city}".strip()]
    if country and country != "FR":
        parts.append(str(country_label))
    return ", ".join(part for part in parts if part)


def localized(french, english):
    """Return the text in the visitor's language, falling back to the other one.

    Content that staff or members enter has a French and an English version; either may
    be empty.
    """
    if get_language() == "en":
        return english or french
    return french or english


def localized_field(path):
    """Return an expression for the field ``path`` in the visitor's language.

    The database twin of :func:`localized` for names staff enter in both languages: the
    French one in ``path``, the English one in ``path + "_en"``; English falls back to
    French when blank. Use it in ``values()``, ``annotate()`` and ``order_by()``.
    """
    if get_language() == "en":
        return Coalesce(NullIf(F(f"{path}_en"), Value("")), F(path))
    return F(path)
