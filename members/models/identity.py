"""Who runs this Cité: the cluster's name, legal identity, address and bank details.

One row, edited by staff in the admin, read wherever the cluster names itself: page
headers and footers, the home page, emails, invoices and the admin's header. Nothing about
one particular cluster is written in a template or in the code.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ..fields import (
    BicField,
    CreditorIdField,
    IbanField,
    SingleLineField,
    SirenField,
    SiretField,
    VatNumberField,
)
from .common import localized, postal_address
from .register import Country


class ClusterIdentityQuerySet(models.QuerySet):
    def current(self) -> "ClusterIdentity":
        """Return the identity (an unsaved blank one until staff fill it in)."""
        return self.filter(pk=ClusterIdentity.SINGLETON).first() or ClusterIdentity()


class ClusterIdentity(models.Model):
    """The cluster that runs this site, as it names itself and as its invoices state it."""

    SINGLETON = 1

    name = SingleLineField(
        _("name"),
        max_length=100,
        blank=True,
        help_text=_("As people call it, for example in page titles and email subjects."),
    )
    legal_name = SingleLineField(
        _("legal name"),
        max_length=200,
        blank=True,
        help_text=_("As it appears on invoices, for example “Association …”."),
    )
    site_name = SingleLineField(
        _("name of the site"),
        max_length=100,
        blank=True,
        help_text=_("The place the cluster runs, shown under its name in the page header."),
    )
    tagline_fr = SingleLineField(_("headline (French)"), max_length=200, blank=True)
    tagline_en = SingleLineField(_("headline (English)"), max_length=200, blank=True)
    presentation_fr = models.TextField(_("presentation (French)"), blank=True)
    presentation_en = models.TextField(_("presentation (English)"), blank=True)
    siren = SirenField(_("SIREN"), blank=True)
    siret = SiretField(
        _("SIRET"),
        blank=True,
        help_text=_("The establishment that invoices; e-invoices name it beside the SIREN."),
    )
    vat_number = VatNumberField(_("VAT number"), blank=True)
    vat_exemption_mention = SingleLineField(
        _("VAT exemption mention"),
        max_length=200,
        blank=True,
        help_text=_(
            "Printed on invoices that bear no VAT, for example “TVA non applicable, "
            "article 293 B du CGI”."
        ),
    )
    street = SingleLineField(_("street"), max_length=200, blank=True)
    postcode = SingleLineField(_("postcode"), max_length=10, blank=True)
    city = SingleLineField(_("city"), max_length=100, blank=True)
    country = SingleLineField(
        _("country"), max_length=2, choices=Country.choices, default=Country.FRANCE
    )
    email = models.EmailField(_("contact email"), blank=True)
    phone = SingleLineField(_("phone"), max_length=30, blank=True)
    website = models.URLField(_("website"), max_length=300, blank=True)
    privacy_email = models.EmailField(
        _("email for personal data requests"),
        blank=True,
        help_text=_(
            "Where people write to get or erase what is held about them; empty: the contact email."
        ),
    )
    publication_director = SingleLineField(_("director of publication"), max_length=150, blank=True)
    host = models.TextField(
        _("website host"), blank=True, help_text=_("Name, address and phone of the host.")
    )
    bank_name = SingleLineField(_("bank"), max_length=100, blank=True)
    iban = IbanField(_("IBAN"), blank=True)
    bic = BicField(_("BIC"), blank=True)
    sepa_creditor_id = CreditorIdField(
        _("SEPA creditor identifier"),
        blank=True,
        help_text=_(
            "The identifier the bank gave the cluster to collect by direct debit "
            "(ICS, such as FR72ZZZ123456)."
        ),
    )

    history = HistoricalRecords()

    objects = ClusterIdentityQuerySet.as_manager()

    class Meta:
        verbose_name = _("cluster identity")
        verbose_name_plural = _("cluster identity")
        constraints = [
            models.CheckConstraint(condition=models.Q(pk=1), name="members_identity_one_row")
        ]

    def __str__(self):
        return self.name or "Cité"

    def clean(self):
        if self.siret and self.siren and self.siret[:9] != self.siren:
            raise ValidationError(
                {
                    "siret": _("The SIRET does not begin with the SIREN (%(siren)s).")
                    % {"siren": self.siren}
                }
            )

    @property
    def display_name(self):
        """Return the name, or "Cité" before staff fill it in."""
        return self.name or "Cité"

    @property
    def tagline(self):
        return localized(self.tagline_fr, self.tagline_en)

    @property
    def presentation(self):
        return localized(self.presentation_fr, self.presentation_en)

    @property
    def privacy_contact(self):
        """Return the address for personal data requests, or the contact email."""
        return self.privacy_email or self.email

    @property
    def address(self):
        """Return the postal address on one line, as invoices print it."""
        return postal_address(
            self.street, self.postcode, self.city, self.country, self.get_country_display()
        )
