"""Django's stock admin in French agrees with every model's name, whatever its gender and
number: no "Modification de incubation", no "entreprises sélectionnés"."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from startups.models import Incubation, Programme
from tests.members.factories import CompanyFactory, SectorFactory

pytestmark = pytest.mark.django_db

BAD = [
    "Modification de incubation",
    "Modification de entreprise",
    "Ajout de entreprise",
    "Ajout de incubation",
    "les entreprises sélectionnés",
    "les incubations sélectionnés",
    "Ajouter entreprise",
    "selectionné(e)s",
]


@pytest.fixture
def incubation():
    today = timezone.localdate()
    return Incubation.objects.create(
        company=CompanyFactory(trade_name="Vroom"),
        programme=Programme.objects.create(name="Incubation", stage="incubation"),
        cohort="2026-A",
        start=today - timedelta(days=10),
        planned_end=today + timedelta(days=300),
    )


def assert_reads_well(page):
    assert 'lang="fr"' in page
    for bad in BAD:
        assert bad not in page, bad


def test_change_and_add_pages_name_the_model_with_an_article(admin_client, incubation):
    change = admin_client.get(reverse("admin:startups_incubation_change", args=[incubation.pk]))
    assert "Modification de l’objet incubation" in change.text
    assert_reads_well(change.text)

    add = admin_client.get(reverse("admin:members_company_add")).text
    assert "Ajout d’un objet entreprise" in add
    assert_reads_well(add)


def test_list_actions_agree_with_a_feminine_plural(admin_client, incubation):
    companies = admin_client.get(reverse("admin:members_company_changelist")).text
    assert "Supprimer les objets entreprises sélectionnés" in companies
    assert "Ajouter un objet entreprise" in companies
    assert_reads_well(companies)

    incubations = admin_client.get(reverse("admin:startups_incubation_changelist")).text
    assert "Supprimer les objets incubations sélectionnés" in incubations
    assert_reads_well(incubations)


def test_the_delete_confirmation_and_its_message_read_well(admin_client):
    sectors = [SectorFactory(name=f"Secteur {n}") for n in range(2)]
    url = reverse("admin:members_sector_changelist")
    data = {"action": "delete_selected", "_selected_action": [s.pk for s in sectors]}

    confirm = admin_client.post(url, data)
    assert "Voulez-vous vraiment supprimer les objets secteurs sélectionnés" in confirm.text
    done = admin_client.post(url, {**data, "post": "yes"}, follow=True)
    assert "La suppression de 2 secteurs a réussi." in done.text
    assert_reads_well(done.text)


def test_english_admin_keeps_djangos_english(admin_client, incubation):
    url = reverse("admin:startups_incubation_change", args=[incubation.pk])
    assert "Change incubation" in admin_client.get(url, headers={"accept-language": "en"}).text
