"""Synonyms, highlighting, suggestions as you type, identifiers and the admin's search."""

import re

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.urls import reverse

from cluster import roles
from members.models import Company, Synonym
from members.search import parse, search
from members.search.highlight import highlight, snippet
from tests.cluster.staff import staff_member

from .factories import CompanyFactory, SectorFactory

pytestmark = pytest.mark.django_db

LIST = reverse("members:company-list")
API = reverse("members:api-company-list")
SUGGEST = reverse("members:api-company-suggest")


def names(query):
    return list(search(Company.objects.public(), query).values_list("trade_name", flat=True))


@pytest.fixture
def register():
    vr = SectorFactory(slug="vr", name="Réalité virtuelle", name_en="Virtual reality")
    games = SectorFactory(slug="jeu-video", name="Jeu vidéo", name_en="Video games")
    return {
        "vroom": CompanyFactory(trade_name="Vroom", sectors=[vr], description_fr="Casques."),
        "meta": CompanyFactory(trade_name="Méta Sud", description_fr="Mondes en métavers."),
        "pixel": CompanyFactory(
            trade_name="Pixel <Arcade>",
            sectors=[games],
            siret="73282932000074",
            siren="732829320",
            vat_number="FR44732829320",
            description_fr="Nous créons des jeux vidéo <b>rétro</b> & des bornes d'arcade "
            "pour les bars, les musées et les salons, partout en Occitanie.",
        ),
    }


def test_synonyms_apply_at_query_time_and_both_ways(register):
    assert names("vr") == ["Vroom"]  # a prefix of its name
    Synonym.objects.create(terms="VR, réalité virtuelle, métavers")
    assert set(names("vr")) == {"Vroom", "Méta Sud"}
    assert set(names("métavers")) == {"Vroom", "Méta Sud"}
    Synonym.objects.create(terms="jeu vidéo, gaming")
    assert names("gaming") == ["Pixel <Arcade>"]


def test_a_synonym_change_is_visible_at_once_on_cached_pages(client, register):
    assert client.get(API, {"q": "gaming"}).json()["count"] == 0
    Synonym.objects.create(terms="jeu vidéo, gaming")
    assert client.get(API, {"q": "gaming"}).json()["count"] == 1


@pytest.mark.parametrize(
    ("terms", "message"),
    [("VR", "at least two"), ("VR, le la", "common words"), ("", "at least two")],
)
def test_a_synonym_needs_two_meaningful_terms(terms, message):
    with pytest.raises(ValidationError) as raised:
        Synonym(terms=terms).full_clean()
    assert message in str(raised.value)


def test_staff_of_communication_manage_synonyms_and_accounting_may_not(client):
    add = reverse("admin:members_synonym_add")
    client.force_login(staff_member(roles.ACCOUNTING))
    assert client.post(add, {"terms": "IA, intelligence artificielle"}).status_code == 403
    client.force_login(staff_member(roles.COMMUNICATION))
    response = client.post(add, {"terms": "IA, intelligence artificielle"})
    assert response.status_code == 302
    assert str(Synonym.objects.get()) == "IA, intelligence artificielle"


def test_highlighting_marks_matched_words_and_escapes_everything_else():
    query = parse("jeux arcade")
    assert highlight("Pixel <Arcade>", query) == "Pixel &lt;<mark>Arcade</mark>&gt;"
    html = snippet("Des <b>jeux</b> & d'autres choses.", query)
    assert html == "Des &lt;b&gt;<mark>jeux</mark>&lt;/b&gt; &amp; d&#x27;autres choses."
    assert snippet("Rien à voir.", query) == ""


def test_a_snippet_is_the_words_around_the_first_match_with_an_ellipsis_where_cut():
    query = parse("arcade")
    words = [f"mot{i}" for i in range(60)]
    early = " ".join(words[:3] + ["arcade"] + words[3:]) + "."
    assert (
        snippet(early, query) == " ".join(words[:3] + ["<mark>arcade</mark>"] + words[3:23]) + "…"
    )
    late = " ".join(words + ["arcade", "fin"]) + "."
    assert snippet(late, query) == "…" + " ".join(words[52:] + ["<mark>arcade</mark>", "fin"]) + "."
    middle = " ".join(words[:30] + ["arcade"] + words[30:])
    assert snippet(middle, query) == (
        "…" + " ".join(words[22:30] + ["<mark>arcade</mark>"] + words[30:45]) + "…"
    )


def test_the_page_and_the_api_show_the_marked_snippet(client, register):
    response = client.get(LIST, {"q": "jeu video"})
    assert "<mark>jeux</mark> <mark>vidéo</mark>" in response.text
    assert "<b>" not in response.text
    result = client.get(API, {"q": "jeu video"}).json()["results"][0]
    assert result["snippet"].startswith("Nous créons des <mark>jeux</mark> <mark>vidéo</mark>")
    assert "&lt;b&gt;rétro&lt;/b&gt;" in result["snippet"]
    assert client.get(API).json()["results"][0]["snippet"] is None


def test_suggestions_return_at_most_8_names_and_sectors_for_a_prefix(client, register):
    for number in range(12):
        CompanyFactory(trade_name=f"Virtuose {number}", description_fr="")
    data = client.get(SUGGEST, {"q": "virt"}).json()
    assert len(data["results"]) == 8
    assert data["results"][0] == {
        "kind": "sector",
        "label": "Réalité virtuelle",
        "html": "Réalité <mark>virtuelle</mark>",
        "url": f"{LIST}?sector=vr",
    }
    assert {result["kind"] for result in data["results"][1:]} == {"company"}
    assert {result["city"] for result in data["results"][1:]} == {"Perpignan"}  # the factory's


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("jeux", ["Jeu vidéo"]),  # the plural, as the search reads it
        ("jeux vid", ["Jeu vidéo"]),
        ("vidéo", ["Jeu vidéo"]),  # a word of the name, not only its start
        ("santé", ["E-santé"]),
        ("e-san", ["E-santé"]),
        ("virtuelle", ["Réalité virtuelle et métavers"]),
        ("realite virtulle", ["Réalité virtuelle et métavers"]),  # a typo corrected
        ("busi", []),  # "Business support" is the English name: not on a French page
        ("v", []),  # one letter is no prefix
    ],
)
def test_sector_suggestions_read_the_typed_words_as_the_search_does(client, typed, expected):
    for name, name_en in [
        ("Jeu vidéo", "Video games"),
        ("E-santé", "E-health"),
        ("Réalité virtuelle et métavers", "Virtual reality"),
        ("Accompagnement d'entreprises", "Business support"),
    ]:
        sector = SectorFactory(name=name, name_en=name_en, slug=name_en.lower().replace(" ", "-"))
        CompanyFactory(trade_name=f"Membre {name_en}", sectors=[sector], description_fr="")
    results = client.get(SUGGEST, {"q": typed}, HTTP_ACCEPT_LANGUAGE="fr").json()["results"]
    assert [row["label"] for row in results if row["kind"] == "sector"] == expected


def test_suggestions_tolerate_typos_and_never_fail(client, register):
    data = client.get(SUGGEST, {"q": "realité virtulle"}).json()
    assert data["results"][-1]["url"] == register["vroom"].get_absolute_url()
    assert client.get(SUGGEST, {"q": ""}).json()["results"] == []
    assert client.get(SUGGEST, {"q": "&|!:*"}).json()["results"] == []
    assert client.get(SUGGEST, {"q": "x" * 201}).status_code == 400


def test_suggestions_cost_few_queries(client, register, django_assert_max_num_queries):
    # The version, the typo lookup, the sectors, the matches counted up to 201, the names.
    with django_assert_max_num_queries(5):
        client.get(SUGGEST, {"q": "pixel arc"})


@pytest.mark.parametrize(
    "typed", ["73282932000074", "732 829 320 00074", "732829320", "732.829.320", "FR44732829320"]
)
def test_a_legal_identifier_finds_its_company_first(register, typed):
    CompanyFactory(trade_name="732829320 Fans", description_fr="")
    assert names(typed)[0] == "Pixel <Arcade>"


def test_the_admin_search_uses_the_engine_with_siret_spaces_typos_and_ranking(client, register):
    client.force_login(staff_member(roles.COMMUNICATION))
    url = reverse("admin:members_company_changelist")
    response = client.get(url, {"q": "732 829 320 00074"})
    assert list(response.context["cl"].result_list) == [register["pixel"]]
    register["vroom"].published = False
    register["vroom"].save()
    response = client.get(url, {"q": "realité virtulle"})
    assert list(response.context["cl"].result_list) == [register["vroom"]]


def test_the_admin_search_keeps_its_ranking_until_staff_sort_by_a_column(client):
    for name in ("Studio Zèbre", "Agence Studio", "Mouton Studio Graphique"):
        CompanyFactory(trade_name=name, description_fr="")
    client.force_login(staff_member(roles.COMMUNICATION))
    url = reverse("admin:members_company_changelist")

    def listed(**params):
        changelist = client.get(url, {"q": "studio", **params}).context["cl"]
        return [company.trade_name for company in changelist.result_list]

    ranked = listed()
    assert ranked == ["Studio Zèbre", "Agence Studio", "Mouton Studio Graphique"]  # by id
    assert listed(o="1") == sorted(ranked)  # the trade name column
    assert listed(o="-1") == sorted(ranked, reverse=True)
    assert listed(o="99") == listed(o="5") == ranked  # no such column; an unsortable one


def test_a_query_with_some_words_unmatched_shows_a_note(client, register):
    response = client.get(LIST, {"q": "vroom xylophone"})
    assert response.context["page_obj"].object_list[0].trade_name == "Vroom"
    assert "en contiennent le plus" in response.text


def test_directory_search_and_api_query_counts_are_pinned(
    client, register, django_assert_num_queries
):
    # The sectors of the cards come with the rows (with_listing_data), not in a query of
    # their own.
    cache.clear()
    with django_assert_num_queries(7):
        client.get(LIST, {"q": "jeu vidéo"})
    cache.clear()
    with django_assert_num_queries(4):
        client.get(API, {"q": "realite virtulle"})
    cache.clear()
    with django_assert_num_queries(6):
        client.get(LIST)


def test_the_page_counts_up_to_a_cap_then_says_more_than(client, register, monkeypatch):
    from members.views import directory

    monkeypatch.setattr(directory, "COUNT_CAP", 2)
    cache.clear()
    response = client.get(LIST)
    assert "Plus de 2 entreprises" in response.text
    assert response.context["page_obj"].paginator.count == 3
    assert client.get(LIST, {"q": "vroom"}).context["page_obj"].paginator.capped is False
    # The API counts up to the same cap: one more than the cap means "more than".
    answer = client.get(API).json()
    assert (answer["count"], len(answer["results"])) == (3, 3)
    CompanyFactory(trade_name="Quatrième")
    cache.clear()
    assert client.get(API).json()["count"] == 3
    assert client.get(API, {"q": "vroom"}).json()["count"] == 1


def test_past_the_cap_the_sectors_are_listed_without_counts_and_the_page_says_why(
    client, register, monkeypatch
):
    from members.views import directory

    for letter in "ABC":
        CompanyFactory(trade_name=f"Studio {letter}", description_fr="")
    monkeypatch.setattr(directory, "COUNT_CAP", 2)
    cache.clear()
    response = client.get(LIST, {"q": "studio"})
    assert response.context["facets"] is None
    assert "comptées par secteur jusqu’à 2 résultats" in response.text
    assert 'name="sector" value="jeu-video"' in response.text  # still offered, uncounted
    response = client.get(LIST, {"q": "vroom"})
    assert [(facet.slug, facet.count) for facet in response.context["facets"]] == [("vr", 1)]


def test_the_towns_of_the_filter_are_the_public_companies_towns_once_each(client):
    CompanyFactory(city="Perpignan")
    CompanyFactory(city="Perpignan")
    CompanyFactory(city="Céret")
    CompanyFactory(city="Prades", published=False)
    CompanyFactory(city="")
    assert Company.objects.public_towns() == ["Céret", "Perpignan"]
    labels = [city["label"] for city in client.get(LIST).context["cities"]]
    assert labels == ["Céret", "Perpignan"]


@pytest.mark.parametrize("typed", ["animation 3d", "Studio 54", "B2B", "ESN 2025"])
def test_words_and_digits_are_not_taken_for_a_vat_number(typed):
    from members.search.identifiers import identifier_in

    assert identifier_in(typed) == ""
    assert identifier_in("FR 44 732 829 320") == "FR44732829320"


def test_a_prefix_is_spelt_out_as_the_vocabulary_words_it_starts_when_they_are_few(
    monkeypatch,
):
    from members.search import Search, query

    for name in ("Studio Nord", "Studiolo", "Atelier Sud"):
        CompanyFactory(trade_name=name)
    spelt = Search("stud")
    assert ":*" not in spelt.query.all_words()
    assert {"studio", "studiolo"} <= set(re.findall(r"[a-z0-9]+", spelt.query.all_words()))
    assert sorted(names("stud")) == ["Studio Nord", "Studiolo"]
    # Still marked as typed.
    assert str(highlight("Studiolo", spelt.query)) == "<mark>Studiolo</mark>"
    # A prefix that starts more words than the limit stays a prefix, and finds the same.
    monkeypatch.setattr(query, "MAX_PREFIX_WORDS", 1)
    assert "stud:*" in Search("stud").query.all_words()
    assert sorted(names("stud")) == ["Studio Nord", "Studiolo"]
    # A prefix that starts no word finds nothing, and costs nothing.
    assert names("zzq") == []


@pytest.mark.parametrize("typed", ["ͺ", "ͺͺ", "⑴", "studio ⑴", "½½", "ŀŀ", "studio ͺ"])
def test_characters_that_fold_into_punctuation_never_break_a_search(client, typed):
    """Unicode folding spells "⑴" as "(1)" and "ͺ" as a blank: neither may reach a query's
    text as an operator, on the page, the API or the suggestions, nor break an index."""
    studio = CompanyFactory(trade_name="Studio ⑴", description_fr="Un studio ͺ ½.")
    for url in (LIST, API, SUGGEST):
        assert client.get(url, {"q": typed}).status_code == 200, url
    found = client.get(API, {"q": typed}).json()["results"]
    if "studio" in typed:
        assert [result["slug"] for result in found] == [studio.slug]
