from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Case, Exists, F, OuterRef, Q, Subquery, Sum, Value, When
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .constraints import NoOverlapConstraint
from .fields import NafCodeField, SirenField, SiretField, VatNumberField
from .identifiers import siren_of_vat
from .periods import PeriodQuerySet, validate_period


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

        A company is public when it is published and its most recent membership is not
        lapsed or resigned; a company with no membership at all (the school, partners,
        companies imported before dues were tracked) follows its published flag alone.
        The directory, the API, the company pages and the sitemap all start here.
        """
        # "Its latest membership is gone" is written as: a lapsed or resigned membership
        # with no later one. PostgreSQL plans that as anti-joins over the memberships,
        # where a correlated "latest status" subquery would run once per company.
        later = Membership.objects.filter(company=OuterRef("company"), start__gt=OuterRef("start"))
        gone = Membership.objects.filter(
            company=OuterRef("pk"), status__in=Membership.Status.GONE
        ).exclude(Exists(later))
        return self.filter(published=True).exclude(Exists(gone))

    def members(self, day=None):
        """Return the companies whose membership covering ``day`` is active or in grace."""
        current = Membership.objects.filter(
            company=OuterRef("pk"), status__in=Membership.Status.IN_GOOD_STANDING
        ).active_on(day or timezone.localdate())
        return self.filter(Exists(current))

    def with_listing_data(self):
        """Fetch what a card or a list row shows, without one query per company: the
        sectors, and whether the company is hiring (has a published offer open today)."""
        open_offers = Offer.objects.published().filter(company=OuterRef("pk"))
        return self.prefetch_related("sectors").annotate(hiring=Exists(open_offers))

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
    # The full-text index, kept by members.search.index_companies.
    search_vector = SearchVectorField(null=True, editable=False)
    # The trade name folded (no accents, lower case), for exact and typo-tolerant name
    # matches without folding every row at query time; kept by the same function.
    search_name = models.CharField(max_length=200, blank=True, editable=False)

    history = HistoricalRecords(
        m2m_fields=[sectors], excluded_fields=["search_vector", "search_name"]
    )

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


class Reviewed(models.Model):
    """What staff record when they review something submitted to them (a profile change,
    an offer, an application): who, when and, for a rejection, why."""

    reason = models.TextField(_("reason for rejection"), blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)

    class Meta:
        abstract = True

    def record_review(self, status, *, reviewer, reason=""):
        """Record the outcome of a review: the new status, who, when and why (not saved)."""
        self.status = status
        self.reason = reason
        self.reviewed_by = reviewer
        self.reviewed_at = timezone.now()


class ProfileRevision(Reviewed):
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


# --- Membership, dues and applications ---------------------------------------------------

MONEY = {"max_digits": 10, "decimal_places": 2}


def validate_not_negative(value):
    if value < 0:
        raise ValidationError(_("The amount cannot be negative."), code="negative")


def validate_positive(value):
    if value <= 0:
        raise ValidationError(_("The amount must be more than zero."), code="not_positive")


class OrganisationKind(models.TextChoices):
    STARTUP = "startup", _("start-up")
    SMALL = "small", _("small company")
    LARGE = "large", _("larger company")
    SCHOOL = "school", _("school")
    PARTNER = "partner", _("partner")


class MembershipPlan(models.Model):
    name = models.CharField(_("name"), max_length=100, unique=True)
    organisation_kind = models.CharField(
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
        return self.name


class MembershipQuerySet(PeriodQuerySet):
    def in_year(self, year):
        """Return the memberships of the membership year that starts in ``year``."""
        return self.filter(start__year=year)


class Membership(models.Model):
    """One year (or part of a year) of a company's membership. Every year is kept."""

    class Status(models.TextChoices):
        PENDING = "pending", _("pending payment")
        ACTIVE = "active", _("active")
        GRACE = "grace", _("in grace period")
        LAPSED = "lapsed", _("lapsed")
        RESIGNED = "resigned", _("resigned")

    Status.IN_GOOD_STANDING = (Status.ACTIVE, Status.GRACE)
    Status.GONE = (Status.LAPSED, Status.RESIGNED)
    Status.UNPAID = (Status.PENDING, Status.GRACE, Status.LAPSED)

    company = models.ForeignKey(
        Company, on_delete=models.PROTECT, related_name="memberships", verbose_name=_("company")
    )
    plan = models.ForeignKey(
        MembershipPlan, on_delete=models.PROTECT, related_name="memberships", verbose_name=_("plan")
    )
    start = models.DateField(_("start"))
    end = models.DateField(_("end"), help_text=_("The first day no longer covered."))
    fee = models.DecimalField(_("fee (€, before tax)"), **MONEY, validators=[validate_not_negative])
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    history = HistoricalRecords()

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["-start", "company"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        indexes = [
            models.Index(fields=["company", "start"], name="members_membership_latest"),
            models.Index(fields=["start", "status"], name="members_membership_year"),
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
        return _("%(company)s, %(start)s to %(end)s") % {
            "company": self.company,
            "start": self.start,
            "end": self.end,
        }

    def clean(self):
        validate_period(self.start, self.end)


class InvoiceSequence(models.Model):
    """The last invoice number used in a year; locked while a number is taken."""

    year = models.PositiveSmallIntegerField(_("year"), primary_key=True)
    last = models.PositiveIntegerField(_("last number"), default=0)

    class Meta:
        verbose_name = _("invoice sequence")
        verbose_name_plural = _("invoice sequences")

    def __str__(self):
        return f"{self.year}: {self.last}"


class InvoiceQuerySet(models.QuerySet):
    def with_balance(self):
        """Annotate what was paid, what credit notes took off, the balance and a status."""
        paid = (
            Payment.objects.filter(invoice=OuterRef("pk"))
            .values("invoice")
            .annotate(total=Sum("amount"))
            .values("total")
        )
        credited = (
            Invoice.objects.filter(credited_invoice=OuterRef("pk"))
            .values("credited_invoice")
            .annotate(total=Sum("amount_incl_tax"))
            .values("total")
        )
        zero = Value(Decimal("0.00"), output_field=models.DecimalField(**MONEY))
        today = timezone.localdate()
        return self.annotate(
            paid=Coalesce(Subquery(paid), zero),
            credited=Coalesce(Subquery(credited), zero),
        ).annotate(
            balance=F("amount_incl_tax") + F("credited") - F("paid"),
            payment_status=Case(
                When(kind=Invoice.Kind.CREDIT_NOTE, then=Value("credit")),
                When(balance__lte=0, then=Value("paid")),
                When(due_date__lt=today, then=Value("overdue")),
                default=Value("unpaid"),
            ),
        )

    def invoices(self):
        return self.filter(kind=Invoice.Kind.INVOICE)


class Invoice(models.Model):
    """An issued invoice or credit note. Immutable: it copies everything it bills."""

    class Kind(models.TextChoices):
        INVOICE = "invoice", _("invoice")
        CREDIT_NOTE = "credit", _("credit note")

    number = models.CharField(_("number"), max_length=20, unique=True, editable=False)
    year = models.PositiveSmallIntegerField(_("year"), editable=False)
    sequence = models.PositiveIntegerField(_("sequence"), editable=False)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.INVOICE)
    company = models.ForeignKey(
        Company, on_delete=models.PROTECT, related_name="invoices", verbose_name=_("company")
    )
    membership = models.ForeignKey(
        Membership,
        on_delete=models.PROTECT,
        related_name="invoices",
        null=True,
        blank=True,
        verbose_name=_("membership"),
    )
    credited_invoice = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        related_name="credit_notes",
        null=True,
        blank=True,
        verbose_name=_("credit note for"),
    )
    issue_date = models.DateField(_("issue date"))
    due_date = models.DateField(_("due date"))
    period_start = models.DateField(_("period start"), null=True, blank=True)
    period_end = models.DateField(_("period end"), null=True, blank=True)
    description = models.CharField(_("description"), max_length=300)
    seller_name = models.CharField(_("seller"), max_length=200)
    seller_address = models.TextField(_("seller's address"))
    seller_siren = models.CharField(_("seller's SIREN"), max_length=9, blank=True)
    seller_vat_number = models.CharField(_("seller's VAT number"), max_length=16, blank=True)
    buyer_name = models.CharField(_("buyer"), max_length=200)
    buyer_address = models.TextField(_("buyer's address"), blank=True)
    buyer_siren = models.CharField(_("buyer's SIREN"), max_length=9, blank=True)
    buyer_vat_number = models.CharField(_("buyer's VAT number"), max_length=16, blank=True)
    amount_excl_tax = models.DecimalField(_("amount before tax (€)"), **MONEY)
    vat_rate = models.DecimalField(_("VAT rate (%)"), max_digits=5, decimal_places=2)
    vat_amount = models.DecimalField(_("VAT (€)"), **MONEY)
    amount_incl_tax = models.DecimalField(_("amount after tax (€)"), **MONEY)
    vat_mention = models.CharField(_("VAT mention"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("issued by"),
    )

    objects = InvoiceQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "-sequence"]
        verbose_name = _("invoice")
        verbose_name_plural = _("invoices")
        constraints = [
            models.UniqueConstraint(fields=["year", "sequence"], name="members_invoice_gapless"),
            models.CheckConstraint(
                condition=Q(due_date__gte=F("issue_date")),
                name="members_invoice_due_after_issue",
            ),
        ]

    def __str__(self):
        return self.number


class Payment(models.Model):
    class Method(models.TextChoices):
        TRANSFER = "transfer", _("bank transfer")
        DIRECT_DEBIT = "debit", _("direct debit")
        CHEQUE = "cheque", _("cheque")
        CARD = "card", _("card")
        CASH = "cash", _("cash")

    invoice = models.ForeignKey(
        Invoice, on_delete=models.PROTECT, related_name="payments", verbose_name=_("invoice")
    )
    date = models.DateField(_("date"))
    amount = models.DecimalField(_("amount (€)"), **MONEY, validators=[validate_positive])
    method = models.CharField(_("method"), max_length=10, choices=Method.choices)
    reference = models.CharField(_("reference"), max_length=100, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="members_payment_positive")
        ]

    def __str__(self):
        return f"{self.invoice} · {self.amount} € · {self.date}"


class Application(Reviewed):
    """A request to join the cluster, made on /join/ and reviewed by staff."""

    class Status(models.TextChoices):
        PENDING = "pending", _("to review")
        APPROVED = "approved", _("approved")
        REJECTED = "rejected", _("rejected")

    legal_name = models.CharField(_("legal name"), max_length=200)
    trade_name = models.CharField(_("trade name"), max_length=200, blank=True)
    siret = SiretField(_("SIRET"), blank=True)
    siren = SirenField(_("SIREN"), blank=True)
    city = models.CharField(_("city"), max_length=100)
    website = models.URLField(_("website"), max_length=300, blank=True)
    contact_first_name = models.CharField(_("first name"), max_length=100)
    contact_last_name = models.CharField(_("last name"), max_length=100)
    contact_email = models.EmailField(_("email"))
    contact_phone = models.CharField(_("phone"), max_length=30, blank=True)
    contact_role = models.CharField(_("role in the company"), max_length=120, blank=True)
    plan = models.ForeignKey(
        MembershipPlan, on_delete=models.PROTECT, related_name="+", verbose_name=_("plan")
    )
    motivation = models.TextField(_("motivation"), max_length=2000)
    consent = models.BooleanField(_("consent to the processing of the data"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    company = models.ForeignKey(
        Company,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="applications",
        verbose_name=_("company"),
    )
    created_at = models.DateTimeField(_("received"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("application")
        verbose_name_plural = _("applications")

    def __str__(self):
        return self.trade_name or self.legal_name

    def clean(self):
        if not self.siret and not self.siren:
            raise ValidationError(
                {"siret": _("Give the company's SIRET, or at least its SIREN.")},
                code="identity_required",
            )
        if self.siret and self.siren and self.siret[:9] != self.siren:
            raise ValidationError(
                {"siren": _("The SIRET does not begin with this SIREN.")}, code="siren_mismatch"
            )
        if self.siret and not self.siren:
            self.siren = self.siret[:9]
        if self.consent is not True:
            raise ValidationError(
                {"consent": _("We need your consent to process this application.")},
                code="consent",
            )


class EmailLog(models.Model):
    """Every email the dues machinery sends. ``key`` makes each reminder go out once."""

    key = models.CharField(_("key"), max_length=120, unique=True)
    kind = models.CharField(_("kind"), max_length=40)
    to = models.CharField(_("to"), max_length=500)
    subject = models.CharField(_("subject"), max_length=300)
    body = models.TextField(_("body"))
    sent_at = models.DateTimeField(_("sent"), auto_now_add=True)
    company = models.ForeignKey(
        Company,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="emails",
        verbose_name=_("company"),
    )

    class Meta:
        ordering = ["-sent_at"]
        verbose_name = _("email sent")
        verbose_name_plural = _("emails sent")

    def __str__(self):
        return f"{self.sent_at:%Y-%m-%d} {self.subject}"


class OfferQuerySet(models.QuerySet):
    def published(self, day=None):
        """Return the approved offers still open on ``day``, whoever publishes them."""
        return self.filter(
            status=Offer.Status.APPROVED, expires_on__gte=day or timezone.localdate()
        )

    def open(self, day=None):
        """Return the approved offers still open on ``day`` of public companies."""
        return self.published(day).filter(company__in=Company.objects.public())


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
        Company, on_delete=models.CASCADE, related_name="offers", verbose_name=_("company")
    )
    title = models.CharField(_("title"), max_length=200)
    description_fr = models.TextField(_("description (French)"))
    description_en = models.TextField(_("description (English)"), blank=True)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    start_date = models.DateField(_("start date"))
    duration_months = models.PositiveSmallIntegerField(
        _("duration (months)"), null=True, blank=True, help_text=_("Empty for a permanent job.")
    )
    place = models.CharField(_("place"), max_length=100)
    remote = models.CharField(
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
    expires_on = models.DateField(_("open until"))
    status = models.CharField(
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
        if errors:
            raise ValidationError(errors)

    @property
    def description(self):
        if get_language() == "en":
            return self.description_en or self.description_fr
        return self.description_fr or self.description_en
