"""Office space: buildings, offices and leases. How full a building is is derived from
the leases, never stored on the office."""

from datetime import date, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from members.constraints import NoOverlapConstraint
from members.fields import DateField, SingleLineField
from members.models import MONEY, Company, localized, validate_not_negative
from members.periods import PeriodQuerySet, human_date, validate_period


class Building(models.Model):
    name = SingleLineField(_("name (French)"), max_length=100, unique=True)
    name_en = SingleLineField(
        _("name (English)"), max_length=100, blank=True, help_text=_("Empty: the French name.")
    )
    street = SingleLineField(_("street"), max_length=200, blank=True)
    postcode = SingleLineField(_("postcode"), max_length=10, blank=True)
    city = SingleLineField(_("city"), max_length=100, default="Le Soler")
    vat_rate = models.DecimalField(
        _("VAT rate on rent (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("20.00"),
        validators=[validate_not_negative, MaxValueValidator(Decimal("100"))],
        help_text=_("Commercial rent usually bears 20%; 0 when the premises are exempt."),
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("building")
        verbose_name_plural = _("buildings")

    def __str__(self):
        return self.label

    @property
    def label(self):
        """Return the name in the visitor's language, falling back to French."""
        return localized(self.name, self.name_en)


class OfficeQuerySet(models.QuerySet):
    def delivered_on(self, day: date) -> "OfficeQuerySet":
        return self.filter(active=True, delivery_date__lte=day)

    def free_between(self, start: date, end: date | None) -> "OfficeQuerySet":
        """Return the active offices delivered by ``start`` with no lease in the period."""
        busy = Lease.objects.filter(office=OuterRef("pk")).overlapping(start, end)
        return self.delivered_on(start).filter(~Exists(busy))


class Office(models.Model):
    class Kind(models.TextChoices):
        PRIVATE = "private", _("private office")
        DESK = "desk", _("desk")
        MEETING = "meeting", _("meeting room")
        WORKSHOP = "workshop", _("workshop")

    building = models.ForeignKey(
        Building, on_delete=models.PROTECT, related_name="offices", verbose_name=_("building")
    )
    floor = models.SmallIntegerField(_("floor"), default=0)
    code = SingleLineField(_("code"), max_length=20)
    area = models.DecimalField(
        _("area (m²)"),
        max_digits=7,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    desks = models.PositiveSmallIntegerField(_("desks"), default=1)
    kind = SingleLineField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.PRIVATE)
    list_rent = models.DecimalField(
        _("list rent (€ a month)"), **MONEY, validators=[validate_not_negative]
    )
    delivery_date = DateField(
        _("delivery date"), help_text=_("When the office can be let (the extension opens later).")
    )
    active = models.BooleanField(_("active"), default=True)

    history = HistoricalRecords()

    objects = OfficeQuerySet.as_manager()

    class Meta:
        ordering = ["building", "floor", "code"]
        verbose_name = _("office")
        verbose_name_plural = _("offices")
        constraints = [
            models.UniqueConstraint(fields=["building", "code"], name="startups_office_code"),
            models.CheckConstraint(condition=Q(area__gt=0), name="startups_office_area_positive"),
        ]

    def __str__(self):
        return f"{self.building} · {self.code}"


class LeaseQuerySet(PeriodQuerySet):
    def ending_within(self, days: int, today: date | None = None) -> "LeaseQuerySet":
        today = today or timezone.localdate()
        return self.filter(end__gt=today, end__lte=today + timedelta(days=days))


class Lease(models.Model):
    class Contract(models.TextChoices):
        PRECARIOUS = "precaire", _("convention d'occupation précaire")
        COMMERCIAL = "commercial", _("commercial lease")

    class BillingPeriod(models.TextChoices):
        MONTHLY = "monthly", _("monthly")
        QUARTERLY = "quarterly", _("quarterly (calendar quarters)")

    class BillingTiming(models.TextChoices):
        ADVANCE = "advance", _("in advance (terme à échoir)")
        ARREARS = "arrears", _("in arrears (terme échu)")

    office = models.ForeignKey(
        Office, on_delete=models.PROTECT, related_name="leases", verbose_name=_("office")
    )
    company = models.ForeignKey(
        Company, on_delete=models.PROTECT, related_name="leases", verbose_name=_("company")
    )
    start = DateField(_("start"))
    end = DateField(
        _("end"), null=True, blank=True, help_text=_("The first day no longer let; empty: open.")
    )
    monthly_rent = models.DecimalField(
        _("rent (€ a month)"), **MONEY, validators=[validate_not_negative]
    )
    notice_months = models.PositiveSmallIntegerField(_("notice (months)"), default=1)
    deposit = models.DecimalField(
        _("deposit (€)"), **MONEY, default=Decimal("0.00"), validators=[validate_not_negative]
    )
    contract = SingleLineField(
        _("contract"), max_length=10, choices=Contract.choices, default=Contract.PRECARIOUS
    )
    deposit_received_on = DateField(_("deposit received on"), null=True, blank=True)
    # Written only by services.deposits.deposit_return, at the end of the lease.
    deposit_returned_on = DateField(_("deposit returned on"), null=True, blank=True, editable=False)
    deposit_returned = models.DecimalField(
        _("deposit returned (€)"), **MONEY, null=True, blank=True, editable=False
    )
    deposit_retained_reason = models.TextField(
        _("why part of the deposit was kept"), blank=True, editable=False
    )
    billing_period = SingleLineField(
        _("billing period"),
        max_length=10,
        choices=BillingPeriod.choices,
        default=BillingPeriod.MONTHLY,
    )
    billing_timing = SingleLineField(
        _("billed"),
        max_length=10,
        choices=BillingTiming.choices,
        default=BillingTiming.ADVANCE,
        help_text=_(
            "In advance: a period is invoiced in its first month; in arrears: in the month "
            "after it ends."
        ),
    )
    service_charges = models.DecimalField(
        _("service charges (€ a month)"),
        **MONEY,
        default=Decimal("0.00"),
        validators=[validate_not_negative],
        help_text=_("Invoiced with the rent, at the building's VAT rate."),
    )
    rent_index = models.ForeignKey(
        "startups.RentIndex",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reference index"),
        help_text=_(
            "The index the rent above refers to. On each anniversary of the lease the rent "
            "is revised by the same quarter's index one year later. Empty: not indexed."
        ),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    history = HistoricalRecords()

    objects = LeaseQuerySet.as_manager()

    class Meta:
        ordering = ["-start"]
        verbose_name = _("lease")
        verbose_name_plural = _("leases")
        constraints = [
            # No office is ever let twice, even by concurrent bookings.
            NoOverlapConstraint(
                name="startups_lease_no_double_letting",
                owner="office",
                violation_error_message=_(
                    "This office is already let during part of this period: %(clash)s, %(period)s."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.office} → {self.company}"

    def get_absolute_url(self):
        return reverse("admin:startups_lease_change", args=[self.pk])

    def clean(self):
        """Check the period and the office's delivery (the no-overlap rule is a constraint)."""
        validate_period(self.start, self.end)
        if not (self.office_id and self.start):
            return
        office = self.office
        if self.start < office.delivery_date:
            raise ValidationError(
                {
                    "start": _(
                        "This office is delivered on %(date)s: the lease cannot start earlier."
                    )
                    % {"date": human_date(office.delivery_date)}
                },
                code="before_delivery",
            )
