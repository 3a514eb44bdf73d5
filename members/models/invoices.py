"""Invoices and credit notes, numbered without gaps within each year, and payments."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Case, Exists, F, OuterRef, Q, Subquery, Sum, Value, When
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ..fields import DateField, SingleLineField
from .common import MONEY, validate_positive
from .sepa import DirectDebit


class InvoiceSequence(models.Model):
    """The last invoice number used in a year; locked while a number is taken."""

    year = models.PositiveSmallIntegerField(_("year"), primary_key=True)
    last = models.PositiveIntegerField(_("last number"), default=0)

    class Meta:
        verbose_name = _("invoice sequence")
        verbose_name_plural = _("invoice sequences")

    def __str__(self):
        return f"{self.year}: {self.last}"


class PaymentStatus(models.TextChoices):
    """Where an invoice stands today, as ``InvoiceQuerySet.with_balance`` computes it."""

    UNPAID = "unpaid", _("unpaid")
    OVERDUE = "overdue", _("overdue")
    PAID = "paid", _("paid")
    # In a SEPA direct debit file the bank has not settled or returned yet.
    COLLECTING = "collecting", _("being collected")
    CREDIT = "credit", _("credit note")


class InvoiceQuerySet(models.QuerySet):
    def with_balance(self) -> "InvoiceQuerySet":
        """Annotate what was paid, what credit notes took off, the balance and a
        ``payment_status`` (a ``PaymentStatus``)."""
        paid = (
            Payment.objects.filter(invoice=OuterRef("pk"))
            .values("invoice")
            .annotate(total=Sum("amount"))
            .values("total")
        )
        credited = (
            Invoice.objects.filter(credited_invoice=OuterRef("pk"))
            .values("credited_invoice")
            .annotate(total=Sum("amount_incl_tax"))
            .values("total")
        )
        zero = Value(Decimal("0.00"), output_field=models.DecimalField(**MONEY))
        today = timezone.localdate()
        return self.annotate(
            paid=Coalesce(Subquery(paid), zero),
            credited=Coalesce(Subquery(credited), zero),
            collecting=Exists(
                DirectDebit.objects.pending().filter(invoice=OuterRef("pk")).values("pk")
            ),
        ).annotate(
            balance=F("amount_incl_tax") + F("credited") - F("paid"),
            payment_status=Case(
                When(kind=Invoice.Kind.CREDIT_NOTE, then=Value(PaymentStatus.CREDIT)),
                When(balance__lte=0, then=Value(PaymentStatus.PAID)),
                When(collecting=True, then=Value(PaymentStatus.COLLECTING)),
                When(due_date__lt=today, then=Value(PaymentStatus.OVERDUE)),
                default=Value(PaymentStatus.UNPAID),
            ),
        )

    def overdue(self) -> "InvoiceQuerySet":
        """Invoices with a balance past their due date."""
        return self.with_balance().filter(payment_status=PaymentStatus.OVERDUE)

    def invoices(self) -> "InvoiceQuerySet":
        return self.filter(kind=Invoice.Kind.INVOICE)

    def dues(self) -> "InvoiceQuerySet":
        """Invoices and credit notes of membership dues (rent and the other apps' billing
        have no membership)."""
        return self.filter(membership__isnull=False)


class Invoice(models.Model):
    """An issued invoice or credit note. Immutable: it copies everything it bills."""

    class Kind(models.TextChoices):
        INVOICE = "invoice", _("invoice")
        CREDIT_NOTE = "credit", _("credit note")

    number = SingleLineField(_("number"), max_length=20, unique=True, editable=False)
    year = models.PositiveSmallIntegerField(_("year"), editable=False)
    sequence = models.PositiveIntegerField(_("sequence"), editable=False)
    kind = SingleLineField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.INVOICE)
    company = models.ForeignKey(
        "members.Company",
        on_delete=models.PROTECT,
        related_name="invoices",
        verbose_name=_("company"),
    )
    membership = models.ForeignKey(
        "members.Membership",
        on_delete=models.PROTECT,
        related_name="invoices",
        null=True,
        blank=True,
        verbose_name=_("membership"),
    )
    credited_invoice = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        related_name="credit_notes",
        null=True,
        blank=True,
        verbose_name=_("credit note for"),
    )
    issue_date = DateField(_("issue date"))
    due_date = DateField(_("due date"))
    period_start = DateField(_("period start"), null=True, blank=True)
    period_end = DateField(_("period end"), null=True, blank=True)
    description = SingleLineField(_("description"), max_length=300)
    seller_name = SingleLineField(_("seller"), max_length=200)
    seller_address = models.TextField(_("seller's address"))
    seller_siren = SingleLineField(_("seller's SIREN"), max_length=9, blank=True)
    seller_siret = SingleLineField(_("seller's SIRET"), max_length=14, blank=True)
    seller_vat_number = SingleLineField(_("seller's VAT number"), max_length=16, blank=True)
    buyer_name = SingleLineField(_("buyer"), max_length=200)
    buyer_address = models.TextField(_("buyer's address"), blank=True)
    buyer_siren = SingleLineField(_("buyer's SIREN"), max_length=9, blank=True)
    buyer_siret = SingleLineField(_("buyer's SIRET"), max_length=14, blank=True)
    buyer_vat_number = SingleLineField(_("buyer's VAT number"), max_length=16, blank=True)
    # The terms of payment as printed (Code de commerce, L. 441-9 and L. 441-10).
    payment_terms = SingleLineField(_("terms of payment"), max_length=200, blank=True)
    late_penalty_rate = models.DecimalField(
        _("late-payment penalty rate (% a year)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
    )
    recovery_indemnity = models.DecimalField(
        _("fixed recovery indemnity (€)"), **MONEY, null=True, blank=True
    )
    seller_bank = SingleLineField(_("seller's bank"), max_length=100, blank=True)
    seller_iban = SingleLineField(_("seller's IBAN"), max_length=34, blank=True)
    seller_bic = SingleLineField(_("seller's BIC"), max_length=11, blank=True)
    amount_excl_tax = models.DecimalField(_("amount before tax (€)"), **MONEY)
    vat_rate = models.DecimalField(_("VAT rate (%)"), max_digits=5, decimal_places=2)
    vat_amount = models.DecimalField(_("VAT (€)"), **MONEY)
    amount_incl_tax = models.DecimalField(_("amount after tax (€)"), **MONEY)
    vat_mention = SingleLineField(_("VAT mention"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("issued by"),
    )

    objects = InvoiceQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "-sequence"]
        verbose_name = _("invoice")
        verbose_name_plural = _("invoices")
        constraints = [
            models.UniqueConstraint(fields=["year", "sequence"], name="members_invoice_gapless"),
            models.CheckConstraint(
                condition=Q(due_date__gte=F("issue_date")),
                name="members_invoice_due_after_issue",
            ),
        ]

    def __str__(self):
        return self.number

    def get_absolute_url(self):
        return reverse("members:invoice-detail", args=[self.number])


class Revenue(models.TextChoices):
    """What a line earns: the sales account the accountant's export posts it to
    (``CITE_ACCOUNTS``)."""

    DUES = "dues", _("membership dues")
    RENT = "rent", _("rent")
    CHARGES = "charges", _("service charges")
    EVENT = "event", _("event fees")
    OTHER = "other", _("other services")


class InvoiceLine(models.Model):
    """One thing an invoice bills, before tax; the invoice holds the VAT rate and totals."""

    invoice = models.ForeignKey(
        Invoice, on_delete=models.CASCADE, related_name="lines", verbose_name=_("invoice")
    )
    position = models.PositiveSmallIntegerField(_("position"))
    description = SingleLineField(_("description"), max_length=300)
    amount_excl_tax = models.DecimalField(_("amount before tax (€)"), **MONEY)
    # Blank on lines issued before it existed: dues on a membership's invoice, else other.
    revenue = SingleLineField(_("revenue"), max_length=10, choices=Revenue.choices, blank=True)

    class Meta:
        ordering = ["invoice", "position"]
        verbose_name = _("invoice line")
        verbose_name_plural = _("invoice lines")
        constraints = [
            models.UniqueConstraint(
                fields=["invoice", "position"], name="members_invoiceline_position"
            )
        ]

    def __str__(self):
        return self.description


class Payment(models.Model):
    class Method(models.TextChoices):
        TRANSFER = "transfer", _("bank transfer")
        DIRECT_DEBIT = "debit", _("direct debit")
        CHEQUE = "cheque", _("cheque")
        CARD = "card", _("card")
        CASH = "cash", _("cash")

    invoice = models.ForeignKey(
        Invoice, on_delete=models.PROTECT, related_name="payments", verbose_name=_("invoice")
    )
    date = DateField(_("date"))
    amount = models.DecimalField(_("amount (€)"), **MONEY, validators=[validate_positive])
    method = SingleLineField(_("method"), max_length=10, choices=Method.choices)
    reference = SingleLineField(_("reference"), max_length=100, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="members_payment_positive")
        ]

    def __str__(self):
        return f"{self.invoice} · {self.amount} € · {self.date}"
