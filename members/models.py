from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .fields import NafCodeField, SirenField, SiretField, VatNumberField
from .identifiers import siren_of_vat


class Sector(models.Model):
    """A trade of the cluster (3D and animation, e-health...), named in both languages."""

    name = models.CharField(_("name (French)"), max_length=80, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=80, blank=True)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("sector")
        verbose_name_plural = _("sectors")

    def __str__(self):
        return self.label

    @property
    def label(self):
        """Return the name in the visitor's language, falling back to French."""
        if get_language() == "en" and self.name_en:
            return self.name_en
        return self.name


class HeadcountBand(models.TextChoices):
    NONE = "0", _("no employee")
    TINY = "1-2", _("1 to 2 employees")
    VERY_SMALL = "3-9", _("3 to 9 employees")
    SMALL = "10-19", _("10 to 19 employees")
    MEDIUM_SMALL = "20-49", _("20 to 49 employees")
    MEDIUM = "50-99", _("50 to 99 employees")
    LARGE = "100-249", _("100 to 249 employees")
    VERY_LARGE = "250+", _("250 employees or more")


class LegalForm(models.TextChoices):
    SAS = "SAS", _("SAS (simplified joint-stock company)")
    SASU = "SASU", _("SASU (single-shareholder SAS)")
    SARL = "SARL", _("SARL (limited liability company)")
    EURL = "EURL", _("EURL (single-member SARL)")
    SA = "SA", _("SA (public limited company)")
    SCOP = "SCOP", _("SCOP or SCIC (cooperative)")
    EI = "EI", _("Sole trader or micro-enterprise")
    ASSOCIATION = "ASSO", _("Association")
    PUBLIC = "PUBLIC", _("Public body")
    SL = "SL", _("SL (Spanish limited company)")
    OTHER = "OTHER", _("Other")


class Country(models.TextChoices):
    FRANCE = "FR", _("France")
    SPAIN = "ES", _("Spain")
    ANDORRA = "AD", _("Andorra")
    BELGIUM = "BE", _("Belgium")
    GERMANY = "DE", _("Germany")
    ITALY = "IT", _("Italy")
    LUXEMBOURG = "LU", _("Luxembourg")
    MONACO = "MC", _("Monaco")
    NETHERLANDS = "NL", _("Netherlands")
    PORTUGAL = "PT", _("Portugal")
    SWITZERLAND = "CH", _("Switzerland")
    UNITED_KINGDOM = "GB", _("United Kingdom")


def current_year():
    from django.utils import timezone

    return timezone.localdate().year


def validate_year_founded(value):
    if value > current_year():
        raise ValidationError(
            _("The year founded cannot be in the future (%(year)s)."),
            code="future_year",
            params={"year": value},
        )


class CompanyQuerySet(models.QuerySet):
    def public(self):
        """Return the companies the public may see. The one place that decides it.

        The directory, the API, the company pages and the sitemap all start here.
        """
        return self.filter(published=True)

    def members(self):
        """Return the member companies.

        Until memberships are recorded, every company in the register counts as a member;
        the membership issue derives this from the current membership instead.
        """
        return self.all()

    def with_listing_data(self):
        """Fetch what a card or a list row shows, without one query per company."""
        return self.prefetch_related("sectors")

    def editable_by(self, user):
        """Return the companies this user represents (any role); none for anonymous."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(representatives__user=user).distinct()

    def administered_by(self, user):
        """Return the companies where this user is an admin representative."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(
            representatives__user=user, representatives__role=Representative.Role.ADMIN
        ).distinct()


class Company(models.Model):
    """An organisation of the cluster: a member, a start-up, the school or a partner.

    What it is (member, start-up, alumnus) is derived from its relations over time,
    never stored as a flag here.
    """

    legal_name = models.CharField(_("legal name"), max_length=200)
    trade_name = models.CharField(
        _("trade name"), max_length=200, help_text=_("The name shown to the public.")
    )
    slug = models.SlugField(_("slug"), max_length=220, unique=True)

    siren = SirenField(_("SIREN"), blank=True)
    siret = SiretField(
        _("SIRET"), blank=True, help_text=_("14 digits; spaces are ignored. Unique when set.")
    )
    vat_number = VatNumberField(_("intra-EU VAT number"), blank=True)
    naf_code = NafCodeField(_("NAF/APE code"), blank=True, help_text=_("For example 59.11A."))
    legal_form = models.CharField(
        _("legal form"), max_length=8, choices=LegalForm.choices, blank=True
    )

    street = models.CharField(_("street"), max_length=200, blank=True)
    postcode = models.CharField(_("postcode"), max_length=10, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True, db_index=True)
    country = models.CharField(
        _("country"), max_length=2, choices=Country.choices, default=Country.FRANCE
    )

    website = models.URLField(_("website"), max_length=300, blank=True)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    linkedin_url = models.URLField(_("LinkedIn page"), max_length=300, blank=True)
    instagram_url = models.URLField(_("Instagram page"), max_length=300, blank=True)
    facebook_url = models.URLField(_("Facebook page"), max_length=300, blank=True)
    youtube_url = models.URLField(_("YouTube or Vimeo channel"), max_length=300, blank=True)

    headcount_band = models.CharField(
        _("headcount"), max_length=8, choices=HeadcountBand.choices, blank=True
    )
    year_founded = models.PositiveSmallIntegerField(
        _("year founded"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1800), validate_year_founded],
    )

    description_fr = models.TextField(_("description (French)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    logo = models.ImageField(_("logo"), upload_to="logos/", blank=True)
    sectors = models.ManyToManyField(
        Sector, verbose_name=_("sectors"), related_name="companies", blank=True
    )

    published = models.BooleanField(
        _("published"), default=False, help_text=_("Shown in the public directory.")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    # PostgreSQL's full-text index, kept by members.search.index_companies (unused on
    # SQLite, which keeps its index in the members_company_fts table).
    search_vector = SearchVectorField(null=True, editable=False)

    history = HistoricalRecords(m2m_fields=[sectors], excluded_fields=["search_vector"])

    objects = CompanyQuerySet.as_manager()

    class Meta:
        ordering = ["trade_name"]
        verbose_name = _("company")
        verbose_name_plural = _("companies")
        constraints = [
            models.UniqueConstraint(
                fields=["siret"],
                condition=~Q(siret=""),
                name="members_company_siret_unique_when_set",
                violation_error_code="unique",
                violation_error_message=_("Another company already has this SIRET."),
            ),
        ]

    def __str__(self):
        return self.trade_name

    def get_absolute_url(self):
        return reverse("members:company-detail", kwargs={"slug": self.slug})

    def clean(self):
        """Check that the identifiers agree with each other; derive SIREN from SIRET."""
        errors = {}
        if self.siret and not self.siren:
            self.siren = self.siret[:9]
        elif self.siret and self.siren and self.siret[:9] != self.siren:
            errors["siret"] = _(
                "The SIRET does not begin with the company's SIREN (%(siren)s)."
            ) % {"siren": self.siren}
        vat_siren = siren_of_vat(self.vat_number)
        if vat_siren and self.siren and vat_siren != self.siren:
            errors["vat_number"] = _(
                "This French VAT number belongs to SIREN %(vat_siren)s, not %(siren)s."
            ) % {"vat_siren": vat_siren, "siren": self.siren}
        if errors:
            raise ValidationError(errors)

    @property
    def description(self):
        """Return the description in the visitor's language, falling back to the other."""
        if get_language() == "en":
            return self.description_en or self.description_fr
        return self.description_fr or self.description_en

    @property
    def display_name(self):
        return self.trade_name or self.legal_name


class ContactQuerySet(models.QuerySet):
    def public(self):
        """Return the contacts shown publicly: they consented and staff approved them."""
        return self.filter(public_consent=True, approved=True)


class Contact(models.Model):
    """A person at a company. Shown publicly only with their consent."""

    company = models.ForeignKey(
        Company, on_delete=models.CASCADE, related_name="contacts", verbose_name=_("company")
    )
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    role = models.CharField(_("role"), max_length=120, blank=True)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    public_consent = models.BooleanField(
        _("agrees to appear on the public page"),
        default=False,
        help_text=_("Tick only with the person's recorded consent (GDPR)."),
    )
    approved = models.BooleanField(
        _("approved"),
        default=True,
        help_text=_(
            "With moderation on, a contact a representative adds or edits waits for "
            "staff approval before it appears publicly."
        ),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    history = HistoricalRecords()

    objects = ContactQuerySet.as_manager()

    class Meta:
        ordering = ["company", "last_name", "first_name"]
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")

    def __str__(self):
        return f"{self.first_name} {self.last_name}"


class PublicDataVersion(models.Model):
    """A counter that every change shown on public pages increments (one row).

    Cached public pages are keyed on it, so an edit is visible at once on every server.
    """

    value = models.PositiveBigIntegerField(_("value"), default=0)

    class Meta:
        verbose_name = _("public data version")
        verbose_name_plural = _("public data versions")

    def __str__(self):
        return str(self.value)


class Representative(models.Model):
    """A user who keeps a company's profile up to date. One person may represent several."""

    class Role(models.TextChoices):
        ADMIN = "admin", _("admin (can invite colleagues)")
        EDITOR = "editor", _("editor")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="representations",
        verbose_name=_("user"),
    )
    company = models.ForeignKey(
        Company,
        on_delete=models.CASCADE,
        related_name="representatives",
        verbose_name=_("company"),
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.EDITOR)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["company", "user__last_name", "user__username"]
        verbose_name = _("representative")
        verbose_name_plural = _("representatives")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "company"], name="members_representative_once_per_company"
            )
        ]

    def __str__(self):
        return f"{self.user.get_full_name() or self.user.get_username()} ({self.company})"


class Invitation(models.Model):
    """An invitation to represent a company, sent by email as a signed, single-use link."""

    company = models.ForeignKey(
        Company, on_delete=models.CASCADE, related_name="invitations", verbose_name=_("company")
    )
    email = models.EmailField(_("email"))
    role = models.CharField(
        _("role"),
        max_length=10,
        choices=Representative.Role.choices,
        default=Representative.Role.EDITOR,
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("invited by"),
    )
    created_at = models.DateTimeField(_("sent"), auto_now_add=True)
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

    def __str__(self):
        return f"{self.email} → {self.company}"


class ProfileRevision(models.Model):
    """A representative's change to a company's public profile, awaiting staff review.

    ``changes`` maps each changed field to its new value (sectors as a list of slugs, the
    logo as the name of the already re-encoded file). The company keeps its approved
    values until staff approve, so the public page never shows an unreviewed change.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("pending review")
        APPROVED = "approved", _("approved")
        REJECTED = "rejected", _("rejected")
        SUPERSEDED = "superseded", _("replaced by a later change")

    company = models.ForeignKey(
        Company, on_delete=models.CASCADE, related_name="revisions", verbose_name=_("company")
    )
    changes = models.JSONField(_("changes"), default=dict)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("submitted by"),
    )
    submitted_at = models.DateTimeField(_("submitted"), auto_now_add=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    reason = models.TextField(_("reason for rejection"), blank=True)

    class Meta:
        ordering = ["-submitted_at", "-pk"]
        verbose_name = _("profile revision")
        verbose_name_plural = _("profile revisions")
        constraints = [
            models.UniqueConstraint(
                fields=["company"],
                condition=Q(status="pending"),
                name="members_profilerevision_one_pending_per_company",
            )
        ]

    def __str__(self):
        return _("Change to %(company)s of %(date)s") % {
            "company": self.company,
            "date": self.submitted_at.date() if self.submitted_at else "",
        }
