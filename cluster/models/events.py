"""The cluster's events (workshops, meet-ups, job datings…) and the registrations to them.

A registration's status (confirmed, waiting, cancelled) changes only through
``cluster.services.events.registrations``, which locks the event's row so that capacity is
never exceeded. Registrants are personal data: public pages show counts, never names.
"""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Count, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce, Greatest, Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from members.fields import DateField, SingleLineField
from members.models import MONEY, Reviewed, localized, validate_not_negative


class EventQuerySet(models.QuerySet):
    def published(self) -> "EventQuerySet":
        """Return the events visitors see: published or cancelled (a cancellation is news)."""
        return self.filter(status__in=[Event.Status.PUBLISHED, Event.Status.CANCELLED])

    def upcoming(self, now=None) -> "EventQuerySet":
        """Return the events not over yet, the soonest first."""
        return self.filter(ends_at__gt=now or timezone.now()).order_by("starts_at", "pk")

    def past(self, now=None) -> "EventQuerySet":
        """Return the events that are over, the latest first."""
        return self.filter(ends_at__lte=now or timezone.now()).order_by("-starts_at", "-pk")

    def held(self) -> "EventQuerySet":
        """Return the events that took place (published, not cancelled, over)."""
        return self.filter(status=Event.Status.PUBLISHED, ends_at__lte=timezone.now())

    def proposed(self) -> "EventQuerySet":
        return self.filter(status=Event.Status.PROPOSED)

    def with_seats(self) -> "EventQuerySet":
        """Annotate ``confirmed_count``, ``waiting_count`` and ``remaining_seats``.

        Correlated subqueries rather than a join and GROUP BY: PostgreSQL computes them for
        the rows of the page only (after LIMIT), through the (event, status) index, and a
        paginator's count leaves them out.
        """

        def count(status):
            registrations = Registration.objects.filter(event=OuterRef("pk"), status=status)
            counted = registrations.order_by().values("event").annotate(n=Count("pk"))
            return Coalesce(Subquery(counted.values("n")), 0)

        return self.annotate(
            confirmed_count=count(Registration.Status.CONFIRMED),
            waiting_count=count(Registration.Status.WAITING),
        ).annotate(remaining_seats=Greatest(F("capacity") - F("confirmed_count"), 0))

    def organised_by(self, company) -> "EventQuerySet":
        return self.filter(Q(organiser=company) | Q(partners=company)).distinct()


class Event(Reviewed):
    """An action of the cluster: where, when, for whom, how many seats, at what price."""

    class Kind(models.TextChoices):
        WORKSHOP = "workshop", _("workshop")
        MEETUP = "meetup", _("meet-up")
        JOB_DATING = "job_dating", _("job dating")
        CONFERENCE = "conference", _("conference")
        TRAINING = "training", _("training")
        OPEN_DAY = "open_day", _("open day")
        VISIT = "visit", _("visit")

    class Audience(models.TextChoices):
        PUBLIC = "public", _("public")
        MEMBERS = "members", _("members only")
        STARTUPS = "startups", _("start-ups only")
        STUDENTS = "students", _("students")
        PARTNERS = "partners", _("partners")

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        PROPOSED = "proposed", _("proposed, pending review")
        PUBLISHED = "published", _("published")
        CANCELLED = "cancelled", _("cancelled")
        REJECTED = "rejected", _("rejected")

    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    title_fr = SingleLineField(_("title (French)"), max_length=200)
    title_en = SingleLineField(_("title (English)"), max_length=200, blank=True)
    description_fr = models.TextField(_("description (French)"))
    description_en = models.TextField(_("description (English)"), blank=True)
    kind = SingleLineField(_("kind"), max_length=12, choices=Kind.choices)
    audience = SingleLineField(
        _("audience"), max_length=10, choices=Audience.choices, default=Audience.PUBLIC
    )
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    building = models.ForeignKey(
        "startups.Building",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="events",
        verbose_name=_("building"),
    )
    office = models.ForeignKey(
        "startups.Office",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="events",
        verbose_name=_("room"),
        help_text=_("A room of the office register; its building is then implied."),
    )
    address = SingleLineField(
        _("address"), max_length=300, blank=True, help_text=_("For an event held elsewhere.")
    )
    online_url = models.URLField(
        _("online link"),
        max_length=300,
        blank=True,
        help_text=_("Sent only to confirmed registrants, never shown publicly."),
    )
    capacity = models.PositiveIntegerField(_("capacity"), validators=[MinValueValidator(1)])
    organiser = models.ForeignKey(
        "members.Company",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="organised_events",
        verbose_name=_("organiser"),
        help_text=_("Empty when the cluster organises the event."),
    )
    partners = models.ManyToManyField(
        "members.Company",
        blank=True,
        related_name="co_organised_events",
        verbose_name=_("co-organising partners"),
    )
    registration_opens_at = models.DateTimeField(_("registration opens"), null=True, blank=True)
    registration_closes_at = models.DateTimeField(_("registration closes"), null=True, blank=True)
    fee_member = models.DecimalField(
        _("fee for members (€)"), **MONEY, default=0, validators=[validate_not_negative]
    )
    fee_non_member = models.DecimalField(
        _("fee for non-members (€)"), **MONEY, default=0, validators=[validate_not_negative]
    )
    cancellation_deadline = models.DateTimeField(
        _("free cancellation until"),
        null=True,
        blank=True,
        help_text=_(
            "For a paid event: a registrant who cancels before this time gets a credit note; "
            "after it, the invoice stands. Empty: cancelling is free until the event starts."
        ),
    )
    status = SingleLineField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    image = models.ImageField(_("image"), upload_to="events/", blank=True)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("proposed by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    history = HistoricalRecords(excluded_fields=["created_at"])

    objects = EventQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_at", "-pk"]
        verbose_name = _("event")
        verbose_name_plural = _("events")
        indexes = [models.Index(fields=["status", "starts_at"], name="cluster_event_agenda")]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="cluster_event_ends_after"
            ),
            models.CheckConstraint(condition=Q(capacity__gte=1), name="cluster_event_capacity"),
        ]

    def __str__(self):
        return f"{self.title} ({timezone.localtime(self.starts_at):%d/%m/%Y})"

    def get_absolute_url(self):
        return reverse("events:event-detail", args=[self.slug])

    def clean(self):
        errors = {}
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            errors["ends_at"] = _("The event must end after it starts.")
        opens, closes = self.registration_opens_at, self.registration_closes_at
        if opens and closes and closes <= opens:
            errors["registration_closes_at"] = _("Registration must close after it opens.")
        if closes and self.ends_at and closes > self.ends_at:
            errors["registration_closes_at"] = _("Registration must close before the event ends.")
        deadline = self.cancellation_deadline
        if deadline and self.starts_at and deadline > self.starts_at:
            errors["cancellation_deadline"] = _(
                "The cancellation deadline must be before the event starts."
            )
        if self.office_id and self.building_id and self.office.building_id != self.building_id:
            errors["office"] = _("This room is in another building.")
        if not (self.office_id or self.building_id or self.address or self.online_url):
            errors["address"] = _("Say where: a building or room, an address, or an online link.")
        if errors:
            raise ValidationError(errors)

    @property
    def title(self):
        return localized(self.title_fr, self.title_en)

    @property
    def description(self):
        return localized(self.description_fr, self.description_en)

    @property
    def is_free(self):
        return not (self.fee_member or self.fee_non_member)

    def fee_for(self, category: str) -> Decimal:
        """Return what a registrant of this category pays: the member price for a current
        member's people, else the non-member price."""
        member = category == Registration.Category.MEMBER
        return self.fee_member if member else self.fee_non_member

    def free_cancellation(self, now=None) -> bool:
        """Say whether a registrant cancelling now gets their invoice credited."""
        now = now or timezone.now()
        return now < (self.cancellation_deadline or self.starts_at)

    @property
    def is_online(self):
        return bool(self.online_url) and not (self.office_id or self.building_id or self.address)

    @property
    def place(self) -> str:
        """Return where the event takes place, as visitors read it (never the online link)."""
        if self.office_id:
            return f"{self.office.code}, {self.office.building.name}"
        if self.building_id:
            return self.building.name
        return self.address or str(_("Online event"))

    def registration_open(self, now=None) -> bool:
        now = now or timezone.now()
        if self.status != Event.Status.PUBLISHED or now >= self.ends_at:
            return False
        if self.registration_opens_at and now < self.registration_opens_at:
            return False
        return not (self.registration_closes_at and now >= self.registration_closes_at)


class RegistrationQuerySet(models.QuerySet):
    def for_event(self, event) -> "RegistrationQuerySet":
        return self.filter(event=event)

    def confirmed(self) -> "RegistrationQuerySet":
        return self.filter(status=Registration.Status.CONFIRMED)

    def waiting(self) -> "RegistrationQuerySet":
        """Return the waiting list, first come first served."""
        return self.filter(status=Registration.Status.WAITING).order_by("created_at", "pk")

    def active(self) -> "RegistrationQuerySet":
        """Return the registrations not cancelled (confirmed or waiting)."""
        return self.exclude(status=Registration.Status.CANCELLED)

    def checked_in(self) -> "RegistrationQuerySet":
        return self.filter(checked_in_at__isnull=False)

    def of_company(self, company) -> "RegistrationQuerySet":
        return self.filter(company=company)

    def with_email(self, address: str) -> "RegistrationQuerySet":
        return self.filter(email__iexact=address.strip())

    def to_anonymise(self, before) -> "RegistrationQuerySet":
        """Return the registrations of events over before ``before`` not anonymised yet."""
        return self.filter(event__ends_at__lt=before, anonymised_on__isnull=True)


class Registration(models.Model):
    """One person's registration to an event: confirmed, waiting for a seat, or cancelled."""

    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("confirmed")
        WAITING = "waiting", _("waiting list")
        CANCELLED = "cancelled", _("cancelled")

    class Category(models.TextChoices):
        MEMBER = "member", _("member company")
        STARTUP = "startup", _("start-up")
        STUDENT = "student", _("student")
        PUBLIC = "public", _("public")
        PARTNER = "partner", _("partner")

    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="registrations", verbose_name=_("event")
    )
    name = SingleLineField(_("name"), max_length=200)
    email = models.EmailField(_("email"))
    organisation = SingleLineField(_("organisation"), max_length=200, blank=True)
    company = models.ForeignKey(
        "members.Company",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="event_registrations",
        verbose_name=_("company"),
    )
    category = SingleLineField(
        _("category"), max_length=10, choices=Category.choices, default=Category.PUBLIC
    )
    status = SingleLineField(_("status"), max_length=10, choices=Status.choices)
    ticket_code = SingleLineField(_("ticket code"), max_length=40, unique=True)
    walk_in = models.BooleanField(_("walk-in"), default=False)
    checked_in_at = models.DateTimeField(_("checked in"), null=True, blank=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("registered by"),
    )
    consent_at = models.DateTimeField(_("privacy terms accepted"), null=True, blank=True)
    created_at = models.DateTimeField(_("registered"), default=timezone.now)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    anonymised_on = DateField(_("anonymised on"), null=True, blank=True, editable=False)
    buyer = models.ForeignKey(
        "members.Company",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("invoiced to"),
        help_text=_("Who a paid event's fee is invoiced to."),
    )
    invoice = models.ForeignKey(
        "members.Invoice",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="event_registrations",
        verbose_name=_("invoice"),
        help_text=_("The invoice of a paid event's fee, issued on confirmation."),
    )

    history = HistoricalRecords()

    objects = RegistrationQuerySet.as_manager()

    class Meta:
        ordering = ["event", "created_at", "pk"]
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        indexes = [models.Index(fields=["event", "status"], name="cluster_registration_event")]
        constraints = [
            # One active registration per address and event; a cancelled one may register again.
            models.UniqueConstraint(
                "event",
                Lower("email"),
                condition=~Q(status="cancelled") & Q(anonymised_on__isnull=True),
                name="cluster_registration_once",
            )
        ]

    def __str__(self):
        return f"{self.name} · {self.event}"
