"""The school and its students: programmes, students and their placements in companies.

Students are personal data: no public page or API shows them, and only staff holding the
permission to view students see them in the admin.
"""

import math
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from members.fields import DateField, SingleLineField
from members.models import Company, Offer, localized, validate_not_negative
from members.periods import PeriodQuerySet, human_date, validate_period


class Programme(models.Model):
    """A programme of the school (not the incubator's programmes, startups.Programme)."""

    class TrainingType(models.TextChoices):
        INITIAL = "initial", _("initial training")
        CONTINUING = "continuing", _("continuing training")
        WORK_STUDY = "work_study", _("work-study (apprenticeship)")

    title = SingleLineField(_("title (French)"), max_length=200, unique=True)
    title_en = SingleLineField(
        _("title (English)"), max_length=200, blank=True, help_text=_("Empty: the French title.")
    )
    level = SingleLineField(_("level"), max_length=50, help_text=_("For example Bac+3, RNCP 6."))
    training_type = SingleLineField(_("training type"), max_length=12, choices=TrainingType.choices)
    duration_months = models.PositiveSmallIntegerField(_("duration (months)"))

    history = HistoricalRecords()

    class Meta:
        ordering = ["title"]
        verbose_name = _("school programme")
        verbose_name_plural = _("school programmes")
        # The cluster app has no model of its own for the dashboard; its permission lives
        # here, the cluster's first model.
        permissions = [("view_dashboard", _("Can see the staff dashboard and annual report"))]

    def __str__(self):
        return self.label

    @property
    def label(self):
        """Return the title in the visitor's language, falling back to French."""
        return localized(self.title, self.title_en)


class Student(models.Model):
    class Status(models.TextChoices):
        ENROLLED = "enrolled", _("enrolled")
        GRADUATED = "graduated", _("graduated")
        LEFT = "left", _("left")

    first_name = SingleLineField(_("first name"), max_length=100)
    last_name = SingleLineField(_("last name"), max_length=100)
    email = models.EmailField(_("email"), blank=True)
    programme = models.ForeignKey(
        Programme, on_delete=models.PROTECT, related_name="students", verbose_name=_("programme")
    )
    cohort_year = models.PositiveSmallIntegerField(_("cohort year"))
    status = SingleLineField(
        _("status"), max_length=10, choices=Status.choices, default=Status.ENROLLED
    )
    status_changed_on = DateField(
        _("status since"), null=True, blank=True, help_text=_("When the student graduated or left.")
    )
    consent_share_with_companies = models.BooleanField(
        _("agrees that member companies see their profile"), default=False
    )
    consent_news = models.BooleanField(_("agrees to receive the cluster's news"), default=False)
    anonymised_on = DateField(_("anonymised on"), null=True, blank=True, editable=False)

    history = HistoricalRecords()

    class Meta:
        ordering = ["last_name", "first_name"]
        verbose_name = _("student")
        verbose_name_plural = _("students")
        constraints = [
            models.UniqueConstraint(
                fields=["email"], condition=~Q(email=""), name="cluster_student_email_unique"
            )
        ]

    def __str__(self):
        return f"{self.first_name} {self.last_name}"

    def clean(self):
        # The constraint compares addresses as written; people do not: "Lea@X.fr" is
        # "lea@x.fr", as the student import already reads it.
        if (
            self.email
            and Student.objects.filter(email__iexact=self.email).exclude(pk=self.pk).exists()
        ):
            raise ValidationError({"email": _("Another student already has this email address.")})


class PlacementQuerySet(PeriodQuerySet):
    def internships(self):
        return self.filter(kind=Placement.Kind.INTERNSHIP)


def school_year(day):
    """Return ``(start, end)`` of the school year (September to August) containing ``day``."""
    year = day.year if day.month >= 9 else day.year - 1
    return date(year, 9, 1), date(year + 1, 9, 1)


class Placement(models.Model):
    """A student's internship, work-study or job at a company."""

    class Kind(models.TextChoices):
        INTERNSHIP = "internship", _("internship")
        WORK_STUDY = "work_study", _("work-study")
        JOB = "job", _("job")

    student = models.ForeignKey(
        Student, on_delete=models.PROTECT, related_name="placements", verbose_name=_("student")
    )
    company = models.ForeignKey(
        Company, on_delete=models.PROTECT, related_name="placements", verbose_name=_("company")
    )
    offer = models.ForeignKey(
        Offer,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="placements",
        verbose_name=_("offer"),
        help_text=_("The post: an internship waits a third of the previous one's length."),
    )
    kind = SingleLineField(_("kind"), max_length=12, choices=Kind.choices)
    start = DateField(_("start"))
    end = DateField(_("end"), help_text=_("The first day after the placement."))
    tutor = SingleLineField(_("tutor at the company"), max_length=150)
    weekly_hours = models.DecimalField(
        _("hours a week"), max_digits=4, decimal_places=1, default=Decimal("35.0")
    )
    hourly_stipend = models.DecimalField(
        _("stipend (€ an hour)"),
        max_digits=6,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[validate_not_negative],
    )

    history = HistoricalRecords()

    objects = PlacementQuerySet.as_manager()

    class Meta:
        ordering = ["-start"]
        verbose_name = _("placement")
        verbose_name_plural = _("placements")

    def __str__(self):
        # No student's name: placements appear in admin logs and pages that staff without
        # the permission to view students may see.
        return f"{self.company} · {self.get_kind_display()} · {self.start}"

    @property
    def hours(self):
        """Return the hours of presence: the weeks of the period times the weekly hours."""
        if not (self.start and self.end and self.weekly_hours):
            return Decimal("0")
        return (Decimal((self.end - self.start).days) / 7 * self.weekly_hours).quantize(
            Decimal("0.1")
        )

    def clean(self):
        validate_period(self.start, self.end)
        if self.kind == Placement.Kind.INTERNSHIP and self.start and self.end and self.student_id:
            check_internship_rules(self)


def check_internship_rules(placement):
    """Check the French rules on internships (Code de l'éducation, L124-6 and following)."""
    errors = {}
    hours = placement.hours
    if hours > settings.CITE_INTERNSHIP_STIPEND_HOURS:
        minimum = Decimal(settings.CITE_MIN_HOURLY_STIPEND)
        if placement.hourly_stipend is None or placement.hourly_stipend < minimum:
            errors["hourly_stipend"] = _(
                "An internship of more than %(limit)s hours (two months) must be paid at "
                "least %(minimum)s € an hour; this one lasts %(hours)s hours."
            ) % {
                "limit": settings.CITE_INTERNSHIP_STIPEND_HOURS,
                "minimum": minimum,
                "hours": hours,
            }
    year_start, year_end = school_year(placement.start)
    others = (
        Placement.objects.internships()
        .filter(student_id=placement.student_id, start__gte=year_start, start__lt=year_end)
        .exclude(pk=placement.pk)
    )
    total = hours + sum((other.hours for other in others), Decimal("0"))
    if total > settings.CITE_INTERNSHIP_MAX_HOURS_PER_YEAR:
        errors["end"] = _(
            "A student may spend at most six months (%(limit)s hours) in internships in one "
            "school year; with this one, %(total)s hours."
        ) % {"limit": settings.CITE_INTERNSHIP_MAX_HOURS_PER_YEAR, "total": total}
    if placement.offer_id:
        problem = _waiting_period_problem(placement)
        if problem:
            errors["start"] = problem
    if errors:
        raise ValidationError(errors)


def _rest_after(internship):
    """Return the first day a post may take a new intern after ``internship``: a third of
    its length after it ended, rounded up to a whole day."""
    return internship.end + timedelta(days=math.ceil((internship.end - internship.start).days / 3))


def _waiting_period_problem(placement):
    """Check the waiting period against every other internship on the same post, before
    or after this one (an internship may be recorded late)."""
    others = (
        Placement.objects.internships()
        .filter(offer_id=placement.offer_id)
        .exclude(pk=placement.pk)
        .order_by("start")
    )
    for other in others:
        if other.start <= placement.start and placement.start < _rest_after(other):
            return _(
                "This post takes a new intern only from %(date)s: a third of the previous "
                "internship's length after it ended."
            ) % {"date": human_date(_rest_after(other))}
        if other.start > placement.start and other.start < _rest_after(placement):
            return _(
                "The internship of %(date)s on this post starts too soon after this one: "
                "a post rests a third of an internship's length between two interns."
            ) % {"date": human_date(other.start)}
    return None
