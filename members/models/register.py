"""The register: sectors, companies and their contacts.

What a company is (member, start-up, alumnus) is derived from its relations over time,
never stored on it: the QuerySets below compute it."""

from datetime import date

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.contrib.postgres.expressions import ArraySubquery
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import connections, models
from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import JSONObject, Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ..fields import NafCodeField, SingleLineField, SirenField, SiretField, VatNumberField
from ..identifiers import siren_of_vat
from .common import app_model, localized, postal_address


class Sector(models.Model):
    """A trade of the cluster (3D and animation, e-health...), named in both languages."""

    name = SingleLineField(_("name (French)"), max_length=80, unique=True)
    name_en = SingleLineField(_("name (English)"), max_length=80, blank=True)
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
        return localized(self.name, self.name_en)


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
    return timezone.localdate().year


def validate_year_founded(value):
    if value > current_year():
        raise ValidationError(
            _("The year founded cannot be in the future (%(year)s)."),
            code="future_year",
            params={"year": value},
        )


class SectorCount(models.Model):
    """How many public companies a sector has: the directory's sector counts when nothing
    narrows the list, read rather than counted over the register.

    PostgreSQL keeps it, in the same transaction as each write (migration
    ``members.0033_sector_count``): Django only reads it.
    """

    sector = models.OneToOneField(
        Sector,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="public_count",
        verbose_name=_("sector"),
    )
    companies = models.IntegerField(_("public companies"), default=0)

    class Meta:
        verbose_name = _("sector count")
        verbose_name_plural = _("sector counts")

    def __str__(self):
        return f"{self.sector}: {self.companies}"


PUBLIC_TOWNS_SQL = """
WITH RECURSIVE towns AS (
    (SELECT city FROM members_company WHERE listed AND city > '' ORDER BY city LIMIT 1)
    UNION ALL
    SELECT (
        SELECT c.city FROM members_company AS c
        WHERE c.listed AND c.city > towns.city ORDER BY c.city LIMIT 1
    ) FROM towns WHERE towns.city IS NOT NULL
)
SELECT city FROM towns WHERE city IS NOT NULL
"""


class CompanyQuerySet(models.QuerySet):
    def public(self) -> "CompanyQuerySet":
        """Return the companies the public may see: the directory, the API, the company
        pages and the sitemap all start here.

        A company is public when it is published and its most recent membership is not
        lapsed, resigned or cancelled; a company with no membership at all (the school,
        partners, companies imported before dues were tracked) follows its published flag
        alone. PostgreSQL decides it, in one function kept by triggers under every write
        (migration ``members.0032_company_listed``), into the indexed ``listed`` column.
        """
        return self.filter(listed=True)

    def public_towns(self) -> list[str]:
        """Return the towns of all the public companies, each once, in order (whatever
        else this QuerySet filters: call it on the manager).

        One probe of the listed companies' town index per town (a "loose index scan"),
        rather than reading every public company: 0.3 ms instead of 10 at 100,000.
        """
        with connections[self.db].cursor() as cursor:
            cursor.execute(PUBLIC_TOWNS_SQL)
            return [city for (city,) in cursor.fetchall()]

    def members(self, day: date | None = None) -> "CompanyQuerySet":
        """Return the companies whose membership covering ``day`` is active or in grace."""
        Membership = app_model("Membership")
        current = Membership.objects.filter(
            company=OuterRef("pk"), status__in=Membership.Status.IN_GOOD_STANDING
        ).active_on(day or timezone.localdate())
        return self.filter(Exists(current))

    def with_listing_data(self, day: date | None = None) -> "CompanyQuerySet":
        """Fetch what a card or a list row shows, in the rows' own query: the sectors
        (``Company.sector_list``), and whether the company is hiring (has a published
        offer open on ``day``, today by default). A prefetch of the sectors would cost one
        more query, and Django's building of a related manager per company, 4 ms for a
        page of 20."""
        open_offers = app_model("Offer").objects.published(day).filter(company=OuterRef("pk"))
        sectors = (
            Sector.objects.filter(companies=OuterRef("pk"))
            .order_by("name")
            .values(row=JSONObject(id="id", name="name", name_en="name_en", slug="slug"))
        )
        return self.annotate(hiring=Exists(open_offers), sector_rows=ArraySubquery(sectors))

    def editable_by(self, user: AbstractBaseUser | AnonymousUser) -> "CompanyQuerySet":
        """Return the companies this user represents (any role); none for anonymous."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(representatives__user=user).distinct()

    def administered_by(self, user: AbstractBaseUser | AnonymousUser) -> "CompanyQuerySet":
        """Return the companies where this user is an admin representative."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(
            representatives__user=user, representatives__role=app_model("Representative").Role.ADMIN
        ).distinct()


class Company(models.Model):
    """An organisation of the cluster: a member, a start-up, the school or a partner.

    What it is (member, start-up, alumnus) is derived from its relations over time,
    never stored as a flag here.
    """

    legal_name = SingleLineField(_("legal name"), max_length=200)
    trade_name = SingleLineField(
        _("trade name"), max_length=200, help_text=_("The name shown to the public.")
    )
    slug = models.SlugField(_("slug"), max_length=220, unique=True)

    siren = SirenField(_("SIREN"), blank=True)
    siret = SiretField(
        _("SIRET"), blank=True, help_text=_("14 digits; spaces are ignored. Unique when set.")
    )
    vat_number = VatNumberField(_("intra-EU VAT number"), blank=True)
    naf_code = NafCodeField(_("NAF/APE code"), blank=True, help_text=_("For example 59.11A."))
    legal_form = SingleLineField(
        _("legal form"), max_length=8, choices=LegalForm.choices, blank=True
    )

    street = SingleLineField(_("street"), max_length=200, blank=True)
    postcode = SingleLineField(_("postcode"), max_length=10, blank=True)
    city = SingleLineField(_("city"), max_length=100, blank=True, db_index=True)
    country = SingleLineField(
        _("country"), max_length=2, choices=Country.choices, default=Country.FRANCE
    )

    website = models.URLField(_("website"), max_length=300, blank=True)
    email = models.EmailField(_("email"), blank=True)
    phone = SingleLineField(_("phone"), max_length=30, blank=True)
    linkedin_url = models.URLField(_("LinkedIn page"), max_length=300, blank=True)
    instagram_url = models.URLField(_("Instagram page"), max_length=300, blank=True)
    facebook_url = models.URLField(_("Facebook page"), max_length=300, blank=True)
    youtube_url = models.URLField(_("YouTube or Vimeo channel"), max_length=300, blank=True)

    headcount_band = SingleLineField(
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
    # Kept by PostgreSQL (see CompanyQuerySet.public): read it through public(), since an
    # instance in memory does not see a membership change made after it was loaded.
    listed = models.BooleanField(
        _("listed publicly"),
        default=False,
        editable=False,
        help_text=_("Kept by the database: published, and the latest membership not gone."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    # The full-text index, kept by members.search.index_companies.
    search_vector = SearchVectorField(null=True, editable=False)
    # The trade name folded (no accents, lower case), for exact and typo-tolerant name
    # matches without folding every row at query time; kept by the same function.
    search_name = SingleLineField(max_length=200, blank=True, editable=False)

    history = HistoricalRecords(
        m2m_fields=[sectors], excluded_fields=["search_vector", "search_name", "listed"]
    )

    objects = CompanyQuerySet.as_manager()

    class Meta:
        ordering = ["trade_name"]
        verbose_name = _("company")
        verbose_name_plural = _("companies")
        # A SIREN or VAT number typed into the search finds its company (members.search).
        indexes = [
            # The directory's order by name, read from an index rather than sorting them all.
            models.Index(Lower("trade_name"), "id", name="members_company_name_order"),
            # The directory's order, counts and towns, among the public companies only.
            models.Index(
                Lower("trade_name"),
                "id",
                condition=Q(listed=True),
                name="members_company_listed_name",
            ),
            models.Index(
                fields=["city"], condition=Q(listed=True), name="members_company_listed_city"
            ),
            # The public companies by id: where the search's walk stops (WALK).
            models.Index(fields=["id"], condition=Q(listed=True), name="members_company_listed_id"),
            # The exact name, first of the search's buckets (members.search.ranking).
            models.Index(fields=["search_name"], name="members_company_exact_name"),
            models.Index(fields=["siren"], name="members_company_siren"),
            models.Index(fields=["vat_number"], name="members_company_vat_number"),
        ]
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
        return localized(self.description_fr, self.description_en)

    @property
    def address(self):
        """Return the postal address on one line, as invoices print it."""
        return postal_address(
            self.street, self.postcode, self.city, self.country, self.get_country_display()
        )

    @property
    def display_name(self):
        return self.trade_name or self.legal_name

    @property
    def sector_list(self):
        """Return the company's sectors, by name: from ``with_listing_data`` without a
        query (their id, names and slug, what a card shows), otherwise through
        ``sectors`` (prefetched, or one query)."""
        rows = getattr(self, "sector_rows", None)
        if rows is None:
            return list(self.sectors.all())
        return [Sector(**row) for row in rows]


class ContactQuerySet(models.QuerySet):
    def public(self) -> "ContactQuerySet":
        """Return the contacts shown publicly: they consented and staff approved them."""
        return self.filter(public_consent=True, approved=True)


class Contact(models.Model):
    """A person at a company. Shown publicly only with their consent."""

    company = models.ForeignKey(
        Company, on_delete=models.CASCADE, related_name="contacts", verbose_name=_("company")
    )
    first_name = SingleLineField(_("first name"), max_length=100)
    last_name = SingleLineField(_("last name"), max_length=100)
    role = SingleLineField(_("role"), max_length=120, blank=True)
    email = models.EmailField(_("email"), blank=True)
    phone = SingleLineField(_("phone"), max_length=30, blank=True)
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
    billing = models.BooleanField(
        _("billing contact"),
        default=False,
        help_text=_("Receives the invoices and the reminders about them."),
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
