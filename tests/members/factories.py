from datetime import timedelta
from decimal import Decimal

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory
from faker import Faker
from stdnum import luhn

from members import services
from members.models import ClusterIdentity, Company, Contact, Sector

fake = Faker("fr_FR")

# Descriptions are drawn from these words only: a random French paragraph holds, now and
# then, a word one typo or one prefix from a search test's query, and that test then
# fails one run in twenty.
FILLER_WORDS = ("lorem", "ipsum", "dolor", "sit", "amet", "consectetur", "adipiscing", "elit")


def filler_paragraph():
    """Return a paragraph of ``FILLER_WORDS``, which no search test types."""
    return fake.paragraph(ext_word_list=FILLER_WORDS)


def valid_siret(n):
    """Return a distinct valid SIRET for each ``n`` (Luhn on SIREN and SIRET)."""
    body = f"{40000000 + n:08d}"
    siren = body + luhn.calc_check_digit(body)
    head = siren + "0001"
    return head + luhn.calc_check_digit(head)


def profile_data(company, **changes):
    """Return the profile form's data for ``company`` as it stands, with ``changes``."""
    data = {field: getattr(company, field) for field in services.PROFILE_FIELDS}
    data["sectors"] = list(company.sectors.values_list("slug", flat=True))
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


class SectorFactory(DjangoModelFactory):
    class Meta:
        model = Sector
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Secteur {n}")
    name_en = factory.Sequence(lambda n: f"Sector {n}")
    slug = factory.Sequence(lambda n: f"secteur-{n}")


class CompanyFactory(DjangoModelFactory):
    class Meta:
        model = Company
        skip_postgeneration_save = True

    trade_name = factory.Sequence(lambda n: f"{fake.company()} {n}")
    legal_name = factory.LazyAttribute(lambda o: f"{o.trade_name} SAS")
    slug = factory.Sequence(lambda n: f"company-{n}")
    siret = factory.Sequence(valid_siret)
    siren = factory.LazyAttribute(lambda o: o.siret[:9])
    street = factory.Sequence(lambda n: f"{n % 150 + 1} rue de la République")
    city = "Perpignan"
    postcode = "66000"
    description_fr = factory.LazyFunction(filler_paragraph)
    published = True

    @factory.post_generation
    def sectors(self, create, extracted, **kwargs):
        if create and extracted:
            self.sectors.set(extracted)


class ContactFactory(DjangoModelFactory):
    class Meta:
        model = Contact

    company = factory.SubFactory(CompanyFactory)
    first_name = factory.LazyFunction(fake.first_name)
    last_name = factory.LazyFunction(fake.last_name)
    email = factory.LazyFunction(fake.email)
    role = "Gérant"


class UserFactory(DjangoModelFactory):
    class Meta:
        model = "auth.User"
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}@example.org")
    email = factory.LazyAttribute(lambda o: o.username)
    first_name = factory.LazyFunction(fake.first_name)
    last_name = factory.LazyFunction(fake.last_name)
    password = factory.django.Password("s3cret-pass!")


class RepresentativeFactory(DjangoModelFactory):
    class Meta:
        model = "members.Representative"

    user = factory.SubFactory(UserFactory)
    company = factory.SubFactory(CompanyFactory)
    role = "editor"


class MembershipPlanFactory(DjangoModelFactory):
    class Meta:
        model = "members.MembershipPlan"
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Plan {n}")
    organisation_kind = "small"
    annual_fee = Decimal("300.00")


class OfferFactory(DjangoModelFactory):
    """A published internship starting in a month, open until it starts."""

    class Meta:
        model = "members.Offer"

    company = factory.SubFactory(CompanyFactory)
    title = factory.Sequence(lambda n: f"Stage {n}")
    description_fr = factory.LazyFunction(filler_paragraph)
    kind = "internship"
    start_date = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=30))
    duration_months = 6
    place = "Perpignan"
    monthly_stipend = Decimal("650.00")
    expires_on = factory.LazyAttribute(lambda o: o.start_date)
    apply_email = "jobs@studio.example"
    status = "approved"


class ClusterIdentityFactory(DjangoModelFactory):
    """The identity of a cluster that has filled it in, as invoices need it."""

    class Meta:
        model = ClusterIdentity
        django_get_or_create = ("id",)

    id = ClusterIdentity.SINGLETON
    name = "Pôle Image Test"
    legal_name = "Association Pôle Image Test"
    site_name = "Cité de test"
    tagline_fr = "Les métiers de l’image réunis"
    tagline_en = "The image trades together"
    siren = "732829320"
    vat_exemption_mention = "TVA non applicable, article 293 B du CGI"
    street = "1 rue de l’Image"
    postcode = "66270"
    city = "Le Soler"
    email = "contact@pole.example"
    bank_name = "Banque de test"
    iban = "FR7630006000011234567890189"
    bic = "AGRIFRPP"
    sepa_creditor_id = "FR72ZZZ123456"
