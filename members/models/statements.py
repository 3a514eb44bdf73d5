"""Bank statements uploaded by staff, and each of their lines with what it was matched to.

A line's ``key`` is unique: the bank's own reference for the entry (or, without one, its
date, amount, references and rank), so a statement imported twice adds nothing.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..fields import DateField, SingleLineField
from .common import MONEY


class BankStatement(models.Model):
    class Format(models.TextChoices):
        CAMT053 = "camt053", "CAMT.053"
        OFX = "ofx", "OFX"

    filename = SingleLineField(_("file name"), max_length=200)
    format = SingleLineField(_("format"), max_length=10, choices=Format.choices)
    account = SingleLineField(_("account"), max_length=34, blank=True)
    imported_at = models.DateTimeField(_("imported"), auto_now_add=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("imported by"),
    )

    class Meta:
        ordering = ["-imported_at", "-pk"]
        verbose_name = _("bank statement")
        verbose_name_plural = _("bank statements")

    def __str__(self):
        return f"{self.filename} ({self.imported_at:%d/%m/%Y})"


class StatementLineQuerySet(models.QuerySet):
    def proposed(self) -> "StatementLineQuerySet":
        return self.filter(status=StatementLine.Status.PROPOSED)

    def unmatched(self) -> "StatementLineQuerySet":
        return self.filter(status=StatementLine.Status.UNMATCHED)


class StatementLine(models.Model):
    """One booked entry of a statement: a credit (money in) or a debit (money out)."""

    class Status(models.TextChoices):
        UNMATCHED = "unmatched", _("unmatched")
        PROPOSED = "proposed", _("match proposed")
        CONFIRMED = "confirmed", _("confirmed")

    class Match(models.TextChoices):
        REFERENCE = "reference", _("invoice number in the reference")
        IBAN = "iban", _("amount and payer's IBAN")
        NAME = "name", _("amount and payer's name")
        COLLECTION = "collection", _("SEPA direct debits settled")
        REJECTION = "rejection", _("SEPA direct debit returned")

    statement = models.ForeignKey(
        BankStatement, on_delete=models.CASCADE, related_name="lines", verbose_name=_("statement")
    )
    key = SingleLineField(_("unique key"), max_length=64, unique=True, editable=False)
    booking_date = DateField(_("booking date"))
    amount = models.DecimalField(_("amount (€)"), **MONEY)
    name = SingleLineField(_("counterparty"), max_length=140, blank=True)
    iban = SingleLineField(_("counterparty's IBAN"), max_length=34, blank=True)
    reference = SingleLineField(_("reference"), max_length=500, blank=True)
    end_to_end_id = SingleLineField(_("end-to-end id"), max_length=35, blank=True)
    batch_id = SingleLineField(
        _("batch id"), max_length=35, blank=True, help_text=_("The message id of a SEPA file.")
    )
    return_reason = SingleLineField(_("return reason"), max_length=35, blank=True)
    status = SingleLineField(
        _("status"), max_length=10, choices=Status.choices, default=Status.UNMATCHED
    )
    match = SingleLineField(_("matched by"), max_length=10, choices=Match.choices, blank=True)
    invoice = models.ForeignKey(
        "members.Invoice",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="statement_lines",
        verbose_name=_("invoice"),
    )
    debit_file = models.ForeignKey(
        "members.DirectDebitFile",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="statement_lines",
        verbose_name=_("SEPA file"),
    )
    debit = models.ForeignKey(
        "members.DirectDebit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="statement_lines",
        verbose_name=_("direct debit"),
    )
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("confirmed by"),
    )

    objects = StatementLineQuerySet.as_manager()

    class Meta:
        ordering = ["statement", "booking_date", "pk"]
        verbose_name = _("statement line")
        verbose_name_plural = _("statement lines")

    def __str__(self):
        return f"{self.booking_date:%d/%m/%Y} {self.amount} € {self.name}"
