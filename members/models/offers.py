"""Internship, work-study and job offers that member companies publish."""

from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ..fields import DateField, SingleLineField
from .common import MONEY, Reviewed, app_model, localized, validate_not_negative


class OfferQuerySet(models.QuerySet):
    def published(self, day: date | None = None) -> "OfferQuerySet":
        """Return the approved offers still open on ``day``, whoever publishes them."""
        return self.filter(
            status=Offer.Status.APPROVED, expires_on__gte=day or timezone.localdate()
        )

    def open(self, day: date | None = None) -> "OfferQuerySet":
        """Return the approved offers still open on ``day`` of public companies."""
        return self.published(day).filter(company__in=app_model("Company").objects.public())


class Offer(Reviewed):
    """An internship, work-study or job offer a member company publishes (moderated)."""

    class Kind(models.TextChoices):
        INTERNSHIP = "internship", _("internship")
        WORK_STUDY = "work_study", _("work-study")
        JOB = "job", _("job")

    class Remote(models.TextChoices):
        NO = "no", _("on site")
        PARTLY = "partly", _("partly remote")
        FULLY = "fully", _("fully remote")

    class Status(models.TextChoices):
        PENDING = "pending", _("pending review")
        APPROVED = "approved", _("published")
        REJECTED = "rejected", _("rejected")

    company = models.ForeignKey(
        "members.Company",
        on_delete=models.CASCADE,
        related_name="offers",
        verbose_name=_("company"),
    )
    title = SingleLineField(_("title"), max_length=200)
    description_fr = models.TextField(_("description (French)"))
    description_en = models.TextField(_("description (English)"), blank=True)
    kind = SingleLineField(_("kind"), max_length=12, choices=Kind.choices)
    start_date = DateField(_("start date"))
    duration_months = models.PositiveSmallIntegerField(
        _("duration (months)"), null=True, blank=True, help_text=_("Empty for a permanent job.")
    )
    place = SingleLineField(_("place"), max_length=100)
    remote = SingleLineField(
        _("remote work"), max_length=8, choices=Remote.choices, default=Remote.NO
    )
    monthly_stipend = models.DecimalField(
        _("monthly stipend (€)"),
        **MONEY,
        null=True,
        blank=True,
        validators=[validate_not_negative],
        help_text=_("For an internship."),
    )
    expires_on = DateField(_("open until"))
    apply_email = models.EmailField(
        _("apply by email to"), blank=True, help_text=_("Where candidates send their application.")
    )
    apply_url = models.URLField(
        _("or apply on this page"),
        max_length=300,
        blank=True,
        help_text=_("A web page where candidates apply (a form, a job board)."),
    )
    status = SingleLineField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    history = HistoricalRecords()

    objects = OfferQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("offer")
        verbose_name_plural = _("offers")

    def __str__(self):
        return f"{self.title} · {self.company}"

    def get_absolute_url(self):
        return reverse("members:offer-detail", args=[self.pk])

    def clean(self):
        errors = {}
        if self.kind == Offer.Kind.INTERNSHIP and self.monthly_stipend is None:
            errors["monthly_stipend"] = _("Give the monthly stipend of the internship (0 if none).")
        if self.kind != Offer.Kind.JOB and not self.duration_months:
            errors["duration_months"] = _("Give the duration of an internship or a work-study.")
        if (
            self.start_date
            and self.expires_on
            and self.expires_on > self.start_date + timedelta(days=365)
        ):
            errors["expires_on"] = _("An offer stays open for a year at most after it starts.")
        if not (self.apply_email or self.apply_url):
            errors["apply_email"] = _("Say how to apply: an email address, a web address, or both.")
        if errors:
            raise ValidationError(errors)

    @property
    def description(self):
        """Return the description in the visitor's language, falling back to the other."""
        return localized(self.description_fr, self.description_en)
