"""Applications to join the cluster, made on /join/ and reviewed by staff."""

import re

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ..fields import SingleLineField, SirenField, SiretField, VatNumberField
from .common import Reviewed
from .register import Country


class Application(Reviewed):
    """A request to join the cluster, made on /join/ and reviewed by staff."""

    class Status(models.TextChoices):
        PENDING = "pending", _("to review")
        APPROVED = "approved", _("approved")
        REJECTED = "rejected", _("rejected")

    legal_name = SingleLineField(_("legal name"), max_length=200)
    trade_name = SingleLineField(_("trade name"), max_length=200, blank=True)
    siret = SiretField(_("SIRET"), blank=True)
    siren = SirenField(_("SIREN"), blank=True)
    vat_number = VatNumberField(_("VAT number"), blank=True)
    street = SingleLineField(_("street and number"), max_length=200)
    postcode = SingleLineField(_("postcode"), max_length=10)
    city = SingleLineField(_("city"), max_length=100)
    country = SingleLineField(
        _("country"), max_length=2, choices=Country.choices, default=Country.FRANCE
    )
    website = models.URLField(_("website"), max_length=300, blank=True)
    contact_first_name = SingleLineField(_("first name"), max_length=100)
    contact_last_name = SingleLineField(_("last name"), max_length=100)
    contact_email = models.EmailField(_("email"))
    contact_phone = SingleLineField(_("phone"), max_length=30, blank=True)
    contact_role = SingleLineField(_("role in the company"), max_length=120, blank=True)
    plan = models.ForeignKey(
        "members.MembershipPlan", on_delete=models.PROTECT, related_name="+", verbose_name=_("plan")
    )
    motivation = models.TextField(_("motivation"), max_length=2000)
    consent = models.BooleanField(_("consent to the processing of the data"))
    status = SingleLineField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    company = models.ForeignKey(
        "members.Company",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="applications",
        verbose_name=_("company"),
    )
    created_at = models.DateTimeField(_("received"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("application")
        verbose_name_plural = _("applications")

    def __str__(self):
        return self.trade_name or self.legal_name

    def clean(self):
        if not self.siret and not self.siren:
            raise ValidationError(
                {"siret": _("Give the company's SIRET, or at least its SIREN.")},
                code="identity_required",
            )
        if self.siret and self.siren and self.siret[:9] != self.siren:
            raise ValidationError(
                {"siren": _("The SIRET does not begin with this SIREN.")}, code="siren_mismatch"
            )
        if self.siret and not self.siren:
            self.siren = self.siret[:9]
        if (
            self.country in ("FR", "ES")
            and self.postcode
            and not re.fullmatch(r"\d{5}", self.postcode)
        ):
            raise ValidationError(
                {"postcode": _("A postcode here is five digits, such as 66270.")},
                code="postcode",
            )
        if self.consent is not True:
            raise ValidationError(
                {"consent": _("We need your consent to process this application.")},
                code="consent",
            )
