"""The incubator (programmes, incubations, KPIs, milestones) and office space (buildings,
offices, leases). What a company is (start-up, alumnus) and how full a building is are
derived from these relations, never stored on the company or the office.
"""

from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
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
from members.models import MONEY, Company, Contact, localized, validate_not_negative
from members.periods import PeriodQuerySet, human_date, validate_period


def months_between(start, end):
    """Return the number of whole and started months from ``start`` to ``end``."""
    months = (end.year - start.year) * 12 + end.month - start.month
    return months + (1 if end.day > start.day else 0)


class Programme(models.Model):
    """An incubation programme (not the school's programmes, which are cluster.Programme)."""

    class Stage(models.TextChoices):
        PRE_INCUBATION = "pre", _("pre-incubation")
        INCUBATION = "incubation", _("incubation")
        ACCELERATION = "acceleration", _("acceleration")
        OTHER = "other", _("other (defined by the staff)")

    name = SingleLineField(_("name (French)"), max_length=100, unique=True)
    name_en = SingleLineField(
        _("name (English)"), max_length=100, blank=True, help_text=_("Empty: the French name.")
    )
    stage = SingleLineField(_("stage"), max_length=12, choices=Stage.choices)
    description = models.TextField(_("description"), blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("incubation programme")
        verbose_name_plural = _("incubation programmes")

    def __str__(self):
        return self.label

    @property
    def label(self):
        """Return the name in the visitor's language, falling back to French."""
        return localized(self.name, self.name_en)


class IncubationQuerySet(PeriodQuerySet):
    def hosted_on(self, day: date | None = None) -> "IncubationQuerySet":
        return self.active_on(day or timezone.localdate())


class Incubation(models.Model):
    class Outcome(models.TextChoices):
        GRADUATED = "graduated", _("graduated")
        MOVED_OUT = "moved_out", _("moved out")
        STOPPED = "stopped", _("stopped")

    company = models.ForeignKey(
        Company, on_delete=models.CASCADE, related_name="incubations", verbose_name=_("company")
    )
    programme = models.ForeignKey(
        Programme, on_delete=models.PROTECT, related_name="incubations", verbose_name=_("programme")
    )
    cohort = SingleLineField(_("cohort"), max_length=20, help_text=_("For example 2025-A."))
    start = DateField(_("entry date"))
    planned_end = DateField(_("planned end"))
    end = DateField(_("exit date"), null=True, blank=True)
    outcome = SingleLineField(_("outcome"), max_length=10, choices=Outcome.choices, blank=True)
    mentor_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("mentor (user)"),
    )
    mentor_contact = models.ForeignKey(
        Contact,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("mentor (contact)"),
    )
    override_reason = models.TextField(
        _("reason for a longer stay"),
        blank=True,
        help_text=_("Required when the stay is longer than the maximum."),
    )

    history = HistoricalRecords()

    objects = IncubationQuerySet.as_manager()

    class Meta:
        ordering = ["-start"]
        verbose_name = _("incubation")
        verbose_name_plural = _("incubations")
        constraints = [
            NoOverlapConstraint(
                name="startups_incubation_no_overlap",
                owner="company",
                violation_error_message=_(
                    "This company is already incubated during part of this period: "
                    "%(clash)s, %(period)s."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.company} · {self.programme} ({self.cohort})"

    @staticmethod
    def companies_hosted(companies, day=None):
        """Filter ``companies`` to the start-ups hosted on ``day`` (the directory's kind)."""
        current = Incubation.objects.filter(company=OuterRef("pk")).hosted_on(day)
        return companies.filter(Exists(current))

    @staticmethod
    def companies_graduated(companies, day=None):
        """Filter ``companies`` to the alumni: graduated and not hosted any more."""
        graduated = Incubation.objects.filter(
            company=OuterRef("pk"), outcome=Incubation.Outcome.GRADUATED
        )
        current = Incubation.objects.filter(company=OuterRef("pk")).hosted_on(day)
        return companies.filter(Exists(graduated) & ~Exists(current))

    def clean(self):
        validate_period(self.start, self.end, end_field="end")
        validate_period(self.start, self.planned_end, end_field="planned_end")
        errors = {}
        if self.end and not self.outcome:
            errors["outcome"] = _("Say how the incubation ended.")
        if self.outcome and not self.end:
            errors["end"] = _("An outcome needs an exit date.")
        if self.mentor_user_id and self.mentor_contact_id:
            errors["mentor_contact"] = _("Choose a user or a contact as mentor, not both.")
        limit = settings.CITE_INCUBATION_MAX_MONTHS
        last_day = self.end or self.planned_end
        too_long = self.start and last_day and months_between(self.start, last_day) > limit
        if too_long and not self.override_reason.strip():
            errors["override_reason"] = _(
                "This stay is longer than %(limit)d months: give the reason for the exception."
            ) % {"limit": limit}
        if errors:
            raise ValidationError(errors)


class KpiSnapshot(models.Model):
    incubation = models.ForeignKey(
        Incubation, on_delete=models.CASCADE, related_name="kpis", verbose_name=_("incubation")
    )
    date = DateField(_("date"))
    headcount = models.PositiveIntegerField(_("headcount"))
    revenue = models.DecimalField(
        _("revenue (€, last 12 months)"), **MONEY, validators=[validate_not_negative]
    )
    funds_raised = models.DecimalField(
        _("funds raised (€, to date)"), **MONEY, validators=[validate_not_negative]
    )
    jobs_created = models.PositiveIntegerField(_("jobs created (to date)"))
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
        ordering = ["-date"]
        verbose_name = _("KPI snapshot")
        verbose_name_plural = _("KPI snapshots")
        constraints = [
            models.UniqueConstraint(
                fields=["incubation", "date"],
                name="startups_kpi_one_per_day",
                violation_error_code="unique",
                violation_error_message=_(
                    "Figures for this date are entered already: change them rather than "
                    "adding them again."
                ),
            )
        ]

    def __str__(self):
        return f"{self.incubation.company} · {self.date}"


class Milestone(models.Model):
    incubation = models.ForeignKey(
        Incubation,
        on_delete=models.CASCADE,
        related_name="milestones",
        verbose_name=_("incubation"),
    )
    title = SingleLineField(_("title"), max_length=200)
    target_date = DateField(_("target date"))
    done_date = DateField(_("done on"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["target_date"]
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")

    def __str__(self):
        return self.title


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
    deposit_returned_on = DateField(
        _("deposit returned on"), null=True, blank=True, editable=False
    )
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


from .rent import RentIndex as RentIndex  # noqa: E402  (rent refers to the lease above)
from .rent import RentInvoice as RentInvoice  # noqa: E402
from .rent import RentRevision as RentRevision  # noqa: E402
