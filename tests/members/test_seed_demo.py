"""``manage.py seed_demo``: the article's cluster, bulk companies and the demo login."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from stdnum.fr import siret as stdnum_siret
from stdnum.fr import tva as stdnum_tva

from members.models import (
    Company,
    Country,
    Invoice,
    Membership,
    MembershipPlan,
    Payment,
    Sector,
)

from .factories import CompanyFactory

pytestmark = pytest.mark.django_db

ARTICLE_SLUGS = ["vroom", "alaxione", "stravvel", "mind-and-go", "idem", "pole-action-media"]


def seed(*options):
    stdout = io.StringIO()
    call_command("seed_demo", *options, stdout=stdout)
    return stdout.getvalue()


def register_counts():
    return (
        Company.objects.count(),
        Sector.objects.count(),
        Company.sectors.through.objects.count(),
    )


@pytest.fixture
def seeded():
    return seed()


def test_seed_loads_more_than_90_published_companies(seeded):
    assert Company.objects.count() >= 90
    assert not Company.objects.filter(published=False).exists()
    assert f"{Company.objects.count()} companies added" in seeded


def test_seed_loads_the_companies_of_the_article_with_both_descriptions(seeded):
    companies = {c.slug: c for c in Company.objects.filter(slug__in=ARTICLE_SLUGS)}

    assert sorted(companies) == sorted(ARTICLE_SLUGS)
    for company in companies.values():
        assert company.description_fr.strip(), company.slug
        assert company.description_en.strip(), company.slug
        assert company.sectors.exists(), company.slug
    assert companies["mind-and-go"].trade_name == "Mind & Go"
    assert "DataCup" in companies["mind-and-go"].description_fr


def test_every_seeded_company_has_descriptions_in_both_languages(seeded):
    assert not Company.objects.filter(description_fr="").exists()
    assert not Company.objects.filter(description_en="").exists()
    assert not Company.objects.filter(sectors=None).exists()


def test_every_seeded_siret_is_valid_unique_and_begins_with_the_siren(seeded):
    companies = list(Company.objects.exclude(siret=""))

    assert len(companies) >= 80
    assert all(stdnum_siret.is_valid(c.siret) for c in companies)
    assert all(c.siret[:9] == c.siren for c in companies)
    assert len({c.siret for c in companies}) == len(companies)


def test_every_seeded_french_company_has_its_vat_number_and_is_found_by_it(seeded, client):
    """The directory finds a company by its VAT number: the demo shows it."""
    companies = list(Company.objects.exclude(siret=""))
    assert all(stdnum_tva.is_valid(c.vat_number) for c in companies)
    assert all(c.vat_number[4:] == c.siren for c in companies)
    assert not Company.objects.filter(siret="").exclude(vat_number="").exists()
    company = companies[0]
    spaced = (
        f"{company.vat_number[:4]} {company.siren[:3]} {company.siren[3:6]} {company.siren[6:]}"
    )
    found = client.get("/api/companies/", {"q": spaced}).json()["results"]
    assert found[0]["slug"] == company.slug


def test_seeded_companies_pass_the_model_validation(seeded):
    for company in Company.objects.all():
        company.full_clean()


def test_seed_includes_companies_in_spain_without_a_french_siret(seeded):
    spanish = Company.objects.filter(country=Country.SPAIN)

    assert spanish.exists()
    assert {"Barcelona"} <= set(spanish.values_list("city", flat=True))
    assert not spanish.exclude(siret="").exists()
    assert Company.objects.filter(country=Country.FRANCE, city="Perpignan").exists()


def test_seed_creates_the_bilingual_sectors(seeded):
    assert Sector.objects.count() == 16
    assert not Sector.objects.filter(name_en="").exists()
    assert Sector.objects.get(slug="e-sante").name_en == "E-health"


def test_seed_names_plans_programmes_buildings_and_school_programmes_in_english(seeded):
    from cluster.models import Programme as SchoolProgramme
    from startups.models import Building, Programme

    for model, field in [
        (MembershipPlan, "name_en"),
        (Programme, "name_en"),
        (Building, "name_en"),
        (SchoolProgramme, "title_en"),
    ]:
        assert model.objects.exists()
        assert not model.objects.filter(**{field: ""}).exists(), model
    assert MembershipPlan.objects.get(name="Petite entreprise").name_en == "Small company"
    assert Building.objects.get(name="Bâtiment A").name_en == "Building A"


def test_seed_keeps_a_history_record_for_each_company(seeded):
    assert Company.history.count() == Company.objects.count()


def test_running_the_seed_again_adds_nothing(seeded):
    before = register_counts()

    output = seed()

    assert register_counts() == before
    assert "nothing added" in output


def test_seed_gives_the_same_companies_on_every_run():
    seed()
    first = set(Company.objects.values_list("slug", "siret", "trade_name"))
    delete_dues()
    Company.objects.all().delete()

    seed()

    assert set(Company.objects.values_list("slug", "siret", "trade_name")) == first


def test_seed_only_adds_the_missing_companies_and_keeps_edits(seeded):
    delete_dues()
    Company.objects.filter(slug="vroom").delete()
    Company.objects.filter(slug="idem").update(city="Perpignan")
    Sector.objects.filter(slug="jeu-video").update(name="Jeux vidéo")
    total = Company.objects.count()

    output = seed()

    assert "1 companies added" in output
    assert Company.objects.count() == total + 1
    assert Company.objects.get(slug="idem").city == "Perpignan"
    assert Sector.objects.get(slug="jeu-video").name == "Jeux vidéo"
    assert Company.objects.get(slug="vroom").sectors.count() == 2


def test_seed_does_not_reuse_a_siret_already_in_the_register():
    seed()
    sirets = dict(Company.objects.values_list("slug", "siret"))
    delete_dues()
    Company.objects.all().delete()
    taken = sirets["vroom"]
    CompanyFactory(slug="existing", siret=taken, siren=taken[:9])

    seed()

    assert Company.objects.filter(siret=taken).count() == 1
    assert Company.objects.get(slug="vroom").siret != taken


def test_companies_option_adds_exactly_that_many_published_companies(seeded):
    before = Company.objects.count()
    existing = set(Company.objects.values_list("pk", flat=True))

    output = seed("--companies", "50")

    added = Company.objects.exclude(pk__in=existing)
    assert Company.objects.count() == before + 50
    assert added.count() == 50
    assert not added.filter(published=False).exists()
    assert "50 generated companies added." in output
    sirets = list(Company.objects.exclude(siret="").values_list("siret", flat=True))
    assert all(stdnum_siret.is_valid(siret) for siret in sirets)
    assert len(set(sirets)) == len(sirets)
    assert added.exclude(siret="").count() + added.filter(country=Country.SPAIN).count() == 50


def test_companies_option_twice_adds_twice_with_distinct_slugs():
    seed("--companies", "20")
    seed("--companies", "20")

    assert Company.objects.count() == 40
    assert Company.objects.values("slug").distinct().count() == 40


@pytest.mark.parametrize("count", ["0", "-3"])
def test_companies_option_refuses_less_than_one(count):
    with pytest.raises(CommandError, match="at least 1"):
        seed("--companies", count)

    assert not Company.objects.exists()


def test_staff_option_refuses_without_debug(settings):
    settings.DEBUG = False

    with pytest.raises(CommandError, match="only created with DEBUG on"):
        seed("--staff")

    assert not get_user_model().objects.filter(username="staff").exists()


def test_staff_option_without_debug_writes_nothing(settings):
    settings.DEBUG = False

    with pytest.raises(CommandError):
        seed("--staff")

    assert register_counts() == (0, 0, 0)


def test_staff_option_with_debug_creates_a_superuser_and_prints_the_login(settings, client):
    settings.DEBUG = True

    output = seed("--staff")

    user = get_user_model().objects.get(username="staff")
    assert user.is_staff and user.is_superuser and user.is_active
    assert "Demo staff login: staff / cite-demo-2026" in output
    assert "/admin/" in output
    assert user.check_password("cite-demo-2026")


def test_staff_option_twice_keeps_one_user_and_its_password(settings):
    settings.DEBUG = True
    seed("--staff")
    user = get_user_model().objects.get(username="staff")
    user.set_password("changed-by-staff")
    user.save()

    output = seed("--staff")

    assert get_user_model().objects.filter(username="staff").count() == 1
    user.refresh_from_db()
    assert user.check_password("changed-by-staff")
    assert "Demo staff login" in output


def delete_dues():
    """Invoices and leases protect their company (records to keep); clear them to re-seed."""
    from cluster.models import Event, Placement
    from members.models import BankStatement, DirectDebit, DirectDebitFile, Mandate
    from startups.models import Lease, RentInvoice

    Event.objects.all().delete()  # an organiser is protected, as a placement's company
    Placement.objects.all().delete()
    RentInvoice.objects.all().delete()
    Lease.objects.all().delete()
    BankStatement.objects.all().delete()
    DirectDebit.objects.all().delete()
    DirectDebitFile.objects.all().delete()
    Mandate.objects.all().delete()
    Payment.objects.all().delete()
    Invoice.objects.all().delete()
    Membership.objects.all().delete()


@pytest.mark.django_db
def test_seed_publishes_a_few_open_offers_once():
    call_command("seed_demo", stdout=io.StringIO())
    call_command("seed_demo", stdout=io.StringIO())
    from members.models import Offer

    open_offers = Offer.objects.open()
    assert open_offers.count() == Offer.objects.count() == 6
    assert open_offers.filter(company__slug="vroom").count() == 2


@pytest.mark.django_db
def test_the_demo_collects_some_dues_by_direct_debit_one_rejected_one_statement_partly_matched():
    from members.models import BankStatement, DirectDebit, Payment, StatementLine

    call_command("seed_demo", stdout=io.StringIO())
    call_command("seed_demo", stdout=io.StringIO())  # idempotent
    assert DirectDebit.objects.filter(status="collected").count() >= 3
    assert DirectDebit.objects.filter(status="rejected").count() == 1
    assert Payment.objects.filter(method="debit").exists()
    statement = BankStatement.objects.get()
    statuses = set(statement.lines.values_list("status", flat=True))
    assert statuses == {
        StatementLine.Status.CONFIRMED,
        StatementLine.Status.PROPOSED,
        StatementLine.Status.UNMATCHED,
    }
