"""The incubator: programmes, incubations, their key figures and milestones."""

from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from members.constraints import NoOverlapConstraint
from members.fields import DateField, SingleLineField
from members.models import MONEY, Company, Contact, localized, validate_not_negative
from members.periods import PeriodQuerySet, validate_period


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
