"""Town names as the page writes them: the stored town is the local, postal form
("Barcelona"); French pages write "Barcelone" in the filter, the cards and the company page
alike, English pages "Barcelona", and a search for either spelling finds the company."""

import pytest
from django.urls import reverse

from members.towns import town_choices, town_label

from .factories import CompanyFactory, OfferFactory

pytestmark = pytest.mark.django_db

EN = {"accept-language": "en"}
LIST = reverse("members:company-list")


@pytest.fixture
def barcelona():
    CompanyFactory(trade_name="Perpinyà Studio", city="Perpignan")
    return CompanyFactory(trade_name="French Tech Barcelona", city="Barcelona", country="ES")


def test_a_listed_town_is_written_in_the_pages_language():
    from django.utils import translation

    with translation.override("fr"):
        assert town_label("Barcelona") == "Barcelone"
        assert town_label("barcelone") == "Barcelone"
        assert town_label("Perpignan") == "Perpignan"
    with translation.override("en"):
        assert town_label("Barcelone") == "Barcelona"
        assert town_label("Sevilla") == "Seville"
        assert town_choices(["Barcelone", "Barcelona", "Perpignan"]) == [
            ("Barcelone", "Barcelona"),
            ("Perpignan", "Perpignan"),
        ]


def test_directory_filter_and_cards_write_the_town_the_same_way(client, barcelona):
    french = client.get(LIST).text
    assert '<option value="Barcelona">Barcelone</option>' in french
    assert '<p class="company-card__city">Barcelone</p>' in french
    assert ">Barcelona<" not in french

    english = client.get(LIST, headers=EN).text
    assert '<option value="Barcelona">Barcelona</option>' in english
    assert '<p class="company-card__city">Barcelona</p>' in english


def test_company_page_writes_the_town_as_the_filter_does(client, barcelona):
    french = client.get(barcelona.get_absolute_url()).text
    english = client.get(barcelona.get_absolute_url(), headers=EN).text
    assert '<p class="company__city">Barcelone · Espagne</p>' in french
    assert '<p class="company__city">Barcelona · Spain</p>' in english


@pytest.mark.parametrize("typed", ["Barcelona", "barcelone", "BARCELONE"])
def test_either_spelling_filters_the_directory_and_keeps_the_option_selected(
    client, barcelona, typed, django_assert_max_num_queries
):
    with django_assert_max_num_queries(9):
        response = client.get(LIST, {"city": typed})
    assert [c.trade_name for c in response.context["page_obj"]] == ["French Tech Barcelona"]
    assert '<option value="Barcelona" selected>Barcelone</option>' in response.text


def test_offers_write_the_place_in_the_pages_language_and_find_either_spelling(client):
    OfferFactory(title="Développeur Unity", place="Barcelona")
    page = client.get(reverse("members:offer-list"), {"city": "Barcelone"})
    assert [o.title for o in page.context["page_obj"]] == ["Développeur Unity"]
    assert '<li class="chip">Barcelone</li>' in page.text
    assert '<option value="Barcelone">' in page.text
    english = client.get(reverse("members:offer-list"), headers=EN).text
    assert '<li class="chip">Barcelona</li>' in english
