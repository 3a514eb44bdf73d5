"""Membership plans and memberships (one per company and period)."""

from decimal import Decimal

from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ..constraints import NoOverlapConstraint
from ..fields import DateField, SingleLineField
from ..periods import PeriodQuerySet, format_period, validate_period
from .common import MONEY, localized, validate_not_negative


class OrganisationKind(models.TextChoices):
    STARTUP = "startup", _("start-up")
    SMALL = "small", _("small company")
    LARGE = "large", _("larger company")
    SCHOOL = "school", _("school")
    PARTNER = "partner", _("partner")


class MembershipPlan(models.Model):
    name = SingleLineField(_("name (French)"), max_length=100, unique=True)
    name_en = SingleLineField(
        _("name (English)"), max_length=100, blank=True, help_text=_("Empty: the French name.")
    )
    organisation_kind = SingleLineField(
        _("kind of organisation"), max_length=10, choices=OrganisationKind.choices
    )
    annual_fee = models.DecimalField(
        _("yearly fee (€)"), **MONEY, validators=[validate_not_negative]
    )
    vat_applies = models.BooleanField(_("VAT applies"), default=False)
    vat_rate = models.DecimalField(
        _("VAT rate (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("20.00"),
        validators=[validate_not_negative],
    )
    active = models.BooleanField(_("active"), default=True, help_text=_("Offered to applicants."))

    history = HistoricalRecords()

    class Meta:
        ordering = ["annual_fee", "name"]
        verbose_name = _("membership plan")
        verbose_name_plural = _("membership plans")

    def __str__(self):
        return self.label

    @property
    def label(self):
        """Return the name in the visitor's language, falling back to French."""
        return localized(self.name, self.name_en)


class Membership(models.Model):
    """One year (or part of a year) of a company's membership. Every year is kept."""

    class Status(models.TextChoices):
        """The membership's standing. Only ``members.services.memberships`` changes it,
        through its table of transitions."""

        PENDING = "pending", _("pending payment")
        ACTIVE = "active", _("active")
        GRACE = "grace", _("in grace period")
        LAPSED = "lapsed", _("lapsed")
        RESIGNED = "resigned", _("resigned")
        CANCELLED = "cancelled", _("cancelled")

    Status.IN_GOOD_STANDING = (Status.ACTIVE, Status.GRACE)
    Status.GONE = (Status.LAPSED, Status.RESIGNED, Status.CANCELLED)

    company = models.ForeignKey(
        "members.Company",
        on_delete=models.PROTECT,
        related_name="memberships",
        verbose_name=_("company"),
    )
    plan = models.ForeignKey(
        MembershipPlan, on_delete=models.PROTECT, related_name="memberships", verbose_name=_("plan")
    )
    start = DateField(_("start"))
    end = DateField(_("end"), help_text=_("The first day no longer covered."))
    fee = models.DecimalField(_("fee (€, before tax)"), **MONEY, validators=[validate_not_negative])
    status = SingleLineField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING, editable=False
    )
    status_since = DateField(_("status since"), default=timezone.localdate, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    history = HistoricalRecords()

    objects = PeriodQuerySet.as_manager()

    class Meta:
        ordering = ["-start", "company"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        indexes = [
            models.Index(fields=["company", "start"], name="members_membership_latest"),
            models.Index(fields=["start", "status"], name="members_membership_year"),
            # "Was a member before": an index-only probe per company for the dashboard.
            models.Index(fields=["company", "status", "start"], name="members_membership_standing"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gt=F("start")),
                name="members_membership_end_after_start",
                violation_error_message=_("The end must be after the start."),
            ),
            models.CheckConstraint(
                condition=Q(fee__gte=0), name="members_membership_fee_not_negative"
            ),
            NoOverlapConstraint(
                name="members_membership_no_overlap",
                owner="company",
                violation_error_message=_(
                    "This company already has a membership for part of this period (%(period)s)."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.company}, {format_period(self.start, self.end)}"

    def clean(self):
        validate_period(self.start, self.end)
