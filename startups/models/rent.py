"""Rent: the invoices issued for leases, through the members' billing core."""

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

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
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end (excluded)"))

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
