"""Rent: the invoices issued for leases, through the members' billing core."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from members.fields import DateField, SingleLineField
from members.models import MONEY
from members.periods import format_period


class RentInvoice(models.Model):
    """Which lease and which days ``[period_start, period_end)`` an invoice bills.

    One per lease and period, ever: the unique constraint refuses a second one, even from
    a concurrent run that slipped past the lease lock.
    """

    invoice = models.OneToOneField(
        "members.Invoice",
        on_delete=models.PROTECT,
        related_name="rent",
        verbose_name=_("invoice"),
    )
    lease = models.ForeignKey(
        "startups.Lease",
        on_delete=models.PROTECT,
        related_name="rent_invoices",
        verbose_name=_("lease"),
    )
    period_start = DateField(_("period start"))
    period_end = DateField(_("period end (excluded)"))

    class Meta:
        ordering = ["-period_start", "lease"]
        verbose_name = _("rent invoice")
        verbose_name_plural = _("rent invoices")
        constraints = [
            models.UniqueConstraint(
                fields=["lease", "period_start"], name="startups_rentinvoice_once_per_period"
            ),
            models.CheckConstraint(
                condition=Q(period_end__gt=F("period_start")),
                name="startups_rentinvoice_period_order",
            ),
        ]

    def __str__(self):
        return f"{self.invoice_id} · {format_period(self.period_start, self.period_end)}"


class RentIndex(models.Model):
    """A quarter's value of a rent index, as INSEE publishes it and staff enter it."""

    class Kind(models.TextChoices):
        ILAT = "ilat", _("ILAT (indice des loyers des activités tertiaires)")
        ILC = "ilc", _("ILC (indice des loyers commerciaux)")

    kind = SingleLineField(_("index"), max_length=4, choices=Kind.choices)
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    quarter = models.PositiveSmallIntegerField(
        _("quarter"), choices=[(n, f"T{n}") for n in range(1, 5)]
    )
    value = models.DecimalField(
        _("value"), max_digits=8, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))]
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("entered by"),
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["-year", "-quarter", "kind"]
        verbose_name = _("rent index")
        verbose_name_plural = _("rent indexes")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "year", "quarter"], name="startups_rentindex_one_per_quarter"
            ),
            models.CheckConstraint(condition=Q(value__gt=0), name="startups_rentindex_positive"),
        ]

    def __str__(self):
        return f"{self.get_kind_display().split(' ')[0]} T{self.quarter} {self.year}"


class RentRevision(models.Model):
    """A yearly revision of a lease's rent on its anniversary: ``new_rent`` is
    ``old_rent × new_index / old_index``, rounded half up to the cent."""

    lease = models.ForeignKey(
        "startups.Lease",
        on_delete=models.CASCADE,
        related_name="revisions",
        verbose_name=_("lease"),
    )
    effective = DateField(_("from"))
    old_rent = models.DecimalField(_("rent before (€ a month)"), **MONEY)
    new_rent = models.DecimalField(_("revised rent (€ a month)"), **MONEY)
    old_index = models.ForeignKey(
        RentIndex, on_delete=models.PROTECT, related_name="+", verbose_name=_("previous index")
    )
    new_index = models.ForeignKey(
        RentIndex, on_delete=models.PROTECT, related_name="+", verbose_name=_("new index")
    )
    created_at = models.DateTimeField(_("applied"), auto_now_add=True)

    class Meta:
        ordering = ["lease", "effective"]
        verbose_name = _("rent revision")
        verbose_name_plural = _("rent revisions")
        constraints = [
            models.UniqueConstraint(
                fields=["lease", "effective"], name="startups_rentrevision_once_a_year"
            )
        ]

    def __str__(self):
        return f"{self.effective}: {self.old_rent} → {self.new_rent}"
