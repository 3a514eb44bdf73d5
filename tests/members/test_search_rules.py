"""The ranking rules, each in turn, and the French word forms and typos they rank."""

import pytest

from members.models import Company
from members.search import RULES, parse, search
from members.search.analyzer import stem, terms

from .factories import CompanyFactory, SectorFactory

pytestmark = pytest.mark.django_db


def names(query):
    return list(search(Company.objects.public(), query).values_list("trade_name", flat=True))


def test_the_rules_are_applied_in_meilisearchs_order():
    assert [name for name, _rule, _desc in RULES] == [
        "search_words",
        "search_typos",
        "search_proximity",
        "search_attribute",
        "search_exactness",
    ]


def test_a_description_with_every_word_in_order_beats_a_sector_tag_match():
    video = SectorFactory(slug="video", name="Vidéo", name_en="Video")
    games = SectorFactory(slug="jeux", name="Jeux de société", name_en="Board games")
    CompanyFactory(trade_name="Alpha Tag", sectors=[video, games], description_fr="Conseil.")
    CompanyFactory(
        trade_name="Zeta Studio", description_fr="Nous créons des jeux vidéo pour mobiles."
    )
    CompanyFactory(trade_name="Beta", description_fr="Un jeu de société, et une vidéo.")
    # All three hold both words; the phrase (proximity) decides before the attribute does,
    # and the sectors (attribute) then beat the description.
    assert names("jeux vidéo") == ["Zeta Studio", "Alpha Tag", "Beta"]


def test_every_word_found_beats_some_words_and_exact_beats_corrected():
    CompanyFactory(trade_name="Pixel Océan", description_fr="Studio de création.")
    CompanyFactory(trade_name="Pixels Marins", description_fr="Graphisme.")
    CompanyFactory(trade_name="Océan Bleu", description_fr="Pêche.")
    found = names("pixel ocean")
    assert found[0] == "Pixel Océan"
    CompanyFactory(trade_name="Campanile", description_fr="Hôtel.")
    CompanyFactory(trade_name="Campagnile", description_fr="Faute de frappe.")
    assert names("campanile")[:2] == ["Campanile", "Campagnile"]


def test_when_no_company_has_every_word_those_with_most_words_come_with_a_note(client):
    from django.urls import reverse

    CompanyFactory(trade_name="Lumière Sud", description_fr="Photographie de mariage.")
    CompanyFactory(trade_name="Ombre Nord", description_fr="Lumière du nord.")
    CompanyFactory(trade_name="Rien", description_fr="Rien.")
    response = client.get(reverse("members:company-list"), {"q": "lumiere xylophone mariage"})
    assert [c.trade_name for c in response.context["page_obj"]] == ["Lumière Sud", "Ombre Nord"]
    assert response.context["search_partial"]
    api = client.get(reverse("members:api-company-list"), {"q": "lumiere xylophone mariage"})
    assert [result["name"] for result in api.json()["results"]] == ["Lumière Sud", "Ombre Nord"]
    assert names("lumiere xylophone mariage") == []  # search() alone asks for every word


def test_ties_are_broken_by_relevance_then_id_never_the_alphabet():
    zed = CompanyFactory(trade_name="Zed Vidéo", description_fr="Vidéo, vidéo et vidéo.")
    CompanyFactory(trade_name="Abc Vidéo", description_fr="Son.")
    assert names("video")[0] == zed.trade_name
    assert names("video") == names("video")


def test_the_attribute_order_is_name_sectors_town_descriptions():
    sector = SectorFactory(slug="canigou", name="Canigou", name_en="Canigou")
    CompanyFactory(trade_name="Desc", city="Thuir", description_fr="Vue sur le Canigou.")
    CompanyFactory(trade_name="Town", city="Canigou", description_fr="")
    CompanyFactory(trade_name="Tag", city="Thuir", sectors=[sector], description_fr="")
    CompanyFactory(trade_name="Canigou Web", city="Thuir", description_fr="")
    assert names("canigou") == ["Canigou Web", "Tag", "Town", "Desc"]


def test_whole_words_come_before_prefixes():
    CompanyFactory(trade_name="Vidéographe Sud", description_fr="")
    CompanyFactory(trade_name="Vid Sud", description_fr="")
    assert names("vid")[0] == "Vid Sud"


@pytest.mark.parametrize(
    ("forms", "term"),
    [
        (["jeux", "jeu"], "jeu"),
        (["vidéos", "vidéo", "VIDEO"], "video"),
        (["studios", "studio"], "studio"),
        (["bureaux", "bureau"], "bureau"),
        (["créations", "création"], "creation"),
        (["virtuelle", "virtuel", "virtuels"], "virtuel"),
        (["œuvres", "oeuvre"], "oeuvr"),
    ],
)
def test_plural_feminine_and_ligatures_share_one_term(forms, term):
    assert {stem(terms(form)[0]) for form in forms} == {term}


def test_elision_and_stop_words_leave_no_term():
    assert terms("L'agence d'Occitanie qu'elle aime") == ["agenc", "occitani", "aime"]


def test_singular_and_plural_queries_find_the_same_companies():
    for index, text in enumerate(["Jeux vidéo", "Un jeu vidéo", "des jeux vidéos", "jeu-vidéo"]):
        CompanyFactory(trade_name=f"Studio {index}", description_fr=text)
    CompanyFactory(trade_name="Other", description_fr="Vidéo de mariage.")
    expected = {"Studio 0", "Studio 1", "Studio 2", "Studio 3"}
    for query in ("jeux vidéos", "jeu vidéo", "jeux vidéo"):
        assert set(names(query)) == expected, query


def test_a_typo_in_every_word_still_finds_the_company():
    vr = SectorFactory(slug="vr", name="Réalité virtuelle", name_en="Virtual reality")
    CompanyFactory(trade_name="Vroom", sectors=[vr], description_fr="Casques.")
    CompanyFactory(trade_name="Immersia", description_fr="La réalité virtuelle au bureau.")
    assert set(names("realité virtulle")) == {"Vroom", "Immersia"}
    assert set(names("réalitée virtuele")) == {"Vroom", "Immersia"}


def test_typos_are_looked_for_even_when_the_exact_word_finds_something():
    CompanyFactory(trade_name="Stravel", description_fr="")
    CompanyFactory(trade_name="Stravvel", description_fr="")
    assert names("stravel") == ["Stravel", "Stravvel"]


def test_short_words_get_no_typo_and_long_ones_two():
    CompanyFactory(trade_name="Kiwi", description_fr="")
    CompanyFactory(trade_name="Photogrammetrie Sud", description_fr="")
    assert names("kiwa") == []
    assert names("fotogrammetrie") == ["Photogrammetrie Sud"]


def test_query_text_never_reaches_the_tsquery_as_operators():
    query = parse("a:* | !b & (c) <-> 'd'")
    assert all(
        set(word.term) <= set("abcdefghijklmnopqrstuvwxyz0123456789")
        for slot in query.slots
        for word in slot.words
    )


def test_the_vocabulary_follows_the_index_and_the_command_drops_unused_words():
    from django.core.management import call_command

    from members.models import SearchWord

    company = CompanyFactory(trade_name="Tramontane", description_fr="")
    assert SearchWord.objects.filter(word="tramontan").exists()
    company.trade_name = company.legal_name = "Mistral"
    company.save()
    assert SearchWord.objects.filter(word="mistral").exists()
    call_command("rebuild_search_index", "--vocabulary-only", stdout=None)
    assert not SearchWord.objects.filter(word="tramontan").exists()
    assert names("mistrall") == ["Mistral"]
