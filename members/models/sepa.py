"""SEPA direct debit (Core): the mandates companies sign, the files sent to the bank and
each debit in them.

A debit's status says where the money stands: pending while the bank collects it (the
invoice is "being collected"), collected once the payment is recorded, rejected when the
bank returns it (the invoice is open again and staff are told).
"""

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ..fields import BicField, DateField, IbanField, SingleLineField
from .common import MONEY, app_model, validate_positive

# The characters a mandate reference may hold (EPC rulebook, AT-01: the SEPA Latin set,
# without spaces), at most 35.
MANDATE_REFERENCE = re.compile(r"^[A-Za-z0-9+?/:().,'-]{1,35}$")


def validate_mandate_reference(value):
    if not MANDATE_REFERENCE.match(value or ""):
        raise ValidationError(
            _(
                "A mandate reference is at most 35 letters, digits or the signs "
                "+ ? / - : ( ) . , ' — without spaces or accents."
            ),
            code="invalid_mandate_reference",
        )


class SequenceType(models.TextChoices):
    FIRST = "FRST", _("first")
    RECURRENT = "RCUR", _("recurrent")


class MandateQuerySet(models.QuerySet):
    def active(self) -> "MandateQuerySet":
        return self.filter(status=Mandate.Status.ACTIVE)

    def visible_to(self, user) -> "MandateQuerySet":
        """Return the mandates this user may read: all for staff with the permission,
        else those of the companies they represent."""
        if user.is_staff and user.has_perm("members.view_mandate"):
            return self
        return self.filter(company__in=app_model("Company").objects.editable_by(user))


class Mandate(models.Model):
    """A company's authorisation to debit its account (one active at a time)."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("active")
        REVOKED = "revoked", _("revoked")

    company = models.ForeignKey(
        "members.Company",
        on_delete=models.PROTECT,
        related_name="mandates",
        verbose_name=_("company"),
    )
    reference = SingleLineField(
        _("unique mandate reference"),
        max_length=35,
        unique=True,
        validators=[validate_mandate_reference],
        help_text=_("As printed on the signed mandate (RUM)."),
    )
    signed_on = DateField(_("signature date"))
    debtor_name = SingleLineField(
        _("account holder"), max_length=70, help_text=_("As written on the mandate.")
    )
    iban = IbanField(_("IBAN"))
    bic = BicField(_("BIC"))
    status = SingleLineField(
        _("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE
    )
    sequence_type = SingleLineField(
        _("next sequence type"),
        max_length=4,
        choices=SequenceType.choices,
        default=SequenceType.FIRST,
        help_text=_("First until a debit under this mandate is collected, then recurrent."),
    )
    revoked_on = DateField(_("revoked on"), null=True, blank=True)
    signed_pdf = models.BinaryField(_("signed mandate (PDF)"), blank=True, editable=False)
    signed_pdf_name = SingleLineField(_("file name"), max_length=60, blank=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    history = HistoricalRecords(excluded_fields=["signed_pdf"])

    objects = MandateQuerySet.as_manager()

    class Meta:
        ordering = ["company", "-signed_on"]
        verbose_name = _("SEPA mandate")
        verbose_name_plural = _("SEPA mandates")
        constraints = [
            models.UniqueConstraint(
                fields=["company"],
                condition=Q(status="active"),
                name="members_mandate_one_active",
                violation_error_message=_("This company already has an active mandate."),
            ),
        ]

    def __str__(self):
        return self.reference

    def clean(self):
        if self.status == self.Status.REVOKED and not self.revoked_on:
            raise ValidationError({"revoked_on": _("Give the day the mandate was revoked.")})
        if self.revoked_on and self.revoked_on < self.signed_on:
            raise ValidationError(
                {"revoked_on": _("A mandate cannot be revoked before it was signed.")}
            )

    @property
    def masked_iban(self):
        """Return the IBAN with all but its country, check digits and last 4 hidden."""
        return f"{self.iban[:4]} •••• {self.iban[-4:]}" if self.iban else ""


class DirectDebitFile(models.Model):
    """A pain.008 file built for the bank: which invoices it collects, on which day."""

    message_id = SingleLineField(_("message id"), max_length=35, unique=True, editable=False)
    collection_date = DateField(_("collection date"))
    total = models.DecimalField(_("total (€)"), **MONEY)
    count = models.PositiveIntegerField(_("number of debits"))
    xml = models.BinaryField(_("pain.008 file"), editable=False)
    created_at = models.DateTimeField(_("built"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("built by"),
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("SEPA direct debit file")
        verbose_name_plural = _("SEPA direct debit files")

    def __str__(self):
        return self.message_id

    @property
    def filename(self):
        return f"prelevements-{self.collection_date:%Y-%m-%d}-{self.message_id}.xml"


class DirectDebitQuerySet(models.QuerySet):
    def pending(self) -> "DirectDebitQuerySet":
        return self.filter(status=DirectDebit.Status.PENDING)

    def rejections_to_follow_up(self) -> "DirectDebitQuerySet":
        return self.filter(status=DirectDebit.Status.REJECTED, followed_up=False)


class DirectDebit(models.Model):
    """One invoice collected in one file, under one mandate."""

    class Status(models.TextChoices):
        PENDING = "pending", _("being collected")
        COLLECTED = "collected", _("collected")
        REJECTED = "rejected", _("rejected")

    file = models.ForeignKey(
        DirectDebitFile,
        on_delete=models.PROTECT,
        related_name="debits",
        verbose_name=_("file"),
    )
    invoice = models.ForeignKey(
        "members.Invoice",
        on_delete=models.PROTECT,
        related_name="direct_debits",
        verbose_name=_("invoice"),
    )
    mandate = models.ForeignKey(
        Mandate, on_delete=models.PROTECT, related_name="debits", verbose_name=_("mandate")
    )
    sequence_type = SingleLineField(_("sequence type"), max_length=4, choices=SequenceType.choices)
    amount = models.DecimalField(_("amount (€)"), **MONEY, validators=[validate_positive])
    end_to_end_id = SingleLineField(_("end-to-end id"), max_length=35, unique=True)
    status = SingleLineField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    payment = models.OneToOneField(
        "members.Payment",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="direct_debit",
        verbose_name=_("payment"),
    )
    rejected_on = DateField(_("rejected on"), null=True, blank=True)
    reject_reason = SingleLineField(_("reason for rejection"), max_length=200, blank=True)
    followed_up = models.BooleanField(
        _("rejection followed up"),
        default=False,
        help_text=_("Ticked once staff have contacted the company about the rejection."),
    )

    history = HistoricalRecords()

    objects = DirectDebitQuerySet.as_manager()

    class Meta:
        ordering = ["file", "pk"]
        verbose_name = _("direct debit")
        verbose_name_plural = _("direct debits")
        constraints = [
            # Never two debits of one invoice under way: building twice collects it once.
            models.UniqueConstraint(
                fields=["invoice"],
                condition=Q(status="pending"),
                name="members_directdebit_one_pending",
            ),
            models.CheckConstraint(condition=Q(amount__gt=0), name="members_directdebit_positive"),
        ]

    def __str__(self):
        return self.end_to_end_id
